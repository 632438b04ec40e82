import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { and, count, desc, eq, sql, sum } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import {
  ConfigurationError,
  StorageError,
  assertBinding,
  assertLimit,
  exchangeUsage,
  serializeExchange,
  sessionTitle,
  storageError,
  trimToValidStart,
  type ExchangeMeta,
  type HistoryBinding,
  type HistoryStore,
  type Message,
  type SessionInfo,
  type Usage,
} from '@llm/core';
import { exchangeRows, rowToMessage, usageFromSums } from '@llm/core';
import { conversations, messages } from './schema.js';

const BACKEND = 'SqliteHistoryStore';
const HINT = 'Check that the database file is writable and not locked by another program.';

/** Where the history goes when neither `path` nor `database` is given. */
export const DEFAULT_SQLITE_HISTORY_PATH = './data/llm.sqlite';

/** The table recording applied migrations (drizzle's format, our own name so an app's drizzle journal is untouched). */
export const SQLITE_HISTORY_MIGRATIONS_TABLE = '__llm_history_migrations';

// Resolves to the package's drizzle/ folder from src/ (tests) and from dist/ (published).
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

// Databases this process has already migrated, so many stores on one connection migrate once.
const migrated = new WeakSet<Database.Database>();

type HistoryDatabase = BetterSQLite3Database<Record<string, never>>;

/** One drizzle database per connection, shared by the stores on it (forSession makes a store per session). */
const databases = new WeakMap<Database.Database, HistoryDatabase>();

/** The load query of a connection, limited or not, prepared once and run with placeholders. */
const loadQueries = new WeakMap<HistoryDatabase, Map<boolean, { all(params: { userId: string; sessionId: string; limit: number | null }): { message: import('@llm/core').MessageColumns }[] }>>();

function loadQuery(db: HistoryDatabase, limited: boolean) {
  let perDb = loadQueries.get(db);
  if (!perDb) loadQueries.set(db, (perDb = new Map()));
  let prepared = perDb.get(limited);
  if (!prepared) {
    // The conversation id as a scalar subquery: the planner then walks (conversation_id, id) backwards and stops
    // after `limit` rows, instead of scanning every message of every session newest-first through a join.
    const conversation = db.select({ id: conversations.id }).from(conversations)
      .where(and(eq(conversations.userId, sql.placeholder('userId')), eq(conversations.sessionId, sql.placeholder('sessionId'))));
    const newestFirst = db.select({ message: messages }).from(messages)
      .where(eq(messages.conversationId, sql`(${conversation})`))
      .orderBy(desc(messages.conversationId), desc(messages.id))
      .$dynamic();
    prepared = (limited ? newestFirst.limit(sql.placeholder('limit')) : newestFirst).prepare() as unknown as NonNullable<typeof prepared>;
    perDb.set(limited, prepared);
  }
  return prepared;
}

/** Options of {@link SqliteHistoryStore}: a file `path` or an open better-sqlite3 `database`, plus the binding. */
export interface SqliteHistoryStoreOptions extends HistoryBinding {
  /** The database file, created (with its folder) when missing. Default `./data/llm.sqlite`. */
  path?: string;
  /** An open better-sqlite3 database to share (the store never closes it). Excludes `path`. */
  database?: Database.Database;
}

function migrateOnce(db: HistoryDatabase, database: Database.Database): void {
  if (migrated.has(database)) return;
  const config = { migrationsFolder: MIGRATIONS_FOLDER, migrationsTable: SQLITE_HISTORY_MIGRATIONS_TABLE };
  try {
    migrate(db, config);
  } catch {
    // Another process may have migrated the same file at the same moment; its journal now says so, and a second
    // run applies only what is still missing (or throws the real error).
    migrate(db, config);
  }
  migrated.add(database);
}

/**
 * Conversation history in a SQLite file (drizzle-orm + better-sqlite3, WAL): the embedded default that survives
 * restarts. Tables are created by the shipped migrations on first use; each exchange is saved in one transaction.
 * @example
 * const history = new SqliteHistoryStore({ path: './data/chat.sqlite', userId: 'user123', sessionId: 'session456' });
 * await history.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' });
 * console.log(await history.loadHistory({ limit: 20 }));
 * await history.close();
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly userId: string;
  readonly sessionId: string;
  /** The database file (resolved when the store opened it; better-sqlite3's `name` for a given database). */
  readonly path: string;
  private database?: Database.Database;
  private db?: HistoryDatabase;
  private readonly ownsDatabase: boolean;
  private closed = false;

  constructor(options: SqliteHistoryStoreOptions) {
    assertBinding(options, BACKEND);
    if (options.path !== undefined && options.database !== undefined) {
      throw new ConfigurationError(`${BACKEND}: give either \`path\` or \`database\`, not both.`);
    }
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      throw new ConfigurationError(`${BACKEND}: \`path\` must be a non-empty file path (got ${JSON.stringify(options.path)}).`);
    }
    this.userId = options.userId;
    this.sessionId = options.sessionId;
    this.database = options.database;
    this.ownsDatabase = !options.database;
    const path = options.database?.name ?? options.path ?? DEFAULT_SQLITE_HISTORY_PATH;
    this.path = path === ':memory:' ? path : resolve(path);
  }

  /** A store for another user or session on the same database connection (closing it leaves the connection open). */
  forSession(binding: HistoryBinding): SqliteHistoryStore {
    this.connection();
    return new SqliteHistoryStore({ ...binding, database: this.database });
  }

  /** Stores the exchange in one transaction: all of its messages or none. */
  async saveExchange(user: Message, assistant: Message, meta: ExchangeMeta = {}): Promise<void> {
    await this.saveExchanges([{ user, assistant, meta }]);
  }

  /**
   * Stores many exchanges of this session in ONE transaction (all or none): the fast path for imports and for
   * callers that save in bulk.
   */
  async saveExchanges(exchanges: { user: Message; assistant: Message; meta?: ExchangeMeta }[]): Promise<void> {
    if (!exchanges.length) return;
    const now = new Date();
    const prepared = exchanges.map(({ user, assistant, meta = {} }) => ({ user, rows: exchangeRows(serializeExchange(BACKEND, user, assistant, meta, now), exchangeUsage(meta), meta.model) }));
    this.run('save the exchange', (db) =>
      db.transaction(
        (tx) => {
          const { id } = tx
            .insert(conversations)
            .values({ userId: this.userId, sessionId: this.sessionId, title: sessionTitle(prepared[0].user), createdAt: now, updatedAt: now })
            .onConflictDoUpdate({
              target: [conversations.userId, conversations.sessionId],
              set: {
                updatedAt: sql`max(${conversations.updatedAt}, excluded.updated_at)`,
                title: sql`coalesce(${conversations.title}, excluded.title)`,
              },
            })
            .returning({ id: conversations.id })
            .get();
          const rows = prepared.flatMap((exchange) => exchange.rows.map((row) => ({ ...row, conversationId: id })));
          // SQLite limits bound parameters per statement: insert in slices.
          for (let i = 0; i < rows.length; i += 500) tx.insert(messages).values(rows.slice(i, i + 500)).run();
        },
        { behavior: 'immediate' },
      ),
    );
  }

  /** The newest `limit` messages (all when absent), oldest first, never starting with an orphaned tool result. */
  async loadHistory(options: { limit?: number } = {}): Promise<Message[]> {
    const { limit } = options;
    assertLimit(limit, BACKEND);
    if (limit === 0) return [];
    const rows = this.run('load the history', (db) => loadQuery(db, limit !== undefined).all({ userId: this.userId, sessionId: this.sessionId, limit: limit ?? null }));
    return trimToValidStart(rows.reverse().map((row) => rowToMessage(row.message)));
  }

  /** Token usage (and cost, when known) summed over the session. */
  async getUsageSummary(): Promise<Usage> {
    const sums = this.run('sum the usage', (db) =>
      db
        .select({ input: sum(messages.usageInput), output: sum(messages.usageOutput), total: sum(messages.usageTotal), costUsd: sum(messages.costUsd) })
        .from(messages)
        .innerJoin(conversations, eq(messages.conversationId, conversations.id))
        .where(this.isThisSession())
        .get(),
    );
    return usageFromSums(sums ?? { input: 0, output: 0, total: 0, costUsd: null });
  }

  /** Removes this session (its messages and its conversation row) and returns how many messages it had. */
  async clear(): Promise<number> {
    return this.run('clear the session', (db) =>
      db.transaction(
        (tx) => {
          const conversation = tx.select({ id: conversations.id }).from(conversations).where(this.isThisSession()).get();
          if (!conversation) return 0;
          const { changes } = tx.delete(messages).where(eq(messages.conversationId, conversation.id)).run();
          tx.delete(conversations).where(eq(conversations.id, conversation.id)).run();
          return changes;
        },
        { behavior: 'immediate' },
      ),
    );
  }

  /** The user's sessions, newest activity first. */
  async listSessions(): Promise<SessionInfo[]> {
    const rows = this.run('list the sessions', (db) =>
      db
        .select({
          sessionId: conversations.sessionId,
          title: conversations.title,
          messageCount: count(messages.id),
          createdAt: conversations.createdAt,
          lastActivity: conversations.updatedAt,
        })
        .from(conversations)
        .leftJoin(messages, eq(messages.conversationId, conversations.id))
        .where(eq(conversations.userId, this.userId))
        .groupBy(conversations.id)
        .orderBy(desc(conversations.updatedAt), desc(conversations.id))
        .all(),
    );
    return rows.map((row) => ({ ...row, title: row.title ?? undefined }));
  }

  /** Closes the database if this store opened it; a given `database` stays open. */
  async close(): Promise<void> {
    if (this.ownsDatabase) this.database?.close();
    this.closed = true;
    this.db = undefined;
  }

  private isThisSession() {
    return and(eq(conversations.userId, this.userId), eq(conversations.sessionId, this.sessionId));
  }

  private run<T>(action: string, work: (db: HistoryDatabase) => T): T {
    const db = this.connection();
    try {
      return work(db);
    } catch (error) {
      throw storageError(BACKEND, `${action} in ${this.path}`, error, HINT);
    }
  }

  /** Opens (first use only) the file in WAL mode and applies the shipped migrations. */
  private connection(): HistoryDatabase {
    if (this.closed) throw new StorageError(`${BACKEND}: this store was closed; create a new one to use ${this.path}.`);
    if (this.db) return this.db;
    let opened: Database.Database | undefined;
    try {
      let database = this.database;
      if (!database) {
        if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
        database = opened = new Database(this.path);
        database.pragma('journal_mode = WAL');
        // WAL with synchronous=NORMAL: a commit survives an app crash; only an OS crash may lose the last commits.
        database.pragma('synchronous = NORMAL');
        database.pragma('foreign_keys = ON');
      }
      let db = databases.get(database);
      if (!db) databases.set(database, (db = drizzle({ client: database })));
      migrateOnce(db, database);
      this.database = database;
      this.db = db;
      return db;
    } catch (error) {
      opened?.close();
      throw storageError(BACKEND, `open ${this.path}`, error, 'Check the path (its folder must be writable) and that the file is a SQLite database.');
    }
  }
}
