import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { FastifyReply } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, listeningServers, metricValue, waitFor } from '../test/fixtures.js';
import { clientGoneSignal } from './chat-routes.js';

const servers = listeningServers(afterAll);
const user = asAnonymous(anonymousId());

/** A reply whose raw response sits on `socket` (what clientGoneSignal reads). */
const replyOn = (socket: EventEmitter) => ({ raw: { socket } }) as unknown as FastifyReply;

describe('clientGoneSignal: one controller per connection', () => {
  it('is reused by the requests that follow on a keep-alive connection while nothing listens on it', () => {
    const socket = new EventEmitter();
    const first = clientGoneSignal(replyOn(socket));
    first.release();
    const second = clientGoneSignal(replyOn(socket));
    expect(second.signal).toBe(first.signal);
    second.release();
    const other = clientGoneSignal(replyOn(new EventEmitter()));
    expect(other.signal).not.toBe(first.signal);
    other.release();
  });

  it('is replaced when a listener was left on it (a provider that never removes its own)', () => {
    const socket = new EventEmitter();
    const first = clientGoneSignal(replyOn(socket));
    first.signal.addEventListener('abort', () => undefined, { once: true });
    first.release();
    const second = clientGoneSignal(replyOn(socket));
    expect(second.signal).not.toBe(first.signal);
    second.release();
    expect(socket.listenerCount('close')).toBe(2);
  });

  it('aborts when the connection closes with a request in flight, and not when it closes between requests', () => {
    const busy = new EventEmitter();
    const running = clientGoneSignal(replyOn(busy));
    busy.emit('close');
    expect(running.signal.aborted).toBe(true);
    expect(String(running.signal.reason)).toMatch(/client closed the connection/);
    running.release();

    const idle = new EventEmitter();
    const done = clientGoneSignal(replyOn(idle));
    done.release();
    idle.emit('close');
    expect(done.signal.aborted).toBe(false);
  });
});

describe('POST /api/chat/message and a client that goes away', () => {
  it('aborts the model call when the client disconnects mid-answer, saves nothing, and keeps serving others', async () => {
    const { app, url } = await servers.start({ mockResponses: [{ text: '오래 걸리는 답', delayMs: 10_000 }] });
    const started = Date.now();
    const request = http.request(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json', ...user } });
    request.on('error', () => undefined);
    request.end(JSON.stringify({ message: '천천히 답해 주세요' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    request.destroy();
    const metrics = async () => (await app.inject({ url: '/metrics' })).body;
    await waitFor(async () => metricValue(await metrics(), 'llm_server_chat_turns_total', { transport: 'rest', outcome: 'aborted' }) === 1, 5000, 'the aborted turn');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(metricValue(await metrics(), 'llm_server_open_streams', { kind: 'rest' })).toBe(0);
    const sessions = (await app.inject({ url: '/api/chat/sessions', headers: user })).json().sessions;
    for (const s of sessions) expect(s.messageCount).toBe(0);

    // Two answers in a row on one keep-alive connection: neither is aborted by the other.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (message: string) => new Promise<{ status: number; body: { response: string } }>((resolve, reject) => {
      const req = http.request(`${url}/api/chat/message`, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...user } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ message }));
    });
    const a = await ask('첫 번째 질문');
    const b = await ask('두 번째 질문');
    agent.destroy();
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.response).toContain('두 번째 질문');
    expect(metricValue(await metrics(), 'llm_server_chat_turns_total', { transport: 'rest', outcome: 'aborted' })).toBe(1);
  });
});
