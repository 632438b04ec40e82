import type { FaultOptions, RecordedRequest, RenderedResponse } from '../fake-server.js';
import type { ScriptedReply } from '../scripted-reply.js';
import { ScriptedFakeServer } from './scripted-fake-server.js';
import { estimateTokens, fakeEmbedding, splitIntoDeltas } from './scripted-text.js';

/** Options of `FakeOllamaServer`. */
export interface FakeOllamaServerOptions {
  /** The reply given when the queue is empty (default: a short Korean greeting). */
  defaultReply?: ScriptedReply;
  /**
   * The pulled models. When set, a chat or embed call for another model answers 404
   * `{"error":"model 'x' not found"}`, as Ollama does; `GET /api/tags` lists them. Default: every model exists.
   */
  models?: string[];
  /** Length of the deterministic embedding vectors when none are enqueued (default 8). */
  embeddingDimensions?: number;
}

type QueuedOllamaReply =
  | { kind: 'reply'; reply: ScriptedReply }
  | { kind: 'lines'; lines: unknown[] }
  | { kind: 'json'; body: unknown };

type OllamaLine = Record<string, unknown> & { message: { role: string; content: string; tool_calls?: unknown[] } };

const CREATED_AT = '2025-01-01T00:00:00.000000Z';

/** Ollama's default tag: `llama3.2` is `llama3.2:latest`. */
function withTag(model: string): string {
  const last = model.slice(model.lastIndexOf('/') + 1);
  return last.includes(':') ? model : `${model}:latest`;
}

/**
 * A wire-exact fake of Ollama's native API: `POST /api/chat` (NDJSON stream, one JSON object per line, the last
 * with `done: true` and the token counts; or one object with `stream: false`), `POST /api/embed`, `GET /api/tags`,
 * and 404 `{"error":"model 'x' not found"}` for a model that is not pulled (when `models` is given).
 * @example
 * const fake = new FakeOllamaServer({ models: ['llama3.2:latest'] }); await fake.start();
 * fake.enqueue({ text: '안녕하세요' });
 */
export class FakeOllamaServer extends ScriptedFakeServer<QueuedOllamaReply> {
  private readonly defaultReply: ScriptedReply;
  private readonly embeddingDimensions: number;
  /** The pulled models (tagged names); undefined means every model exists. */
  models?: string[];

  constructor(options: FakeOllamaServerOptions = {}) {
    super();
    this.addRoute('POST', (path) => path === '/api/chat', (request, faults) => this.chat(request, faults));
    this.addRoute('POST', (path) => path === '/api/embed', (request, faults) => this.embed(request, faults));
    this.addRoute('GET', (path) => path === '/api/tags', () => this.tags());
    this.defaultReply = options.defaultReply ?? { text: '안녕하세요! 무엇을 도와드릴까요?' };
    this.embeddingDimensions = options.embeddingDimensions ?? 8;
    this.models = options.models?.map(withTag);
  }

  protected scripted(reply: ScriptedReply): QueuedOllamaReply {
    return { kind: 'reply', reply };
  }

  protected errorBody(status: number): unknown {
    return { error: `fake Ollama error ${status}` };
  }

  /**
   * Serves raw wire data to the next chat call: an array of objects (or JSON strings) becomes NDJSON lines, one
   * object becomes the single JSON body of a non-streamed answer.
   */
  enqueueFixture(fixture: unknown[] | object): this {
    this.queue.push(Array.isArray(fixture) ? { kind: 'lines', lines: fixture } : { kind: 'json', body: fixture });
    return this;
  }

  /** A 404 for a model that is not pulled, or undefined. */
  private missingModel(model: unknown): RenderedResponse | undefined {
    if (!this.models || (typeof model === 'string' && this.models.includes(withTag(model)))) return undefined;
    return this.json({ error: `model '${String(model)}' not found` }, 404);
  }

  private chat(request: RecordedRequest, faults: FaultOptions): RenderedResponse {
    const body = (request.body ?? {}) as { model?: string; stream?: boolean };
    if (ScriptedFakeServer.answersWithError(faults)) return this.json({});
    const missing = this.missingModel(body.model);
    if (missing) return missing;
    const streaming = body.stream !== false;
    const next = this.queue.shift() ?? { kind: 'reply', reply: this.defaultReply };
    if (next.kind === 'lines') return this.ndjson(next.lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))));
    if (next.kind === 'json') return this.json(next.body);
    const lines = this.render(next.reply, body.model ?? 'llama3.2');
    return streaming ? this.ndjson(lines.map((line) => JSON.stringify(line))) : this.json(this.merge(lines));
  }

  private render(reply: ScriptedReply, model: string): OllamaLine[] {
    const chunks = reply.chunks ?? splitIntoDeltas(reply.text ?? '');
    const text = chunks.join('');
    const input = reply.usage?.input ?? 10;
    const output = reply.usage?.output ?? estimateTokens(text);
    const base = { model: reply.model ?? model, created_at: CREATED_AT };
    const lines: OllamaLine[] = chunks.map((content) => ({ ...base, message: { role: 'assistant', content }, done: false }));
    if (reply.toolCalls?.length) {
      const tool_calls = reply.toolCalls.map((call, index) => ({ function: { index, name: call.name, arguments: call.arguments ?? {} } }));
      lines.push({ ...base, message: { role: 'assistant', content: '', tool_calls }, done: false });
    }
    lines.push({
      ...base,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: reply.finishReason === 'length' ? 'length' : 'stop',
      total_duration: 1_234_567,
      load_duration: 12_345,
      prompt_eval_count: input,
      prompt_eval_duration: 23_456,
      eval_count: output,
      eval_duration: 345_678,
    });
    return lines;
  }

  /** The non-streamed body: the final line with the whole message. */
  private merge(lines: OllamaLine[]): OllamaLine {
    const content = lines.map((line) => line.message.content).join('');
    const toolCalls = lines.flatMap((line) => line.message.tool_calls ?? []);
    const last = lines[lines.length - 1];
    return { ...last, message: { role: 'assistant', content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } };
  }

  private embed(request: RecordedRequest, faults: FaultOptions): RenderedResponse {
    const body = (request.body ?? {}) as { model?: string; input?: string | string[]; dimensions?: number };
    if (ScriptedFakeServer.answersWithError(faults)) return this.json({});
    const missing = this.missingModel(body.model);
    if (missing) return missing;
    const inputs = typeof body.input === 'string' ? [body.input] : body.input ?? [];
    const queued = this.embeddingQueue.shift();
    const embeddings = inputs.map((text, i) => queued?.[i] ?? fakeEmbedding(text, body.dimensions ?? this.embeddingDimensions));
    const promptEvalCount = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
    return this.json({ model: body.model, embeddings, total_duration: 14_143_917, load_duration: 1_019_500, prompt_eval_count: promptEvalCount });
  }

  private tags(): RenderedResponse {
    const models = (this.models ?? []).map((name) => ({
      name, model: name, modified_at: CREATED_AT, size: 2_019_393_189, digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
    }));
    return this.json({ models });
  }

  private ndjson(lines: string[]): RenderedResponse {
    return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, body: lines.map((line) => `${line}\n`).join('') };
  }
}
