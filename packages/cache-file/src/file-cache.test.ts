import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError, StorageError } from '@llm/core';
import { CACHE_AWKWARD_KEYS, cacheSampleValue, runCacheConformance } from '@llm/testkit';
import { FileCache } from './file-cache.js';

const root = await mkdtemp(join(tmpdir(), 'llm-cache-file-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every file below `folder`, as paths relative to it. */
async function filesBelow(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  return names.filter((entry) => entry.isFile()).map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

async function freshFolder(): Promise<string> {
  return mkdtemp(join(root, 'case-'));
}

runCacheConformance({
  name: 'FileCache',
  create: (namespace, { ttl }) => new FileCache({ cacheDir: join(root, namespace), ttl }),
  dispose: async (cache) => {
    if (cache instanceof FileCache) await rm(cache.cacheDir, { recursive: true, force: true });
  },
});

describe('FileCache on disk', () => {
  it('stores one sharded file per entry, named by the SHA-256 of the key, holding { expiresAt, key, value }', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    const key = '서울 날씨 🌤';
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    await cache.set(key, cacheSampleValue(), { ttlSeconds: 60 });
    expect(cache.entryPath(key)).toBe(join(cache.cacheDir, hash.slice(0, 2), hash.slice(2, 4), `${hash}.json`));
    expect(await filesBelow(cache.cacheDir)).toEqual([join(hash.slice(0, 2), hash.slice(2, 4), `${hash}.json`)]);
    const stored = JSON.parse(await readFile(cache.entryPath(key), 'utf8'));
    expect(stored.key).toBe(key);
    expect(stored.value).toEqual(cacheSampleValue());
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 55_000);
    expect(stored.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('treats a corrupt or truncated file as a miss and removes it', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    const cases = ['', 'not json at all', '[1,2,3]', '{"expiresAt":null,"key":"잘린', '{"expiresAt":null,"key":"k","value":"문자열"}'];
    for (const [index, content] of cases.entries()) {
      const key = `손상-${index}`;
      await cache.set(key, { text: '정상 값' });
      const full = await readFile(cache.entryPath(key), 'utf8');
      await writeFile(cache.entryPath(key), content || full.slice(0, full.length / 2));
      expect(await cache.get(key)).toBeUndefined();
      await expect(stat(cache.entryPath(key))).rejects.toMatchObject({ code: 'ENOENT' });
    }
    expect(await cache.stats()).toMatchObject({ misses: cases.length, hits: 0, size: 0 });
  });

  it('clearExpired removes corrupt files too, without counting them as expired', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    await cache.set('깨진', { a: 1 });
    await writeFile(cache.entryPath('깨진'), '{"trunc');
    await cache.set('멀쩡', { a: 2 });
    expect(await cache.clearExpired()).toBe(0);
    await expect(stat(cache.entryPath('깨진'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await cache.get('멀쩡')).toEqual({ a: 2 });
  });

  it('a file whose stored key differs from the requested key is a miss, and delete leaves it alone', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    await cache.set('다른 키', { text: '다른 값' });
    await mkdir(join(cache.entryPath('요청 키'), '..'), { recursive: true });
    await writeFile(cache.entryPath('요청 키'), await readFile(cache.entryPath('다른 키')));
    expect(await cache.get('요청 키')).toBeUndefined();
    expect(await cache.delete('요청 키')).toBe(false);
    expect((await stat(cache.entryPath('요청 키'))).isFile()).toBe(true);
  });

  it('no key escapes the folder: path-like keys become hashed files inside cacheDir', async () => {
    const parent = await freshFolder();
    const cache = new FileCache({ cacheDir: join(parent, 'cache') });
    const keys = [...CACHE_AWKWARD_KEYS, '/etc/passwd', '..', `..${sep}..${sep}outside.json`, 'C:\\Windows\\win.ini'];
    for (const key of keys) {
      expect(cache.entryPath(key).startsWith(cache.cacheDir + sep)).toBe(true);
      await cache.set(key, { key });
    }
    expect(await readdir(parent)).toEqual(['cache']);
    const files = await filesBelow(cache.cacheDir);
    expect(files).toHaveLength(keys.length);
    for (const file of files) expect(file).toMatch(/^[0-9a-f]{2}[/\\][0-9a-f]{2}[/\\][0-9a-f]{64}\.json$/);
    for (const key of keys) expect(await cache.get(key)).toEqual({ key });
  });

  it('a failed write surfaces as a StorageError naming the path and leaves no temp file', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    await mkdir(cache.entryPath('막힌 키'), { recursive: true }); // a folder where the entry file should go
    const error = await cache.set('막힌 키', { text: '값' }).catch((e: unknown) => e);
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(cache.entryPath('막힌 키'));
    expect((await filesBelow(cache.cacheDir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('a cacheDir that is a file is a StorageError on first write; an empty cacheDir is a ConfigurationError', async () => {
    const file = join(await freshFolder(), 'plain-file');
    await writeFile(file, 'x');
    const error = await new FileCache({ cacheDir: file }).set('k', { a: 1 }).catch((e: unknown) => e);
    expect(StorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/FileCache could not write .*writable/);
    for (const cacheDir of ['', ' ']) {
      expect(() => new FileCache({ cacheDir })).toThrow(ConfigurationError);
      expect(() => new FileCache({ cacheDir })).toThrow(/^FileCache: cacheDir must be a folder path/);
    }
  });

  it('clear removes only entry files; clearExpired also removes temp files older than an hour, not fresh ones', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    await cache.set('a', { a: 1 });
    const shard = join(cache.entryPath('a'), '..');
    await writeFile(join(cache.cacheDir, 'README.txt'), '사람이 둔 파일');
    await writeFile(join(shard, '.old-writer.123.tmp'), 'half');
    await writeFile(join(shard, '.live-writer.456.tmp'), 'half');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(shard, '.old-writer.123.tmp'), twoHoursAgo, twoHoursAgo);
    await cache.clearExpired();
    await cache.clear();
    const left = (await filesBelow(cache.cacheDir)).map((file) => file.split(sep).pop());
    expect(left.sort()).toEqual(['.live-writer.456.tmp', 'README.txt']);
  });

  it('sizeBytes is the byte size of the live entry files as of the last stats()', async () => {
    const cache = new FileCache({ cacheDir: await freshFolder() });
    expect(cache.sizeBytes).toBe(0);
    await cache.set('한글', { text: '한글'.normalize('NFD') });
    const stats = await cache.stats();
    expect(stats.sizeBytes).toBe((await stat(cache.entryPath('한글'))).size);
    expect(cache.sizeBytes).toBe(stats.sizeBytes);
    expect(JSON.parse(await readFile(cache.entryPath('한글'), 'utf8')).value.text).toBe('한글'.normalize('NFD'));
  });
});
