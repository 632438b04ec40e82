import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, listen, openSocket, tempDir, testServer } from '../test/fixtures.js';

const dir = tempDir();
let app: FastifyInstance;

beforeAll(async () => {
  app = await testServer(dir.path, { rateLimit: { max: 2, timeWindowMs: 60_000 }, env: { LLM_SERVER_TOKENS: 'token-of-alice:alice,token-of-bob:bob', LLM_SERVER_ANONYMOUS: 'true' } });
});
afterAll(async () => {
  await app.close();
  dir.cleanup();
});

describe('rate limits (in memory, one process)', () => {
  it('answers 429 with Retry-After once a user spent the budget, per user', async () => {
    const alice = { authorization: 'Bearer token-of-alice' };
    const send = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '안녕' }, headers });
    expect((await send(alice)).statusCode).toBe(200);
    expect((await send(alice)).statusCode).toBe(200);
    const limited = await send(alice);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.json().message).toMatch(/Retry after \d+ s/);
    expect((await send({ authorization: 'Bearer token-of-bob' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('counts anonymous users by address, so minting new anonymous ids does not reset the budget', async () => {
    const send = () => app.inject({ method: 'GET', url: '/api/chat/sessions', headers: asAnonymous(anonymousId()) });
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(429);
  });

  it('limits WebSocket turns too (a budget of their own), with an error block that says how long to wait', async () => {
    const url = (await listen(app)).replace('http', 'ws');
    const socket = await openSocket(`${url}/ws/chat`, { authorization: 'Bearer token-of-bob' });
    await socket.next((f) => f.type === 'conversation');
    for (const text of ['하나', '둘']) {
      socket.send({ type: 'user_message', text });
      expect((await socket.next((f) => f.type === 'error' || f.type === 'usage')).type).toBe('usage');
    }
    socket.send({ type: 'user_message', text: '셋' });
    const error = await socket.next((f) => f.type === 'error' || f.type === 'usage');
    expect(error.type).toBe('error');
    expect(error.content).toMatch(/Too many messages: wait \d+ s/);
    socket.ws.close();
  });
});
