import type { Usage } from '@llm/core';

/** The usage fields Anthropic reports (`message.usage` and the cumulative `message_delta.usage`). */
export interface AnthropicWireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/**
 * Converts Anthropic usage to core's: `input` counts uncached, cache-read and cache-write tokens (Anthropic reports
 * them apart), `cachedInput` is the cache read, `cacheWriteInput` the cache creation, `reasoning` the thinking tokens.
 */
export function convertAnthropicUsage(usage: AnthropicWireUsage | null | undefined): Usage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const input = (usage?.input_tokens ?? 0) + cacheRead + cacheWrite;
  const output = usage?.output_tokens ?? 0;
  const out: Usage = { input, output, total: input + output };
  if (cacheRead > 0) out.cachedInput = cacheRead;
  if (cacheWrite > 0) out.cacheWriteInput = cacheWrite;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (thinking) out.reasoning = thinking;
  return out;
}

/** Merges the cumulative `message_delta` usage over the `message_start` usage (a field absent in the delta keeps its start value). */
export function mergeAnthropicUsage(start: AnthropicWireUsage | undefined, delta: AnthropicWireUsage | undefined): AnthropicWireUsage {
  return {
    input_tokens: delta?.input_tokens ?? start?.input_tokens,
    output_tokens: delta?.output_tokens ?? start?.output_tokens,
    cache_read_input_tokens: delta?.cache_read_input_tokens ?? start?.cache_read_input_tokens,
    cache_creation_input_tokens: delta?.cache_creation_input_tokens ?? start?.cache_creation_input_tokens,
    output_tokens_details: delta?.output_tokens_details ?? start?.output_tokens_details,
  };
}
