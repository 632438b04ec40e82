import { randomBytes, randomUUID } from 'node:crypto';
import { registerProvider } from '@llm/core';
import { serviceAvailable } from '@llm/testkit';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, echoProvider, listen, openSocket } from '../test/fixtures.js';
import { createServer } from './create-server.js';
import type { ServerOptions } from './server-options.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ready = (await serviceAvailable('redis', redisUrl)) && (await serviceAvailable('postgres', databaseUrl));

registerProvider(echoProvider);

// Everything this file writes lives under one Redis prefix and one Postgres schema, removed at the end.
const prefix = `llm:server:test:${randomUUID()}:`;
const schema = `server_test_${randomBytes(6).toString('hex')}`;

describe.skipIf(!ready)('two instances on one Redis and one Postgres', () => {
  const apps: FastifyInstance[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;
  const alice = asAnonymous(anonymousId());

  const instance = async (options: ServerOptions = {}) => {
    const app = await createServer({
      env: {}, logger: false, model: 'echo:shared', redisUrl, history: { type: 'postgres', url: databaseUrl, schema }, keyPrefix: prefix,
      rateLimit: false, sessionMaxMessages: 4, ...options,
    });
    apps.push(app);
    return app;
  };
  const say = async (app: FastifyInstance, message: string, sessionId?: string, headers = alice) =>
    app.inject({ method: 'POST', url: '/api/chat/message', payload: { message, ...(sessionId ? { sessionId } : {}) }, headers });

  beforeAll(async () => {
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    const sql = postgres(databaseUrl, { onnotice: () => undefined });
    await sql.unsafe(`drop schema if exists "${schema}" cascade`);
    await sql.end();
  });

  it('continues on B a session started on A, with its context from Redis (newest 4 messages)', async () => {
    const { sessionId } = (await a.inject({ method: 'POST', url: '/api/chat/session', headers: alice })).json();
    expect((await say(a, '첫 번째 질문', sessionId)).json().response).toContain('messages=1 | last=첫 번째 질문');
    expect((await say(b, '두 번째 질문', sessionId)).json().response).toContain('messages=3 | last=두 번째 질문');
    expect((await say(a, '세 번째 질문', sessionId)).json().response).toContain('messages=5 | last=세 번째 질문');
    // Six messages are stored now, but the session keeps the newest four as context.
    expect((await say(b, '네 번째 질문', sessionId)).json().response).toContain('messages=5 | last=네 번째 질문');
    const history = (await b.inject({ url: `/api/chat/history/${sessionId}`, headers: alice })).json();
    expect(history.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content)).toEqual(['첫 번째 질문', '두 번째 질문', '세 번째 질문', '네 번째 질문']);
    const sessions = (await b.inject({ url: '/api/chat/sessions', headers: alice })).json().sessions;
    expect(sessions.find((s: { sessionId: string }) => s.sessionId === sessionId)).toMatchObject({ title: '첫 번째 질문', messageCount: 8 });
  });

  it('keeps the user apart on every instance', async () => {
    const { sessionId } = (await say(a, '앨리스의 비밀')).json();
    const bob = asAnonymous(anonymousId());
    expect((await b.inject({ url: `/api/chat/history/${sessionId}`, headers: bob })).statusCode).toBe(404);
    expect((await say(b, '보여줘', sessionId, bob)).statusCode).toBe(404);
  });

  it('brings back an expired session from the Postgres history for its owner only', async () => {
    const { sessionId } = (await say(a, '오래된 대화')).json();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*${sessionId}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys); // what the TTL does
    await redis.quit();
    expect((await b.inject({ url: `/api/chat/history/${sessionId}`, headers: asAnonymous(anonymousId()) })).statusCode).toBe(404);
    const answer = (await say(b, '다시 왔어요', sessionId)).json().response;
    expect(answer).toContain('messages=3 | last=다시 왔어요');
  });

  it('resumes a conversation over WebSocket on the other instance', async () => {
    const { sessionId } = (await say(a, '웹소켓으로 이어가기')).json();
    const url = (await listen(b)).replace('http', 'ws');
    const socket = await openSocket(`${url}/ws/chat/${sessionId}`, alice);
    const restored = await socket.until((f) => f.type === 'message' && f.role === 'assistant');
    expect(restored.find((f) => f.role === 'user')!.content).toBe('웹소켓으로 이어가기');
    socket.send({ type: 'user_message', text: '계속' });
    const turn = await socket.until((f) => f.type === 'usage');
    expect(turn.filter((f) => f.mode === 'append').map((f) => f.content).join('')).toContain('messages=3 | last=계속');
    socket.ws.close();
  });

  it('shares the rate limit: 429 with Retry-After on both once the budget is spent', async () => {
    const limited = { rateLimit: { max: 3, timeWindowMs: 60_000 }, keyPrefix: `${prefix}limit:` };
    const [x, y] = [await instance(limited), await instance(limited)];
    const headers = asAnonymous(anonymousId());
    const create = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/api/chat/session', headers });
    expect((await create(x)).statusCode).toBe(201);
    expect((await create(y)).statusCode).toBe(201);
    expect((await create(x)).statusCode).toBe(201);
    for (const app of [y, x]) {
      const res = await create(app);
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    }
    const redis = new Redis(redisUrl);
    expect((await redis.keys(`${prefix}limit:rate-limit:*`)).length).toBeGreaterThan(0);
    await redis.quit();
  });
});
