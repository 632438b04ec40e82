import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CacheCounters, ConfigurationError, serializeValue, ttlToMs, type Cache, type CacheStats, type CachedValue } from '@llm/core';
import {
  forEachLimited,
  formatEntry,
  isLive,
  isMissing,
  listFiles,
  parseEntry,
  readExpiry,
  removeFile,
  removeStaleTemps,
  storageFailure,
  writeAtomically,
  type EntryFile,
} from './entry-files.js';

/** Options of {@link FileCache}. */
export interface FileCacheOptions {
  /** The folder that holds the entries (created on first write). default `./data/llm-cache` */
  cacheDir?: string;
  /** Default TTL of every entry in seconds; 0 means no expiry. default 0 */
  ttl?: number;
}

const BACKEND = 'FileCache';
/** A temp file this old belongs to a writer that died before its rename. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const SCAN_WIDTH = 32;

/**
 * A response cache on disk: one JSON file per entry, named by the SHA-256 of the key in sharded folders
 * (`ab/cd/<hash>.json`), written atomically (temp file + rename), so several processes can share one folder.
 * Keys never reach the file system as paths, so no key can escape the folder.
 * @example
 * const cache = new FileCache({ cacheDir: './data/llm-cache', ttl: 86_400 });
 * await cache.set('key', { text: '안녕하세요' });
 * console.log(await cache.get('key'), cache.hitRate);
 */
export class FileCache implements Cache {
  /** The absolute folder of this cache. */
  readonly cacheDir: string;
  private readonly ttlMs: number;
  private readonly counters = new CacheCounters();
  private lastSizeBytes = 0;

  constructor(options: FileCacheOptions = {}) {
    const cacheDir = options.cacheDir ?? './data/llm-cache';
    if (typeof cacheDir !== 'string' || cacheDir.trim() === '') {
      throw new ConfigurationError(`${BACKEND}: cacheDir must be a folder path, got ${JSON.stringify(cacheDir)}.`);
    }
    this.cacheDir = resolve(cacheDir);
    this.ttlMs = ttlToMs(options.ttl, BACKEND);
  }

  /** hits / (hits + misses) of this instance, 0 when nothing was asked. */
  get hitRate(): number {
    return this.counters.hitRate;
  }

  /** Bytes of the live entry files as of the last `stats()` (the folder is only scanned there). */
  get sizeBytes(): number {
    return this.lastSizeBytes;
  }

  /** The file that holds `key`: `<cacheDir>/ab/cd/<sha256>.json`, always inside `cacheDir`. */
  entryPath(key: string): string {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    return join(this.cacheDir, hash.slice(0, 2), hash.slice(2, 4), `${hash}.json`);
  }

  /** The value under `key`, or `undefined` when it is missing, expired or its file is corrupt (then removed). */
  async get(key: string): Promise<CachedValue | undefined> {
    const entry = await this.readLiveEntry(key);
    return this.counters.lookup(entry?.value);
  }

  /** Stores `value` under `key`; `ttlSeconds` overrides the instance ttl (0 = no expiry). */
  async set(key: string, value: CachedValue, options: { ttlSeconds?: number } = {}): Promise<void> {
    const ttl = ttlToMs(options.ttlSeconds, BACKEND, this.ttlMs);
    const serialized = serializeValue(value, BACKEND);
    await writeAtomically(this.entryPath(key), formatEntry(ttl > 0 ? Date.now() + ttl : null, key, serialized));
    this.counters.sets += 1;
  }

  /** Removes `key`; true when a live entry was removed. */
  async delete(key: string): Promise<boolean> {
    const path = this.entryPath(key);
    const entry = await this.readEntry(path);
    if (entry === undefined || entry.key !== key) return false;
    return (await removeFile(path)) && isLive(entry.expiresAt, Date.now());
  }

  /** Removes every entry file of this folder (other files in it are left alone). */
  async clear(): Promise<void> {
    const { entries } = await listFiles(this.cacheDir);
    await forEachLimited(entries, SCAN_WIDTH, async (path) => {
      await removeFile(path);
    });
    this.lastSizeBytes = 0;
  }

  /** Removes expired and corrupt entry files and stale temp files; returns how many expired entries it removed. */
  async clearExpired(): Promise<number> {
    const now = Date.now();
    const { entries, temps } = await listFiles(this.cacheDir);
    let removed = 0;
    await forEachLimited(entries, SCAN_WIDTH, async (path) => {
      const head = await readExpiry(path);
      if (head === undefined) return;
      if (head.expiresAt === 'corrupt') await removeFile(path);
      else if (!isLive(head.expiresAt, now) && (await removeFile(path))) removed += 1;
    });
    await removeStaleTemps(temps, STALE_TEMP_MS, now);
    return removed;
  }

  /** Counters of this instance; size and sizeBytes come from a scan of the folder (live entries only). */
  async stats(): Promise<CacheStats> {
    const now = Date.now();
    const { entries } = await listFiles(this.cacheDir);
    let size = 0;
    let sizeBytes = 0;
    await forEachLimited(entries, SCAN_WIDTH, async (path) => {
      const head = await readExpiry(path);
      if (head === undefined || head.expiresAt === 'corrupt' || !isLive(head.expiresAt, now)) return;
      size += 1;
      sizeBytes += head.bytes;
    });
    this.lastSizeBytes = sizeBytes;
    return this.counters.snapshot(size, sizeBytes);
  }

  /** Nothing to release: every call opens and closes its own files. */
  async close(): Promise<void> {}

  private async readEntry(path: string): Promise<EntryFile | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw storageFailure('read', path, error);
    }
    const entry = parseEntry(text);
    if (entry === undefined) await removeFile(path);
    return entry;
  }

  private async readLiveEntry(key: string): Promise<EntryFile | undefined> {
    const path = this.entryPath(key);
    const entry = await this.readEntry(path);
    if (entry === undefined || entry.key !== key) return undefined;
    if (isLive(entry.expiresAt, Date.now())) return entry;
    await removeFile(path);
    return undefined;
  }
}
