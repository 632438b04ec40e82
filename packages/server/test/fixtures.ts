// Shared helpers of the server's tests (not part of the package).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { messageText, type ProviderDefinition, type ProviderRequest, type ProviderResponse, type ProviderStreamEvent } from '@llm/core';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { WebSocket } from 'ws';
import type { FastifyInstance } from 'fastify';
import { createServer, type ServerOptions } from '../src/index.js';

/** A temp folder for SQLite files, removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'llm-server-test-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh anonymous browser id (what the page's cookie or an API client's header carries). */
export function anonymousId(): string {
  return randomBytes(18).toString('base64url');
}

/** Headers of an anonymous client. */
export function asAnonymous(id: string): Record<string, string> {
  return { 'x-anonymous-id': id };
}

/** Captures a pino logger's lines. */
export function logCapture(): { stream: Writable; lines: string[]; text(): string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines, text: () => lines.join('\n') };
}

/**
 * A server for tests: no keys (an empty environment), in-memory sessions, SQLite history in `dir`, no rate limit,
 * no logs, unless the options say otherwise.
 */
export function testServer(dir: string, options: ServerOptions = {}): Promise<FastifyInstance> {
  return createServer({
    env: {},
    redisUrl: null,
    history: { type: 'sqlite', path: join(dir, `history-${randomBytes(4).toString('hex')}.sqlite`) },
    rateLimit: false,
    logger: false,
    ...options,
  });
}

/** Starts a server on a free port; resolves to its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A parsed SSE event with its JSON data. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads a fetch Response's SSE body with eventsource-parser, calling `onEvent` as events arrive. */
export async function readSse(response: Response, onEvent: (event: SseEvent) => void | 'stop' = () => undefined): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  let stop = false;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      const event = { event: message.event ?? 'message', data: JSON.parse(message.data) as Record<string, unknown> };
      events.push(event);
      if (onEvent(event) === 'stop') stop = true;
    },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(value);
    if (stop) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

/** Reads one value of a Prometheus metric (with these labels) from `/metrics` text. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** Waits until `check` is true (polling), or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A frame the server sent, as JSON. */
export type Frame = Record<string, unknown> & { type: string };

/** A real `ws` client with helpers to wait for frames and for the close. */
export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the first frame (after those already consumed) that matches. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves with the frames since the last call, up to and including the first that matches. */
  until(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame[]>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a WebSocket to the server (ws://…) with optional headers. */
export async function openSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  let cursor = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => {
    resolve({ code, reason: String(reason) });
    for (const wake of waiters.splice(0)) wake();
  }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame[]> => {
    const deadline = Date.now() + timeoutMs;
    const start = cursor;
    for (;;) {
      while (cursor < frames.length) {
        const frame = frames[cursor++];
        if (match(frame)) return frames.slice(start, cursor);
      }
      if (ws.readyState === WebSocket.CLOSED) throw new Error(`the socket closed before the frame came; got ${JSON.stringify(frames)}`);
      if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    ws, frames, closed, until,
    next: async (match, timeoutMs) => (await until(match, timeoutMs)).at(-1)!,
    send: (frame) => ws.send(JSON.stringify(frame)),
  };
}

/**
 * A provider for tests, registered as `echo`: it answers with what it was sent — the system prompt, the number of
 * messages and the last user message — so tests can see the context a turn was answered in.
 */
export const echoProvider: ProviderDefinition = {
  name: 'echo',
  matches: (modelId) => modelId.startsWith('echo'),
  languageModel: (modelId) => {
    const answer = (request: ProviderRequest) => {
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      return `system=${request.system ?? ''} | messages=${request.messages.length} | last=${last ? messageText(last) : ''}`;
    };
    return {
      provider: 'echo',
      modelId,
      async generate(request: ProviderRequest): Promise<ProviderResponse> {
        return { text: answer(request), toolCalls: [], finishReason: 'stop', usage: { input: 1, output: 1, total: 2 } };
      },
      async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
        yield { type: 'text-delta', text: answer(request) };
        yield { type: 'finish', finishReason: 'stop', usage: { input: 1, output: 1, total: 2 } };
      },
    };
  },
};

/**
 * Listening test servers for one test file: `start()` makes one (SQLite history in a temp folder) and returns its
 * URL; every server and the folder go away after the file's tests.
 */
export function listeningServers(afterAll: (fn: () => Promise<void>) => void): {
  start(options?: ServerOptions): Promise<{ app: FastifyInstance; url: string }>;
} {
  const dir = tempDir();
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    dir.cleanup();
  });
  return {
    async start(options = {}) {
      const app = await testServer(dir.path, options);
      apps.push(app);
      return { app, url: await listen(app) };
    },
  };
}
