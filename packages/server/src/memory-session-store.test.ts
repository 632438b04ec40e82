import type { Message } from '@llm/core';
import { createServer } from './create-server.js';
import { describe, expect, it } from 'vitest';
import { ChatSessions } from './chat-sessions.js';
import { openHistoryBackend } from './history-backend.js';
import { MemorySessionStore } from './memory-session-store.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const user = (text: string): Message => ({ role: 'user', content: text, createdAt: new Date('2026-12-03T10:00:00Z') });
const assistant = (text: string): Message => ({ role: 'assistant', content: text });

describe('MemorySessionStore', () => {
  it('keeps the newest maxMessages messages of context, each exchange whole, NFC and NFD as given', async () => {
    const store = new MemorySessionStore({ ttlSeconds: 60, maxMessages: 3 });
    const record = (await store.create('사용자', 's1'))!;
    const nfd = '한국어'.normalize('NFD');
    await store.saveExchange(record, user('첫 질문'), assistant('첫 답'), {});
    await store.saveExchange(record, user(nfd), assistant('두 번째 답'), {});
    const context = await store.loadContext(record, 10);
    expect(context.map((m) => m.content)).toEqual(['첫 답', nfd, '두 번째 답']);
    expect(context[1].content).not.toBe('한국어');
    expect(context[1].createdAt?.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(context[2].createdAt).toBeInstanceOf(Date);
    await store.close();
  });

  it('saves nothing of an exchange that cannot be serialized', async () => {
    const store = new MemorySessionStore({ ttlSeconds: 60, maxMessages: 20 });
    const record = (await store.create('u', 's'))!;
    const bad: Message = { role: 'assistant', content: 'x', toolInteractions: [{ tool: 't', arguments: { n: 1n }, durationMs: 1 }] };
    await expect(store.saveExchange(record, user('q'), bad, {})).rejects.toThrow(/BigInt/);
    expect(await store.loadContext(record, 20)).toEqual([]);
    await store.close();
  });

  it('with keepContext: false keeps no messages but still refreshes the TTL; the context then comes from the history', async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ ttlSeconds: 10, maxMessages: 20, keepContext: false, now: () => now });
    const sessions = new ChatSessions(store, openHistoryBackend({ type: 'memory' }), { maxMessages: 20, logger: silent });
    const record = await sessions.create('사용자');
    const reply = { usage: { input: 1, output: 1, total: 2 }, model: 'mock' } as never;
    await sessions.saveExchange(record, { user: user('안녕'), assistant: assistant('안녕하세요'), toolMessages: [], reply });
    expect(await store.loadContext(record, 20)).toEqual([]);
    expect((await sessions.context(record)).map((m) => m.content)).toEqual(['안녕', '안녕하세요']);
    now += 8_000;
    await sessions.saveExchange(record, { user: user('또'), assistant: assistant('네'), toolMessages: [], reply });
    now += 8_000; // 16 s after creation, 8 s after the last save: still live
    expect(await store.get(record.sessionId)).toBeDefined();
    expect((await sessions.context(record)).map((m) => m.content)).toEqual(['안녕', '안녕하세요', '또', '네']);
    await sessions.close();
  });

  it('a server with memory history answers a second turn in the context of the first', async () => {
    const app = await createServer({ model: 'mock', history: { type: 'memory' }, redisUrl: null, logger: false, anonymous: true, mockResponses: ['첫 번째 답', '두 번째 답'] });
    const headers = { 'x-anonymous-id': 'memory-history-user-0001' };
    const first = (await app.inject({ method: 'POST', url: '/api/chat/message', headers, payload: { message: '제 이름은 민준입니다' } })).json();
    const second = await app.inject({ method: 'POST', url: '/api/chat/message', headers, payload: { message: '제 이름이 뭐죠?', sessionId: first.sessionId } });
    expect(second.statusCode).toBe(200);
    // The mock counts every message it is sent as input tokens: the same question in a new session costs less.
    const fresh = (await app.inject({ method: 'POST', url: '/api/chat/message', headers, payload: { message: '제 이름이 뭐죠?' } })).json();
    expect(second.json().usage.input).toBeGreaterThan(fresh.usage.input);
    const history = (await app.inject({ url: `/api/chat/history/${first.sessionId}`, headers })).json();
    expect(history.messages.map((m: { content: string }) => m.content)).toEqual(['제 이름은 민준입니다', '첫 번째 답', '제 이름이 뭐죠?', '두 번째 답']);
    const store = app.llm.sessions.store as MemorySessionStore;
    expect(await store.loadContext({ sessionId: first.sessionId, userId: 'x', createdAt: new Date() }, 20)).toEqual([]);
    await app.close();
  });
});
