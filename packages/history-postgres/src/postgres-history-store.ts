import postgres, { type Sql } from 'postgres';
import { and, count, desc, eq, sql, sum } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import {
  ConfigurationError,
  StorageError,
  assertBinding,
  assertLimit,
  driverError,
  exchangeUsage,
  serializeExchange,
  sessionTitle,
  storageError,
  trimToValidStart,
  type ExchangeMeta,
  type HistoryBinding,
  type HistoryStore,
  type Message,
  type Role,
  type SessionInfo,
  type Usage,
} from '@llm/core';
import { exchangeRows, rowToMessage, usageFromSums } from '@llm/core';
import { applyHistoryMigrations } from './postgres-migrations.js';
import { historyTables } from './schema.js';

const BACKEND = 'PostgresHistoryStore';
const HINT = 'Check that Postgres is reachable at DATABASE_URL (or the given url/client) and that the user may write to the schema.';
const NUL_HINT = 'PostgreSQL cannot store the NUL character (\\u0000) in text or jsonb: remove it from the messages before saving.';
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The server used when neither `url` nor `client` is given and DATABASE_URL is unset. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The drizzle table definitions per schema, built once (a store is made per session, often per request). */
const tablesBySchema = new Map<string, HistoryTables>();
function tablesOf(schema: string): HistoryTables {
  let tables = tablesBySchema.get(schema);
  if (!tables) tablesBySchema.set(schema, (tables = historyTables(schema)));
  return tables;
}

/** A message row as the load query returns it (jsonb columns as text). */
interface LoadRow {
  role: Role;
  content: string;
  toolCalls: string | null;
  toolCallId: string | null;
  toolName: string | null;
  isError: boolean;
  toolInteractions: string | null;
  createdAt: Date;
}

interface LoadQuery {
  execute(params: { userId: string; sessionId: string; limit: number | null }): Promise<LoadRow[]>;
}

/** The drizzle database of each client. */
const databases = new WeakMap<Sql, PostgresJsDatabase>();

/** Prepared load queries per drizzle database, by schema and shape. */
const loadQueries = new WeakMap<PostgresJsDatabase, Map<string, LoadQuery>>();

// Migrations in flight or done, per client and schema, so many stores on one pool migrate once.
const migrations = new WeakMap<Sql, Map<string, Promise<void>>>();

type HistoryTables = ReturnType<typeof historyTables>;

/** Options of {@link PostgresHistoryStore}: a connection `url` or a postgres-js `client`, plus the binding. */
export interface PostgresHistoryStoreOptions extends HistoryBinding {
  /** Connection string; the store opens (and `close()` ends) its own pool. Default `DATABASE_URL`, then the local test server. */
  url?: string;
  /** A postgres-js client to share (the store never ends it). Excludes `url`. */
  client?: Sql;
  /** The Postgres schema holding the tables; created with them on first use. Default `public`. */
  schema?: string;
}

/**
 * Conversation history in PostgreSQL (drizzle-orm + postgres-js, jsonb columns): for servers with many users.
 * Tables come from the shipped migrations on first use, under an advisory lock; each exchange is one transaction
 * that locks its conversation row, so concurrent writers to one session never interleave their messages.
 * @example
 * const history = new PostgresHistoryStore({ url: process.env.DATABASE_URL, userId: 'user123', sessionId: 'session456' });
 * await history.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' });
 * console.log(await history.listSessions());
 * await history.close();
 */
export class PostgresHistoryStore implements HistoryStore {
  readonly userId: string;
  readonly sessionId: string;
  /** The Postgres schema of the tables. */
  readonly schema: string;
  private readonly url: string;
  private client?: Sql;
  private db?: PostgresJsDatabase;
  private readonly ownsClient: boolean;
  private readonly tables: HistoryTables;
  private closed = false;

  constructor(options: PostgresHistoryStoreOptions) {
    assertBinding(options, BACKEND);
    if (options.url !== undefined && options.client !== undefined) {
      throw new ConfigurationError(`${BACKEND}: give either \`url\` or \`client\`, not both.`);
    }
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new ConfigurationError(`${BACKEND}: \`schema\` must be a plain identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}.`);
    }
    this.userId = options.userId;
    this.sessionId = options.sessionId;
    this.schema = schema;
    this.client = options.client;
    this.ownsClient = !options.client;
    this.url = options.url ?? process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
    this.tables = tablesOf(schema);
  }

  /** A store for another user or session on the same pool and schema (closing it leaves the pool open). */
  forSession(binding: HistoryBinding): PostgresHistoryStore {
    return new PostgresHistoryStore({ ...binding, client: this.pool(), schema: this.schema });
  }

  /** Stores the exchange in one transaction: all of its messages or none. */
  async saveExchange(user: Message, assistant: Message, meta: ExchangeMeta = {}): Promise<void> {
    await this.saveExchanges([{ user, assistant, meta }]);
  }

  /** Stores many exchanges of this session in ONE transaction (all or none): the fast path for bulk saves. */
  async saveExchanges(exchanges: { user: Message; assistant: Message; meta?: ExchangeMeta }[]): Promise<void> {
    if (!exchanges.length) return;
    const now = new Date();
    const prepared = exchanges.map(({ user, assistant, meta = {} }) => ({ user, rows: exchangeRows(serializeExchange(BACKEND, user, assistant, meta, now), exchangeUsage(meta), meta.model) }));
    const { conversations, messages } = this.tables;
    await this.run('save the exchange', (db) =>
      db.transaction(async (tx) => {
        // The upsert locks the conversation row until commit: concurrent exchanges of one session queue here.
        const [{ id }] = await tx
          .insert(conversations)
          .values({ userId: this.userId, sessionId: this.sessionId, title: sessionTitle(prepared[0].user), createdAt: now, updatedAt: now })
          .onConflictDoUpdate({
            target: [conversations.userId, conversations.sessionId],
            set: {
              updatedAt: sql`greatest(${conversations.updatedAt}, excluded.updated_at)`,
              title: sql`coalesce(${conversations.title}, excluded.title)`,
            },
          })
          .returning({ id: conversations.id });
        const rows = prepared.flatMap((exchange) => exchange.rows.map((row) => ({ ...row, conversationId: id })));
        // Postgres takes at most 65,535 bound parameters per statement: insert in slices.
        for (let i = 0; i < rows.length; i += 1000) await tx.insert(messages).values(rows.slice(i, i + 1000));
      }),
    );
  }

  /** The newest `limit` messages (all when absent), oldest first, never starting with an orphaned tool result. */
  async loadHistory(options: { limit?: number } = {}): Promise<Message[]> {
    const { limit } = options;
    assertLimit(limit, BACKEND);
    if (limit === 0) return [];
    const rows = await this.run('load the history', (db) =>
      this.loadQuery(db, limit !== undefined).execute({ userId: this.userId, sessionId: this.sessionId, limit: limit ?? null }),
    );
    const json = (text: string | null) => (text === null ? null : JSON.parse(text));
    return trimToValidStart(rows.reverse().map((row) => rowToMessage({ ...row, content: json(row.content), toolCalls: json(row.toolCalls), toolInteractions: json(row.toolInteractions) })));
  }

  /** Token usage (and cost, when known) summed over the session. */
  async getUsageSummary(): Promise<Usage> {
    const { conversations, messages } = this.tables;
    const [sums] = await this.run('sum the usage', (db) =>
      db
        .select({ input: sum(messages.usageInput), output: sum(messages.usageOutput), total: sum(messages.usageTotal), costUsd: sum(messages.costUsd) })
        .from(messages)
        .innerJoin(conversations, eq(messages.conversationId, conversations.id))
        .where(this.isThisSession()),
    );
    return usageFromSums(sums ?? { input: 0, output: 0, total: 0, costUsd: null });
  }

  /** Removes this session (its conversation row and messages, in one transaction) and returns how many messages it had. */
  async clear(): Promise<number> {
    const { conversations, messages } = this.tables;
    return this.run('clear the session', (db) =>
      db.transaction(async (tx) => {
        const [conversation] = await tx.delete(conversations).where(this.isThisSession()).returning({ id: conversations.id });
        if (!conversation) return 0;
        const removed = await tx.delete(messages).where(eq(messages.conversationId, conversation.id));
        return removed.count;
      }),
    );
  }

  /** The user's sessions, newest activity first. */
  async listSessions(): Promise<SessionInfo[]> {
    const { conversations, messages } = this.tables;
    const rows = await this.run('list the sessions', (db) =>
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
        .orderBy(desc(conversations.updatedAt), desc(conversations.id)),
    );
    return rows.map((row) => ({ ...row, title: row.title ?? undefined }));
  }

  /** Ends the pool if this store opened it (from `url`); a given `client` stays open. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsClient && this.client) await this.client.end({ timeout: 5 });
    this.client = undefined;
    this.db = undefined;
  }

  /** The load query, built once per client, schema and shape (limited or not) and run with placeholders. */
  private loadQuery(db: PostgresJsDatabase, limited: boolean) {
    let perDb = loadQueries.get(db);
    if (!perDb) loadQueries.set(db, (perDb = new Map()));
    const key = `${this.schema}\u0000${limited}`;
    let prepared = perDb.get(key);
    if (!prepared) {
      const { conversations, messages } = this.tables;
      // The conversation id as a scalar subquery: the planner then walks (conversation_id, id) backwards and stops
      // after `limit` rows, instead of scanning every message of every session newest-first through a join.
      const conversation = db.select({ id: conversations.id }).from(conversations)
        .where(and(eq(conversations.userId, sql.placeholder('userId')), eq(conversations.sessionId, sql.placeholder('sessionId'))));
      // The jsonb columns come back as their text and are decoded once here: postgres-js and drizzle would each decode
      // them (a message whose text is itself valid JSON, "123" or '{"a":1}', came back as a number or an object), and a
      // shared client's parsers are the app's, not ours to change.
      const newestFirst = db
        .select({
          role: messages.role, content: sql<string>`${messages.content}::text`, toolCalls: sql<string | null>`${messages.toolCalls}::text`,
          toolCallId: messages.toolCallId, toolName: messages.toolName, isError: messages.isError,
          toolInteractions: sql<string | null>`${messages.toolInteractions}::text`, createdAt: messages.createdAt,
        })
        .from(messages)
        .where(eq(messages.conversationId, sql`(${conversation})`))
        .orderBy(desc(messages.conversationId), desc(messages.id))
        .$dynamic();
      prepared = (limited ? newestFirst.limit(sql.placeholder('limit')) : newestFirst).prepare(`llm_load_history_${limited ? 'limited' : 'all'}`) as unknown as LoadQuery;
      perDb.set(key, prepared);
    }
    return prepared;
  }

  private isThisSession() {
    const { conversations } = this.tables;
    return and(eq(conversations.userId, this.userId), eq(conversations.sessionId, this.sessionId));
  }

  private async run<T>(action: string, work: (db: PostgresJsDatabase) => PromiseLike<T>): Promise<T> {
    try {
      return await work(await this.connection());
    } catch (error) {
      // 22P05: untranslatable character, what Postgres says about a NUL in text or jsonb.
      const cause = driverError(error);
      const hint = cause instanceof Error && 'code' in cause && cause.code === '22P05' ? NUL_HINT : HINT;
      throw storageError(BACKEND, `${action} (schema ${this.schema})`, error, hint);
    }
  }

  private pool(): Sql {
    if (this.closed) throw new StorageError(`${BACKEND}: this store was closed; create a new one.`);
    this.client ??= postgres(this.url, { onnotice: () => {} });
    return this.client;
  }

  /** The drizzle database, after the shipped migrations are applied to the schema (once per pool). */
  private async connection(): Promise<PostgresJsDatabase> {
    const client = this.pool();
    const perSchema = migrations.get(client) ?? new Map<string, Promise<void>>();
    migrations.set(client, perSchema);
    let migrated = perSchema.get(this.schema);
    if (!migrated) {
      migrated = applyHistoryMigrations(client, this.schema);
      perSchema.set(this.schema, migrated);
      migrated.catch(() => perSchema.delete(this.schema));
    }
    await migrated;
    if (!this.db) {
      // One drizzle database per client, shared by the stores on it (forSession makes a store per session).
      let db = databases.get(client);
      if (!db) databases.set(client, (db = drizzle({ client })));
      this.db = db;
    }
    return this.db;
  }
}
