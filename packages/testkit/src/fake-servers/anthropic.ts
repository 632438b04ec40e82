import { FakeHttpServer, type FaultOptions, type RecordedRequest, type RenderedResponse } from '../fake-server.js';
import type { ScriptedReply } from '../scripted-reply.js';

/** An Anthropic content block as the fake server sends it. */
type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** What the fake server answers next: a scripted reply, or a recording replayed byte for byte. */
type QueuedAnswer =
  | { kind: 'scripted'; reply: ScriptedReply }
  | { kind: 'sse'; events: string[] }
  | { kind: 'json'; body: string };

const FINISH_TO_STOP_REASON: Record<NonNullable<ScriptedReply['finishReason']>, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  refusal: 'refusal',
};

/** Anthropic's `error.type` for each HTTP status the API documents. */
const ERROR_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The error body the Messages API sends: `{ type: 'error', error: { type, message } }`. */
export function anthropicErrorBody(status: number, message = `fake Anthropic error ${status}`): unknown {
  const type = ERROR_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message } };
}

/** Splits a text into a few deltas on code point boundaries (as the API does: never inside a character). */
function splitIntoDeltas(text: string, pieces = 3): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function sseEvent(payload: { type: string; [field: string]: unknown }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * A wire-exact fake of Anthropic's Messages API (`POST /v1/messages`): JSON answers, SSE streams with
 * `event: <type>` framing, Anthropic error bodies and the `request-id` header. Point `@anthropic-ai/sdk` at `url`.
 * A scripted `text` answers a request that forces a tool (`tool_choice: { type: 'tool' }`) with a `tool_use`
 * block of that tool whose input is the JSON text, as Claude does for structured output.
 * @example
 * const server = new FakeAnthropicServer(); await server.start();
 * server.enqueue({ text: '안녕하세요' });
 * const client = new Anthropic({ apiKey: 'test', baseURL: server.url });
 */
export class FakeAnthropicServer extends FakeHttpServer {
  private readonly queue: QueuedAnswer[] = [];
  /** Mirrors the base class's fault queue: which pending faults replace the answer (so no reply is used up). */
  private readonly replacingFaults: ('error' | 'raw' | undefined)[] = [];
  private requestCount = 0;

  constructor() {
    super({
      routes: [
        { method: 'POST', match: (path) => path === '/v1/messages', handle: (request) => this.answer(request) },
        { method: 'POST', match: () => true, handle: (request) => this.notFound(request) },
        { method: 'GET', match: () => true, handle: (request) => this.notFound(request) },
      ],
    });
  }

  /** Queues a scripted reply (streamed or not, following the request's `stream` flag). */
  enqueue(reply: ScriptedReply): this {
    this.queue.push({ kind: 'scripted', reply });
    return this;
  }

  /**
   * Queues a recording: the lines of a `.chunks.txt` file (a string or an array, one SSE `data` payload per line,
   * each sent as `event: <type>\ndata: <line>\n\n`), or a non-streaming body (`.json` file text or an object).
   * A string that parses as one JSON value is a body; pass a one-event stream as an array.
   */
  enqueueFixture(recording: string | string[] | Record<string, unknown>): this {
    if (Array.isArray(recording)) {
      this.queue.push({ kind: 'sse', events: recording.filter((line) => line.trim() !== '') });
    } else if (typeof recording === 'object') {
      this.queue.push({ kind: 'json', body: JSON.stringify(recording) });
    } else if (isJson(recording)) {
      this.queue.push({ kind: 'json', body: recording });
    } else {
      this.queue.push({ kind: 'sse', events: recording.split('\n').filter((line) => line.trim() !== '') });
    }
    return this;
  }

  /** Applies faults to the next request; an error `status` gets an Anthropic error body unless `errorBody` is given. */
  override injectFault(faults: FaultOptions): this {
    const errorBody = faults.status !== undefined && faults.status >= 400 && faults.errorBody === undefined
      ? anthropicErrorBody(faults.status)
      : faults.errorBody;
    const isError = faults.status !== undefined && faults.status >= 400;
    this.replacingFaults.push(isError ? 'error' : faults.rawBody !== undefined ? 'raw' : undefined);
    return super.injectFault({ ...faults, ...(errorBody === undefined ? {} : { errorBody }) });
  }

  /** Clears queued replies, faults and recorded requests. */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.replacingFaults.length = 0;
    this.clearFaults();
  }

  private answer(request: RecordedRequest): RenderedResponse {
    const requestId = this.nextRequestId();
    // A fault that replaces the answer (an error status, a raw body) leaves the scripted reply for the next request.
    const replaced = this.replacingFaults.shift();
    if (replaced === 'error') return this.error(requestId, 500, 'replaced by the injected fault');
    if (replaced === 'raw') {
      // The raw body goes out with a success status and the content type the request expects.
      return request.body?.stream === true ? this.sse(requestId, '') : { status: 200, headers: { 'content-type': 'application/json', 'request-id': requestId }, body: '' };
    }
    const invalid = this.validate(request);
    if (invalid) return this.error(requestId, invalid.status, invalid.message);
    const next = this.queue.shift() ?? { kind: 'scripted', reply: this.defaultReply(request) };
    if (next.kind === 'json') return { status: 200, headers: { 'content-type': 'application/json', 'request-id': requestId }, body: next.body };
    if (next.kind === 'sse') {
      const body = next.events.map((line) => `event: ${(JSON.parse(line)).type}\ndata: ${line}\n\n`).join('');
      return this.sse(requestId, body);
    }
    const message = this.message(request, next.reply);
    if (request.body.stream === true) return this.sse(requestId, this.streamBody(message, next.reply));
    return { status: 200, headers: { 'content-type': 'application/json', 'request-id': requestId }, body: JSON.stringify(message) };
  }

  private nextRequestId(): string {
    return `req_fake_${(++this.requestCount).toString().padStart(6, '0')}`;
  }

  private notFound(request: RecordedRequest): RenderedResponse {
    this.replacingFaults.shift();
    return this.error(this.nextRequestId(), 404, `Not found: ${request.method} ${request.path}`);
  }

  /** The answer when nothing is queued: a greeting, or an empty input for a forced tool. */
  private defaultReply(request: RecordedRequest): ScriptedReply {
    return { text: request.body.tool_choice?.type === 'tool' ? '{}' : 'Hello from the fake Anthropic server.' };
  }

  /** The checks the real API makes first: a key, a model, `max_tokens` and a non-empty `messages` array. */
  private validate(request: RecordedRequest): { status: number; message: string } | undefined {
    if (!request.headers['x-api-key'] && !request.headers.authorization) return { status: 401, message: 'invalid x-api-key' };
    const body = request.body as Record<string, unknown> | undefined;
    if (!body) return { status: 400, message: 'The request body is not valid JSON.' };
    if (typeof body.model !== 'string') return { status: 400, message: 'model: Field required' };
    if (typeof body.max_tokens !== 'number') return { status: 400, message: 'max_tokens: Field required' };
    if (!Array.isArray(body.messages) || body.messages.length === 0) return { status: 400, message: 'messages: at least one message is required' };
    return undefined;
  }

  private error(requestId: string, status: number, message: string): RenderedResponse {
    return { status, headers: { 'content-type': 'application/json', 'request-id': requestId }, body: JSON.stringify(anthropicErrorBody(status, message)) };
  }

  private sse(requestId: string, body: string): RenderedResponse {
    return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId }, body };
  }

  /** Builds the Message object a scripted reply stands for. */
  private message(request: RecordedRequest, reply: ScriptedReply) {
    const content: WireBlock[] = [];
    const text = reply.text ?? reply.chunks?.join('') ?? '';
    const forced = request.body.tool_choice?.type === 'tool' ? String(request.body.tool_choice.name) : undefined;
    let stopReason = reply.finishReason ? FINISH_TO_STOP_REASON[reply.finishReason] : undefined;
    if (forced && !reply.toolCalls?.length) {
      content.push({ type: 'tool_use', id: this.toolUseId(0), name: forced, input: JSON.parse(text || '{}') });
      stopReason = 'tool_use';
    } else if (text) {
      content.push({ type: 'text', text });
    }
    (reply.toolCalls ?? []).forEach((call, i) => {
      content.push({ type: 'tool_use', id: call.id ?? this.toolUseId(i), name: call.name, input: call.arguments ?? {} });
    });
    stopReason ??= reply.toolCalls?.length ? 'tool_use' : 'end_turn';
    const cached = reply.usage?.cachedInput ?? 0;
    const input = reply.usage?.input ?? 10;
    return {
      id: `msg_fake_${this.requestCount.toString().padStart(6, '0')}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? String(request.body.model),
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: input - cached,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: cached,
        output_tokens: reply.usage?.output ?? Math.max(1, Array.from(text).length),
        service_tier: 'standard',
      },
    };
  }

  private toolUseId(index: number): string {
    return `toolu_fake_${this.requestCount.toString().padStart(4, '0')}_${index}`;
  }

  /** Renders a message as the SSE event sequence of a streamed answer. */
  private streamBody(message: ReturnType<FakeAnthropicServer['message']>, reply: ScriptedReply): string {
    const { usage, content, stop_reason: stopReason } = message;
    const events: string[] = [
      sseEvent({ type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }),
      sseEvent({ type: 'ping' }),
    ];
    content.forEach((block, index) => {
      if (block.type === 'text') {
        events.push(sseEvent({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const text of reply.chunks ?? splitIntoDeltas(block.text)) {
          events.push(sseEvent({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
        }
      } else {
        events.push(sseEvent({ type: 'content_block_start', index, content_block: { ...block, input: {} } }));
        for (const partial of ['', ...splitIntoDeltas(JSON.stringify(block.input))]) {
          events.push(sseEvent({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partial } }));
        }
      }
      events.push(sseEvent({ type: 'content_block_stop', index }));
    });
    const { service_tier: _tier, ...deltaUsage } = usage;
    events.push(sseEvent({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: deltaUsage }));
    events.push(sseEvent({ type: 'message_stop' }));
    return events.join('');
  }
}
