import type { Message } from './types.js';
import { trimToValidStart } from './message-json.js';

/**
 * Makes a history safe to send: an assistant tool call whose results never came (`executeTools: false`) is sent
 * as plain text, and a tool result whose call is missing is dropped. Providers reject either otherwise.
 */
export function sanitizeHistory(messages: Message[]): Message[] {
  const answered = new Set(messages.filter((m) => m.role === 'tool' && m.toolCallId).map((m) => m.toolCallId!));
  const called = new Set<string>();
  const out: Message[] = [];
  for (const message of messages) {
    if (message.role === 'assistant' && message.toolCalls?.length) {
      if (message.toolCalls.every((c) => answered.has(c.id))) {
        for (const c of message.toolCalls) called.add(c.id);
        out.push(message);
      } else {
        const { toolCalls: _dropped, ...rest } = message;
        out.push(rest);
      }
    } else if (message.role === 'tool') {
      if (message.toolCallId && called.has(message.toolCallId)) out.push(message);
    } else out.push(message);
  }
  return out;
}

/** Keeps the newest `limit` messages without starting on a tool result cut from its call. */
export function trimHistory(messages: Message[], limit: number | undefined): Message[] {
  if (limit === undefined || messages.length <= limit) return messages;
  return trimToValidStart(messages.slice(messages.length - limit));
}
