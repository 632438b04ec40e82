import { StorageError, type ExchangeMeta, type Message } from '@llm/core';
import { RedisHistoryStore } from '@llm/history-redis';
import type { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from './session-store.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** The shared ioredis client (the store never quits it). */
  client: Redis;
  /** Seconds a session lives after its last message. */
  ttlSeconds: number;
  /** Messages of context a session keeps. */
  maxMessages: number;
  /** Prefix of every key, e.g. `llm:server:`. */
  prefix: string;
}

interface StoredRecord {
  userId: string;
  createdAt: number;
}

/**
 * Sessions in Redis, shared by every server instance on the same Redis: a key per session (`SET NX` with a TTL), a
 * sorted set per user, and the context in a `RedisHistoryStore` list (newest `maxMessages`, same TTL).
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';

  constructor(private readonly options: RedisSessionStoreOptions) {}

  private sessionKey(sessionId: string): string {
    return `${this.options.prefix}session:${sessionId}`;
  }

  private userKey(userId: string): string {
    return `${this.options.prefix}user-sessions:${userId}`;
  }

  private context(record: SessionRecord): RedisHistoryStore {
    const { client, ttlSeconds, maxMessages, prefix } = this.options;
    return new RedisHistoryStore({ client, userId: record.userId, sessionId: record.sessionId, ttl: ttlSeconds, maxMessages, prefix: `${prefix}context:` });
  }

  private async run<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (StorageError.isInstance(error)) throw error;
      throw new StorageError(`RedisSessionStore could not ${action}: ${(error as Error).message}. Check that Redis is reachable at REDIS_URL.`, { cause: error });
    }
  }

  async create(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
    const createdAt = Date.now();
    const value: StoredRecord = { userId, createdAt };
    return this.run('create the session', async () => {
      const { client, ttlSeconds } = this.options;
      const set = await client.set(this.sessionKey(sessionId), JSON.stringify(value), 'EX', ttlSeconds, 'NX');
      if (set !== 'OK') return undefined;
      await client.multi().zadd(this.userKey(userId), createdAt, sessionId).expire(this.userKey(userId), ttlSeconds).exec();
      return { sessionId, userId, createdAt: new Date(createdAt) };
    });
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const text = await this.run('read the session', () => this.options.client.get(this.sessionKey(sessionId)));
    if (!text) return undefined;
    const stored = JSON.parse(text) as StoredRecord;
    return { sessionId, userId: stored.userId, createdAt: new Date(stored.createdAt) };
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const ids = await this.run('list the sessions', () => this.options.client.zrevrange(this.userKey(userId), 0, -1));
    const records = await Promise.all(ids.map((id) => this.get(id)));
    const live = records.filter((r): r is SessionRecord => r?.userId === userId);
    const gone = ids.filter((id) => !live.some((r) => r.sessionId === id));
    if (gone.length) await this.run('prune the sessions', () => this.options.client.zrem(this.userKey(userId), ...gone));
    return live;
  }

  async remove(record: SessionRecord): Promise<void> {
    await this.context(record).clear();
    await this.run('delete the session', () => this.options.client.multi().del(this.sessionKey(record.sessionId)).zrem(this.userKey(record.userId), record.sessionId).exec());
  }

  async loadContext(record: SessionRecord, limit: number): Promise<Message[]> {
    return this.context(record).loadHistory({ limit });
  }

  async saveExchange(record: SessionRecord, user: Message, assistant: Message, meta: ExchangeMeta): Promise<void> {
    await this.context(record).saveExchange(user, assistant, meta);
    const { client, ttlSeconds } = this.options;
    const value: StoredRecord = { userId: record.userId, createdAt: record.createdAt.getTime() };
    await this.run('refresh the session', () =>
      client.multi().set(this.sessionKey(record.sessionId), JSON.stringify(value), 'EX', ttlSeconds).zadd(this.userKey(record.userId), value.createdAt, record.sessionId).expire(this.userKey(record.userId), ttlSeconds).exec(),
    );
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.options.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // The client is shared and closed by its owner.
  }
}
