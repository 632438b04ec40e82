import { randomUUID } from 'node:crypto';
import type { Logger, Message, SessionInfo } from '@llm/core';
import type { TurnExchange } from './chat-engine.js';
import type { HistoryBackend } from './server-options.js';
import type { SessionRecord, SessionStore } from './session-store.js';

/** A session as `GET /api/chat/sessions` lists it. */
export interface SessionSummary {
  sessionId: string;
  title?: string;
  messageCount: number;
  createdAt: Date;
  lastActivity: Date;
}

/** The binding used to list a user's sessions (listing ignores the session id). */
const LISTING = '_list';

/**
 * Sessions and their history, per user: live sessions and their model context in the {@link SessionStore}
 * (Redis or memory), every message in the permanent {@link HistoryBackend} (SQLite or Postgres). A session is
 * only ever found for its owner; an expired session with stored history comes back to life for its owner.
 */
export class ChatSessions {
  constructor(
    readonly store: SessionStore,
    readonly history: HistoryBackend,
    private readonly options: { maxMessages: number; logger: Logger },
  ) {}

  /** Starts a session for the user. */
  create(userId: string): Promise<SessionRecord> {
    // A new random id is taken only when the first one was already live (never, in practice).
    return this.store.create(userId, randomUUID()).then((record) => record ?? this.create(userId));
  }

  /** The user's session with this id, or undefined when it does not exist or belongs to someone else. */
  async resolve(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
    const live = await this.store.get(sessionId);
    if (live) return live.userId === userId ? live : undefined;
    const stored = await this.history.forSession({ userId, sessionId }).loadHistory({ limit: 1 });
    if (!stored.length) return undefined;
    const revived = await this.store.create(userId, sessionId);
    if (revived) return revived;
    const raced = await this.store.get(sessionId);
    return raced?.userId === userId ? raced : undefined;
  }

  /** The model context: the live session's newest messages, else the newest stored ones. */
  async context(record: SessionRecord): Promise<Message[]> {
    const live = await this.store.loadContext(record, this.options.maxMessages);
    if (live.length) return live;
    return this.history.forSession(record).loadHistory({ limit: this.options.maxMessages });
  }

  /** Every stored message of the session, oldest first. */
  previousMessages(record: SessionRecord, limit?: number): Promise<Message[]> {
    return this.history.forSession(record).loadHistory(limit === undefined ? {} : { limit });
  }

  /**
   * Saves an exchange in the session context and in the permanent history. A store that fails is logged and
   * skipped, so the answer the user already has is never lost to a storage hiccup in the other store.
   */
  async saveExchange(record: SessionRecord, exchange: TurnExchange): Promise<void> {
    const { user, assistant, toolMessages, reply } = exchange;
    const meta = { usage: reply.usage, model: reply.model, costUsd: reply.cost?.usd, toolMessages };
    const warn = (store: string) => (error: unknown) => {
      this.options.logger.warn({ session: record.sessionId, store, error: (error as Error)?.message }, 'could not save the exchange');
    };
    // Both stores write at once; each failure is logged on its own.
    const live = this.store.saveExchange(record, user, assistant, meta).catch(warn(this.store.kind));
    const stored = this.history.forSession(record).saveExchange(user, assistant, meta).catch(warn(this.history.description));
    await live;
    await stored;
  }

  /** The user's sessions (stored and live), newest activity first. */
  async list(userId: string): Promise<SessionSummary[]> {
    const listing = this.history.forSession({ userId, sessionId: LISTING });
    const [stored, live] = await Promise.all([listing.listSessions?.() ?? Promise.resolve<SessionInfo[]>([]), this.store.listForUser(userId)]);
    const byId = new Map<string, SessionSummary>(stored.map((s) => [s.sessionId, { ...s }]));
    for (const record of live) {
      if (!byId.has(record.sessionId)) byId.set(record.sessionId, { sessionId: record.sessionId, messageCount: 0, createdAt: record.createdAt, lastActivity: record.createdAt });
    }
    return [...byId.values()].sort((a, b) => b.lastActivity.getTime() - a.lastActivity.getTime());
  }

  /** Deletes the session and its stored messages; resolves to how many messages it had. */
  async delete(record: SessionRecord): Promise<number> {
    const [removed] = await Promise.all([this.history.forSession(record).clear(), this.store.remove(record)]);
    return removed;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.store.close(), this.history.close()]);
  }
}
