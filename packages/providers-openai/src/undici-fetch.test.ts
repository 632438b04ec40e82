import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { FakeOpenAIServer } from '@llm/testkit';
import { undiciFetch } from './undici-fetch.js';
import { openai } from './openai-provider.js';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer; socket: number }

let server: Server;
let base: string;
const seen: Seen[] = [];
let sockets = 0;
let route: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: (req.socket as unknown as { id: number }).id });
      route(req, res, body);
    });
  });
  server.on('connection', (socket) => { (socket as unknown as { id: number }).id = ++sockets; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
beforeEach(() => { seen.length = 0; });

const json = (res: ServerResponse, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

describe('undiciFetch (the default transport under the openai SDK)', () => {
  it('sends the method, every header (Headers or a plain object) and the body byte for byte', async () => {
    route = (_req, res, body) => json(res, { echoed: body.toString('utf8') });
    const text = JSON.stringify({ q: '값어치 ' + '한글'.normalize('NFD') + ' 👋🏽' });
    const headers = new Headers({ authorization: 'Bearer k-1', 'x-custom': 'one', 'content-type': 'application/json' });
    const response = await undiciFetch(`${base}/v1/chat?x=1`, { method: 'POST', headers, body: text });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/v1/chat?x=1`);
    expect(await response.json()).toEqual({ echoed: text });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat?x=1' });
    expect(seen[0].headers).toMatchObject({ authorization: 'Bearer k-1', 'x-custom': 'one', 'content-type': 'application/json' });
    expect(seen[0].body.equals(Buffer.from(text, 'utf8'))).toBe(true);

    await undiciFetch(new URL(`${base}/plain`), { method: 'PUT', headers: { 'x-plain': 'yes' }, body: new TextEncoder().encode('바이트') });
    expect(seen[1]).toMatchObject({ method: 'PUT', url: '/plain' });
    expect(seen[1].headers['x-plain']).toBe('yes');
    expect(seen[1].body.toString('utf8')).toBe('바이트');
  });

  it('returns status, status text and repeated headers as fetch does', async () => {
    route = (_req, res) => {
      res.statusCode = 429;
      res.statusMessage = 'Too Many Requests';
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('retry-after-ms', '250');
      res.setHeader('content-type', 'application/json');
      res.end('{"error":{"message":"느려요"}}');
    };
    const response = await undiciFetch(`${base}/limited`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.statusText).toBe('Too Many Requests');
    expect(response.headers.get('retry-after-ms')).toBe('250');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ error: { message: '느려요' } });
  });

  it('decodes gzip and brotli answers', async () => {
    const value = { text: '압축된 한국어 '.repeat(50) };
    for (const [encoding, compress] of [['gzip', gzipSync], ['br', brotliCompressSync]] as const) {
      route = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding }); res.end(compress(Buffer.from(JSON.stringify(value)))); };
      expect(await (await undiciFetch(`${base}/z`)).json()).toEqual(value);
      route = (_req, res) => { res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': encoding }); res.end(compress(Buffer.from('data: 압축\n\n'))); };
      expect(await (await undiciFetch(`${base}/z`)).text()).toBe('data: 압축\n\n');
    }
  });

  it('streams an event stream as it arrives instead of waiting for the end', async () => {
    let finish!: () => void;
    route = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"n":1}\n\n');
      finish = () => res.end('data: [DONE]\n\n');
    };
    const response = await undiciFetch(`${base}/sse`, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: {"n":1}\n\n');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('data: [DONE]\n\n');
  });

  it('gives 204 a null body and follows a 307 redirect with the body resent', async () => {
    route = (_req, res) => { res.statusCode = 204; res.end(); };
    const empty = await undiciFetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    route = (_req, res) => json(res, { never: 'sent' });
    const head = await undiciFetch(`${base}/head`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();

    route = (req, res, body) => {
      if (req.url === '/old') { res.writeHead(307, { location: '/new' }); res.end(); return; }
      json(res, { at: req.url, body: body.toString('utf8') });
    };
    const moved = await undiciFetch(`${base}/old`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"질문":1}' });
    expect(await moved.json()).toEqual({ at: '/new', body: '{"질문":1}' });
    expect(moved.redirected).toBe(true);
  });

  it('keeps connections alive between calls', async () => {
    route = (_req, res) => json(res, { ok: true });
    for (let i = 0; i < 8; i++) await (await undiciFetch(`${base}/again`)).json();
    // The pool may open a second socket while the first is still being marked idle, never one per call.
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(2);
  });

  it('goes through the global dispatcher (a proxy set with setGlobalDispatcher), or the one the caller passes', async () => {
    route = (_req, res) => json(res, { ok: true });
    /** An agent that counts what it dispatches. */
    const counting = () => {
      const agent = new Agent();
      const seenOrigins: string[] = [];
      const dispatch = agent.dispatch.bind(agent);
      agent.dispatch = (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => { seenOrigins.push(String(options.origin)); return dispatch(options, handler); };
      return { agent, seenOrigins };
    };
    const previous = getGlobalDispatcher();
    const global = counting();
    setGlobalDispatcher(global.agent);
    try {
      await (await undiciFetch(`${base}/via-global`)).json();
      expect(global.seenOrigins).toEqual([base]);
      const own = counting();
      await (await undiciFetch(`${base}/via-own`, { dispatcher: own.agent } as RequestInit)).json();
      expect(own.seenOrigins).toEqual([base]);
      expect(global.seenOrigins).toHaveLength(1);
      await own.agent.close();
    } finally {
      setGlobalDispatcher(previous);
      await global.agent.close();
    }
  });

  it('hands multipart bodies to Node fetch unchanged', async () => {
    route = (_req, res) => json(res, { ok: true });
    const form = new FormData();
    form.append('purpose', '배치');
    form.append('file', new Blob(['{"a":1}'], { type: 'application/jsonl' }), 'data.jsonl');
    await undiciFetch(`${base}/files`, { method: 'POST', body: form });
    expect(seen[0].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0].body.toString('utf8')).toContain('배치');
    expect(seen[0].body.toString('utf8')).toContain('filename="data.jsonl"');
  });

  it('rejects a JSON answer cut mid-way as fetch failed, so the SDK reports a connection error', async () => {
    route = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }); res.write('{"text":"잘린'); setTimeout(() => res.destroy(), 10); };
    const cut = await undiciFetch(`${base}/cut`).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(TypeError);
    expect((cut as TypeError).message).toBe('fetch failed');
    expect((cut as TypeError).cause).toBeInstanceOf(Error);
  });

  it('rejects a refused connection as fetch does, and an abort with the signal reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await undiciFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');

    route = () => {}; // never answers
    const controller = new AbortController();
    const pending = undiciFetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const aborted = await pending.catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('AbortError');
    expect(aborted).toBe(controller.signal.reason);
  });
});

describe('the openai provider on the default transport', () => {
  const fake = new FakeOpenAIServer();
  beforeAll(() => fake.start());
  afterAll(() => fake.close());

  it('is used unless the caller passes fetch, and a caller fetch replaces it', async () => {
    fake.enqueue({ text: '기본 전송' });
    const reply = await openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'k-default' }).generate({ messages: [{ role: 'user', content: '안녕' }] });
    expect(reply.text).toBe('기본 전송');
    expect(fake.lastRequest!.headers.authorization).toBe('Bearer k-default');

    const used: string[] = [];
    const own: typeof fetch = (input, init) => { used.push(String(input)); return fetch(input, init); };
    fake.enqueue({ text: '내 fetch' });
    const mine = await openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'k-own', fetch: own }).generate({ messages: [{ role: 'user', content: '안녕' }] });
    expect(mine.text).toBe('내 fetch');
    expect(used).toEqual([`${fake.url}/v1/chat/completions`]);
  });
});
