import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, StorageError } from '@llm/core';
import { plainExchange, runHistoryConformance, toolExchange } from '@llm/testkit';
import { SQLITE_HISTORY_MIGRATIONS_TABLE, SqliteHistoryStore } from './sqlite-history-store.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-history-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const conformanceFile = join(dir, '적합성 테스트.sqlite');

runHistoryConformance({ name: 'SqliteHistoryStore (file, one connection per store)', create: (binding) => new SqliteHistoryStore({ ...binding, path: conformanceFile }) });

describe('SqliteHistoryStore specifics', () => {
  const binding = () => ({ userId: `사용자-${randomUUID()}`, sessionId: '세션' });
  const file = (name: string) => join(dir, `${name}-${randomUUID()}.sqlite`);

  it('opens the file in WAL mode, creating its folder', async () => {
    const path = join(dir, 'nested', '폴더', 'history.sqlite');
    const store = new SqliteHistoryStore({ ...binding(), path });
    await store.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '네' });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies the shipped migration once: a second open does not run it again', async () => {
    const path = file('migrate');
    const journal = readdirSync(new URL('../drizzle', import.meta.url)).filter((f) => f.endsWith('.sql'));
    const first = new SqliteHistoryStore({ ...binding(), path });
    await first.saveExchange({ role: 'user', content: '첫 연결' }, { role: 'assistant', content: '네' });
    await first.close();
    const db = new Database(path);
    const applied = () => db.prepare(`SELECT hash, created_at FROM ${SQLITE_HISTORY_MIGRATIONS_TABLE}`).all();
    const before = applied();
    expect(before).toHaveLength(journal.length);
    const second = new SqliteHistoryStore({ ...binding(), path });
    expect(await second.loadHistory()).toEqual([]);
    await second.close();
    expect(applied()).toEqual(before);
    db.close();
  });

  it('restores from the file in a brand-new connection after the first one closed', async () => {
    const path = file('restore');
    const where = binding();
    const writer = new SqliteHistoryStore({ ...where, path });
    const exchange = toolExchange('restore');
    await writer.saveExchange(exchange.user, exchange.assistant, exchange.meta);
    await writer.close();
    const reader = new SqliteHistoryStore({ ...where, path });
    const loaded = await reader.loadHistory();
    expect(loaded.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(loaded[4].toolInteractions).toEqual(exchange.assistant.toolInteractions);
    expect((await reader.getUsageSummary()).costUsd).toBeCloseTo(0.0015, 10);
    await reader.close();
  });

  it('rolls back the whole exchange when the database rejects one of its rows', async () => {
    const path = file('rollback');
    const where = binding();
    const store = new SqliteHistoryStore({ ...where, path });
    await store.saveExchange({ role: 'user', content: '먼저' }, { role: 'assistant', content: '저장됨' });
    const db = new Database(path);
    db.exec(`CREATE TRIGGER reject_answer BEFORE INSERT ON messages WHEN NEW.content LIKE '%거부%' BEGIN SELECT RAISE(ABORT, '거부된 답변'); END`);
    const broken = plainExchange('이 질문은 저장되면 안 됩니다', '거부될 답변');
    const error = await store.saveExchange(broken.user, broken.assistant).catch((e: unknown) => e);
    expect(StorageError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/SqliteHistoryStore could not save the exchange .*거부된 답변/);
    expect((await store.loadHistory()).map((m) => m.content)).toEqual(['먼저', '저장됨']);
    const other = store.forSession({ userId: where.userId, sessionId: '새 세션' });
    expect(await other.saveExchange(broken.user, broken.assistant).catch((e: unknown) => StorageError.isInstance(e))).toBe(true);
    expect((await store.listSessions()).map((s) => s.sessionId)).toEqual(['세션']);
    db.close();
    await store.close();
  });

  it('shares a given database and forSession() connection without closing it', async () => {
    const database = new Database(':memory:');
    const store = new SqliteHistoryStore({ ...binding(), database });
    const sibling = store.forSession({ userId: store.userId, sessionId: '두 번째' });
    await sibling.saveExchange({ role: 'user', content: '공유 연결' }, { role: 'assistant', content: '네' });
    expect((await store.listSessions()).map((s) => [s.sessionId, s.messageCount])).toEqual([['두 번째', 2]]);
    await sibling.close();
    await store.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 });
    await expect(store.loadHistory()).rejects.toThrow(/closed/);
    database.close();
  });

  it('forSession() stores share the connection the parent opened, and the parent closes it', async () => {
    const path = file('parent');
    const parent = new SqliteHistoryStore({ ...binding(), path });
    const child = parent.forSession({ userId: '다른 사용자', sessionId: '세션' });
    await child.saveExchange({ role: 'user', content: '자식' }, { role: 'assistant', content: '네' });
    await child.close();
    expect(await parent.forSession({ userId: '다른 사용자', sessionId: '세션' }).loadHistory()).toHaveLength(2);
    await parent.close();
    await expect(child.loadHistory()).rejects.toSatisfy((e: unknown) => StorageError.isInstance(e));
  });

  it('defaults to ./data/llm.sqlite under the working directory', async () => {
    const cwd = process.cwd();
    const workdir = mkdtempSync(join(dir, 'cwd-'));
    process.chdir(workdir);
    try {
      const store = new SqliteHistoryStore(binding());
      expect(store.path).toBe(join(process.cwd(), 'data', 'llm.sqlite'));
      await store.saveExchange({ role: 'user', content: '기본 경로' }, { role: 'assistant', content: '네' });
      await store.close();
      expect(readdirSync(join(workdir, 'data'))).toContain('llm.sqlite');
    } finally {
      process.chdir(cwd);
    }
  });

  it('rejects bad options with ConfigurationError and unusable files with StorageError', async () => {
    const database = new Database(':memory:');
    expect(() => new SqliteHistoryStore({ ...binding(), path: file('x'), database })).toThrow(ConfigurationError);
    expect(() => new SqliteHistoryStore({ ...binding(), path: '' })).toThrow(ConfigurationError);
    database.close();
    const notSqlite = file('garbage');
    writeFileSync(notSqlite, '이것은 SQLite 파일이 아닙니다'.repeat(200));
    const error = await new SqliteHistoryStore({ ...binding(), path: notSqlite }).loadHistory().catch((e: unknown) => e);
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/SqliteHistoryStore could not open .*garbage.*not a database.*Check the path/);
  });
});

describe('SqliteHistoryStore.saveExchanges', () => {
  it('saves many exchanges in one transaction, in order, all or none', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'hist-batch-')), 'batch.sqlite');
    const store = new SqliteHistoryStore({ path, userId: 'u-batch', sessionId: 's-batch' });
    const exchanges = Array.from({ length: 300 }, (_, i) => ({ user: { role: 'user' as const, content: `질문 ${i}` }, assistant: { role: 'assistant' as const, content: `답변 ${i}` }, meta: { usage: { input: 1, output: 2, total: 3 } } }));
    await store.saveExchanges(exchanges);
    const loaded = await store.loadHistory();
    expect(loaded).toHaveLength(600);
    expect(loaded[598].content).toBe('질문 299');
    expect((await store.getUsageSummary()).total).toBe(900);
    const bad = [{ user: { role: 'user' as const, content: 'ok' }, assistant: { role: 'assistant' as const, content: 'ok' } }, { user: { role: 'user' as const, content: 'x' }, assistant: { role: 'assistant' as const, content: 'y', toolCalls: [{ id: '1', name: 't', arguments: { n: 1n } }] } }];
    await expect(store.saveExchanges(bad)).rejects.toThrow();
    expect(await store.loadHistory()).toHaveLength(600);
    await store.close();
  });
});
