import { LRUCache } from 'lru-cache';
import { CacheCounters, ConfigurationError, parseValue, serializeValue, ttlToMs, type Cache, type CacheStats, type CachedValue } from '@llm/core';

/** Options of {@link MemoryCache}. */
export interface MemoryCacheOptions {
  /** Default TTL of every entry in seconds; 0 means no expiry. default 0 */
  ttl?: number;
  /** The most entries kept; past it the least recently used entry is evicted. default 1000 */
  maxSize?: number;
  /** The most bytes of serialized values kept (0: no byte limit). A single larger value is not stored. default 0 */
  maxBytes?: number;
}

const BACKEND = 'MemoryCache';

function positiveInteger(value: number | undefined, name: string, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0 || (value === 0 && !allowZero)) {
    const range = allowZero ? 'an integer >= 0 (0 = no limit)' : 'an integer >= 1';
    throw new ConfigurationError(`${BACKEND}: ${name} must be ${range}, got ${String(value)}.`);
  }
  return value;
}

/**
 * An in-process LRU response cache on `lru-cache`, evicting by entry count and by bytes. Values are stored
 * serialized, so nobody can change a cached entry through a shared reference.
 * @example
 * const cache = new MemoryCache({ ttl: 3600, maxSize: 500, maxBytes: 50_000_000 });
 * const llm = LLM.create('gpt-4o-mini', { cache });
 * console.log(cache.hitRate, cache.sizeBytes);
 */
export class MemoryCache implements Cache {
  private readonly lru: LRUCache<string, string>;
  private readonly ttlMs: number;
  private readonly counters = new CacheCounters();

  constructor(options: MemoryCacheOptions = {}) {
    this.ttlMs = ttlToMs(options.ttl, BACKEND);
    const maxBytes = positiveInteger(options.maxBytes, 'maxBytes', 0, true);
    this.lru = new LRUCache<string, string>({
      max: positiveInteger(options.maxSize, 'maxSize', 1000, false),
      // Sizes are tracked even without a byte limit: stats() reports them.
      ...(maxBytes > 0 ? { maxSize: maxBytes } : { maxEntrySize: Number.MAX_SAFE_INTEGER }),
      sizeCalculation: (serialized) => Math.max(1, Buffer.byteLength(serialized)),
      ttl: this.ttlMs,
    });
  }

  /** hits / (hits + misses) of this instance, 0 when nothing was asked. */
  get hitRate(): number {
    return this.counters.hitRate;
  }

  /** Bytes of the serialized live entries. */
  get sizeBytes(): number {
    this.lru.purgeStale();
    return this.lru.calculatedSize;
  }

  /** The value under `key`, or `undefined` when it is missing or expired. */
  async get(key: string): Promise<CachedValue | undefined> {
    const serialized = this.lru.get(key);
    return this.counters.lookup(serialized === undefined ? undefined : parseValue(serialized));
  }

  /** Stores `value` under `key`; `ttlSeconds` overrides the instance ttl (0 = no expiry). */
  async set(key: string, value: CachedValue, options: { ttlSeconds?: number } = {}): Promise<void> {
    const ttl = ttlToMs(options.ttlSeconds, BACKEND, this.ttlMs);
    const serialized = serializeValue(value, BACKEND);
    this.lru.set(key, serialized, { ttl });
    this.counters.sets += 1;
  }

  /** Removes `key`; true when a live entry was removed. */
  async delete(key: string): Promise<boolean> {
    const live = this.lru.has(key);
    this.lru.delete(key);
    return live;
  }

  /** Removes every entry (the hit/miss counters stay). */
  async clear(): Promise<void> {
    this.lru.clear();
  }

  /** Removes the expired entries and returns how many there were. */
  async clearExpired(): Promise<number> {
    const before = this.lru.size;
    this.lru.purgeStale();
    return before - this.lru.size;
  }

  /** Counters of this instance with the live entry count and bytes. */
  async stats(): Promise<CacheStats> {
    const sizeBytes = this.sizeBytes;
    return this.counters.snapshot(this.lru.size, sizeBytes);
  }

  /** Drops every entry; a memory cache holds nothing else. */
  async close(): Promise<void> {
    this.lru.clear();
  }
}
