import type { Cache, HistoryStore, LLMOptions, MockResponse, Tool } from '@llm/core';
import type { McpServersInput } from '@llm/mcp';
import type { Redis } from 'ioredis';
import type { ChatConsumerClass } from './chat-consumer.js';

/** A permanent history backend: hands out a store per user and session, closes its connection once. */
export interface HistoryBackend {
  /** A short description for the banner and `/health`, e.g. `sqlite ./data/llm.sqlite`. */
  readonly description: string;
  forSession(binding: { userId: string; sessionId: string }): HistoryStore;
  close(): Promise<void>;
}

/** Where the permanent history goes. */
export type HistoryOption =
  | { type: 'sqlite'; path?: string }
  | { type: 'postgres'; url?: string; schema?: string }
  | { type: 'memory' }
  | HistoryBackend;

/** Rate limit of the chat API: `max` requests per `timeWindowMs` per user (per IP without a user). */
export interface RateLimitOption {
  max: number;
  timeWindowMs: number;
}

/** Where request logs go: `false` for none, `true` for stdout, or pino options with an optional destination stream. */
export type LoggerOption = boolean | { level?: string; stream?: NodeJS.WritableStream };

/**
 * Options of {@link createServer}. Every one is optional: what is not given comes from the environment
 * (`LLM_MODEL`, `REDIS_URL`, `DATABASE_URL`, ...; see the README), and without any the server runs offline on the
 * mock model with in-memory sessions and SQLite history in `./data/llm.sqlite`.
 */
export interface ServerOptions {
  /** The model that answers. Default `LLM_MODEL`, else the first provider whose key is set, else `mock`. */
  model?: string;
  /** Models tried in order when the model fails. Default `LLM_FALLBACKS` (comma-separated). */
  fallbacks?: string[];
  /** Append the offline mock model to the fallback chain, so a rate-limited provider still answers. Default true. */
  mockFallback?: boolean;
  /** Extra LLM options for every call (`maxRetries`, `timeoutMs`, `chunkDelayMs` for the mock, ...). */
  llmOptions?: Partial<Omit<LLMOptions, 'initialMessages' | 'historyBackup' | 'tools' | 'fallbacks'>>;
  /**
   * Mock model only: scripted replies, one entry per turn across the whole server (a list inside an entry scripts
   * the steps of one turn, e.g. a tool call and then the answer). After the last entry the mock answers by itself.
   */
  mockResponses?: (MockResponse | MockResponse[])[];
  /** The system prompt of the REST/SSE API and the default chat consumer. */
  systemPrompt?: string;
  /** Extra tools offered to the model. */
  tools?: Tool[];
  /** Offer the built-in calculator, weather (demo data) and search (demo data) tools. Default true. */
  builtinTools?: boolean;
  /** MCP servers whose tools are offered. Default `MCP_SERVERS` (JSON). */
  mcpServers?: McpServersInput;
  /** A response cache, or `'memory'` / `'redis'`. Default `LLM_CACHE` (`memory`, `redis`), else none. */
  cache?: Cache | 'memory' | 'redis' | 'none';
  /** Redis for sessions, rate limits and the `redis` cache. Default `REDIS_URL`; `null` forces memory. */
  redisUrl?: string | null;
  /** An ioredis client to use instead of `redisUrl` (left open on close). */
  redis?: Redis;
  /** The permanent history. Default Postgres when `DATABASE_URL` is set, else SQLite at `LLM_SQLITE_PATH` or `./data/llm.sqlite`. */
  history?: HistoryOption;
  /** Seconds a session lives in Redis/memory after its last message. Default `LLM_SESSION_TTL` or 3600. */
  sessionTtlSeconds?: number;
  /** Messages a session keeps as model context. Default 20. */
  sessionMaxMessages?: number;
  /** Prefix of every Redis key the server writes. Default `llm:server:`. */
  keyPrefix?: string;
  /** Token → user id. Default `LLM_SERVER_TOKENS` (`token:user,token2:user2`). */
  tokens?: Record<string, string>;
  /**
   * Let requests without a token in, each under its browser's own anonymous id (an HttpOnly cookie, or the
   * `x-anonymous-id` header). Default `LLM_SERVER_ANONYMOUS` (`true`/`false`), else true when no tokens are set.
   */
  anonymous?: boolean;
  /** Chat API rate limit, or false. Default `RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_MS`, else 60 per minute. */
  rateLimit?: RateLimitOption | false;
  /** Largest request body in bytes (larger → 413). Default 1 MiB. */
  bodyLimit?: number;
  /** Request logs. Default true (pino to stdout) unless `LOG_LEVEL=silent`. */
  logger?: LoggerOption;
  /** The consumer serving `/ws/chat`. Default {@link ChatConsumer}. */
  consumer?: ChatConsumerClass;
  /** More consumers by name: `{ tutor: LanguageTutorChatConsumer }` serves `/ws/tutor` and the page `/tutor`. */
  consumers?: Record<string, ChatConsumerClass>;
  /** Page origins besides the server's own that may open the WebSocket chat. Default `LLM_SERVER_ALLOWED_ORIGINS` (comma-separated). */
  allowedOrigins?: string[];
  /** How long shutdown waits for open streams before aborting them. Default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** The environment to read defaults from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}
