import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { ConfigurationError, StorageError } from '@llm/core';
import { describeWithService, plainExchange, runHistoryConformance, toolExchange } from '@llm/testkit';
import { PostgresHistoryStore } from './postgres-history-store.js';
import { POSTGRES_HISTORY_MIGRATIONS_TABLE } from './postgres-migrations.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// One schema per test file run, so parallel runs never share tables; dropped at the end.
const schema = `llm_history_test_${randomBytes(6).toString('hex')}`;
const fresh = (name: string) => `${schema}_${name}`;

await describeWithService('postgres', url, 'PostgresHistoryStore', () => {
  const client = postgres(url, { max: 4, onnotice: () => {} });
  const droppable = new Set([schema]);
  afterAll(async () => {
    for (const name of droppable) await client.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end({ timeout: 5 });
  });

  runHistoryConformance({ name: 'PostgresHistoryStore (shared client)', create: (binding) => new PostgresHistoryStore({ ...binding, client, schema }) });

  const binding = () => ({ userId: `사용자-${randomUUID()}`, sessionId: '세션' });

  it('saveExchanges stores many exchanges in one transaction, in order, all or none', async () => {
    const store = new PostgresHistoryStore({ ...binding(), client, schema });
    const exchanges = Array.from({ length: 600 }, (_, i) => ({ user: { role: 'user' as const, content: `질문 ${i}` }, assistant: { role: 'assistant' as const, content: `답변 ${i}` }, meta: { usage: { input: 1, output: 2, total: 3 } } }));
    await store.saveExchanges(exchanges);
    const loaded = await store.loadHistory();
    expect(loaded).toHaveLength(1200);
    expect(loaded[1198].content).toBe('질문 599');
    const bad = [{ user: { role: 'user' as const, content: 'ok' }, assistant: { role: 'assistant' as const, content: 'ok' } }, { user: { role: 'user' as const, content: 'x' }, assistant: { role: 'assistant' as const, content: 'y', toolCalls: [{ id: '1', name: 't', arguments: { n: 1n } }] } }];
    await expect(store.saveExchanges(bad)).rejects.toThrow();
    expect(await store.loadHistory()).toHaveLength(1200);
  });

  it('two instances with their own pools migrate a new schema and save at the same time without losing or interleaving', async () => {
    const target = fresh('race');
    droppable.add(target);
    const where = binding();
    const [a, b] = [new PostgresHistoryStore({ ...where, url, schema: target }), new PostgresHistoryStore({ ...where, url, schema: target })];
    const saves = (store: PostgresHistoryStore, tag: string) =>
      Array.from({ length: 10 }, (_, i) => {
        const exchange = toolExchange(`${tag}${i}`);
        return store.saveExchange(exchange.user, exchange.assistant, exchange.meta);
      });
    await Promise.all([...saves(a, 'a'), ...saves(b, 'b')]);
    const loaded = await a.loadHistory();
    expect(loaded).toHaveLength(100);
    for (let i = 0; i < loaded.length; i += 5) {
      expect(loaded.slice(i, i + 5).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
      const callId = loaded[i + 1].toolCalls?.[0].id;
      expect(loaded[i + 2].toolCallId).toBe(callId);
      expect(loaded[i + 4].toolInteractions?.[0].toolCallId).toBe(callId);
    }
    const journal = await client.unsafe(`SELECT hash FROM "${target}"."${POSTGRES_HISTORY_MIGRATIONS_TABLE}"`);
    expect(journal).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('stores JSON columns as jsonb values (not strings) and keeps NFD text exact', async () => {
    const store = new PostgresHistoryStore({ ...binding(), client, schema });
    const exchange = toolExchange('jsonb', '한글'.normalize('NFD'));
    await store.saveExchange(exchange.user, exchange.assistant, exchange.meta);
    const rows = await client.unsafe(
      `SELECT m.role, jsonb_typeof(m.content) AS content, jsonb_typeof(m.tool_calls) AS calls, jsonb_typeof(m.tool_interactions) AS interactions,
              m.content #>> '{}' AS text, m.usage_total, m.model
         FROM "${schema}".messages m JOIN "${schema}".conversations c ON c.id = m.conversation_id
        WHERE c.user_id = $1 ORDER BY m.id`,
      [store.userId],
    );
    expect(rows.map((r) => [r.role, r.content, r.calls, r.interactions])).toEqual([
      ['user', 'string', null, null],
      ['assistant', 'string', 'array', null],
      ['tool', 'string', null, null],
      ['tool', 'string', null, null],
      ['assistant', 'string', null, 'array'],
    ]);
    expect(rows[0].text).toBe('한글'.normalize('NFD'));
    expect([rows[4].usage_total, rows[4].model]).toEqual([165, 'mock-1']);
    await store.clear();
  });

  it('rolls back the whole exchange when Postgres rejects a row (a NUL character in jsonb)', async () => {
    const where = binding();
    const store = new PostgresHistoryStore({ ...where, client, schema });
    const broken = toolExchange('nul');
    broken.assistant.content = 'NUL \u0000 문자';
    const error = await store.saveExchange(broken.user, broken.assistant, broken.meta).catch((e: unknown) => e);
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^PostgresHistoryStore could not save the exchange .*unsupported Unicode escape sequence.*NUL character/);
    expect((error as Error).message).not.toContain('서울의 날씨');
    expect(await store.loadHistory()).toEqual([]);
    expect(await store.listSessions()).toEqual([]);
  });

  it('keeps schemas apart, and forSession() shares the pool and schema', async () => {
    const other = fresh('other');
    droppable.add(other);
    const where = binding();
    const here = new PostgresHistoryStore({ ...where, client, schema });
    const there = new PostgresHistoryStore({ ...where, client, schema: other });
    await here.saveExchange({ role: 'user', content: '여기' }, { role: 'assistant', content: '네' });
    expect(await there.loadHistory()).toEqual([]);
    const sibling = here.forSession({ userId: where.userId, sessionId: '형제' });
    expect(sibling.schema).toBe(schema);
    await sibling.saveExchange(plainExchange('형제 세션', '네').user, plainExchange('형제 세션', '네').assistant);
    await sibling.close();
    expect((await here.listSessions()).map((s) => s.sessionId)).toEqual(['형제', '세션']);
    await here.clear();
    await here.forSession({ userId: where.userId, sessionId: '형제' }).clear();
  });

  it('close() ends a pool it opened and leaves a given client open', async () => {
    const own = new PostgresHistoryStore({ ...binding(), url, schema });
    expect(await own.loadHistory()).toEqual([]);
    await own.close();
    await expect(own.loadHistory()).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e) && /closed/.test(String(e)));
    const shared = new PostgresHistoryStore({ ...binding(), client, schema });
    await shared.close();
    expect(await client`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('rejects bad options with ConfigurationError and an unreachable server with a StorageError without the password', async () => {
    expect(() => new PostgresHistoryStore({ ...binding(), url, client })).toThrow(ConfigurationError);
    expect(() => new PostgresHistoryStore({ ...binding(), schema: 'bad"; DROP SCHEMA public; --' })).toThrow(ConfigurationError);
    const unreachable = new PostgresHistoryStore({ ...binding(), url: 'postgres://postgres:geheim-passwort@127.0.0.1:1/test' });
    const error = await unreachable.loadHistory().catch((e: unknown) => e);
    await unreachable.close();
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/PostgresHistoryStore could not load the history/);
    expect((error as Error).message).not.toContain('geheim');
  });
});
