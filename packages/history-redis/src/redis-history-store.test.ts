import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { ConfigurationError, StorageError } from '@llm/core';
import { describeWithService, plainExchange, runHistoryConformance, toolExchange, type HistoryExchange } from '@llm/testkit';
import { RedisHistoryStore, type RedisHistoryStoreOptions } from './redis-history-store.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix per test file run, so parallel runs never share keys; every key under it is deleted at the end.
const prefix = `llm:history:test:${randomUUID()}:`;

await describeWithService('redis', url, 'RedisHistoryStore', () => {
  const client = new Redis(url);
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  // maxMessages is raised so the suite's 80-message concurrency test is not trimmed.
  runHistoryConformance({ name: 'RedisHistoryStore (shared client)', create: (binding) => new RedisHistoryStore({ ...binding, client, prefix, maxMessages: 1000 }) });

  const open = (options: Partial<RedisHistoryStoreOptions> = {}) =>
    new RedisHistoryStore({ userId: `사용자:${randomUUID()}`, sessionId: '세션', client, prefix, ...options });
  const save = (store: RedisHistoryStore, exchange: HistoryExchange) => store.saveExchange(exchange.user, exchange.assistant, exchange.meta);
  const contents = async (store: RedisHistoryStore) => (await store.loadHistory()).map((m) => m.content);

  it('refreshes the TTL of the session, its usage hash and the user index on every write', async () => {
    const store = open({ ttl: 120 });
    await save(store, plainExchange('첫 번째', '네', { usage: { input: 1, output: 1, total: 2 } }));
    const { messages, meta, sessions } = store.keys;
    for (const key of [messages, meta, sessions]) await client.expire(key, 5);
    await save(store, plainExchange('두 번째', '네', { usage: { input: 1, output: 1, total: 2 } }));
    for (const key of [messages, meta, sessions]) {
      expect(await client.ttl(key)).toBeGreaterThan(100);
      expect(await client.ttl(key)).toBeLessThanOrEqual(120);
    }
    await store.clear();
  });

  it('forgets a session once its TTL runs out, in loadHistory and listSessions', async () => {
    const store = open({ ttl: 1 });
    await save(store, plainExchange('곧 사라질 대화', '네'));
    expect(await store.listSessions()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await store.loadHistory()).toEqual([]);
    expect(await store.listSessions()).toEqual([]);
  });

  it('keeps the newest maxMessages (default 20) by whole exchanges', async () => {
    const store = open();
    for (let n = 1; n <= 12; n++) await save(store, plainExchange(`질문 ${n}`, `답변 ${n}`, { usage: { input: 1, output: 1, total: 2 } }));
    const loaded = await contents(store);
    expect(loaded).toHaveLength(20);
    expect(loaded[0]).toBe('질문 3');
    expect((await store.getUsageSummary()).total).toBe(24);
    expect(await store.clear()).toBe(20);
  });

  it('trims without separating a tool result from its call', async () => {
    const store = open({ maxMessages: 6 });
    const tools = toolExchange('trim');
    await save(store, plainExchange('먼저', '응'));
    await save(store, tools);
    expect(await contents(store)).toEqual([tools.user, ...(tools.meta.toolMessages ?? []), tools.assistant].map((m) => m.content));
    await save(store, plainExchange('마지막', '끝'));
    expect(await contents(store)).toEqual(['마지막', '끝']);
    const small = open({ maxMessages: 3 });
    await save(small, tools);
    expect((await small.loadHistory()).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    await save(small, plainExchange('다음', '네'));
    expect(await contents(small)).toEqual(['다음', '네']);
    expect(await client.lindex(small.keys.messages, 0)).toMatch(/^\{"role":"user"/);
  });

  it('keeps prefixes apart and encodes ids so a ":" cannot reach another user', async () => {
    const userId = `a:${randomUUID()}`;
    const here = open({ userId, sessionId: 'b' });
    const elsewhere = open({ userId, sessionId: 'b', prefix: `${prefix}other:` });
    await save(here, plainExchange('여기만', '네'));
    expect(await elsewhere.loadHistory()).toEqual([]);
    expect(here.keys.messages).toBe(`${prefix}${encodeURIComponent(userId)}:b`);
    expect(here.keys.messages).not.toBe(open({ userId: 'a', sessionId: `${userId.slice(2)}:b` }).keys.messages);
    expect(await client.exists(here.keys.messages, here.keys.meta, here.keys.sessions)).toBe(3);
    expect(await here.clear()).toBe(2);
    expect(await client.exists(here.keys.messages, here.keys.meta, here.keys.sessions)).toBe(0);
  });

  it('forSession() shares the connection and settings; close() quits only a connection it opened', async () => {
    const own = new RedisHistoryStore({ userId: `사용자-${randomUUID()}`, sessionId: '세션', url, prefix, ttl: 30, maxMessages: 4 });
    const sibling = own.forSession({ userId: own.userId, sessionId: '형제' });
    expect([sibling.ttl, sibling.maxMessages, sibling.prefix]).toEqual([30, 4, prefix]);
    await save(sibling, plainExchange('형제', '네'));
    await sibling.close();
    expect((await own.listSessions()).map((s) => s.sessionId)).toEqual(['형제']);
    expect(() => sibling.forSession({ userId: own.userId, sessionId: '형제' })).toThrow(/closed/);
    await own.forSession({ userId: own.userId, sessionId: '형제' }).clear();
    await own.close();
    await expect(own.loadHistory()).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e));
    const shared = open();
    await shared.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('rejects bad options with ConfigurationError and an unreachable server with a StorageError without the password', async () => {
    expect(() => open({ ttl: -1 })).toThrow(ConfigurationError);
    expect(() => open({ maxMessages: 1.5 })).toThrow(ConfigurationError);
    expect(() => open({ url })).toThrow(ConfigurationError);
    const unreachable = new RedisHistoryStore({ userId: 'u', sessionId: 's', url: 'redis://:geheim-passwort@127.0.0.1:1' });
    const error = await unreachable.loadHistory().catch((e: unknown) => e);
    await unreachable.close();
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^RedisHistoryStore could not load the history: .*Check that Redis is reachable/);
    expect((error as Error).message).not.toContain('geheim');
  });
});
