import { createHash } from 'node:crypto';
import type { Message, ProviderRequest } from './types.js';

/** Bumped whenever the key's shape changes, so old entries are never misread. */
export const CACHE_FORMAT_VERSION = 1;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so property order never changes a key. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Uint8Array) return JSON.stringify({ $bytes: sha256(value) });
  if (value instanceof URL) return JSON.stringify({ $url: value.href });
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function normalizeMessage(m: Message): unknown {
  // createdAt and toolInteractions describe the past, not what the model is asked.
  return { role: m.role, content: m.content, toolCalls: m.toolCalls, toolCallId: m.toolCallId, toolName: m.toolName, isError: m.isError };
}

/**
 * The cache key of a model request: SHA-256 of the canonical JSON of provider, model, messages (file bytes hashed),
 * system prompt, sampling parameters, tools, tool choice and response format. API keys and `signal` never enter it.
 */
export function requestCacheKey(provider: string, model: string, request: ProviderRequest): string {
  const normalized = {
    v: CACHE_FORMAT_VERSION, kind: 'chat', provider, model,
    messages: request.messages.map(normalizeMessage), system: request.system,
    temperature: request.temperature, maxTokens: request.maxTokens, topP: request.topP, stop: request.stopSequences,
    tools: request.tools, toolChoice: request.toolChoice, responseFormat: request.responseFormat,
    providerOptions: request.providerOptions,
  };
  return `llm:${sha256(canonicalJson(normalized))}`;
}

/** The cache key of one embedded text. */
export function embeddingCacheKey(provider: string, model: string, text: string): string {
  return `llm:emb:${sha256(canonicalJson({ v: CACHE_FORMAT_VERSION, kind: 'embedding', provider, model, text }))}`;
}
