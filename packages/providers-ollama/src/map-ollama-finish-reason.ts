import type { FinishReason } from '@llm/core';

/** Maps Ollama's `done_reason` (`stop`, `length`, `load`, `unload`) to core's vocabulary; tool calls win over `stop`. */
export function mapOllamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls && (doneReason === undefined || doneReason === 'stop')) return 'tool-calls';
  if (doneReason === 'stop' || doneReason === undefined) return 'stop';
  if (doneReason === 'length') return 'length';
  return 'other';
}
