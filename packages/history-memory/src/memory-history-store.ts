import {
  addUsage,
  assertBinding,
  assertLimit,
  emptyUsage,
  exchangeUsage,
  messageFromJSON,
  newestMessages,
  serializeExchange,
  sessionTitle,
  trimToValidStart,
  type ExchangeMeta,
  type HistoryBinding,
  type HistoryStore,
  type JsonMessage,
  type Message,
  type SessionInfo,
  type Usage,
} from '@llm/core';

const BACKEND = 'MemoryHistoryStore';

/** One stored conversation: messages as JSON text, so callers can never mutate what was saved. */
export interface MemoryHistorySession {
  messages: string[];
  usage: Usage;
  title?: string;
  createdAt: Date;
  lastActivity: Date;
}

/** Where memory stores keep conversations: userId → sessionId → session. Share one to let stores see each other. */
export type MemoryHistoryData = Map<string, Map<string, MemoryHistorySession>>;

/** Options of {@link MemoryHistoryStore}. */
export interface MemoryHistoryStoreOptions extends HistoryBinding {
  /**
   * The map to keep conversations in. Pass the same `new Map()` to several stores (or use `forSession`) so they
   * see the same sessions; default: a fresh private map for this store.
   */
  shared?: MemoryHistoryData;
}

/**
 * A conversation history store in process memory (the Python original's InMemoryHistoryBackup): for tests,
 * scripts and single-process apps. Nothing survives a restart.
 * @example
 * const history = new MemoryHistoryStore({ userId: 'user123', sessionId: 'session456' });
 * await history.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' });
 * console.log(await history.loadHistory());
 */
export class MemoryHistoryStore implements HistoryStore {
  readonly userId: string;
  readonly sessionId: string;
  private readonly data: MemoryHistoryData;

  constructor(options: MemoryHistoryStoreOptions) {
    assertBinding(options, BACKEND);
    this.userId = options.userId;
    this.sessionId = options.sessionId;
    this.data = options.shared ?? new Map();
  }

  /** A store for another user or session that shares this store's map. */
  forSession(binding: HistoryBinding): MemoryHistoryStore {
    return new MemoryHistoryStore({ userId: binding.userId, sessionId: binding.sessionId, shared: this.data });
  }

  /** Stores the exchange: all of its messages or, when one cannot be serialized, none (StorageError). */
  async saveExchange(user: Message, assistant: Message, meta: ExchangeMeta = {}): Promise<void> {
    const now = new Date();
    const serialized = serializeExchange(BACKEND, user, assistant, meta, now);
    let sessions = this.data.get(this.userId);
    if (!sessions) this.data.set(this.userId, (sessions = new Map()));
    let session = sessions.get(this.sessionId);
    if (!session) {
      session = { messages: [], usage: emptyUsage(), createdAt: now, lastActivity: now };
      sessions.set(this.sessionId, session);
    }
    session.title ??= sessionTitle(user);
    for (const message of serialized) session.messages.push(message.text);
    session.usage = addUsage(session.usage, exchangeUsage(meta));
    session.lastActivity = now;
  }

  /** The newest `limit` messages (all when absent), oldest first, never starting with an orphaned tool result. */
  async loadHistory(options: { limit?: number } = {}): Promise<Message[]> {
    assertLimit(options.limit, BACKEND);
    const texts = newestMessages(this.session()?.messages ?? [], options.limit);
    return trimToValidStart(texts.map((text) => messageFromJSON(JSON.parse(text) as JsonMessage)));
  }

  /** Token usage (and cost, when known) summed over the session. */
  async getUsageSummary(): Promise<Usage> {
    return { ...(this.session()?.usage ?? emptyUsage()) };
  }

  /** Removes this session and returns how many messages it had. */
  async clear(): Promise<number> {
    const sessions = this.data.get(this.userId);
    const count = this.session()?.messages.length ?? 0;
    sessions?.delete(this.sessionId);
    if (sessions?.size === 0) this.data.delete(this.userId);
    return count;
  }

  /** The user's sessions, newest activity first. */
  async listSessions(): Promise<SessionInfo[]> {
    const sessions = [...(this.data.get(this.userId) ?? new Map<string, MemoryHistorySession>())];
    return sessions
      .map(([sessionId, s]): SessionInfo => ({
        sessionId,
        title: s.title,
        messageCount: s.messages.length,
        createdAt: new Date(s.createdAt),
        lastActivity: new Date(s.lastActivity),
      }))
      .sort((a, b) => b.lastActivity.getTime() - a.lastActivity.getTime());
  }

  /** Nothing to release; present for symmetry with the other stores. */
  async close(): Promise<void> {}

  private session(): MemoryHistorySession | undefined {
    return this.data.get(this.userId)?.get(this.sessionId);
  }
}
