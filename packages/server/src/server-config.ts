import { ConfigurationError } from '@llm/core';
import type { McpServersInput } from '@llm/mcp';
import { selectModels, secretValues, type ModelSelection } from './model-selection.js';
import type { HistoryOption, RateLimitOption, ServerOptions } from './server-options.js';
import { parseTokens } from './user-auth.js';

/** Where the SQLite history goes when nothing else is configured. */
export const DEFAULT_SQLITE_PATH = './data/llm.sqlite';

/** Everything the server runs with, after options and environment are merged. */
export interface ServerConfig {
  models: ModelSelection;
  redisUrl?: string;
  history: HistoryOption;
  sessionTtlSeconds: number;
  sessionMaxMessages: number;
  keyPrefix: string;
  tokens: Record<string, string>;
  anonymous: boolean;
  rateLimit: RateLimitOption | false;
  bodyLimit: number;
  mcpServers?: McpServersInput;
  cacheKind: 'memory' | 'redis' | 'none' | 'custom';
  shutdownTimeoutMs: number;
  /** Page origins besides the server's own that may open the WebSocket chat. */
  allowedOrigins: string[];
  /** Values to strip from logs and error messages (API keys and tokens). */
  secrets: string[];
}

function positiveInteger(name: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigurationError(`${name} must be a whole number above 0 (got ${JSON.stringify(value)}).`);
  return n;
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigurationError(`${name} must be true or false (got ${JSON.stringify(value)}).`);
}

function parseMcpServers(value: string | undefined): McpServersInput | undefined {
  if (!value?.trim()) return undefined;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return text;
  try {
    return JSON.parse(text) as McpServersInput;
  } catch (error) {
    throw new ConfigurationError(`MCP_SERVERS is not valid JSON (${(error as Error).message}). Give a JSON object/array, a command line or a URL.`);
  }
}

function resolveRateLimit(option: ServerOptions['rateLimit'], env: Record<string, string | undefined>): RateLimitOption | false {
  if (option === false) return false;
  if (option) {
    return { max: positiveInteger('rateLimit.max', option.max, 60), timeWindowMs: positiveInteger('rateLimit.timeWindowMs', option.timeWindowMs, 60_000) };
  }
  if (env.RATE_LIMIT_MAX === '0') return false;
  return { max: positiveInteger('RATE_LIMIT_MAX', env.RATE_LIMIT_MAX, 60), timeWindowMs: positiveInteger('RATE_LIMIT_WINDOW_MS', env.RATE_LIMIT_WINDOW_MS, 60_000) };
}

function resolveHistory(option: HistoryOption | undefined, env: Record<string, string | undefined>): HistoryOption {
  if (option) return option;
  if (env.DATABASE_URL?.trim()) return { type: 'postgres', url: env.DATABASE_URL.trim() };
  return { type: 'sqlite', path: env.LLM_SQLITE_PATH?.trim() || DEFAULT_SQLITE_PATH };
}

function resolveCacheKind(option: ServerOptions['cache'], env: Record<string, string | undefined>): ServerConfig['cacheKind'] {
  if (option && typeof option === 'object') return 'custom';
  const kind = option ?? (env.LLM_CACHE?.trim().toLowerCase() || 'none');
  if (kind !== 'memory' && kind !== 'redis' && kind !== 'none') {
    throw new ConfigurationError(`LLM_CACHE must be memory, redis or none (got ${JSON.stringify(kind)}).`);
  }
  return kind;
}

/**
 * Merges the options with the environment. Throws ConfigurationError naming the variable that is wrong.
 * @example resolveServerConfig({}, process.env).models.model // 'mock' on a machine without keys
 */
export function resolveServerConfig(options: ServerOptions, env: Record<string, string | undefined>): ServerConfig {
  const tokens = options.tokens ?? parseTokens(env.LLM_SERVER_TOKENS ?? '');
  const anonymous = options.anonymous ?? parseBoolean('LLM_SERVER_ANONYMOUS', env.LLM_SERVER_ANONYMOUS) ?? Object.keys(tokens).length === 0;
  const redisUrl = options.redisUrl === null ? undefined : (options.redisUrl ?? (env.REDIS_URL?.trim() || undefined));
  const cacheKind = resolveCacheKind(options.cache, env);
  if (cacheKind === 'redis' && !redisUrl && !options.redis) throw new ConfigurationError('LLM_CACHE=redis needs REDIS_URL (or the redis option).');
  return {
    models: selectModels(options, env),
    redisUrl,
    history: resolveHistory(options.history, env),
    sessionTtlSeconds: positiveInteger('LLM_SESSION_TTL', options.sessionTtlSeconds ?? env.LLM_SESSION_TTL, 3600),
    sessionMaxMessages: positiveInteger('sessionMaxMessages', options.sessionMaxMessages, 20),
    keyPrefix: options.keyPrefix ?? 'llm:server:',
    tokens,
    anonymous,
    rateLimit: resolveRateLimit(options.rateLimit, env),
    bodyLimit: positiveInteger('bodyLimit', options.bodyLimit, 1024 * 1024),
    mcpServers: options.mcpServers ?? parseMcpServers(env.MCP_SERVERS),
    cacheKind,
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs, 10_000),
    allowedOrigins: options.allowedOrigins ?? (env.LLM_SERVER_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    secrets: [...secretValues(env), ...Object.keys(tokens)],
  };
}
