import type { GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '@llm/core';

/**
 * Converts Gemini's `usageMetadata` to core's usage: thinking tokens (`thoughtsTokenCount`) count as output and are
 * reported as `reasoning`; tool-use prompt tokens count as input; `cachedContentTokenCount` becomes `cachedInput`.
 */
export function convertGoogleUsage(usage: GenerateContentResponseUsageMetadata | undefined): Usage {
  const input = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const reasoning = usage?.thoughtsTokenCount;
  const output = (usage?.candidatesTokenCount ?? 0) + (reasoning ?? 0);
  return {
    input,
    output,
    total: input + output,
    ...(usage?.cachedContentTokenCount !== undefined ? { cachedInput: usage.cachedContentTokenCount } : {}),
    ...(reasoning !== undefined ? { reasoning } : {}),
  };
}
