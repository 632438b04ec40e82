import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ConfigurationError, StorageError } from '@llm/core';
import { cacheSampleValue, requireService, runCacheConformance } from '@llm/testkit';
import { RedisCache } from './redis-cache.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key of this file lives under this prefix, so parallel test files never meet. */
const filePrefix = `llm-test:cache-redis:${randomUUID()}:`;

async function pingOnce(): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause = error));
  try {
    await probe.connect().catch((error: unknown) => Promise.reject(cause ?? error));
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

const ready = await requireService('Redis', pingOnce, { hint: `start Redis at ${url} or set REDIS_URL` });

async function keysUnder(admin: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

async function clientNames(admin: Redis): Promise<string[]> {
  const list = String(await admin.call('CLIENT', 'LIST'));
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]);
}

function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 6390));
    });
  });
}

async function failure(action: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await action.then(() => undefined, (e: unknown) => e);
  return { error, ms: Date.now() - started };
}

describe('RedisCache when Redis is down', () => {
  it('every call fails fast with a StorageError that names the server, not the password', async () => {
    const port = await unusedPort();
    const cache = new RedisCache({ url: `redis://:sup3r-s3cret@127.0.0.1:${port}`, prefix: filePrefix });
    for (const action of [cache.get('키'), cache.set('키', { a: 1 }), cache.delete('키'), cache.clear(), cache.stats(), cache.get('키')]) {
      const { error, ms } = await failure(action);
      expect(StorageError.isInstance(error)).toBe(true);
      expect(ms).toBeLessThan(1500);
      const message = (error as Error).message;
      expect(message).toContain(`127.0.0.1:${port}`);
      expect(message).toMatch(/RedisCache could not .*Check that Redis is running/);
      expect(message).not.toContain('sup3r-s3cret');
    }
    await cache.close();
  });

  it('rejects an empty prefix and a url that is not a Redis url with a ConfigurationError', () => {
    for (const options of [{ prefix: '' }, { url: 'http://:pw-123456@example.com' }, { ttl: -1 }]) {
      expect(() => new RedisCache(options)).toThrow(ConfigurationError);
      expect(() => new RedisCache(options)).toThrow(/^RedisCache: (prefix|url|ttl) must/);
      expect(() => new RedisCache(options)).not.toThrow(/pw-123456/);
    }
  });
});

describe.skipIf(!ready)('RedisCache against a real Redis', () => {
  const admin = new Redis(url, { lazyConnect: true });
  afterAll(async () => {
    const leftovers = await keysUnder(admin, filePrefix);
    if (leftovers.length > 0) await admin.unlink(...leftovers);
    await admin.quit();
    expect(leftovers).toEqual([]);
  });

  runCacheConformance({
    name: 'RedisCache',
    create: (namespace, { ttl }) => new RedisCache({ url, prefix: `${filePrefix}${namespace}:`, ttl }),
    expiresNatively: true,
  });

  it('connects lazily: no connection until the first call, none after close()', async () => {
    const connectionName = `llm-lazy-${randomUUID()}`;
    const cache = new RedisCache({ url, prefix: `${filePrefix}lazy:`, redisOptions: { connectionName } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await clientNames(admin)).not.toContain(connectionName);
    expect(await cache.get('첫 호출')).toBeUndefined();
    expect(await clientNames(admin)).toContain(connectionName);
    await cache.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await clientNames(admin)).not.toContain(connectionName);
  });

  it('uses an existing client, stores under the prefix with EX, and leaves the client open on close()', async () => {
    const client = new Redis(url, { lazyConnect: true });
    const cache = new RedisCache({ client, prefix: `${filePrefix}existing:`, ttl: 30 });
    expect(client.status).toBe('wait');
    await cache.set('서울', cacheSampleValue());
    await cache.set('부산', { text: '영구' }, { ttlSeconds: 0 });
    await cache.set('대구', { text: '1.5초' }, { ttlSeconds: 1.5 });
    expect(JSON.parse(String(await admin.get(`${filePrefix}existing:서울`)))).toEqual(cacheSampleValue());
    expect(await admin.ttl(`${filePrefix}existing:서울`)).toBeGreaterThan(28);
    expect(await admin.ttl(`${filePrefix}existing:서울`)).toBeLessThanOrEqual(30);
    expect(await admin.ttl(`${filePrefix}existing:부산`)).toBe(-1);
    expect(await admin.pttl(`${filePrefix}existing:대구`)).toBeGreaterThan(1000);
    await cache.clear();
    await cache.close();
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('clear() removes only its own prefix, across many SCAN pages, even when the prefix has glob characters', async () => {
    const prefix = `${filePrefix}glob*[x]:`;
    const lookalike = `${filePrefix}globby[x]:keep`; // what an unescaped MATCH pattern would also catch
    const neighbour = new RedisCache({ url, prefix: `${filePrefix}neighbour:` });
    const cache = new RedisCache({ url, prefix });
    await admin.set(lookalike, '{"keep":true}');
    await neighbour.set('이웃', { text: '남아야 함' });
    await Promise.all(Array.from({ length: 1200 }, (_, i) => cache.set(`항목-${i}`, { i })));
    expect((await cache.stats()).size).toBe(1200);
    await cache.clear();
    expect(await keysUnder(admin, prefix)).toEqual([]);
    expect(await admin.get(lookalike)).toBe('{"keep":true}');
    expect(await neighbour.get('이웃')).toEqual({ text: '남아야 함' });
    expect(await admin.dbsize()).toBeGreaterThan(0);
    await admin.unlink(lookalike);
    await neighbour.clear();
    await Promise.all([cache.close(), neighbour.close()]);
  });

  it('a corrupt stored value is a miss', async () => {
    const cache = new RedisCache({ url, prefix: `${filePrefix}corrupt:` });
    await admin.set(`${filePrefix}corrupt:깨짐`, '{"text":"잘린');
    expect(await cache.get('깨짐')).toBeUndefined();
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 1 });
    await cache.clear();
    await cache.close();
  });
});
