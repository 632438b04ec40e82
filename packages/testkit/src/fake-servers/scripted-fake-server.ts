import type { ProviderStreamEvent } from '@llm/core';
import { FakeHttpServer, type FakeHttpServerOptions, type FakeRouteHandler, type FaultOptions, type RenderedResponse } from '../fake-server.js';
import type { ScriptedReply } from '../scripted-reply.js';

/**
 * What the Gemini and Ollama fakes share: a FIFO of replies (scripted or raw wire data), a FIFO of embedding
 * vectors, error faults in the API's own error shape, and `reset()` clearing all of it.
 */
export abstract class ScriptedFakeServer<Queued> extends FakeHttpServer {
  protected readonly queue: Queued[] = [];
  protected readonly embeddingQueue: number[][][] = [];
  private readonly routeList: FakeHttpServerOptions['routes'];
  /** Byte length of the last body a route rendered (before faults), to loop over its split offsets. */
  lastBodyLength = 0;

  constructor() {
    const routes: FakeHttpServerOptions['routes'] = [];
    super({ routes });
    this.routeList = routes;
  }

  /** Adds a route whose rendered body length is remembered in `lastBodyLength`. */
  protected addRoute(method: string, match: (path: string) => boolean, handle: FakeRouteHandler): void {
    this.routeList.push({
      method,
      match,
      handle: async (request, faults) => {
        const rendered = await handle(request, faults);
        this.lastBodyLength = Buffer.byteLength(rendered.body);
        return rendered;
      },
    });
  }

  /** The API's error body for a status injected without `errorBody`. */
  protected abstract errorBody(status: number): unknown;

  /** Wraps a scripted reply into this server's queue entry. */
  protected abstract scripted(reply: ScriptedReply): Queued;

  /** Serves this reply to the next generate/chat call (FIFO). */
  enqueue(reply: ScriptedReply): this {
    this.queue.push(this.scripted(reply));
    return this;
  }

  /** Serves these vectors to the next embedding call (one vector per input text). */
  enqueueEmbeddings(vectors: number[][]): this {
    this.embeddingQueue.push(vectors);
    return this;
  }

  /** Faults for the next request; an error status without `errorBody` gets the API's error shape. */
  override injectFault(faults: FaultOptions): this {
    if (faults.status !== undefined && faults.status >= 400 && faults.errorBody === undefined && faults.rawBody === undefined) {
      return super.injectFault({ ...faults, errorBody: this.errorBody(faults.status) });
    }
    return super.injectFault(faults);
  }

  /** Clears the reply queues, pending faults and recorded requests. */
  override reset(): void {
    super.reset();
    this.queue.length = 0;
    this.embeddingQueue.length = 0;
  }

  /** True when an injected error status answers this request: the queued reply then stays for the retry. */
  protected static answersWithError(faults: FaultOptions | undefined): boolean {
    return faults?.status !== undefined && faults.status >= 400;
  }

  protected json(body: unknown, status = 200, contentType = 'application/json; charset=utf-8'): RenderedResponse {
    return { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
  }
}

/** Collects every event of a provider stream (test helper). */
export async function collectStream(stream: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Resolves to what a promise rejects with, and fails when it resolves (test helper for error mapping). */
export function rejectionOf<E = Error>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (error: unknown) => error as E,
  );
}

/**
 * Streams the same reply once per byte offset of its wire body, each time split into two network writes at that
 * offset, and returns the offsets where the streamed text was not `expected` (so an empty list means UTF-8 safe).
 */
export async function offsetsBreakingText(
  server: ScriptedFakeServer<unknown>,
  reply: ScriptedReply,
  expected: string,
  streamText: () => Promise<string>,
): Promise<{ offsets: number; broken: number[] }> {
  server.enqueue(reply);
  const broken: number[] = (await streamText()) === expected ? [] : [0];
  const length = server.lastBodyLength;
  for (let offset = 1; offset < length; offset++) {
    server.enqueue(reply);
    server.injectFault({ splitAt: [offset] });
    if ((await streamText()) !== expected) broken.push(offset);
  }
  return { offsets: length - 1, broken };
}

/**
 * Reads a stream, aborts its signal at the first text delta, and reports what happened: the error the iteration
 * rejected with, the deltas seen, and how long the rejection took after the abort.
 */
export async function abortAtFirstDelta(
  start: (signal: AbortSignal) => AsyncIterable<ProviderStreamEvent>,
): Promise<{ error: unknown; seen: string[]; msAfterAbort: number }> {
  const controller = new AbortController();
  const seen: string[] = [];
  let abortedAt = 0;
  const error = await rejectionOf<unknown>((async () => {
    for await (const event of start(controller.signal)) {
      if (event.type === 'text-delta') {
        seen.push(event.text);
        abortedAt = Date.now();
        controller.abort();
      }
    }
  })());
  return { error, seen, msAfterAbort: Date.now() - abortedAt };
}

/** Stream deltas that cover every kind of cut: Hangul (3 bytes), an emoji (4 bytes), an NFD sequence, ASCII. */
export const KOREAN_STREAM_CHUNKS: readonly string[] = ['안녕하세요 👋', ' 값어치·똠방각하 ', '한글'.normalize('NFD'), ' 끝!'];

/** The concatenated text deltas of a provider stream (test helper). */
export async function streamedText(stream: AsyncIterable<ProviderStreamEvent>): Promise<string> {
  let text = '';
  for await (const event of stream) if (event.type === 'text-delta') text += event.text;
  return text;
}
