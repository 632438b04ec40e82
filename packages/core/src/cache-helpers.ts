import { ConfigurationError, StorageError } from './errors.js';
import type { CacheStats, CachedValue } from './types.js';

// Shared by every @llm/cache-* package: TTLs, value (de)serialization and counters.

/**
 * Converts a TTL in seconds to milliseconds (0 = no expiry), or throws a ConfigurationError for a negative or
 * non-finite one. `undefined` falls back to `fallbackMs`.
 */
export function ttlToMs(seconds: number | undefined, backend: string, fallbackMs = 0): number {
  if (seconds === undefined) return fallbackMs;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigurationError(`${backend}: ttl must be a number of seconds >= 0 (0 = no expiry), got ${String(seconds)}.`);
  }
  return Math.round(seconds * 1000);
}

/** Serializes a cached value, or throws a StorageError when it is not a JSON object. */
export function serializeValue(value: CachedValue, backend: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StorageError(`${backend} caches JSON objects only, got ${Array.isArray(value) ? 'an array' : typeof value}. Wrap the value in an object.`);
  }
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new StorageError(`${backend} could not store the value: it is not JSON (${(error as Error).message}). Cache plain JSON objects only.`, { cause: error });
  }
}

/** Parses a stored value; `undefined` when the text is not a JSON object (a corrupt entry). */
export function parseValue(text: string): CachedValue | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as CachedValue) : undefined;
  } catch {
    return undefined;
  }
}

/** Per-instance hit, miss and set counters. */
export class CacheCounters {
  hits = 0;
  misses = 0;
  sets = 0;

  /** Counts a lookup and passes its result through. */
  lookup<T>(value: T | undefined): T | undefined {
    if (value === undefined) this.misses += 1;
    else this.hits += 1;
    return value;
  }

  /** hits / (hits + misses), 0 when nothing was asked. */
  get hitRate(): number {
    const asked = this.hits + this.misses;
    return asked === 0 ? 0 : this.hits / asked;
  }

  /** The counters with the backend's live size. */
  snapshot(size: number, sizeBytes: number): CacheStats {
    return { hits: this.hits, misses: this.misses, sets: this.sets, hitRate: this.hitRate, size, sizeBytes };
  }
}
