import type { ContentPart, Message, ToolCall, ToolInteraction } from './types.js';

/** A content part in JSON form: bytes as base64, URLs as strings. */
export type JsonContentPart =
  | { type: 'text'; text: string }
  | { type: 'image' | 'file'; mediaType: string; filename?: string; base64?: string; url?: string };

/** A message in JSON form, safe to store in a database column, a file or Redis. */
export interface JsonMessage {
  role: Message['role'];
  content: string | JsonContentPart[];
  toolCalls?: ToolCall[];
  toolCallId?: string;
  toolName?: string;
  isError?: boolean;
  toolInteractions?: ToolInteraction[];
  /** ISO 8601. */
  createdAt?: string;
}

/** Encodes bytes as base64 (Node's Buffer when present, so large files stay fast). */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes base64 into a fresh Uint8Array. */
export function base64ToBytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Converts content parts to their JSON form. Text is kept byte for byte (no normalization). */
export function contentToJSON(content: Message['content']): JsonMessage['content'] {
  if (typeof content === 'string') return content;
  return content.map((part: ContentPart): JsonContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const base = { type: part.type, mediaType: part.mediaType, ...(part.filename ? { filename: part.filename } : {}) };
    return part.data instanceof URL ? { ...base, url: part.data.href } : { ...base, base64: bytesToBase64(part.data) };
  });
}

/** Converts JSON content parts back to content parts. */
export function contentFromJSON(content: JsonMessage['content']): Message['content'] {
  if (typeof content === 'string') return content;
  return content.map((part): ContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const data = part.url !== undefined ? new URL(part.url) : base64ToBytes(part.base64 ?? '');
    return { type: part.type, data, mediaType: part.mediaType, ...(part.filename ? { filename: part.filename } : {}) };
  });
}

/**
 * Converts a message to a JSON-safe object (for history stores and caches). `createdAt` is used when the message
 * has none of its own.
 * @example
 * const row = JSON.stringify(messageToJSON(message)); const back = messageFromJSON(JSON.parse(row));
 */
export function messageToJSON(message: Message, createdAt?: Date): JsonMessage {
  const out: JsonMessage = { role: message.role, content: contentToJSON(message.content) };
  if (message.toolCalls?.length) out.toolCalls = message.toolCalls;
  if (message.toolCallId !== undefined) out.toolCallId = message.toolCallId;
  if (message.toolName !== undefined) out.toolName = message.toolName;
  if (message.isError) out.isError = true;
  if (message.toolInteractions?.length) out.toolInteractions = message.toolInteractions;
  const at = message.createdAt ?? createdAt;
  if (at) out.createdAt = at.toISOString();
  return out;
}

/** The inverse of `messageToJSON`. */
export function messageFromJSON(json: JsonMessage): Message {
  const out: Message = { role: json.role, content: contentFromJSON(json.content) };
  if (json.toolCalls?.length) out.toolCalls = json.toolCalls;
  if (json.toolCallId !== undefined) out.toolCallId = json.toolCallId;
  if (json.toolName !== undefined) out.toolName = json.toolName;
  if (json.isError) out.isError = true;
  if (json.toolInteractions?.length) out.toolInteractions = json.toolInteractions;
  if (json.createdAt) out.createdAt = new Date(json.createdAt);
  return out;
}

/** The text of a message: its string content, or its text parts joined. */
export function messageText(message: Pick<Message, 'content'>): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/**
 * Drops tool results from the front of a window: their call was cut off. (A window cut from the front keeps every
 * result that follows a call it contains, so a leading tool result is the only orphan.) Stores use it for `limit`.
 */
export function trimToValidStart(messages: Message[]): Message[] {
  let start = 0;
  while (start < messages.length && messages[start].role === 'tool') start++;
  return start === 0 ? messages : messages.slice(start);
}
