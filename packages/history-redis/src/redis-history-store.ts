import { Redis } from 'ioredis';
import {
  ConfigurationError,
  StorageError,
  assertBinding,
  assertLimit,
  exchangeUsage,
  messageFromJSON,
  serializeExchange,
  sessionTitle,
  storageError,
  trimToValidStart,
  type ExchangeMeta,
  type HistoryBinding,
  type HistoryStore,
  type JsonMessage,
  type Message,
  type SessionInfo,
  type Usage,
} from '@llm/core';
import { DEFAULT_REDIS_HISTORY_PREFIX, TRIM_TO_EXCHANGES_LUA, redisHistoryKeys, type RedisHistoryKeys } from './redis-history-keys.js';

const BACKEND = 'RedisHistoryStore';
const HINT = 'Check that Redis is reachable at REDIS_URL (or the given url/client).';
const COUNT_FIELDS = ['input', 'output', 'total'] as const;
const OPTIONAL_COUNT_FIELDS = ['cachedInput', 'cacheWriteInput', 'reasoning'] as const;

/** The server used when neither `url` nor `client` is given and REDIS_URL is unset. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Options of {@link RedisHistoryStore}. */
export interface RedisHistoryStoreOptions extends HistoryBinding {
  /** Connection URL; the store opens (and `close()` quits) its own connection. Default `REDIS_URL`, then local Redis. */
  url?: string;
  /** An ioredis client to share (the store never quits it). Excludes `url`. A single node: MULTI spans several keys. */
  client?: Redis;
  /** Seconds a session lives after its last write; every write refreshes it. 0 keeps sessions forever. Default 3600. */
  ttl?: number;
  /** The most messages a session keeps, trimmed by whole exchanges (oldest first). 0 keeps all. Default 20. */
  maxMessages?: number;
  /** Prefix of every key. Default `llm:history:`. */
  prefix?: string;
}

function wholeNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigurationError(`${BACKEND}: \`${name}\` must be a whole number ≥ 0 (got ${value}); 0 turns it off.`);
  }
  return value;
}

/**
 * Short-lived conversation sessions in Redis (ioredis), as a chat server keeps them: a list per session that
 * expires `ttl` seconds after the last write and keeps the newest `maxMessages` messages, never splitting an
 * exchange. Each save is one MULTI; usage sums live in a hash; each user's sessions in a sorted set.
 * @example
 * const history = new RedisHistoryStore({ url: 'redis://127.0.0.1:6379', userId: 'user123', sessionId: 'session456' });
 * await history.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' });
 * console.log(await history.loadHistory());
 * await history.close();
 */
export class RedisHistoryStore implements HistoryStore {
  readonly userId: string;
  readonly sessionId: string;
  /** Seconds a session lives after its last write (0: forever). */
  readonly ttl: number;
  /** The most messages a session keeps (0: all). */
  readonly maxMessages: number;
  /** Prefix of every key. */
  readonly prefix: string;
  /** The keys of this session. */
  readonly keys: RedisHistoryKeys;
  private readonly url: string;
  private client?: Redis;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: RedisHistoryStoreOptions) {
    assertBinding(options, BACKEND);
    if (options.url !== undefined && options.client !== undefined) {
      throw new ConfigurationError(`${BACKEND}: give either \`url\` or \`client\`, not both.`);
    }
    this.userId = options.userId;
    this.sessionId = options.sessionId;
    this.ttl = wholeNumber('ttl', options.ttl, 3600);
    this.maxMessages = wholeNumber('maxMessages', options.maxMessages, 20);
    this.prefix = options.prefix ?? DEFAULT_REDIS_HISTORY_PREFIX;
    this.keys = redisHistoryKeys(this.prefix, this.userId, this.sessionId);
    this.client = options.client;
    this.ownsClient = !options.client;
    this.url = options.url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  }

  /** A store for another user or session on the same connection and settings (closing it leaves the connection open). */
  forSession(binding: HistoryBinding): RedisHistoryStore {
    return new RedisHistoryStore({ ...binding, client: this.redis(), ttl: this.ttl, maxMessages: this.maxMessages, prefix: this.prefix });
  }

  /** Stores the exchange in one MULTI, trims the session by whole exchanges and refreshes its TTL. */
  async saveExchange(user: Message, assistant: Message, meta: ExchangeMeta = {}): Promise<void> {
    const now = new Date();
    const serialized = serializeExchange(BACKEND, user, assistant, meta, now);
    const { messages, meta: metaKey, sessions } = this.keys;
    await this.exec('save the exchange', (multi) => {
      multi.rpush(messages, ...serialized.map((m) => m.text));
      if (this.maxMessages > 0) multi.eval(TRIM_TO_EXCHANGES_LUA, 1, messages, this.maxMessages);
      multi.hsetnx(metaKey, 'createdAt', now.getTime());
      const title = sessionTitle(user);
      if (title !== undefined) multi.hsetnx(metaKey, 'title', title);
      const usage = exchangeUsage(meta);
      for (const field of [...COUNT_FIELDS, ...OPTIONAL_COUNT_FIELDS]) if (usage?.[field] !== undefined) multi.hincrby(metaKey, field, usage[field]);
      if (usage?.costUsd !== undefined) multi.hincrbyfloat(metaKey, 'costUsd', usage.costUsd);
      multi.zadd(sessions, 'GT', now.getTime(), this.sessionId);
      if (this.ttl > 0) {
        multi.zremrangebyscore(sessions, '-inf', now.getTime() - this.ttl * 1000);
        for (const key of [messages, metaKey, sessions]) multi.expire(key, this.ttl);
      }
    });
  }

  /** The newest `limit` messages (all when absent), oldest first, never starting with an orphaned tool result. */
  async loadHistory(options: { limit?: number } = {}): Promise<Message[]> {
    const { limit } = options;
    assertLimit(limit, BACKEND);
    if (limit === 0) return [];
    const texts = await this.command('load the history', (redis) => redis.lrange(this.keys.messages, limit === undefined ? 0 : -limit, -1));
    return trimToValidStart(texts.map((text) => messageFromJSON(JSON.parse(text) as JsonMessage)));
  }

  /** Token usage (and cost, when known) summed over everything saved in the session, trimmed messages included. */
  async getUsageSummary(): Promise<Usage> {
    const hash = await this.command('sum the usage', (redis) => redis.hgetall(this.keys.meta));
    const usage: Usage = { input: 0, output: 0, total: 0 };
    for (const field of COUNT_FIELDS) usage[field] = Number(hash[field] ?? 0);
    for (const field of [...OPTIONAL_COUNT_FIELDS, 'costUsd'] as const) if (hash[field] !== undefined) usage[field] = Number(hash[field]);
    return usage;
  }

  /** Removes this session and returns how many messages it held. */
  async clear(): Promise<number> {
    const [count] = await this.exec('clear the session', (multi) => {
      multi.llen(this.keys.messages).del(this.keys.messages, this.keys.meta).zrem(this.keys.sessions, this.sessionId);
    });
    return Number(count);
  }

  /** The user's live sessions (expired ones are dropped from the index), newest activity first. */
  async listSessions(): Promise<SessionInfo[]> {
    const scored = await this.command('list the sessions', (redis) => redis.zrevrange(this.keys.sessions, 0, -1, 'WITHSCORES'));
    const ids = scored.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return [];
    const details = await this.exec('list the sessions', (multi) => {
      for (const id of ids) {
        const keys = redisHistoryKeys(this.prefix, this.userId, id);
        multi.llen(keys.messages).hmget(keys.meta, 'createdAt', 'title');
      }
    });
    const sessions: SessionInfo[] = [];
    const expired: string[] = [];
    ids.forEach((sessionId, i) => {
      const messageCount = Number(details[2 * i]);
      const [createdAt, title] = details[2 * i + 1] as (string | null)[];
      if (messageCount === 0) expired.push(sessionId);
      else {
        const lastActivity = new Date(Number(scored[2 * i + 1]));
        sessions.push({ sessionId, title: title ?? undefined, messageCount, createdAt: new Date(Number(createdAt ?? lastActivity)), lastActivity });
      }
    });
    if (expired.length > 0) await this.command('list the sessions', (redis) => redis.zrem(this.keys.sessions, ...expired));
    return sessions;
  }

  /** Quits the connection if this store opened it; a given `client` stays open. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (!this.ownsClient || !client) return;
    if (client.status === 'wait' || client.status === 'end') client.disconnect();
    else await client.quit().catch(() => client.disconnect());
  }

  private redis(): Redis {
    if (this.closed) throw new StorageError(`${BACKEND}: this store was closed; create a new one.`);
    if (!this.client) {
      // Few retries per command, so an unreachable Redis fails a call quickly instead of queueing it for long.
      this.client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
      // Connection errors reach the caller as the failed command's StorageError; without a listener ioredis prints each one.
      this.client.on('error', () => {});
    }
    return this.client;
  }

  private async command<T>(action: string, work: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await work(this.redis());
    } catch (error) {
      throw storageError(BACKEND, action, error, HINT);
    }
  }

  /** Runs commands in one MULTI and returns their results; any failed command fails the call. */
  private async exec(action: string, build: (multi: ReturnType<Redis['multi']>) => void): Promise<unknown[]> {
    return this.command(action, async (redis) => {
      const multi = redis.multi();
      build(multi);
      const replies = await multi.exec();
      if (!replies) throw new StorageError(`${BACKEND} could not ${action}: the transaction was aborted. Try again.`);
      const failed = replies.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
      return replies.map(([, result]) => result);
    });
  }
}
