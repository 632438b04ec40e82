import type { FaultOptions, RecordedRequest, RenderedResponse } from '../fake-server.js';
import type { ScriptedReply } from '../scripted-reply.js';
import { ScriptedFakeServer } from './scripted-fake-server.js';
import { estimateTokens, fakeEmbedding, splitIntoDeltas } from './scripted-text.js';

export {
  KOREAN_STREAM_CHUNKS, ScriptedFakeServer, abortAtFirstDelta, collectStream, offsetsBreakingText, rejectionOf, streamedText,
} from './scripted-fake-server.js';

/** Options of `FakeGeminiServer`. */
export interface FakeGeminiServerOptions {
  /** The reply given when the queue is empty (default: a short Korean greeting). */
  defaultReply?: ScriptedReply;
  /** Length of the deterministic embedding vectors when none are enqueued (default 8). */
  embeddingDimensions?: number;
}

type QueuedGeminiReply =
  | { kind: 'reply'; reply: ScriptedReply }
  | { kind: 'stream-fixture'; lines: string[] }
  | { kind: 'json-fixture'; body: unknown };

type GeminiPart = Record<string, unknown>;

const GOOGLE_STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

const FINISH_REASONS: Record<NonNullable<ScriptedReply['finishReason']>, string> = {
  stop: 'STOP', length: 'MAX_TOKENS', 'tool-calls': 'STOP', 'content-filter': 'SAFETY', refusal: 'SAFETY',
};

const ROUTE = /^\/(v1beta|v1alpha|v1)\/(models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;

/** Google's error body: `{ error: { code, message, status, details } }`. */
export function googleErrorBody(code: number, message: string, details: unknown[] = []): { error: Record<string, unknown> } {
  return { error: { code, message, status: GOOGLE_STATUS_NAMES[code] ?? 'UNKNOWN', details } };
}

/**
 * A wire-exact fake of the Gemini API (`generateContent`, `streamGenerateContent?alt=sse`, `embedContent`,
 * `batchEmbedContents`). The real `@google/genai` SDK talks to it on loopback. Streams are framed as
 * `data: <json>\r\n\r\n`, like Google's servers; errors have Google's shape. The `x-goog-api-key` header is recorded
 * in `requests` but never echoed back.
 * @example
 * const fake = new FakeGeminiServer(); await fake.start();
 * fake.enqueue({ text: '안녕하세요' });
 * const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: fake.url } });
 */
export class FakeGeminiServer extends ScriptedFakeServer<QueuedGeminiReply> {
  private readonly defaultReply: ScriptedReply;
  private readonly embeddingDimensions: number;
  private responseCounter = 0;

  constructor(options: FakeGeminiServerOptions = {}) {
    super();
    this.addRoute('POST', (path) => ROUTE.test(path), (request, faults) => this.route(request, faults));
    this.defaultReply = options.defaultReply ?? { text: '안녕하세요! 무엇을 도와드릴까요?' };
    this.embeddingDimensions = options.embeddingDimensions ?? 8;
  }

  protected scripted(reply: ScriptedReply): QueuedGeminiReply {
    return { kind: 'reply', reply };
  }

  protected errorBody(status: number): unknown {
    return googleErrorBody(status, `fake Gemini error ${status}`);
  }

  /**
   * Replays a recording from /work/shared/fixtures/wire/google: the lines of a `.chunks.txt` file (an array, or
   * the file's text) become SSE events; a `.json` body (an object, or its text) is served as is.
   */
  enqueueFixture(fixture: string[] | string | object): this {
    if (Array.isArray(fixture)) {
      this.queue.push({ kind: 'stream-fixture', lines: fixture.filter((line) => line.trim() !== '') });
    } else if (typeof fixture === 'string') {
      try {
        this.queue.push({ kind: 'json-fixture', body: JSON.parse(fixture) });
      } catch {
        this.queue.push({ kind: 'stream-fixture', lines: fixture.split(/\r?\n/).filter((line) => line.trim() !== '') });
      }
    } else {
      this.queue.push({ kind: 'json-fixture', body: fixture });
    }
    return this;
  }

  private route(request: RecordedRequest, faults: FaultOptions | undefined): RenderedResponse {
    // An injected error answers instead of the next scripted reply, which stays queued for the retry.
    if (ScriptedFakeServer.answersWithError(faults)) return this.json({});
    const [, , , model, method] = ROUTE.exec(request.path) ?? [];
    if (method === 'embedContent' || method === 'batchEmbedContents') return this.embed(request, method);
    const streaming = method === 'streamGenerateContent';
    const next = this.queue.shift() ?? { kind: 'reply', reply: this.defaultReply };
    if (next.kind === 'stream-fixture') {
      if (!streaming) throw new Error('a streamed recording was enqueued but the client called generateContent');
      return this.sse(next.lines);
    }
    if (next.kind === 'json-fixture') {
      return streaming ? this.sse([JSON.stringify(next.body)]) : this.json(next.body);
    }
    const events = this.render(next.reply, model);
    if (streaming) return this.sse(events.map((event) => JSON.stringify(event)));
    return this.json(this.merge(events));
  }

  /** Renders a scripted reply as the list of stream events Gemini would send. */
  private render(reply: ScriptedReply, model: string): Record<string, unknown>[] {
    const chunks = reply.chunks ?? splitIntoDeltas(reply.text ?? '');
    const text = chunks.join('');
    const reasoning = reply.usage?.reasoning ?? 0;
    const input = reply.usage?.input ?? 10;
    const output = reply.usage?.output ?? estimateTokens(text) + reasoning;
    const responseId = `fake-${(++this.responseCounter).toString(36)}`;
    const modelVersion = reply.model ?? model;
    const calls: GeminiPart[] = (reply.toolCalls ?? []).map((call, index) => ({
      functionCall: { name: call.name, args: call.arguments ?? {} },
      // Gemini 3 signs the first function call of a turn; clients must send it back unchanged.
      ...(index === 0 ? { thoughtSignature: Buffer.from(`sig:${call.name}:${responseId}`).toString('base64') } : {}),
    }));
    const pieces: GeminiPart[][] = chunks.map((piece) => [{ text: piece }]);
    if (calls.length) pieces.push(calls);
    if (!pieces.length) pieces.push([{ text: '' }]);
    const finishReason = FINISH_REASONS[reply.finishReason ?? (calls.length ? 'tool-calls' : 'stop')];
    return pieces.map((parts, i) => {
      const last = i === pieces.length - 1;
      const candidatesSoFar = Math.round(((output - reasoning) * (i + 1)) / pieces.length);
      return {
        candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason } : {}), index: 0 }],
        usageMetadata: {
          promptTokenCount: input,
          candidatesTokenCount: candidatesSoFar,
          totalTokenCount: input + candidatesSoFar + reasoning,
          ...(reply.usage?.cachedInput !== undefined ? { cachedContentTokenCount: reply.usage.cachedInput } : {}),
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }],
          ...(reasoning ? { thoughtsTokenCount: reasoning } : {}),
        },
        modelVersion,
        responseId,
      };
    });
  }

  /** The non-streaming body: the stream's parts joined into one candidate, with the final usage. */
  private merge(events: Record<string, unknown>[]): Record<string, unknown> {
    type Candidate = { content: { parts: GeminiPart[] }; finishReason?: string };
    const parts: GeminiPart[] = [];
    let text = '';
    for (const event of events) {
      for (const part of (event.candidates as Candidate[])[0].content.parts) {
        if (typeof part.text === 'string') text += part.text;
        else parts.push(part);
      }
    }
    const last = events[events.length - 1];
    const finishReason = (last.candidates as Candidate[])[0].finishReason;
    const content = { parts: [...(text ? [{ text }] : []), ...parts], role: 'model' };
    if (!content.parts.length) content.parts.push({ text: '' });
    return { ...last, candidates: [{ content, finishReason, index: 0 }] };
  }

  private embed(request: RecordedRequest, method: string): RenderedResponse {
    type EmbedRequest = { content?: { parts?: { text?: string }[] }; outputDimensionality?: number };
    const body = (request.body ?? {}) as { requests?: EmbedRequest[] } & EmbedRequest;
    const items = method === 'batchEmbedContents' ? body.requests ?? [] : [body];
    const queued = this.embeddingQueue.shift();
    const vectors = items.map((item, i) => queued?.[i] ?? fakeEmbedding(
      (item.content?.parts ?? []).map((p) => p.text ?? '').join(''),
      item.outputDimensionality ?? this.embeddingDimensions,
    ));
    if (method === 'embedContent') return this.json({ embedding: { values: vectors[0] } });
    return this.json({ embeddings: vectors.map((values) => ({ values })) });
  }

  private sse(lines: string[]): RenderedResponse {
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: lines.map((line) => `data: ${line}\r\n\r\n`).join(''),
    };
  }
}
