import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CacheCounters, ConfigurationError, LLMError, StorageError, parseValue, serializeValue, ttlToMs } from '@llm/core';
import type { Cache, CacheStats, CachedValue } from '@llm/core';

/** Options of {@link SqliteCache}. */
export interface SqliteCacheOptions {
  /** The database file (its folder is created). Ignored with `database`. default `./data/llm-cache.sqlite` */
  path?: string;
  /** An open better-sqlite3 database to use instead of `path`; `close()` leaves it open. */
  database?: Database.Database;
  /** Default TTL of every entry in seconds; 0 means no expiry. default 0 */
  ttl?: number;
  /** The table, one per namespace: letters, digits and `_`, not starting with a digit. default `llm_cache` */
  table?: string;
  /**
   * How many recently read entries to keep in memory (their JSON text) so a repeated hit skips the SELECT; 0 turns
   * it off. Every read first checks whether the file changed (PRAGMA data_version for other connections and
   * processes, total_changes() for this one), and any change drops them all. default 256
   */
  memoEntries?: number;
}

/** Memoized entries stop growing past this many bytes of JSON text (UTF-16 units) in all. */
const MEMO_MAX_CHARS = 4 * 1024 * 1024;

interface MemoEntry {
  text: string;
  expiresAt: number | null;
}

const BACKEND = 'SqliteCache';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

interface Statements {
  /** Changes committed by other connections or processes since this connection opened (PRAGMA data_version). */
  dataVersion: Database.Statement<[], number>;
  /** Rows changed by this connection since it opened. */
  totalChanges: Database.Statement<[], number>;
  get: Database.Statement<[string], { value: string; expiresAt: number | null }>;
  set: Database.Statement<[string, string, number | null, number]>;
  delete: Database.Statement<[string], { expiresAt: number | null }>;
  deleteIfExpired: Database.Statement<[string, number]>;
  deleteExpired: Database.Statement<[number]>;
  clear: Database.Statement<[]>;
  stats: Database.Statement<[number], { size: number; sizeBytes: number }>;
}

function failure(action: string, where: string, error: unknown): StorageError {
  const reason = (error as Error | undefined)?.message ?? String(error);
  return new StorageError(`${BACKEND} could not ${action} ${where}: ${reason}. Check that the file is writable and not locked by another program.`, {
    cause: error,
  });
}

function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const database = new Database(path);
  // WAL lets readers and one writer (in any process) work at once; the busy timeout waits out the other writers.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  return database;
}

function prepare(database: Database.Database, table: string): Statements {
  database.exec(`CREATE TABLE IF NOT EXISTS "${table}" (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER, size INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS "${table}_expires_at_idx" ON "${table}" (expires_at);`);
  const live = '(expires_at IS NULL OR expires_at > ?)';
  return {
    dataVersion: database.prepare('PRAGMA data_version').pluck(true) as unknown as Statements['dataVersion'],
    totalChanges: database.prepare('SELECT total_changes()').pluck(true) as unknown as Statements['totalChanges'],
    get: database.prepare(`SELECT value, expires_at AS expiresAt FROM "${table}" WHERE key = ?`),
    set: database.prepare(`INSERT INTO "${table}" (key, value, expires_at, size) VALUES (?, ?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, size = excluded.size`),
    delete: database.prepare(`DELETE FROM "${table}" WHERE key = ? RETURNING expires_at AS expiresAt`),
    deleteIfExpired: database.prepare(`DELETE FROM "${table}" WHERE key = ? AND expires_at <= ?`),
    deleteExpired: database.prepare(`DELETE FROM "${table}" WHERE expires_at IS NOT NULL AND expires_at <= ?`),
    clear: database.prepare(`DELETE FROM "${table}"`),
    stats: database.prepare(`SELECT count(*) AS size, coalesce(sum(size), 0) AS sizeBytes FROM "${table}" WHERE ${live}`),
  };
}

function isLive(expiresAt: number | null, now: number): boolean {
  return expiresAt === null || expiresAt > now;
}

/**
 * A response cache in SQLite on better-sqlite3: WAL mode, prepared statements, one table per namespace
 * (`llm_cache(key, value, expires_at, size)` with an index on `expires_at`). Several processes may share the file.
 * Recently read entries are memoized as JSON text and served again while the file is unchanged (checked on every
 * read: a write by any connection or process drops the memo), so a hot key skips the SELECT; every get still
 * returns a fresh copy.
 * @example
 * const cache = new SqliteCache({ path: './data/llm-cache.sqlite', ttl: 86_400 });
 * await cache.set('key', { text: '안녕하세요' });
 * console.log(await cache.get('key'), await cache.stats());
 * await cache.close();
 */
export class SqliteCache implements Cache {
  /** The table this cache uses. */
  readonly table: string;
  private readonly database: Database.Database;
  private readonly ownsDatabase: boolean;
  private readonly statements: Statements;
  private readonly ttlMs: number;
  private readonly counters = new CacheCounters();
  private readonly memoEntries: number;
  private readonly memo = new Map<string, MemoEntry>();
  private memoChars = 0;
  /** The file's version the memo was read at; -1 before the first read. */
  private memoVersion = -1;

  constructor(options: SqliteCacheOptions = {}) {
    this.table = options.table ?? 'llm_cache';
    if (typeof this.table !== 'string' || !IDENTIFIER.test(this.table)) {
      throw new ConfigurationError(
        `${BACKEND}: table must be 1-63 letters, digits or _ and not start with a digit, got ${JSON.stringify(options.table)}.`,
      );
    }
    this.ttlMs = ttlToMs(options.ttl, BACKEND);
    const memoEntries = options.memoEntries ?? 256;
    if (!Number.isInteger(memoEntries) || memoEntries < 0) {
      throw new ConfigurationError(`${BACKEND}: memoEntries must be a whole number ≥ 0 (0 turns the memo off), got ${JSON.stringify(options.memoEntries)}.`);
    }
    this.memoEntries = memoEntries;
    const path = options.path ?? './data/llm-cache.sqlite';
    this.ownsDatabase = options.database === undefined;
    try {
      this.database = options.database ?? openDatabase(path);
      this.statements = prepare(this.database, this.table);
    } catch (error) {
      throw failure('open', options.database ? `table ${this.table}` : path, error);
    }
  }

  /** hits / (hits + misses) of this instance, 0 when nothing was asked. */
  get hitRate(): number {
    return this.counters.hitRate;
  }

  /** The value under `key`, or `undefined` when it is missing or expired (an expired row is removed). */
  get(key: string): Promise<CachedValue | undefined> {
    // Not an async function, and no closure: a hit is a version check and a JSON.parse of the memoized text, or
    // one SELECT and a JSON.parse.
    let value: CachedValue | undefined;
    try {
      const now = Date.now();
      const memoized = this.memoEntries > 0 ? this.memoized(key) : undefined;
      if (memoized !== undefined && (memoized.expiresAt === null || memoized.expiresAt > now)) value = parseValue(memoized.text);
      else {
        const row = this.statements.get.get(key);
        if (row !== undefined) {
          if (isLive(row.expiresAt, now)) {
            value = parseValue(row.value);
            if (this.memoEntries > 0) this.remember(key, row.value, row.expiresAt);
          } else this.statements.deleteIfExpired.run(key, now);
        }
      }
    } catch (error) {
      return Promise.reject(this.failed('read', error));
    }
    return Promise.resolve(this.counters.lookup(value));
  }

  /** The memoized entry of `key` when the file has not changed since it was read (else the memo is dropped). */
  private memoized(key: string): MemoEntry | undefined {
    // data_version moves with every commit of another connection (any process); total_changes with this one's.
    const version = (this.statements.dataVersion.get() ?? 0) * 4_294_967_296 + (this.statements.totalChanges.get() ?? 0);
    if (version !== this.memoVersion) {
      this.forget();
      this.memoVersion = version;
      return undefined;
    }
    return this.memo.get(key);
  }

  private remember(key: string, text: string, expiresAt: number | null): void {
    if (text.length > MEMO_MAX_CHARS / 4) return;
    const previous = this.memo.get(key);
    if (previous) {
      this.memoChars -= previous.text.length;
      this.memo.delete(key);
    }
    this.memo.set(key, { text, expiresAt });
    this.memoChars += text.length;
    // Oldest first (insertion order) until both limits hold.
    for (const [oldest, entry] of this.memo) {
      if (this.memo.size <= this.memoEntries && this.memoChars <= MEMO_MAX_CHARS) break;
      this.memo.delete(oldest);
      this.memoChars -= entry.text.length;
    }
  }

  private forget(): void {
    this.memo.clear();
    this.memoChars = 0;
  }

  /** Stores `value` under `key`; `ttlSeconds` overrides the instance ttl (0 = no expiry). */
  async set(key: string, value: CachedValue, options: { ttlSeconds?: number } = {}): Promise<void> {
    const ttl = ttlToMs(options.ttlSeconds, BACKEND, this.ttlMs);
    const serialized = serializeValue(value, BACKEND);
    this.run('write', () => this.statements.set.run(key, serialized, ttl > 0 ? Date.now() + ttl : null, Buffer.byteLength(serialized)));
    this.counters.sets += 1;
  }

  /** Removes `key`; true when a live entry was removed. */
  async delete(key: string): Promise<boolean> {
    const row = this.run('delete', () => this.statements.delete.get(key));
    return row !== undefined && isLive(row.expiresAt, Date.now());
  }

  /** Removes every entry of this table. */
  async clear(): Promise<void> {
    this.run('clear', () => this.statements.clear.run());
  }

  /** Removes the expired rows and returns how many there were. */
  async clearExpired(): Promise<number> {
    return this.run('clean', () => this.statements.deleteExpired.run(Date.now()).changes);
  }

  /** Counters of this instance; size and sizeBytes (UTF-8 bytes of the values) cover the live rows of this table. */
  async stats(): Promise<CacheStats> {
    const row = this.run('count', () => this.statements.stats.get(Date.now()));
    return this.counters.snapshot(row?.size ?? 0, row?.sizeBytes ?? 0);
  }

  /** Closes the database this cache opened; a `database` passed in stays open. */
  async close(): Promise<void> {
    this.forget();
    if (this.ownsDatabase && this.database.open) this.database.close();
  }

  private run<T>(action: string, statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      throw this.failed(action, error);
    }
  }

  private failed(action: string, error: unknown): unknown {
    return LLMError.isInstance(error) ? error : failure(action, `table ${this.table} of ${this.database.name}`, error);
  }
}
