import { MAX_MESSAGE_LENGTH } from './api-schemas.js';
import type { ImageInput } from './chat-engine.js';

/** How a block changes what the page shows under its id. */
export type BlockMode = 'overwrite' | 'append' | 'delete' | 'thinking-start' | 'thinking-end';

/** A text block: a user message, an assistant answer (streamed as `append` deltas sharing the id). */
export interface MessageBlock {
  type: 'message';
  id: string;
  role: 'user' | 'assistant';
  mode: BlockMode;
  content: string;
}

/** What a tool-call block shows: the call, then (same id, `overwrite`) its result. */
export interface ToolCallContent {
  name: string;
  arguments: unknown;
  status: 'running' | 'done' | 'error';
  result?: unknown;
  error?: string;
  durationMs?: number;
}

/** A tool call and its result. */
export interface ToolCallBlock {
  type: 'tool-call';
  id: string;
  role: 'tool';
  mode: 'overwrite';
  content: ToolCallContent;
}

/** Tokens and cost of a turn; also marks the end of the turn. */
export interface UsageBlock {
  type: 'usage';
  id: string;
  role: 'system';
  mode: 'overwrite';
  content: { input: number; output: number; total: number; costUsd: number | null; model: string };
}

/** Something went wrong; the turn is over. */
export interface ErrorBlock {
  type: 'error';
  id: string;
  role: 'error';
  mode: 'overwrite';
  content: string;
}

/** Every frame the server sends. */
export type ServerFrame =
  | { type: 'pong' }
  | { type: 'conversation'; conversationId: string }
  | MessageBlock
  | ToolCallBlock
  | UsageBlock
  | ErrorBlock;

/** Every frame the browser sends. */
export type ClientFrame = { type: 'user_message'; text: string; images: ImageInput[] } | { type: 'ping' };

/** Close code of a refused connection: not allowed, another site's page, or no such conversation. */
export const CLOSE_REFUSED = 4003;
/** Close code after a server error (sent after an error block). */
export const CLOSE_SERVER_ERROR = 4000;

const MAX_IMAGES = 4;
const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/]+={0,2})$/;

function decodeImages(value: unknown): ImageInput[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'images must be a list of data: URLs.';
  if (value.length > MAX_IMAGES) return `images: at most ${MAX_IMAGES} per message.`;
  const images: ImageInput[] = [];
  for (const [i, item] of value.entries()) {
    const match = typeof item === 'string' ? DATA_URL.exec(item) : null;
    if (!match) return `images[${i}] must be a data:image/(png|jpeg|gif|webp);base64,… URL.`;
    images.push({ mediaType: match[1], data: new Uint8Array(Buffer.from(match[2], 'base64')) });
  }
  return images;
}

/** Parses a frame from the browser; a string says what was wrong with it. */
export function parseClientFrame(data: string): ClientFrame | string {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return 'Frames must be JSON, e.g. {"type":"user_message","text":"안녕하세요"}.';
  }
  const f = frame as { type?: unknown; text?: unknown; images?: unknown };
  if (typeof frame !== 'object' || frame === null) return 'A frame must be a JSON object with a "type".';
  if (f.type === 'ping') return { type: 'ping' };
  if (f.type !== 'user_message') return `Unknown frame type ${JSON.stringify(f.type)}: send "user_message" or "ping".`;
  if (typeof f.text !== 'string' || !f.text.trim()) return 'user_message needs a non-empty "text".';
  if (f.text.length > MAX_MESSAGE_LENGTH) return `text is longer than ${MAX_MESSAGE_LENGTH} characters.`;
  const images = decodeImages(f.images);
  if (typeof images === 'string') return images;
  return { type: 'user_message', text: f.text, images };
}
