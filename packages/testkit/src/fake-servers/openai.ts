import { createHash, randomBytes } from 'node:crypto';
import { FakeHttpServer, type FaultOptions, type FakeHttpServerOptions, type RecordedRequest, type RenderedResponse } from '../fake-server.js';
import type { ScriptedReply } from '../scripted-reply.js';

/** Options of `FakeOpenAIServer`. */
export interface FakeOpenAIServerOptions {
  /** The chat reply when nothing is queued. */
  defaultReply?: ScriptedReply;
  /** Vector length of the default embeddings when the request sets no `dimensions` (default 8). */
  embeddingDimensions?: number;
}

type ChatEntry = { kind: 'reply'; reply: ScriptedReply } | { kind: 'chunks'; lines: string[] } | { kind: 'json'; body: unknown };
type Json = Record<string, any>;

const FINISH_REASONS: Record<string, string> = { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter', refusal: 'stop' };
/** A 1×1 transparent PNG, the image every fake generation returns. */
export const FAKE_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomId = (prefix: string, length: number) => prefix + Array.from(randomBytes(length), (b) => ALPHABET[b % ALPHABET.length]).join('');
const tokens = (text: string) => Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));
const json = (body: unknown, status = 200): RenderedResponse => ({
  status, headers: { 'content-type': 'application/json', 'x-request-id': randomId('req_', 24) }, body: JSON.stringify(body),
});
const openAIError = (status: number, message: string, type: string, param: string | null = null, code: string | null = null) =>
  json({ error: { message, type, param, code } }, status);

/** Splits a text into at most `parts` pieces on code point boundaries (JSON strings never carry half a character). */
function splitText(text: string, parts: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / parts));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * The deterministic unit vector the fake server returns for a text (float32 values), so tests can compute the
 * expected embedding.
 */
export function fakeEmbedding(text: string, dimensions = 8): number[] {
  let seed = createHash('sha256').update(text, 'utf8').digest().readUInt32LE(0);
  const raw = Array.from({ length: dimensions }, () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  });
  const norm = Math.sqrt(raw.reduce((sum, v) => sum + v * v, 0)) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

/** Float arrays → OpenAI's base64 form (little-endian float32). */
function toBase64Floats(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}

function usageOf(reply: ScriptedReply, request: Json, output: string): Json {
  const input = reply.usage?.input ?? tokens(JSON.stringify(request.messages ?? ''));
  const completion = reply.usage?.output ?? tokens(output);
  return {
    prompt_tokens: input, completion_tokens: completion, total_tokens: input + completion,
    prompt_tokens_details: { cached_tokens: reply.usage?.cachedInput ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reply.usage?.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function isReasoningModel(model: unknown): boolean {
  return typeof model === 'string' && /^(?:o\d|gpt-5)/.test(model) && !/^gpt-5(?:\.\d+)?-chat/.test(model);
}

/** The strict-mode checks OpenAI applies to `json_schema` response formats, with its error wording. */
function strictSchemaProblem(node: unknown, path: string[] = []): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const schema = node as Json;
  const where = `context=(${path.map((p) => `'${p}'`).join(', ')})`;
  if (schema.properties && typeof schema.properties === 'object') {
    if (schema.additionalProperties !== false) return `In ${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const missing = Object.keys(schema.properties).filter((key) => !(schema.required ?? []).includes(key));
    if (missing.length) return `In ${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [key, child] of Object.entries(schema.properties)) {
      const problem = strictSchemaProblem(child, [...path, 'properties', key]);
      if (problem) return problem;
    }
  }
  for (const key of ['items', 'anyOf', '$defs', 'definitions']) {
    const children = schema[key];
    if (!children || typeof children !== 'object') continue;
    for (const [name, child] of Object.entries(key === 'items' ? { '': children } : children)) {
      const problem = strictSchemaProblem(child, [...path, key, ...(name ? [name] : [])]);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A 400 in OpenAI's words for the parameters OpenAI itself rejects, or undefined when the request is fine. */
function validateChat(body: Json): RenderedResponse | undefined {
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return openAIError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'invalid_request_error', 'messages', 'empty_array');
  }
  if (isReasoningModel(body.model)) {
    if (body.max_tokens !== undefined) {
      return openAIError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'invalid_request_error', 'max_tokens', 'unsupported_parameter');
    }
    if (body.temperature !== undefined && body.temperature !== 1 && body.reasoning_effort !== 'none') {
      return openAIError(400, `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, 'invalid_request_error', 'temperature', 'unsupported_value');
    }
  }
  const format = body.response_format;
  if (format?.type === 'json_schema' && format.json_schema?.strict === true) {
    const problem = strictSchemaProblem(format.json_schema.schema);
    if (problem) return openAIError(400, `Invalid schema for response_format '${format.json_schema.name}': ${problem}`, 'invalid_request_error', 'response_format', 'invalid_json_schema');
  }
  return undefined;
}

/**
 * A wire-exact fake of OpenAI's API on loopback, for the real `openai` SDK: `POST /v1/chat/completions` (JSON, or
 * SSE `data: {chunk}\n\n` … `data: [DONE]\n\n` with the usage chunk when `stream_options.include_usage`),
 * `/v1/embeddings` (deterministic vectors, base64 or float) and `/v1/images/generations`. Paths also match without
 * `/v1` and under any prefix (OpenRouter's `/api/v1`). Errors use OpenAI's `{ error: { message, type, param, code } }`.
 * @example
 * const fake = new FakeOpenAIServer(); await fake.start();
 * fake.enqueue({ text: '안녕하세요' });
 * const model = openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'test-key' });
 */
export class FakeOpenAIServer extends FakeHttpServer {
  private readonly chatQueue: ChatEntry[] = [];
  private readonly embeddingQueue: Json[] = [];
  private readonly imageQueue: Json[] = [];
  /** Mirrors the base class's fault queue (one entry per request), so an error answer leaves the replies queued. */
  private readonly pendingFaults: FaultOptions[] = [];
  private readonly defaultReply: ScriptedReply;
  private readonly dimensions: number;

  constructor(options: FakeOpenAIServerOptions = {}) {
    const routes: FakeHttpServerOptions['routes'] = [];
    super({ routes });
    // The base class keeps the array, so the handlers (which need `this`) are added after super().
    const unlessFailing = (handle: (request: RecordedRequest) => RenderedResponse) => (request: RecordedRequest) => {
      const fault = this.pendingFaults.shift();
      return fault?.status !== undefined && fault.status >= 400 ? json({}) : handle(request);
    };
    routes.push(
      { method: 'POST', match: (path) => path.endsWith('/chat/completions'), handle: unlessFailing((request) => this.chat(request)) },
      { method: 'POST', match: (path) => path.endsWith('/embeddings'), handle: unlessFailing((request) => this.embeddings(request)) },
      { method: 'POST', match: (path) => path.endsWith('/images/generations'), handle: unlessFailing((request) => this.images(request)) },
      { method: 'GET', match: (path) => path.startsWith('/files/'), handle: unlessFailing(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from(FAKE_PNG_BASE64, 'base64') })) },
    );
    this.defaultReply = options.defaultReply ?? { text: '안녕하세요! 가짜 OpenAI 서버입니다.' };
    this.dimensions = options.embeddingDimensions ?? 8;
  }

  /** Queues the next chat reply (streamed or not, as the request asks). */
  enqueue(reply: ScriptedReply): this {
    this.chatQueue.push({ kind: 'reply', reply });
    return this;
  }

  /**
   * Queues a recording from /work/shared/fixtures/wire/openai-chat: the lines of a `.chunks.txt` (array, or the
   * file's text) are replayed as SSE with `data: [DONE]`; a `.json` body (object or text) is answered as is — a
   * `list` body by the embeddings route, an images body by the images route, anything else by chat.
   */
  enqueueFixture(fixture: string[] | string | Json): this {
    let body: unknown = fixture;
    if (typeof fixture === 'string') {
      try {
        body = JSON.parse(fixture);
      } catch {
        body = fixture.split('\n').filter((line) => line.trim());
      }
    }
    if (Array.isArray(body)) this.chatQueue.push({ kind: 'chunks', lines: body.map(String) });
    else if ((body as Json).object === 'list') this.embeddingQueue.push(body as Json);
    else if ((body as Json).object === undefined && Array.isArray((body as Json).data)) this.imageQueue.push(body as Json);
    else this.chatQueue.push({ kind: 'json', body });
    return this;
  }

  /** Errors without a body of their own get OpenAI's error shape; an error answer does not use up a queued reply. */
  override injectFault(faults: FaultOptions): this {
    this.pendingFaults.push(faults);
    if (faults.status !== undefined && faults.status >= 400 && faults.errorBody === undefined && faults.rawBody === undefined) {
      const [message, type, code] =
        faults.status === 401 ? ['Incorrect API key provided: sk-fake*****0000. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key']
        : faults.status === 429 ? ['Rate limit reached for requests. Please try again later.', 'requests', 'rate_limit_exceeded']
        : faults.status >= 500 ? ['The server had an error while processing your request. Sorry about that!', 'server_error', null]
        : [`Fake error ${faults.status}.`, 'invalid_request_error', null];
      return super.injectFault({ ...faults, errorBody: { error: { message, type, param: null, code } } });
    }
    return super.injectFault(faults);
  }

  /** Clears queued replies, faults and recorded requests. */
  override reset(): void {
    super.reset();
    this.pendingFaults.length = 0;
    this.chatQueue.length = 0;
    this.embeddingQueue.length = 0;
    this.imageQueue.length = 0;
  }

  private chat(request: RecordedRequest): RenderedResponse {
    const body: Json = request.body ?? {};
    const invalid = validateChat(body);
    if (invalid) return invalid;
    const entry = this.chatQueue.shift() ?? { kind: 'reply', reply: this.defaultReply };
    const streaming = body.stream === true;
    if (entry.kind === 'chunks' || entry.kind === 'json') {
      if (streaming !== (entry.kind === 'chunks')) {
        return openAIError(400, `fake server: the queued fixture is ${streaming ? 'not ' : ''}a stream, but the request has stream: ${streaming}.`, 'invalid_request_error', 'stream');
      }
      return entry.kind === 'json' ? json(entry.body) : sse(entry.lines);
    }
    return streaming ? sse(this.chunks(entry.reply, body)) : json(this.completion(entry.reply, body));
  }

  private completion(reply: ScriptedReply, body: Json): Json {
    const text = reply.text ?? reply.chunks?.join('') ?? '';
    const refusal = reply.finishReason === 'refusal';
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id ?? randomId('call_', 24), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    const finish = reply.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop');
    const message: Json = { role: 'assistant', content: refusal || (toolCalls.length && !text) ? null : text, refusal: refusal ? text : null, annotations: [] };
    if (toolCalls.length) message.tool_calls = toolCalls;
    return {
      id: randomId('chatcmpl-', 29), object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: reply.model ?? body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASONS[finish] }],
      usage: usageOf(reply, body, text + toolCalls.map((c) => c.function.arguments).join('')),
      service_tier: 'default', system_fingerprint: 'fp_fake0001',
    };
  }

  private chunks(reply: ScriptedReply, body: Json): string[] {
    const includeUsage = body.stream_options?.include_usage === true;
    const base = { id: randomId('chatcmpl-', 29), object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: reply.model ?? body.model, service_tier: 'default', system_fingerprint: 'fp_fake0001' };
    const chunk = (delta: Json, finishReason: string | null = null) =>
      JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(includeUsage ? { usage: null } : {}) });
    const text = reply.text ?? reply.chunks?.join('') ?? '';
    const refusal = reply.finishReason === 'refusal';
    const lines = [chunk({ role: 'assistant', content: refusal ? null : '', refusal: null })];
    for (const piece of reply.chunks ?? (text ? splitText(text, 4) : [])) lines.push(chunk(refusal ? { refusal: piece } : { content: piece }));
    let output = text;
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      const args = JSON.stringify(call.arguments);
      output += args;
      lines.push(chunk({ tool_calls: [{ index, id: call.id ?? randomId('call_', 24), type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of splitText(args, 3)) lines.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
    const finish = reply.finishReason ?? (reply.toolCalls?.length ? 'tool-calls' : 'stop');
    lines.push(chunk({}, FINISH_REASONS[finish]));
    if (includeUsage) lines.push(JSON.stringify({ ...base, choices: [], usage: usageOf(reply, body, output) }));
    return lines;
  }

  private embeddings(request: RecordedRequest): RenderedResponse {
    const body: Json = request.body ?? {};
    const inputs: string[] = (Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input]).map((i: unknown) => (typeof i === 'string' ? i : JSON.stringify(i)));
    if (inputs.length === 0 || inputs.length > 2048) {
      return openAIError(400, `'$.input' is invalid: expected between 1 and 2048 inputs, got ${inputs.length}.`, 'invalid_request_error', 'input');
    }
    const base64 = body.encoding_format === 'base64';
    const queued = this.embeddingQueue.shift();
    const answer: Json = queued ? structuredClone(queued) : {
      object: 'list',
      data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, body.dimensions ?? this.dimensions) })),
      model: body.model,
      usage: { prompt_tokens: inputs.reduce((sum, text) => sum + tokens(text), 0), total_tokens: inputs.reduce((sum, text) => sum + tokens(text), 0) },
    };
    if (base64) for (const item of answer.data) if (Array.isArray(item.embedding)) item.embedding = toBase64Floats(item.embedding);
    return json(answer);
  }

  private images(request: RecordedRequest): RenderedResponse {
    const body: Json = request.body ?? {};
    const model = String(body.model ?? 'dall-e-2');
    const gptImage = model.startsWith('gpt-image-');
    if (gptImage && body.response_format !== undefined) {
      return openAIError(400, "Unknown parameter: 'response_format'.", 'invalid_request_error', 'response_format', 'unknown_parameter');
    }
    if (gptImage && body.style !== undefined) return openAIError(400, "Unknown parameter: 'style'.", 'invalid_request_error', 'style', 'unknown_parameter');
    const queued = this.imageQueue.shift();
    if (queued) return json(queued);
    const n = Number(body.n ?? 1);
    const base64 = gptImage || body.response_format === 'b64_json';
    const data = Array.from({ length: n }, (_, i) => ({
      ...(base64 ? { b64_json: FAKE_PNG_BASE64 } : { url: `${this.url}/files/image-${i + 1}.png` }),
      ...(model === 'dall-e-3' ? { revised_prompt: `${body.prompt} (revised)` } : {}),
    }));
    const created = Math.floor(Date.now() / 1000);
    if (!gptImage) return json({ created, data });
    const promptTokens = tokens(String(body.prompt ?? ''));
    return json({
      created, background: 'opaque', data, output_format: 'png', quality: body.quality ?? 'high', size: body.size ?? '1024x1024',
      usage: { input_tokens: promptTokens, input_tokens_details: { image_tokens: 0, text_tokens: promptTokens }, output_tokens: 272 * n, total_tokens: promptTokens + 272 * n },
    });
  }
}

/** SSE body of Chat Completions: one `data:` event per chunk, then `data: [DONE]`. */
function sse(lines: string[]): RenderedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': randomId('req_', 24) },
    body: lines.map((line) => `data: ${line}\n\n`).join('') + 'data: [DONE]\n\n',
  };
}
