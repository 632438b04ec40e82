import { ConfigurationError } from '@llm/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, logCapture, openSocket, tempDir, testServer } from '../test/fixtures.js';
import { ANONYMOUS_COOKIE, UserAuthenticator, parseTokens, readCookie } from './user-auth.js';

describe('parseTokens and UserAuthenticator', () => {
  it('parses token:user lists (tokens may contain colons) and rejects malformed entries', () => {
    expect(parseTokens('tok-1:alice, tok:2:bob')).toEqual({ 'tok-1': 'alice', 'tok:2': 'bob' });
    expect(parseTokens('')).toEqual({});
    expect(() => parseTokens('just-a-token')).toThrow(ConfigurationError);
    expect(() => parseTokens('tok:')).toThrow(/token:user/);
  });

  it('maps bearer tokens and API keys to users and refuses unknown tokens even when anonymous access is on', () => {
    const auth = new UserAuthenticator({ 'secret-token-1': '김철수' }, true);
    expect(auth.authenticate({ authorization: 'Bearer secret-token-1' })).toEqual({ ok: true, user: { id: '김철수', anonymous: false } });
    expect(auth.authenticate({ apiKey: 'secret-token-1' })).toEqual({ ok: true, user: { id: '김철수', anonymous: false } });
    const wrong = auth.authenticate({ authorization: 'Bearer nope' });
    expect(wrong).toMatchObject({ ok: false, status: 401 });
    expect(JSON.stringify(wrong)).not.toContain('secret-token-1');
  });

  it('gives each anonymous browser its own stable user id, derived from (not equal to) its secret id', () => {
    const auth = new UserAuthenticator({}, true);
    const a = auth.authenticate({ anonymousHeader: 'aaaaaaaaaaaaaaaaaaaa' });
    const again = auth.authenticate({ cookie: `x=1; ${ANONYMOUS_COOKIE}=aaaaaaaaaaaaaaaaaaaa` });
    const b = auth.authenticate({ anonymousHeader: 'bbbbbbbbbbbbbbbbbbbb' });
    expect(a.ok && again.ok && b.ok).toBe(true);
    if (!a.ok || !again.ok || !b.ok) return;
    expect(a.user).toEqual(again.user);
    expect(a.user.id).not.toBe(b.user.id);
    expect(a.user.id).not.toContain('aaaa');
    const fresh = auth.authenticate({});
    expect(fresh.ok && fresh.newAnonymousId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses requests without a token when anonymous access is off', () => {
    const result = new UserAuthenticator({ t: 'u' }, false).authenticate({ anonymousHeader: 'aaaaaaaaaaaaaaaaaaaa' });
    expect(result).toMatchObject({ ok: false, status: 401 });
  });

  it('reads cookies', () => {
    expect(readCookie('a=1; b=%ED%95%9C', 'b')).toBe('한');
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });
});

describe('a server that requires tokens', () => {
  const dir = tempDir();
  const logs = logCapture();
  let app: FastifyInstance;
  const alice = { authorization: 'Bearer alice-secret-token' };
  beforeAll(async () => {
    app = await testServer(dir.path, { env: { LLM_SERVER_TOKENS: 'alice-secret-token:alice,bob-secret-token:bob' }, logger: { stream: logs.stream } });
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });

  it('answers 401 without a token or with a wrong one, and says how to authenticate', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { 'x-anonymous-id': 'aaaaaaaaaaaaaaaaaaaa' }]) {
      const res = await app.inject({ method: 'POST', url: '/api/chat/session', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toContain('Authorization: Bearer');
    }
  });

  it('lets a token in as its user (Authorization or x-api-key), and keeps users apart', async () => {
    const { sessionId } = (await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '토큰 사용자' }, headers: alice })).json();
    const viaKey = await app.inject({ url: `/api/chat/history/${sessionId}`, headers: { 'x-api-key': 'alice-secret-token' } });
    expect(viaKey.json().messages[0].content).toBe('토큰 사용자');
    const bob = await app.inject({ url: `/api/chat/history/${sessionId}`, headers: { authorization: 'Bearer bob-secret-token' } });
    expect(bob.statusCode).toBe(404);
  });

  it('keeps probes and docs open, and never logs tokens', async () => {
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/docs/json' })).statusCode).toBe(200);
    const line = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.route === '/api/chat/message' && l.status === 200)!;
    expect(line).toMatchObject({ msg: 'request', method: 'POST', user: 'alice', model: 'mock' });
    expect(line.session).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.tokens).toBeGreaterThan(0);
    expect(line.latencyMs).toBeTypeOf('number');
    expect(logs.lines.filter((l) => l.includes('"route":"/api/chat/message"'))).toHaveLength(1);
    expect(logs.text()).not.toContain('alice-secret-token');
    expect(logs.text()).not.toContain('bob-secret-token');
  });

  it('refuses a WebSocket without a token with 4003 and accepts one with a token (header or access_token)', async () => {
    const url = (await listen(app)).replace('http', 'ws');
    const refused = await openSocket(`${url}/ws/chat`);
    expect(await refused.closed).toEqual({ code: 4003, reason: 'not allowed' });
    expect(refused.frames).toEqual([]);
    for (const socket of [await openSocket(`${url}/ws/chat`, alice), await openSocket(`${url}/ws/chat?access_token=alice-secret-token`)]) {
      expect((await socket.next((f) => f.type === 'conversation')).conversationId).toBeTypeOf('string');
      socket.ws.close();
    }
    expect(logs.text()).not.toContain('alice-secret-token');
  });
});
