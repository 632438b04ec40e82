import { makeUsage, type Usage } from '@llm/core';

/** The usage object of Chat Completions and of compatible servers (DeepSeek, xAI, Groq add fields). */
export interface OpenAIWireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek's name for cached input tokens. */
  prompt_cache_hit_tokens?: number | null;
}

/**
 * Converts wire usage to core's `Usage`: `cached_tokens` → `cachedInput`, `reasoning_tokens` → `reasoning`.
 * Core counts reasoning inside `output`; servers that report it outside `completion_tokens` (xAI: total =
 * prompt + completion + reasoning) get it added, so `total = input + output` always holds.
 */
export function convertOpenAIUsage(usage: OpenAIWireUsage | null | undefined): Usage {
  if (!usage) return makeUsage(0, 0);
  const input = usage.prompt_tokens ?? 0;
  let output = usage.completion_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  if (reasoning > 0 && usage.total_tokens === input + output + reasoning) output += reasoning;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0;
  const out = makeUsage(input, output);
  if (cached > 0) out.cachedInput = cached;
  if (reasoning > 0) out.reasoning = reasoning;
  return out;
}
