import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { CacheCounters, ConfigurationError, LLMError, StorageError, parseValue, serializeValue, ttlToMs } from '@llm/core';
import type { Cache, CacheStats, CachedValue } from '@llm/core';
import { describeRedisTarget, isCluster, scanKeys } from './redis-keys.js';

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** The server to connect to. default `process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'` */
  url?: string;
  /** An existing ioredis `Redis` or `Cluster` client to use instead of `url`; `close()` leaves it open. */
  client?: Redis | Cluster;
  /** Prepended to every key; `clear()` and `stats()` cover only keys under it. default `llm:cache:` */
  prefix?: string;
  /** Default TTL of every entry in seconds; 0 means no expiry. default 0 */
  ttl?: number;
  /** Extra ioredis options for the client this cache creates from `url` (ignored with `client`). */
  redisOptions?: RedisOptions;
}

const BACKEND = 'RedisCache';

/**
 * Fails fast when Redis is down: no offline queue (a command while disconnected errors at once), one retry, a short
 * connect timeout. The cache is an optimization, so core logs the StorageError and asks the provider.
 */
const FAST_FAILING: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
};

function redisUrl(url: string | undefined): string {
  const value = url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (typeof value !== 'string' || !/^(rediss?:\/\/|\/)/.test(value)) {
    throw new ConfigurationError(`${BACKEND}: url must look like redis://host:6379 (or rediss://, or a socket path), got ${JSON.stringify(describeRedisTarget(String(value)))}.`);
  }
  return value;
}

/**
 * A response cache in Redis (single node or Cluster) on ioredis. Connects lazily on first use, expires entries
 * with `EX`, and clears only its own prefix with SCAN + UNLINK (never FLUSHDB; on a Cluster, every master).
 * @example
 * const cache = new RedisCache({ prefix: 'myapp:llm:', ttl: 3600 });
 * await cache.set('key', { text: '안녕하세요' });
 * console.log(await cache.get('key'));
 * await cache.close();
 */
export class RedisCache implements Cache {
  /** The prefix of every key this cache writes. */
  readonly prefix: string;
  private readonly client: Redis | Cluster;
  private readonly ownsClient: boolean;
  private readonly target: string;
  private readonly ttlMs: number;
  private readonly counters = new CacheCounters();
  private connecting: Promise<void> | undefined;
  private lastError: Error | undefined;

  constructor(options: RedisCacheOptions = {}) {
    this.prefix = options.prefix ?? 'llm:cache:';
    if (typeof this.prefix !== 'string' || this.prefix === '') {
      throw new ConfigurationError(`${BACKEND}: prefix must be a non-empty string (clear() removes every key under it), got ${JSON.stringify(options.prefix)}.`);
    }
    this.ttlMs = ttlToMs(options.ttl, BACKEND);
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
      this.target = isCluster(options.client) ? 'the Redis Cluster' : describeRedisTarget(options.client.options);
    } else {
      const url = redisUrl(options.url);
      this.client = new Redis(url, { ...FAST_FAILING, ...options.redisOptions });
      this.ownsClient = true;
      this.target = describeRedisTarget(url);
      // Without a listener ioredis prints every failed reconnect; the next command reports the failure instead.
      this.client.on('error', (error: Error) => {
        this.lastError = error;
      });
    }
  }

  /** hits / (hits + misses) of this instance, 0 when nothing was asked. */
  get hitRate(): number {
    return this.counters.hitRate;
  }

  /** The value under `key`, or `undefined` when it is missing or expired. */
  async get(key: string): Promise<CachedValue | undefined> {
    // The hot path: a connected client goes straight to GET (no connect step, no closure).
    let text: string | null;
    try {
      if (this.client.status !== 'ready') await this.connect();
      text = await this.client.get(this.prefix + key);
    } catch (error) {
      throw this.failed('read', error);
    }
    return this.counters.lookup(text === null ? undefined : parseValue(text));
  }

  /** Stores `value` under `key`; `ttlSeconds` overrides the instance ttl (0 = no expiry). */
  async set(key: string, value: CachedValue, options: { ttlSeconds?: number } = {}): Promise<void> {
    const ttl = ttlToMs(options.ttlSeconds, BACKEND, this.ttlMs);
    const serialized = serializeValue(value, BACKEND);
    const name = this.prefix + key;
    await this.run('write', () => {
      if (ttl === 0) return this.client.set(name, serialized);
      return ttl % 1000 === 0 ? this.client.set(name, serialized, 'EX', ttl / 1000) : this.client.set(name, serialized, 'PX', ttl);
    });
    this.counters.sets += 1;
  }

  /** Removes `key`; true when it was there. */
  async delete(key: string): Promise<boolean> {
    return (await this.run('delete', () => this.client.unlink(this.prefix + key))) > 0;
  }

  /** Removes every key under this cache's prefix (SCAN + UNLINK on every master), nothing else. */
  async clear(): Promise<void> {
    await this.run('clear', () =>
      scanKeys(this.client, this.prefix, async (node, keys) => {
        await settle(node.pipeline(keys.map((key) => ['unlink', key])).exec());
      }),
    );
  }

  /** Redis expires entries by itself, so there is never anything left to remove: resolves 0. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  /** Counters of this instance; size and sizeBytes cover the live keys under this prefix. */
  async stats(): Promise<CacheStats> {
    let size = 0;
    let sizeBytes = 0;
    await this.run('scan', () =>
      scanKeys(this.client, this.prefix, async (node, keys) => {
        for (const length of await settle(node.pipeline(keys.map((key) => ['strlen', key])).exec())) {
          if (typeof length === 'number' && length > 0) {
            size += 1;
            sizeBytes += length;
          }
        }
      }),
    );
    return this.counters.snapshot(size, sizeBytes);
  }

  /** Quits the client this cache created; a client passed in as `client` stays open. */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  /** Connects a lazy client once; concurrent first calls wait for that one connection. */
  private async connect(): Promise<void> {
    if (!this.connecting && this.client.status === 'wait') {
      this.connecting = this.client.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    await this.connecting;
  }

  private async run<T>(action: string, command: () => Promise<T>): Promise<T> {
    try {
      await this.connect();
      return await command();
    } catch (error) {
      throw this.failed(action, error);
    }
  }

  /** The error to throw for a failed command: core's errors as they are, anything else as a StorageError. */
  private failed(action: string, error: unknown): unknown {
    if (LLMError.isInstance(error)) return error;
    const reason = this.lastError && this.client.status !== 'ready' ? this.lastError.message : (error as Error).message;
    return new StorageError(
      `${BACKEND} could not ${action} at ${this.target}: ${reason}. Check that Redis is running and REDIS_URL (or the url option) points to it.`,
      { cause: error },
    );
  }
}

/** The replies of a pipeline, or its first error. */
async function settle(replies: Promise<[Error | null, unknown][] | null>): Promise<unknown[]> {
  const results = (await replies) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, reply]) => reply);
}
