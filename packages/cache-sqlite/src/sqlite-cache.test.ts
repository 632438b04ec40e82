import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, StorageError } from '@llm/core';
import { cacheSampleValue, runCacheConformance } from '@llm/testkit';
import { SqliteCache } from './sqlite-cache.js';

const root = await mkdtemp(join(tmpdir(), 'llm-cache-sqlite-'));
/** One real file for the conformance suite: every test gets a table of its own in it. */
const sharedFile = join(root, 'conformance.sqlite');
afterAll(() => rm(root, { recursive: true, force: true }));

function thrownBy(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  return undefined;
}

runCacheConformance({
  name: 'SqliteCache',
  create: (namespace, { ttl }) => new SqliteCache({ path: sharedFile, table: `t_${namespace.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63), ttl }),
});

describe('SqliteCache on a real file', () => {
  it('a read of an expired entry misses and removes its row; a plain miss leaves the other rows alone', async () => {
    const path = join(root, 'expiry.sqlite');
    const cache = new SqliteCache({ path });
    await cache.set('오래된', { text: '만료' }, { ttlSeconds: 60 });
    await cache.set('살아있는', { text: '유효' });
    const db = new Database(path);
    db.prepare('UPDATE llm_cache SET expires_at = ? WHERE key = ?').run(Date.now() - 1000, '오래된');
    expect(await cache.get('없는 키')).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM llm_cache').get()).toEqual({ n: 2 });
    expect(await cache.get('오래된')).toBeUndefined();
    expect(db.prepare('SELECT key FROM llm_cache').all()).toEqual([{ key: '살아있는' }]);
    expect(await cache.get('살아있는')).toEqual({ text: '유효' });
    db.close();
    await cache.close();
  });

  it('opens the file in WAL mode with the llm_cache schema and an index on expires_at', async () => {
    const path = join(root, 'schema', 'nested', 'cache.sqlite');
    const cache = new SqliteCache({ path });
    await cache.set('한글', { text: '한글'.normalize('NFD') });
    await cache.close();
    expect((await stat(path)).isFile()).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const columns = db.pragma('table_info(llm_cache)') as { name: string; type: string; pk: number }[];
    expect(columns.map(({ name, type, pk }) => [name, type, pk])).toEqual([
      ['key', 'TEXT', 1],
      ['value', 'TEXT', 0],
      ['expires_at', 'INTEGER', 0],
      ['size', 'INTEGER', 0],
    ]);
    const indexes = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'llm_cache' AND sql IS NOT NULL`).all() as { sql: string }[];
    expect(indexes.map((index) => index.sql).join()).toMatch(/\(expires_at\)/);
    const row = db.prepare('SELECT key, value, expires_at AS expiresAt, size FROM llm_cache').get() as { key: string; value: string; expiresAt: number | null; size: number };
    expect(row).toEqual({ key: '한글', value: JSON.stringify({ text: '한글'.normalize('NFD') }), expiresAt: null, size: Buffer.byteLength(row.value) });
    db.close();
  });

  it('persists across instances on the same file, and two open instances see each other', async () => {
    const path = join(root, 'persist.sqlite');
    const first = new SqliteCache({ path, ttl: 3600 });
    await first.set('유지되는 키', cacheSampleValue());
    await first.close();
    const second = new SqliteCache({ path });
    expect(await second.get('유지되는 키')).toEqual(cacheSampleValue());
    const third = new SqliteCache({ path });
    await third.set('동시에', { by: 'third' });
    expect(await second.get('동시에')).toEqual({ by: 'third' });
    expect((await second.stats()).size).toBe(2);
    await Promise.all([second.close(), third.close()]);
  });

  it('uses an existing database and table, and close() leaves that database open', async () => {
    const database = new Database(':memory:');
    const cache = new SqliteCache({ database, table: 'my_cache' });
    await cache.set('키', { a: 1 });
    await cache.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT count(*) AS n FROM my_cache').get()).toEqual({ n: 1 });
    database.close();
  });

  it('creates the default ./data/llm-cache.sqlite relative to the working directory', async () => {
    const folder = await mkdtemp(join(root, 'cwd-'));
    const previous = process.cwd();
    process.chdir(folder);
    try {
      const cache = new SqliteCache();
      await cache.set('기본 경로', { ok: true });
      await cache.close();
    } finally {
      process.chdir(previous);
    }
    expect((await stat(join(folder, 'data', 'llm-cache.sqlite'))).isFile()).toBe(true);
  });

  it('rejects a table name that is not a plain identifier with a ConfigurationError', () => {
    for (const table of ['', 'llm-cache', '1cache', 'x"; DROP TABLE llm_cache; --', '캐시', 'a'.repeat(64)]) {
      const error = thrownBy(() => new SqliteCache({ path: ':memory:', table }));
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^SqliteCache: table must be/);
    }
  });

  it('a path it cannot open, or a closed database, is a StorageError that says what to check', async () => {
    const error = thrownBy(() => new SqliteCache({ path: root }));
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`SqliteCache could not open ${root}`);
    const database = new Database(':memory:');
    const cache = new SqliteCache({ database });
    database.close();
    const closed = await cache.get('k').catch((e: unknown) => e);
    expect(StorageError.isInstance(closed)).toBe(true);
    expect((closed as Error).message).toMatch(/SqliteCache could not read table llm_cache .*not open/);
  });
});

describe('SqliteCache memo of recent reads', () => {
  it('a write by another connection or process on the file is seen by the next read (update, delete, expiry)', async () => {
    const path = join(root, 'memo-other.sqlite');
    const cache = new SqliteCache({ path });
    await cache.set('키', { text: '처음' });
    expect(await cache.get('키')).toEqual({ text: '처음' });
    expect(await cache.get('키')).toEqual({ text: '처음' });
    const other = new Database(path);
    other.prepare('UPDATE llm_cache SET value = ? WHERE key = ?').run(JSON.stringify({ text: '바뀜' }), '키');
    expect(await cache.get('키')).toEqual({ text: '바뀜' });
    other.prepare('UPDATE llm_cache SET expires_at = ? WHERE key = ?').run(Date.now() - 1, '키');
    expect(await cache.get('키')).toBeUndefined();
    await cache.set('키', { text: '다시' });
    expect(await cache.get('키')).toEqual({ text: '다시' });
    other.prepare('DELETE FROM llm_cache WHERE key = ?').run('키');
    expect(await cache.get('키')).toBeUndefined();
    other.close();
    await cache.close();
  });

  it('a write on the same connection (a shared database, another instance or plain SQL) is seen too', async () => {
    const database = new Database(join(root, 'memo-same.sqlite'));
    const a = new SqliteCache({ database });
    const b = new SqliteCache({ database });
    await a.set('공유', { n: 1 });
    expect(await a.get('공유')).toEqual({ n: 1 });
    await b.set('공유', { n: 2 });
    expect(await a.get('공유')).toEqual({ n: 2 });
    database.prepare('UPDATE llm_cache SET value = ? WHERE key = ?').run('{"n":3}', '공유');
    expect(await a.get('공유')).toEqual({ n: 3 });
    await b.delete('공유');
    expect(await a.get('공유')).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
    database.close();
  });

  it('every hit is a fresh copy, an entry expiring while memoized misses, and memoEntries: 0 turns it off', async () => {
    let now = 1_000_000_000_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const cache = new SqliteCache({ path: join(root, 'memo-copy.sqlite') });
      await cache.set('값', { list: ['한', '글'] }, { ttlSeconds: 10 });
      const first = (await cache.get('값')) as { list: string[] };
      first.list.push('바뀜');
      expect(await cache.get('값')).toEqual({ list: ['한', '글'] });
      now += 10_001;
      expect(await cache.get('값')).toBeUndefined();
      expect((await cache.stats()).hits).toBe(2);
      await cache.close();
    } finally {
      Date.now = realNow;
    }
    const plain = new SqliteCache({ path: join(root, 'memo-off.sqlite'), memoEntries: 0 });
    await plain.set('k', { v: 1 });
    expect(await plain.get('k')).toEqual({ v: 1 });
    await plain.close();
    expect(thrownBy(() => new SqliteCache({ path: join(root, 'bad.sqlite'), memoEntries: -1 }))).toBeInstanceOf(ConfigurationError);
  });

  it('keeps at most memoEntries entries and still answers the ones it dropped from the file', async () => {
    const cache = new SqliteCache({ path: join(root, 'memo-bound.sqlite'), memoEntries: 2 });
    for (const k of ['가', '나', '다']) await cache.set(k, { k });
    for (const k of ['가', '나', '다', '가', '나', '다']) expect(await cache.get(k)).toEqual({ k });
    expect((cache as unknown as { memo: Map<string, unknown> }).memo.size).toBe(2);
    await cache.close();
  });
});
