import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { hasProviderKey, selectModels } from './model-selection.js';
import { DEFAULT_SQLITE_PATH, resolveServerConfig } from './server-config.js';

describe('selectModels', () => {
  it('answers with the mock when no key is set', () => {
    expect(selectModels({}, {})).toEqual({ model: 'mock', fallbacks: [], source: 'mock' });
  });

  it('picks the first provider whose key is set, with the mock as the last fallback', () => {
    expect(selectModels({}, { ANTHROPIC_API_KEY: 'x', GEMINI_API_KEY: 'y' })).toEqual({
      model: 'claude-3-5-haiku-latest', fallbacks: ['mock'], source: 'provider key', keyVariable: 'ANTHROPIC_API_KEY',
    });
    expect(selectModels({}, { GEMINI_API_KEY: 'y' }).model).toBe('gemini-2.0-flash');
    expect(selectModels({}, { OPENAI_API_KEY: ' ' }).model).toBe('mock');
  });

  it('prefers the option, then LLM_MODEL, with LLM_FALLBACKS in order', () => {
    const env = { LLM_MODEL: 'gpt-4o-mini', LLM_FALLBACKS: 'claude-3-5-haiku-latest, gemini-2.0-flash', OPENAI_API_KEY: 'k' };
    expect(selectModels({}, env)).toEqual({ model: 'gpt-4o-mini', fallbacks: ['claude-3-5-haiku-latest', 'gemini-2.0-flash', 'mock'], source: 'LLM_MODEL' });
    expect(selectModels({ model: 'mock', fallbacks: [] }, env)).toEqual({ model: 'mock', fallbacks: [], source: 'option' });
    expect(selectModels({ mockFallback: false }, env).fallbacks).toEqual(['claude-3-5-haiku-latest', 'gemini-2.0-flash']);
  });

  it('rejects a model name no provider serves, naming the variable', () => {
    expect(() => selectModels({}, { LLM_MODEL: 'no-such-model' })).toThrow(ConfigurationError);
    expect(() => selectModels({}, { LLM_MODEL: 'no-such-model' })).toThrow(/LLM_MODEL/);
    expect(() => selectModels({}, { LLM_FALLBACKS: 'mock, nope' })).toThrow(/LLM_FALLBACKS/);
  });

  it('knows whether a model has its key', () => {
    expect(hasProviderKey('gpt-4o-mini', {})).toBe(false);
    expect(hasProviderKey('gpt-4o-mini', { OPENAI_API_KEY: 'k' })).toBe(true);
    expect(hasProviderKey('gemini-2.0-flash', { GEMINI_API_KEY: 'k' })).toBe(true);
    expect(hasProviderKey('mock', {})).toBe(true);
  });
});

describe('resolveServerConfig', () => {
  it('runs offline by default: SQLite in ./data, memory sessions, anonymous on, 60 requests a minute', () => {
    const config = resolveServerConfig({}, {});
    expect(config).toMatchObject({
      history: { type: 'sqlite', path: DEFAULT_SQLITE_PATH }, redisUrl: undefined, anonymous: true, rateLimit: { max: 60, timeWindowMs: 60_000 },
      sessionTtlSeconds: 3600, sessionMaxMessages: 20, cacheKind: 'none', bodyLimit: 1024 * 1024,
    });
    expect(DEFAULT_SQLITE_PATH).toBe('./data/llm.sqlite');
  });

  it('reads the services and settings from the environment', () => {
    const config = resolveServerConfig({}, {
      REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', LLM_SERVER_TOKENS: 'tok-123456:alice',
      RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '1000', LLM_SESSION_TTL: '60', LLM_CACHE: 'redis', MCP_SERVERS: '{"mcpServers":{}}',
    });
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379', history: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' }, tokens: { 'tok-123456': 'alice' },
      anonymous: false, rateLimit: { max: 5, timeWindowMs: 1000 }, sessionTtlSeconds: 60, cacheKind: 'redis', mcpServers: { mcpServers: {} },
    });
    expect(config.secrets).toContain('tok-123456');
    expect(resolveServerConfig({}, { LLM_SERVER_TOKENS: 't-1:a', LLM_SERVER_ANONYMOUS: 'true' }).anonymous).toBe(true);
    expect(resolveServerConfig({ redisUrl: null }, { REDIS_URL: 'redis://x' }).redisUrl).toBeUndefined();
    expect(resolveServerConfig({}, { RATE_LIMIT_MAX: '0' }).rateLimit).toBe(false);
  });

  it('throws ConfigurationError naming what is wrong', () => {
    expect(() => resolveServerConfig({}, { RATE_LIMIT_MAX: 'lots' })).toThrow(/RATE_LIMIT_MAX/);
    expect(() => resolveServerConfig({}, { LLM_SERVER_ANONYMOUS: 'maybe' })).toThrow(/LLM_SERVER_ANONYMOUS/);
    expect(() => resolveServerConfig({}, { LLM_CACHE: 'disk' })).toThrow(/LLM_CACHE/);
    expect(() => resolveServerConfig({}, { LLM_CACHE: 'redis' })).toThrow(/REDIS_URL/);
    expect(() => resolveServerConfig({}, { MCP_SERVERS: '{oops' })).toThrow(/MCP_SERVERS/);
    expect(() => resolveServerConfig({}, { MCP_SERVERS: '{oops' })).toThrow(ConfigurationError);
  });
});

describe('createServer start-up failures', () => {
  it('fails with a StorageError that says what to do when Redis does not answer', async () => {
    const { createServer } = await import('./create-server.js');
    const { StorageError } = await import('@llm/core');
    const started = createServer({ env: {}, logger: false, redisUrl: 'redis://user:hunter2@127.0.0.1:1', history: { type: 'memory' } });
    await expect(started).rejects.toSatisfy((error: unknown) => StorageError.isInstance(error));
    await expect(started).rejects.toThrow(/Could not connect to Redis at redis:\/\/user:\[redacted\]@127\.0\.0\.1:1.*unset REDIS_URL/);
  });

  it('fails when the SQLite history cannot be opened', async () => {
    const { createServer } = await import('./create-server.js');
    const dir = mkdtempSync(join(tmpdir(), 'llm-server-bad-'));
    writeFileSync(join(dir, 'not-a-folder'), '');
    try {
      const path = join(dir, 'not-a-folder', 'llm.sqlite');
      await expect(createServer({ env: {}, logger: false, redisUrl: null, history: { type: 'sqlite', path } })).rejects.toThrow(/SqliteHistoryStore could not open/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
