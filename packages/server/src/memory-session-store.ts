import { jsonMessageText, messageFromJSON, messageToJSON, trimToValidStart, type ExchangeMeta, type JsonMessage, type Message } from '@llm/core';
import type { SessionRecord, SessionStore } from './session-store.js';

/** A caller's own copy of a record. */
function copyOf(record: SessionRecord): SessionRecord {
  return { sessionId: record.sessionId, userId: record.userId, createdAt: record.createdAt };
}

interface LiveSession {
  record: SessionRecord;
  expiresAt: number;
  /** Messages as JSON text, so nobody can mutate what was saved. */
  messages: string[];
}

/**
 * Sessions in process memory (the default without `REDIS_URL`): a TTL after the last message and the newest
 * `maxMessages` messages of context. Nothing is shared with other processes.
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  private readonly sessions = new Map<string, LiveSession>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly sweeper: NodeJS.Timeout;

  /**
   * `keepContext: false` keeps no messages (loadContext answers []), for a server whose permanent history is itself
   * in this process's memory: the context is read from there, and each message is stored once.
   */
  constructor(private readonly options: { ttlSeconds: number; maxMessages: number; keepContext?: boolean; now?: () => number }) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(options.ttlSeconds * 1000, 60_000));
    this.sweeper.unref();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private live(sessionId: string): LiveSession | undefined {
    const session = this.sessions.get(sessionId);
    if (session && session.expiresAt <= this.now()) {
      this.forget(session.record);
      return undefined;
    }
    return session;
  }

  private forget(record: SessionRecord): void {
    this.sessions.delete(record.sessionId);
    const ids = this.byUser.get(record.userId);
    ids?.delete(record.sessionId);
    if (ids?.size === 0) this.byUser.delete(record.userId);
  }

  private sweep(): void {
    for (const session of [...this.sessions.values()]) this.live(session.record.sessionId);
  }

  async create(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
    if (this.live(sessionId)) return undefined;
    const record = { sessionId, userId, createdAt: new Date(this.now()) };
    this.sessions.set(sessionId, { record, expiresAt: this.now() + this.options.ttlSeconds * 1000, messages: [] });
    let ids = this.byUser.get(userId);
    if (!ids) this.byUser.set(userId, (ids = new Set()));
    ids.add(sessionId);
    return copyOf(record);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const session = this.live(sessionId);
    return session && copyOf(session.record);
  }

  async listForUser(userId: string): Promise<SessionRecord[]> {
    const records = [...(this.byUser.get(userId) ?? [])].map((id) => this.live(id)?.record).filter((r): r is SessionRecord => !!r);
    return records.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map(copyOf);
  }

  async remove(record: SessionRecord): Promise<void> {
    this.forget(record);
  }

  async loadContext(record: SessionRecord, limit: number): Promise<Message[]> {
    const messages = this.live(record.sessionId)?.messages ?? [];
    return trimToValidStart(messages.slice(-limit).map((text) => messageFromJSON(JSON.parse(text) as JsonMessage)));
  }

  async saveExchange(record: SessionRecord, user: Message, assistant: Message, meta: ExchangeMeta): Promise<void> {
    const session = this.live(record.sessionId) ?? (await this.create(record.userId, record.sessionId), this.sessions.get(record.sessionId)!);
    session.expiresAt = this.now() + this.options.ttlSeconds * 1000;
    if (this.options.keepContext === false) return;
    const now = new Date();
    // Every message is serialized before any is kept: an exchange is saved whole or not at all.
    const texts = [jsonMessageText(messageToJSON(user, now))];
    for (const message of meta.toolMessages ?? []) texts.push(jsonMessageText(messageToJSON(message, now)));
    texts.push(jsonMessageText(messageToJSON(assistant, now)));
    const { messages } = session;
    for (const text of texts) messages.push(text);
    const excess = messages.length - this.options.maxMessages;
    if (excess > 0) messages.splice(0, excess);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sessions.clear();
    this.byUser.clear();
  }
}
