import type { Cost } from './pricing.js';
import type { FinishReason, Message, ToolCall, ToolInteraction, Usage } from './types.js';

/** One try of a call: which model, how long, and the error if it failed. */
export interface Attempt {
  model: string;
  provider: string;
  durationMs: number;
  error?: string;
  errorName?: string;
}

/** The fields of a reply. */
export interface ReplyInit<T = unknown> {
  text: string;
  usage: Usage;
  model: string;
  provider: string;
  finishReason: FinishReason;
  toolCalls?: ToolCall[];
  toolInteractions?: ToolInteraction[];
  cacheHit?: boolean;
  cachedUsage?: Usage;
  structuredData?: T;
  validationErrors?: string[];
  choice?: string | null;
  choiceIndex?: number | null;
  confidence?: number;
  cost?: Cost;
  attempts?: Attempt[];
  reasoning?: string;
  raw?: unknown;
  messages?: Message[];
}

/**
 * A model's answer. `String(reply)` is `choice ?? text`, like the Python original.
 * @example const reply = await llm.ask('안녕?'); console.log(reply.text, reply.usage.total, reply.cost?.usd);
 */
export class Reply<T = unknown> {
  text: string;
  usage: Usage;
  model: string;
  provider: string;
  finishReason: FinishReason;
  toolCalls: ToolCall[];
  toolInteractions: ToolInteraction[];
  /** True when the answer came from the cache (then `usage` is zero and `cachedUsage` holds the original). */
  cacheHit: boolean;
  cachedUsage?: Usage;
  structuredData?: T;
  validationErrors?: string[];
  choice?: string | null;
  choiceIndex?: number | null;
  confidence?: number;
  cost?: Cost;
  /** Each try (retries and fallbacks) that led to this reply, the successful one last. */
  attempts: Attempt[];
  reasoning?: string;
  raw?: unknown;
  /** The messages this exchange added to the conversation: the user message, tool calls and results, the answer. */
  messages: Message[];

  constructor(init: ReplyInit<T>) {
    this.text = init.text;
    this.usage = init.usage;
    this.model = init.model;
    this.provider = init.provider;
    this.finishReason = init.finishReason;
    this.toolCalls = init.toolCalls ?? [];
    this.toolInteractions = init.toolInteractions ?? [];
    this.cacheHit = init.cacheHit ?? false;
    this.attempts = init.attempts ?? [];
    this.messages = init.messages ?? [];
    // The optional fields only when set, always in this order (one store each, no per-reply key list).
    if (init.cachedUsage !== undefined) this.cachedUsage = init.cachedUsage;
    if (init.structuredData !== undefined) this.structuredData = init.structuredData;
    if (init.validationErrors !== undefined) this.validationErrors = init.validationErrors;
    if (init.choice !== undefined) this.choice = init.choice;
    if (init.choiceIndex !== undefined) this.choiceIndex = init.choiceIndex;
    if (init.confidence !== undefined) this.confidence = init.confidence;
    if (init.cost !== undefined) this.cost = init.cost;
    if (init.reasoning !== undefined) this.reasoning = init.reasoning;
    if (init.raw !== undefined) this.raw = init.raw;
  }

  /** True when the offline mock model answered. */
  get isMock(): boolean {
    return this.provider === 'mock';
  }

  toString(): string {
    return this.choice ?? this.text;
  }

  toJSON(): Omit<ReplyInit<T>, 'raw'> & { cacheHit: boolean } {
    const { raw: _raw, ...rest } = this;
    return rest;
  }
}

/** A streamed piece of a reply. Every chunk has `text`; the last one carries the whole `Reply`. */
export type Chunk<T = unknown> =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall; text: '' }
  | { type: 'tool-result'; interaction: ToolInteraction; text: '' }
  | { type: 'finish'; reply: Reply<T>; text: '' };
