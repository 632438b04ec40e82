import { Readable, pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { request, type Dispatcher } from 'undici';

/** What the SDK calls as `fetch`. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** JSON and text answers are read whole; event streams and anything else are streamed through. */
function isReadWhole(contentType: string): boolean {
  return contentType.includes('json') || (contentType.startsWith('text/') && !contentType.startsWith('text/event-stream'));
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === 'string') headers.append(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  return headers;
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  const decoder = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decoder) return body;
  // pipeline passes an error of either side to the other; whoever reads the decoded stream sees it.
  return pipeline(body, decoder(), () => {}) as unknown as Readable;
}

/** A failed connection or body as `fetch` reports it; an abort as the signal's reason. */
function fetchFailure(error: unknown, signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? (signal.reason ?? error) : new TypeError('fetch failed', { cause: error });
}

function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

/**
 * The `fetch` this package hands the `openai` SDK by default: undici's `request` (the same HTTP client Node's fetch is
 * built on) without the WHATWG fetch algorithm around it. A JSON answer is read in one piece and given to the SDK as
 * a `Response` over those bytes; an event stream is passed through as it arrives. That cuts the client CPU of a
 * call by about 40% (see BENCHMARKS.md) while the SDK keeps its retries, timeouts, headers and error types.
 *
 * What it does not do itself it leaves to Node's `fetch`, so behaviour stays fetch's: a `Request` object as input,
 * bodies other than a string or bytes (multipart uploads, streams), and redirects (the answer is discarded and the
 * call made again through `fetch`, which follows them). Compressed answers are decoded as `fetch` decodes them.
 * Connection failures reject with `TypeError('fetch failed', { cause })` as `fetch` does; aborts reject with the
 * signal's reason. Requests go through undici's global dispatcher, the one Node's `fetch` shares, so
 * `setGlobalDispatcher` (a proxy) applies to both.
 */
export const undiciFetch: FetchLike = async (input, init = {}) => {
  const body = init.body;
  if ((typeof input !== 'string' && !(input instanceof URL)) || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
    return fetch(input, init);
  }
  const url = typeof input === 'string' ? input : input.href;
  const method = init.method ?? 'GET';
  const signal = init.signal ?? undefined;
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: init.headers as Dispatcher.RequestOptions['headers'],
      body: body as string | Uint8Array | null | undefined,
      signal,
      // Without one of its own (the SDK's `fetchOptions.dispatcher`), undici's global dispatcher: the keep-alive pool
      // Node's fetch uses too, and whatever `setGlobalDispatcher` installed (a ProxyAgent, say).
      dispatcher: (init as { dispatcher?: Dispatcher }).dispatcher,
    });
  } catch (error) {
    throw fetchFailure(error, signal);
  }
  const status = answer.statusCode;
  const headers = responseHeaders(answer.headers);
  if (REDIRECT_STATUS.has(status) && headers.has('location') && init.redirect !== 'manual') {
    await answer.body.dump();
    return fetch(input, init);
  }
  const responseInit: ResponseInit = { status, statusText: answer.statusText ?? '', headers };
  if (NULL_BODY_STATUS.has(status) || method.toUpperCase() === 'HEAD') {
    await answer.body.dump();
    return withUrl(new Response(null, responseInit), url);
  }
  const encoding = headers.get('content-encoding') ?? undefined;
  const stream = decoded(answer.body, encoding);
  if (isReadWhole(headers.get('content-type') ?? '')) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(stream === answer.body ? await answer.body.arrayBuffer() : Buffer.concat(await stream.toArray()));
    } catch (error) {
      throw fetchFailure(error, signal);
    }
    return withUrl(new Response(bytes, responseInit), url);
  }
  return withUrl(new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, responseInit), url);
};
