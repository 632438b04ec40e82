import type { z } from 'zod';
import type { FileInput } from './files.js';
import type { MockResponse } from './mock-model.js';
import type { PromptLike } from './prompt.js';
import type { ToolInput } from './tools.js';
import type { Cache, HistoryStore, JsonSchema, Logger, Message, ProviderOptions, ToolChoice } from './types.js';

/** A fallback model: its name, or its name with its own key and endpoint. */
export type FallbackModel = string | { model: string; apiKey?: string; baseURL?: string; providerOptions?: Record<string, unknown> };

/** Options of `LLM.create(model, options)`. Every one is optional. */
export interface LLMOptions {
  /** The system prompt (a string with `{name}` placeholders, or a PromptTemplate), rendered per call, never stored. */
  systemPrompt?: PromptLike;
  /** The prompt template used when `ask` gets an object instead of a string. */
  prompt?: PromptLike;
  temperature?: number;
  maxTokens?: number;
  /** The API key (else the provider's environment variable). Never logged, never in errors or cache keys. */
  apiKey?: string;
  /** The endpoint (else the provider's `*_BASE_URL` environment variable). */
  baseURL?: string;
  headers?: Record<string, string>;
  /** The fetch the provider's HTTP client uses (proxies, tests). */
  fetch?: typeof globalThis.fetch;
  /** Provider-specific options passed through to the provider package. */
  providerOptions?: Record<string, unknown>;
  /** A response cache (`@llm/cache-*`). */
  cache?: Cache;
  /** The TTL of entries this LLM writes, in seconds (else the cache's own). */
  cacheTtl?: number;
  /** A history store (`@llm/history-*`): restored before the first ask, each exchange saved. */
  historyBackup?: HistoryStore;
  /** Never keep history (each ask stands alone); `clear()` is then a no-op. */
  stateless?: boolean;
  /** Messages the conversation starts with. */
  initialMessages?: Message[];
  /** Keep at most this many history messages (the oldest dropped, a tool result never without its call). */
  historyLimit?: number;
  /** Tools offered on every ask. */
  tools?: ToolInput[];
  /** The most tool calls one ask executes (default 5). */
  maxToolCalls?: number;
  /** Retries per model after the first try (default 2). */
  maxRetries?: number;
  /** The first backoff step in ms (default 500). */
  retryBaseDelayMs?: number;
  /** Timeout of a whole call, tool execution included. */
  timeoutMs?: number;
  /** Timeout between two stream chunks. */
  idleTimeoutMs?: number;
  /** Models to try, in order, when the model fails after its retries. */
  fallbacks?: FallbackModel[];
  /** How long a model that keeps failing is skipped (default 30 s; 0 turns the cool-down off). */
  cooldownMs?: number;
  /** How many failures within `cooldownWindowMs` (default 60 s) start a cool-down (default 3). */
  cooldownFailures?: number;
  cooldownWindowMs?: number;
  /** Stop before a call once this instance has spent this many USD. */
  maxCostUsd?: number;
  /** Console by default; any pino-compatible logger. */
  logger?: Logger;
  /** MCP servers whose tools are offered (needs `@llm/mcp`). */
  mcpServers?: unknown;
  /** Mock model only: scripted replies. */
  responses?: MockResponse[];
  /** Mock model only: delay between streamed chunks. */
  chunkDelayMs?: number;
}

/** Options of one `ask` (or `stream`). */
export interface AskOptions<S extends z.ZodType | undefined = undefined> {
  /** Values for `{name}` placeholders in the prompt and the system prompt. */
  context?: Record<string, unknown>;
  /** The prompt template for an object input (overrides the LLM's `prompt`). */
  prompt?: PromptLike;
  systemPrompt?: PromptLike;
  /** Files attached to the user message: paths, URLs, bytes, Blobs. */
  files?: FileInput[];
  /** A zod schema: the answer is validated into `reply.structuredData`. */
  schema?: S | JsonSchema;
  /** Classify into one of these (at least two): `reply.choice`, `choiceIndex`, `confidence`. */
  choices?: string[];
  /** Allow "none of these" → `choice: null`. */
  choicesOptional?: boolean;
  tools?: ToolInput[];
  toolChoice?: ToolChoice;
  maxToolCalls?: number;
  /** false returns `reply.toolCalls` for the caller to run (default true). */
  executeTools?: boolean;
  /** false: this ask neither reads nor writes the history. */
  useHistory?: boolean;
  /**
   * The conversation to answer in, instead of this LLM's own history (a server answering many sessions with one
   * LLM). The exchange is then neither added to this LLM's history nor saved to its `historyBackup`: the caller
   * stores `reply.messages`.
   */
  messages?: Message[];
  temperature?: number;
  maxTokens?: number;
  /** Ask another model for this call only. */
  model?: string;
  signal?: AbortSignal;
  stream?: boolean;
  /** false bypasses the cache for this call. */
  cache?: boolean;
  /** TTL of the entry this call writes, in seconds. */
  cacheTtl?: number;
  timeoutMs?: number;
  providerOptions?: Record<string, unknown>;
}

/** The structured data type of an ask with a zod schema. */
export type StructuredOf<S> = S extends z.ZodType ? z.output<S> : unknown;

/** Builds the provider options for the primary model from LLM options. */
export function providerOptionsFrom(options: LLMOptions): ProviderOptions {
  return {
    ...options.providerOptions,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.responses ? { responses: options.responses } : {}),
    ...(options.chunkDelayMs ? { chunkDelayMs: options.chunkDelayMs } : {}),
    maxRetries: 0,
  };
}
