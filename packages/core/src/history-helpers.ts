// Shared by every @llm/history-* package: bindings, exchange serialization, titles, usage and driver errors.
import { ConfigurationError, LLMError, StorageError } from './errors.js';
import { messageText, messageToJSON, type JsonMessage } from './message-json.js';
import type { ExchangeMeta, Message, Usage } from './types.js';
import { emptyUsage } from './usage.js';

/** Which user and which of the user's conversations a store is bound to. */
export interface HistoryBinding {
  /** The owner of the conversation. The same `sessionId` under another user is another conversation. */
  userId: string;
  /** The conversation. */
  sessionId: string;
}

/** A message ready to store: its JSON form and that form as a string. */
export interface SerializedMessage {
  json: JsonMessage;
  text: string;
}

/** How many characters (code points) of the first user message make a session title. */
export const TITLE_LENGTH = 60;

/** Throws a ConfigurationError unless both ids are non-empty strings. */
export function assertBinding(binding: Partial<HistoryBinding> | undefined, backend: string): asserts binding is HistoryBinding {
  for (const key of ['userId', 'sessionId'] as const) {
    const value = binding?.[key];
    if (typeof value !== 'string' || value.length === 0) {
      throw new ConfigurationError(`${backend}: \`${key}\` must be a non-empty string (got ${JSON.stringify(value)}). Pass the user and session the store belongs to.`);
    }
  }
}

/** Throws a ConfigurationError unless `limit` is absent or a whole number ≥ 0. */
export function assertLimit(limit: number | undefined, backend: string): void {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new ConfigurationError(`${backend}: loadHistory({ limit }) takes a whole number ≥ 0 (got ${limit}). Leave it out to load everything.`);
  }
}

/**
 * `JSON.stringify(json)` of a stored message: the same text, built directly for the common message of plain text
 * (role, string content, createdAt) without the generic walk over a fresh object.
 */
export function jsonMessageText(json: JsonMessage): string {
  if (
    typeof json.content === 'string' && json.toolCalls === undefined && json.toolCallId === undefined && json.toolName === undefined &&
    json.isError === undefined && json.toolInteractions === undefined
  ) {
    const createdAt = json.createdAt === undefined ? '' : `,"createdAt":${JSON.stringify(json.createdAt)}`;
    return `{"role":${JSON.stringify(json.role)},"content":${JSON.stringify(json.content)}${createdAt}}`;
  }
  return JSON.stringify(json);
}

/**
 * The messages of an exchange in storage order (user, tool messages, final assistant), each with a `createdAt`
 * (`now` unless it had one), serialized up front so that a bad message fails the whole exchange before anything is written.
 */
export function serializeExchange(backend: string, user: Message, assistant: Message, meta: ExchangeMeta = {}, now = new Date()): SerializedMessage[] {
  try {
    const messages = meta.toolMessages?.length ? [user, ...meta.toolMessages, assistant] : [user, assistant];
    return messages.map((message) => {
      const json = messageToJSON(message, now);
      return { json, text: jsonMessageText(json) };
    });
  } catch (error) {
    throw new StorageError(
      `${backend}: the exchange could not be serialized to JSON (${describeError(error)}), so none of it was stored. ` +
        'Tool arguments, results and interactions must be JSON values (no BigInt, functions or cycles).',
      { cause: error },
    );
  }
}

/** The session title: the first user message's text, trimmed, cut to 60 code points; undefined when it has none. */
export function sessionTitle(user: Message): string | undefined {
  const text = messageText(user).trim();
  if (!text) return undefined;
  // No more UTF-16 units than the limit: no more code points either, nothing to cut.
  return text.length <= TITLE_LENGTH ? text : Array.from(text).slice(0, TITLE_LENGTH).join('');
}

/** What an exchange adds to its session's usage: `meta.usage` with `meta.costUsd`; undefined when neither is known. */
export function exchangeUsage(meta: ExchangeMeta = {}): Usage | undefined {
  const costUsd = meta.costUsd ?? meta.usage?.costUsd;
  if (!meta.usage && costUsd === undefined) return undefined;
  // Assigned field by field: Node 20 copies `{ ...usage }` through a slow path.
  const usage: Usage = Object.assign(emptyUsage(), meta.usage);
  if (costUsd !== undefined) usage.costUsd = costUsd;
  return usage;
}

/** The newest `limit` messages (all when absent). */
export function newestMessages<T>(messages: T[], limit: number | undefined): T[] {
  if (limit === undefined) return messages;
  return limit === 0 ? [] : messages.slice(-limit);
}

/**
 * The error worth reporting: drizzle wraps a driver error as "Failed query: … params: …", with the conversation's
 * text in the params, so its cause (the driver's own error) is used instead.
 */
export function driverError(error: unknown): unknown {
  return error instanceof Error && error.message.startsWith('Failed query:') && error.cause !== undefined ? error.cause : error;
}

/** An error's message with any `user:password@` of a connection URL hidden. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\/\/([^/\s:@]*):[^@\s/]*@/g, '//$1:[redacted]@');
}

/** Wraps a driver failure in a StorageError that names the backend, the action and what to do. */
export function storageError(backend: string, action: string, error: unknown, hint: string): LLMError {
  if (LLMError.isInstance(error)) return error;
  const cause = driverError(error);
  return new StorageError(`${backend} could not ${action}: ${describeError(cause)}. ${hint}`, { cause });
}
