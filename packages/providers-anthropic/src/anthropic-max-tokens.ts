/** `max_tokens` when the caller gives none (the Messages API requires the field). */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/** Known output limits of models whose limit may be below the default, by model id prefix (longest first). */
const MAX_OUTPUT_TOKENS: [prefix: string, limit: number][] = [
  ['claude-3-5-haiku', 8192],
  ['claude-3-5-sonnet', 8192],
  ['claude-3-haiku', 4096],
  ['claude-3-sonnet', 4096],
  ['claude-3-opus', 4096],
  ['claude-2', 4096],
  ['claude-instant', 4096],
];

/** The model's known output limit, or undefined for models this table does not know (newer ones allow more). */
export function knownMaxOutputTokens(modelId: string): number | undefined {
  return MAX_OUTPUT_TOKENS.find(([prefix]) => modelId.startsWith(prefix))?.[1];
}

/**
 * The `max_tokens` to send when the request sets none: `preferred` (default 4096), lowered to the model's known
 * output limit.
 * @example
 * defaultMaxTokens('claude-3-haiku-20240307', 8192) // 4096
 */
export function defaultMaxTokens(modelId: string, preferred = DEFAULT_ANTHROPIC_MAX_TOKENS): number {
  const limit = knownMaxOutputTokens(modelId);
  return limit === undefined ? preferred : Math.min(preferred, limit);
}
