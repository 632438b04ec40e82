import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, StorageError, type Cache, type CachedValue } from '@llm/core';
import {
  CACHE_AWKWARD_KEYS,
  KOREAN_NFC,
  KOREAN_NFD,
  cacheSampleValue,
  cacheSizedValue,
  isCacheValueIntact,
  sleep,
} from './cache-fixtures.js';

export { CACHE_AWKWARD_KEYS, cacheSampleValue, cacheSizedValue, isCacheValueIntact } from './cache-fixtures.js';
export { requireService, type RequireServiceOptions } from './cache-services.js';

/** What the suite asks of a new cache besides its namespace. */
export interface CacheSettings {
  /** The instance TTL in seconds (0 or absent: no expiry). */
  ttl?: number;
}

/** How a cache backend plugs itself into {@link runCacheConformance}. */
export interface CacheConformanceOptions {
  /** Suite name, e.g. `RedisCache`. */
  name: string;
  /** Creates a cache isolated under `namespace` (a prefix, a folder, a table...) with the given instance TTL. */
  create(namespace: string, settings: CacheSettings): Cache | Promise<Cache>;
  /** Optional: dispose after each test (close connections, remove folders). Default: `clear()` then `close()`. */
  dispose?(cache: Cache): Promise<void> | void;
  /** Skip the multi-second TTL tests (never use to hide failures). default false */
  skipSlowTests?: boolean;
  /** The backend drops expired entries by itself (Redis), so `clearExpired()` always finds none. default false */
  expiresNatively?: boolean;
}

interface SuiteContext {
  options: CacheConformanceOptions;
  /** A new cache under a namespace of its own, disposed after the test. */
  open(settings?: CacheSettings): Promise<Cache>;
}

/** How long a 1-second TTL takes to lapse for sure: Redis rounds to the millisecond, clocks are coarse. */
const EXPIRY_WAIT_MS = 1250;

function registerBasics({ open }: SuiteContext): void {
  it('get on a missing key resolves undefined', async () => {
    const cache = await open();
    expect(await cache.get('없는-키')).toBeUndefined();
  });

  it('set then get returns a deep-equal copy that later mutations do not reach', async () => {
    const cache = await open();
    const value = cacheSampleValue();
    await cache.set('답변', value);
    const first = await cache.get('답변');
    expect(first).toEqual(cacheSampleValue());
    value.text = 'changed after set';
    if (first) first.model = 'changed after get';
    expect(await cache.get('답변')).toEqual(cacheSampleValue());
  });

  it('set on an existing key overwrites it', async () => {
    const cache = await open();
    await cache.set('k', { text: '첫 번째' });
    await cache.set('k', { text: '두 번째', extra: [1, 2] });
    expect(await cache.get('k')).toEqual({ text: '두 번째', extra: [1, 2] });
  });

  it('delete resolves true for a present key, false for a missing one, and removes it', async () => {
    const cache = await open();
    await cache.set('지울-키', { text: '삭제' });
    expect(await cache.delete('지울-키')).toBe(true);
    expect(await cache.get('지울-키')).toBeUndefined();
    expect(await cache.delete('지울-키')).toBe(false);
    expect(await cache.delete('한 번도 없던 키')).toBe(false);
  });

  it('clear removes every entry and the cache stays usable', async () => {
    const cache = await open();
    await Promise.all(['a', 'b', '씨'].map((key) => cache.set(key, { key })));
    await cache.clear();
    for (const key of ['a', 'b', '씨']) expect(await cache.get(key)).toBeUndefined();
    await cache.set('a', { again: true });
    expect(await cache.get('a')).toEqual({ again: true });
  });

  it('namespaces are isolated: same key, independent values, clear() on one leaves the other', async () => {
    const left = await open();
    const right = await open();
    await left.set('공유-키', { side: '왼쪽' });
    await right.set('공유-키', { side: '오른쪽' });
    expect(await left.get('공유-키')).toEqual({ side: '왼쪽' });
    expect(await right.get('공유-키')).toEqual({ side: '오른쪽' });
    await left.clear();
    expect(await left.get('공유-키')).toBeUndefined();
    expect(await right.get('공유-키')).toEqual({ side: '오른쪽' });
    expect((await right.stats()).size).toBe(1);
  });
}

function registerStats({ open }: SuiteContext): void {
  it('stats start at zero', async () => {
    const cache = await open();
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 0, sets: 0, hitRate: 0, size: 0, sizeBytes: 0 });
  });

  it('stats count hits, misses, sets, live entries and their bytes, and size returns to 0 after clear', async () => {
    const cache = await open();
    await cache.set('하나', { text: '일' });
    await cache.set('둘', { text: '이' });
    await cache.set('둘', { text: '이이' });
    await cache.get('하나');
    await cache.get('둘');
    await cache.get('하나');
    await cache.get('셋');
    const stats = await cache.stats();
    expect(stats).toMatchObject({ hits: 3, misses: 1, sets: 3, size: 2 });
    expect(stats.hitRate).toBeCloseTo(0.75, 10);
    expect(stats.sizeBytes).toBeGreaterThan(0);
    await cache.clear();
    const cleared = await cache.stats();
    expect(cleared).toMatchObject({ size: 0, sizeBytes: 0, hits: 3, misses: 1, sets: 3 });
  });

  it('sizeBytes grows with the serialized size of the values', async () => {
    const cache = await open();
    await cache.set('작은', { text: '가' });
    const small = (await cache.stats()).sizeBytes;
    await cache.set('큰', cacheSizedValue(1, 20_000));
    const large = (await cache.stats()).sizeBytes;
    expect(large - small).toBeGreaterThanOrEqual(20_000);
    await cache.delete('큰');
    expect((await cache.stats()).sizeBytes).toBe(small);
  });
}

function registerUnicode({ open }: SuiteContext): void {
  it('Korean and emoji keys and values round-trip byte for byte', async () => {
    const cache = await open();
    const keys = ['한국어 키', '🚀🔥 이모지', '混合 mixed 한글 🙂'];
    for (const key of keys) await cache.set(key, { key, text: `${key}의 값` });
    for (const key of keys) expect(await cache.get(key)).toEqual({ key, text: `${key}의 값` });
  });

  it('NFC and NFD are different keys, and values keep the normalization form they were stored in', async () => {
    const cache = await open();
    expect(KOREAN_NFC).not.toBe(KOREAN_NFD);
    await cache.set(KOREAN_NFC, { text: KOREAN_NFC, form: 'NFC' });
    await cache.set(KOREAN_NFD, { text: KOREAN_NFD, form: 'NFD' });
    const nfc = await cache.get(KOREAN_NFC);
    const nfd = await cache.get(KOREAN_NFD);
    expect(nfc?.form).toBe('NFC');
    expect(nfd?.form).toBe('NFD');
    expect(nfc?.text === KOREAN_NFC).toBe(true);
    expect(nfd?.text === KOREAN_NFD).toBe(true);
    expect(String(nfd?.text).normalize('NFD')).toBe(nfd?.text);
    expect(String(nfd?.text).normalize('NFC')).not.toBe(nfd?.text);
    expect((await cache.stats()).size).toBe(2);
  });

  it('awkward keys (empty, path-like, glob characters, control characters, 10 000 chars) are ordinary keys', async () => {
    const cache = await open();
    for (const [index, key] of CACHE_AWKWARD_KEYS.entries()) await cache.set(key, { index });
    for (const [index, key] of CACHE_AWKWARD_KEYS.entries()) expect(await cache.get(key)).toEqual({ index });
    expect((await cache.stats()).size).toBe(CACHE_AWKWARD_KEYS.length);
    expect(await cache.delete('glob*?[abc]\\x')).toBe(true);
    expect(await cache.get('glob*')).toBeUndefined();
    expect((await cache.stats()).size).toBe(CACHE_AWKWARD_KEYS.length - 1);
  });

  it('stores and returns a value of 1 MB', async () => {
    const cache = await open();
    const value = cacheSizedValue(7, 1024 * 1024);
    await cache.set('큰 값', value);
    const back = await cache.get('큰 값');
    expect(isCacheValueIntact(back)).toBe(true);
    expect(back).toEqual(value);
    expect((await cache.stats()).sizeBytes).toBeGreaterThanOrEqual(1024 * 1024);
  });
}

function registerConcurrency({ open }: SuiteContext): void {
  const writers = Array.from({ length: 50 }, (_, index) => index);

  it('50 concurrent writers on distinct keys: no error and every key readable', async () => {
    const cache = await open();
    await Promise.all(writers.map((index) => cache.set(`동시-${index}`, cacheSizedValue(index, 2_000))));
    const values = await Promise.all(writers.map((index) => cache.get(`동시-${index}`)));
    values.forEach((value, index) => {
      expect(isCacheValueIntact(value)).toBe(true);
      expect(value?.writer).toBe(index);
    });
    expect((await cache.stats()).size).toBe(writers.length);
  });

  it('50 concurrent writers on one key: no error, one whole written value, never a torn or missing one', async () => {
    const cache = await open();
    await cache.set('같은-키', cacheSizedValue(-1, 20_000));
    // The key exists from here on, so every read must see a whole value: a half-written one is a bug.
    const readers: Promise<CachedValue | undefined>[] = [];
    await Promise.all(
      writers.map(async (index) => {
        readers.push(cache.get('같은-키'));
        await cache.set('같은-키', cacheSizedValue(index, 20_000 + index * 97));
      }),
    );
    for (const seen of await Promise.all(readers)) expect(isCacheValueIntact(seen)).toBe(true);
    const value = await cache.get('같은-키');
    expect(isCacheValueIntact(value)).toBe(true);
    expect(writers).toContain(value?.writer);
    expect(value).toEqual(cacheSizedValue(Number(value?.writer), 20_000 + Number(value?.writer) * 97));
    expect((await cache.stats()).size).toBe(1);
  });
}

function registerErrors({ open }: SuiteContext): void {
  it('a negative or non-finite ttlSeconds is a ConfigurationError that says what to pass', async () => {
    const cache = await open();
    for (const ttlSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await cache.set('k', { a: 1 }, { ttlSeconds }).catch((e: unknown) => e);
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/ttl/i);
    }
    expect(await cache.get('k')).toBeUndefined();
  });

  it('a value that is not JSON (circular, BigInt) is a StorageError and nothing is stored', async () => {
    const cache = await open();
    const circular: Record<string, unknown> = { text: '순환' };
    circular.self = circular;
    for (const value of [circular, { big: 10n }] as unknown as CachedValue[]) {
      const error = await cache.set('bad', value).catch((e: unknown) => e);
      expect(StorageError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/JSON/);
    }
    expect(await cache.get('bad')).toBeUndefined();
  });
}

function registerExpiry({ open, options }: SuiteContext): void {
  it('ttlSeconds expires an entry; ttl 0 and no ttl never expire; expired entries leave stats and delete', async () => {
    const cache = await open();
    await cache.set('짧은', { text: '곧 만료' }, { ttlSeconds: 1 });
    await cache.set('영구-0', { text: '영원' }, { ttlSeconds: 0 });
    await cache.set('영구', { text: '영원' });
    expect(await cache.get('짧은')).toEqual({ text: '곧 만료' });
    await sleep(EXPIRY_WAIT_MS);
    expect(await cache.get('짧은')).toBeUndefined();
    expect(await cache.get('영구-0')).toEqual({ text: '영원' });
    expect(await cache.get('영구')).toEqual({ text: '영원' });
    const stats = await cache.stats();
    expect(stats).toMatchObject({ size: 2, hits: 3, misses: 1 });
    await cache.set('짧은-2', { text: '곧 만료' }, { ttlSeconds: 1 });
    await cache.set('짧은-3', { text: '손대지 않음' }, { ttlSeconds: 1 });
    await sleep(EXPIRY_WAIT_MS);
    // Nothing touched the expired entries since: stats must leave them out by itself.
    expect(await cache.stats()).toMatchObject({ size: 2, sizeBytes: stats.sizeBytes });
    expect(await cache.delete('짧은-2')).toBe(false);
  });

  it('the instance ttl applies to every entry, and ttlSeconds (including 0) overrides it', async () => {
    const cache = await open({ ttl: 1 });
    await cache.set('기본', { text: '인스턴스 ttl' });
    await cache.set('무기한', { text: 'ttl 0' }, { ttlSeconds: 0 });
    await cache.set('긴', { text: 'ttl 60' }, { ttlSeconds: 60 });
    await sleep(EXPIRY_WAIT_MS);
    expect(await cache.get('기본')).toBeUndefined();
    expect(await cache.get('무기한')).toEqual({ text: 'ttl 0' });
    expect(await cache.get('긴')).toEqual({ text: 'ttl 60' });
  });

  it('clearExpired removes the expired entries, counts them, and keeps the live ones', async () => {
    const cache = await open();
    expect(typeof cache.clearExpired).toBe('function');
    await cache.set('만료-1', { n: 1 }, { ttlSeconds: 1 });
    await cache.set('만료-2', { n: 2 }, { ttlSeconds: 1 });
    await cache.set('유지', { n: 3 });
    expect(await cache.clearExpired?.()).toBe(0);
    await sleep(EXPIRY_WAIT_MS);
    expect(await cache.clearExpired?.()).toBe(options.expiresNatively ? 0 : 2);
    expect(await cache.clearExpired?.()).toBe(0);
    expect((await cache.stats()).size).toBe(1);
    expect(await cache.get('유지')).toEqual({ n: 3 });
  });
}

/**
 * The definition of "implements Cache": a vitest suite every cache backend runs against the real thing. Each test
 * gets a namespace of its own (`${name}-${uuid}`), so files may run in parallel against one Redis or one folder.
 * The suite expects `clearExpired()` as well as the required methods.
 * @example
 * runCacheConformance({ name: 'FileCache', create: (ns, { ttl }) => new FileCache({ cacheDir: join(root, ns), ttl }) });
 */
export function runCacheConformance(options: CacheConformanceOptions): void {
  describe(`cache conformance: ${options.name}`, () => {
    let opened: Cache[] = [];
    const context: SuiteContext = {
      options,
      async open(settings = {}) {
        const cache = await options.create(`${options.name}-${randomUUID()}`, settings);
        opened.push(cache);
        return cache;
      },
    };

    afterEach(async () => {
      const caches = opened;
      opened = [];
      for (const cache of caches) {
        if (options.dispose) await options.dispose(cache);
        else {
          await cache.clear();
          await cache.close?.();
        }
      }
    });

    registerBasics(context);
    registerStats(context);
    registerUnicode(context);
    registerConcurrency(context);
    registerErrors(context);
    describe.skipIf(options.skipSlowTests === true)('expiry (waits ~1.25 s per test)', () => registerExpiry(context));
  });
}
