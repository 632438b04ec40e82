import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, tempDir, testServer } from '../test/fixtures.js';

const dir = tempDir();
let app: FastifyInstance;
const alice = asAnonymous(anonymousId());
const bob = asAnonymous(anonymousId());

beforeAll(async () => {
  app = await testServer(dir.path, { bodyLimit: 4096 });
});
afterAll(async () => {
  await app.close();
  dir.cleanup();
});

async function post(url: string, payload: unknown, headers = alice) {
  return app.inject({ method: 'POST', url, payload: payload as object, headers });
}

describe('sessions and messages', () => {
  it('creates a session', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/chat/session', headers: alice });
    expect(res.statusCode).toBe(201);
    expect(res.json().sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a Korean message through the mock and keeps the exchange in the history, NFD text unchanged', async () => {
    const { sessionId } = (await app.inject({ method: 'POST', url: '/api/chat/session', headers: alice })).json();
    const nfd = '한글 자모 분리'.normalize('NFD');
    const res = await post('/api/chat/message', { message: `안녕하세요 ${nfd}`, sessionId });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ sessionId, model: 'mock', toolsUsed: [] });
    expect(body.response).toContain('[mock]');
    expect(body.usage.total).toBe(body.usage.input + body.usage.output);
    expect(body.usage.total).toBeGreaterThan(0);

    const history = (await app.inject({ url: `/api/chat/history/${sessionId}`, headers: alice })).json();
    expect(history.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(history.messages[0].content).toBe(`안녕하세요 ${nfd}`);
    expect(history.messages[0].content.normalize('NFC')).not.toBe(history.messages[0].content);
    expect(history.messages[1].content).toBe(body.response);
    expect(Date.parse(history.messages[0].createdAt)).not.toBeNaN();
  });

  it('starts a session when the message names none, and continues it with the context', async () => {
    const first = (await post('/api/chat/message', { message: '첫 질문입니다' })).json();
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const second = await post('/api/chat/message', { message: '두 번째 질문입니다', sessionId: first.sessionId });
    expect(second.statusCode).toBe(200);
    const history = (await app.inject({ url: `/api/chat/history/${first.sessionId}`, headers: alice })).json();
    expect(history.messages.map((m: { content: string }) => m.content)).toEqual(['첫 질문입니다', first.response, '두 번째 질문입니다', second.json().response]);
  });

  it('uses the calculator for arithmetic, and stores the tool call and its result', async () => {
    const res = await post('/api/chat/message', { message: '25 곱하기 17은?' });
    const body = res.json();
    expect(body.toolsUsed).toEqual(['calculator']);
    expect(body.response).toContain('425');
    const history = (await app.inject({ url: `/api/chat/history/${body.sessionId}`, headers: alice })).json();
    expect(history.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(history.messages[1].toolCalls[0]).toMatchObject({ name: 'calculator', arguments: { expression: '25*17' } });
    expect(history.messages[2]).toMatchObject({ role: 'tool', toolName: 'calculator', content: '425' });
  });

  it('offers no tools with useTools: false', async () => {
    const body = (await post('/api/chat/message', { message: '25 곱하기 17은?', useTools: false })).json();
    expect(body.toolsUsed).toEqual([]);
    expect(body.response).toContain('[mock]');
    expect(body.response).not.toContain('425');
  });

  it('lists the user\'s sessions with titles, newest first, and deletes one', async () => {
    const user = asAnonymous(anonymousId());
    const a = (await post('/api/chat/message', { message: '오래된 대화' }, user)).json();
    const b = (await post('/api/chat/message', { message: '새로운 대화' }, user)).json();
    const empty = (await app.inject({ method: 'POST', url: '/api/chat/session', headers: user })).json();
    const { sessions } = (await app.inject({ url: '/api/chat/sessions', headers: user })).json();
    expect(sessions.map((s: { sessionId: string }) => s.sessionId).sort()).toEqual([a.sessionId, b.sessionId, empty.sessionId].sort());
    expect(sessions.find((s: { sessionId: string }) => s.sessionId === b.sessionId)).toMatchObject({ title: '새로운 대화', messageCount: 2 });
    expect(sessions.find((s: { sessionId: string }) => s.sessionId === empty.sessionId)).toMatchObject({ messageCount: 0 });

    const deleted = await app.inject({ method: 'DELETE', url: `/api/chat/session/${a.sessionId}`, headers: user });
    expect(deleted.json()).toEqual({ deleted: true, messages: 2 });
    expect((await app.inject({ url: `/api/chat/history/${a.sessionId}`, headers: user })).statusCode).toBe(404);
    const after = (await app.inject({ url: '/api/chat/sessions', headers: user })).json().sessions;
    expect(after.map((s: { sessionId: string }) => s.sessionId)).not.toContain(a.sessionId);
  });

  it('answers with scripted mock responses in order across requests', async () => {
    const scripted = await testServer(dir.path, { mockResponses: ['첫 번째 대본', { text: '두 번째 대본' }] });
    try {
      const one = (await scripted.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '하나' }, headers: alice })).json();
      const two = (await scripted.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '둘' }, headers: alice })).json();
      const three = (await scripted.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '셋' }, headers: alice })).json();
      expect([one.response, two.response]).toEqual(['첫 번째 대본', '두 번째 대본']);
      expect(three.response).toContain('[mock]');
    } finally {
      await scripted.close();
    }
  });
});

describe('isolation', () => {
  it("never shows or continues another user's session: 404, not its content", async () => {
    const secret = '앨리스의 비밀 메모 7341';
    const { sessionId } = (await post('/api/chat/message', { message: secret })).json();
    const notFound = (res: { statusCode: number; body: string }) => {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('[mock]');
    };
    notFound(await app.inject({ url: `/api/chat/history/${sessionId}`, headers: bob }));
    notFound(await post('/api/chat/message', { message: '보여줘', sessionId }, bob));
    notFound(await post('/api/chat/message/stream', { message: '보여줘', sessionId }, bob));
    notFound(await app.inject({ method: 'DELETE', url: `/api/chat/session/${sessionId}`, headers: bob }));
    const bobs = (await app.inject({ url: '/api/chat/sessions', headers: bob })).json().sessions;
    expect(bobs.map((s: { sessionId: string }) => s.sessionId)).not.toContain(sessionId);
    // Alice still has it, untouched.
    const history = (await app.inject({ url: `/api/chat/history/${sessionId}`, headers: alice })).json();
    expect(history.messages[0].content).toBe(secret);
    expect(history.messages).toHaveLength(2);
  });

  it('answers 404 for a session nobody has', async () => {
    const res = await app.inject({ url: '/api/chat/history/no-such-session', headers: alice });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(res.json().message).toContain('POST /api/chat/session');
  });
});

describe('validation', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing message', { sessionId: 'abc' }, 'message'],
    ['an empty message', { message: '' }, 'message'],
    ['a blank message', { message: '   ' }, 'message'],
    ['a temperature above 2', { message: '안녕', temperature: 2.5 }, 'temperature'],
    ['a negative temperature', { message: '안녕', temperature: -0.1 }, 'temperature'],
    ['maxTokens 0', { message: '안녕', maxTokens: 0 }, 'maxTokens'],
    ['maxTokens above 4000', { message: '안녕', maxTokens: 4001 }, 'maxTokens'],
    ['a fractional maxTokens', { message: '안녕', maxTokens: 1.5 }, 'maxTokens'],
    ['an unknown field', { message: '안녕', session_id: 'x' }, 'session_id'],
    ['a malformed session id', { message: '안녕', sessionId: '../etc/passwd' }, 'sessionId'],
    ['a useTools that is not a boolean', { message: '안녕', useTools: 'maybe' }, 'useTools'],
    ['a model the server does not offer', { message: '안녕', model: 'gpt-4o' }, 'model'],
  ];
  for (const [what, payload, field] of cases) {
    it(`answers 400 naming "${field}" for ${what}`, async () => {
      for (const url of ['/api/chat/message', '/api/chat/message/stream']) {
        const res = await post(url, payload);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', field });
        expect(res.json().message).toContain(field);
      }
    });
  }

  it('answers 400 for a body that is not JSON, and for a bad session id in the path', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...alice, 'content-type': 'application/json' }, payload: '{"message": "안녕' });
    expect(bad.statusCode).toBe(400);
    const path = await app.inject({ url: '/api/chat/history/bad%20id', headers: alice });
    expect(path.statusCode).toBe(400);
    expect(path.json().field).toBe('sessionId');
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post('/api/chat/message', { message: '가'.repeat(3000) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });
});
