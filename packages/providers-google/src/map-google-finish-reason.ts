import type { FinishReason } from '@llm/core';

const CONTENT_FILTER = new Set([
  'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION',
]);

/**
 * Maps Gemini's `finishReason` to core's vocabulary. Gemini says `STOP` when it asks for function calls, so
 * `hasToolCalls` turns that into `tool-calls`; a prompt blocked before any candidate (`promptFeedback.blockReason`)
 * is `content-filter`.
 */
export function mapGoogleFinishReason(finishReason: string | undefined, hasToolCalls: boolean, blockReason?: string): FinishReason {
  if (finishReason === undefined && blockReason) return 'content-filter';
  if (finishReason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (finishReason === 'MAX_TOKENS') return 'length';
  if (finishReason !== undefined && CONTENT_FILTER.has(finishReason)) return 'content-filter';
  return hasToolCalls ? 'tool-calls' : 'other';
}
