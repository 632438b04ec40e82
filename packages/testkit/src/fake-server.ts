import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server received, kept for assertions: what we sent matters as much as what we parse. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** The JSON body, or undefined when the body was not JSON. */
  body: any;
}

/** Faults a scripted reply can inject. */
export interface FaultOptions {
  /** HTTP status to answer with (the body is `errorBody`, or a generic error in the API's shape). */
  status?: number;
  /** Extra response headers (`retry-after`, `retry-after-ms`...). */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Wait this long between two network writes of a stream. */
  chunkDelayMs?: number;
  /** Split the response body into network writes at these byte offsets (multi-byte characters may be cut). */
  splitAt?: number[];
  /** Write the body one byte per network write. */
  splitEveryByte?: boolean;
  /** Destroy the socket after this many body bytes (a stream cut mid-way). */
  cutAfterBytes?: number;
  /** Replace the body with this raw text (malformed JSON and the like). */
  rawBody?: string;
  /** With `status`: the JSON error body to send (default: `{ error: { message, type } }`). */
  errorBody?: unknown;
}

/** A fully rendered HTTP answer. */
export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * A route handler: gets the recorded request (and the faults applied to this answer, so an error status need not
 * consume a scripted reply) and returns the answer to send.
 */
export type FakeRouteHandler = (request: RecordedRequest, faults: FaultOptions) => RenderedResponse | Promise<RenderedResponse>;

/** Options of `FakeHttpServer`. */
export interface FakeHttpServerOptions {
  /** Routes by `METHOD path-prefix`, matched in order; the first whose key matches handles the request. */
  routes: { method: string; match: (path: string) => boolean; handle: FakeRouteHandler }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes a body to the socket honouring the split, delay and cut faults. */
export async function writeWithFaults(res: ServerResponse, body: string | Buffer, faults: FaultOptions = {}): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let offsets: number[] = [];
  if (faults.splitEveryByte) offsets = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  else if (faults.splitAt) offsets = [...faults.splitAt].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  pieces.push(bytes.subarray(start));
  let written = 0;
  for (const piece of pieces) {
    if (res.destroyed) return;
    let toWrite = piece;
    if (faults.cutAfterBytes !== undefined && written + piece.length > faults.cutAfterBytes) {
      toWrite = piece.subarray(0, Math.max(0, faults.cutAfterBytes - written));
      if (toWrite.length) await new Promise<void>((resolve) => res.write(toWrite, () => resolve()));
      await sleep(5);
      res.socket?.destroy();
      res.destroy();
      return;
    }
    // Each piece is flushed separately so the client sees separate network reads.
    await new Promise<void>((resolve) => res.write(toWrite, () => resolve()));
    written += toWrite.length;
    if (faults.chunkDelayMs) await sleep(faults.chunkDelayMs);
    else if (pieces.length > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  if (faults.cutAfterBytes !== undefined && written >= faults.cutAfterBytes) {
    res.socket?.destroy();
    return;
  }
  res.end();
}

/**
 * A loopback HTTP server that records every request and answers from route handlers. The API-specific fake
 * servers (OpenAI, Anthropic, Gemini, Ollama) are built on it.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly routes: FakeHttpServerOptions['routes'];
  /** Faults applied to the next answers, one entry per request, in order. */
  private readonly faultQueue: FaultOptions[] = [];
  /** Open responses, so `close()` never waits on a stalled stream. */
  private readonly open = new Set<ServerResponse>();

  constructor(options: FakeHttpServerOptions) {
    this.routes = options.routes;
  }

  /** `http://127.0.0.1:PORT` once started. */
  url = '';

  /** Starts listening on a free loopback port and returns the base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  /** Applies these faults to the next request (queued: call again for the one after). */
  injectFault(faults: FaultOptions): this {
    this.faultQueue.push(faults);
    return this;
  }

  /** Forgets recorded requests and pending faults (API servers extend it to clear their reply queues). */
  reset(): void {
    this.requests.length = 0;
    this.faultQueue.length = 0;
  }

  /** Drops the faults not yet applied (fake servers' `reset()` calls it). */
  clearFaults(): void {
    this.faultQueue.length = 0;
  }

  /** The last recorded request. */
  get lastRequest(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET', url: req.url ?? '/', path: parsed.pathname, query: parsed.searchParams,
      headers: req.headers, rawBody, body,
    };
    this.requests.push(recorded);
    const faults = this.faultQueue.shift() ?? {};
    if (faults.delayMs) await sleep(faults.delayMs);
    if (res.destroyed) return;
    const route = this.routes.find((r) => r.method === recorded.method && r.match(recorded.path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake server: no route for ${recorded.method} ${recorded.path}` } }));
      return;
    }
    let rendered: RenderedResponse;
    try {
      rendered = await route.handle(recorded, faults);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake server handler failed: ${(error as Error).message}` } }));
      return;
    }
    let status = rendered.status;
    let headers = { ...rendered.headers, ...faults.headers };
    let bodyOut = faults.rawBody ?? rendered.body;
    if (faults.status !== undefined && faults.status >= 400) {
      status = faults.status;
      headers = { 'content-type': 'application/json', ...faults.headers };
      bodyOut = faults.rawBody ?? JSON.stringify(faults.errorBody ?? { error: { message: `fake server error ${status}`, type: 'fake_error', code: status } });
    } else if (faults.status !== undefined) status = faults.status;
    res.writeHead(status, headers);
    await writeWithFaults(res, bodyOut, faults);
  }
}
