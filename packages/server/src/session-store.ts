import type { ExchangeMeta, Message } from '@llm/core';

/** A live chat session: who owns it and since when. */
export interface SessionRecord {
  sessionId: string;
  userId: string;
  createdAt: Date;
}

/**
 * Where live sessions and their model context (the newest messages) are kept between requests: Redis when
 * `REDIS_URL` is set (shared by every instance, with a TTL), process memory otherwise.
 */
export interface SessionStore {
  /** `redis` or `memory`, for the banner and `/health`. */
  readonly kind: string;
  /** Registers a session. Resolves to undefined when the id is already taken. */
  create(userId: string, sessionId: string): Promise<SessionRecord | undefined>;
  /** The live session with this id, whoever owns it. */
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** The user's live sessions, newest first. */
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Forgets the session and its context. */
  remove(record: SessionRecord): Promise<void>;
  /** The newest `limit` messages of the session's context, oldest first. */
  loadContext(record: SessionRecord, limit: number): Promise<Message[]>;
  /** Appends an exchange to the context (trimmed to the newest messages) and refreshes the session's TTL. */
  saveExchange(record: SessionRecord, user: Message, assistant: Message, meta: ExchangeMeta): Promise<void>;
  /** Whether the backing service answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
