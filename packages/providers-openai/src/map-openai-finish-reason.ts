import type { FinishReason } from '@llm/core';

/**
 * Maps a Chat Completions `finish_reason` to core's vocabulary. A refusal (`message.refusal`) and tool calls
 * reported with `stop` (some compatible servers do) win over the wire value.
 */
export function mapOpenAIFinishReason(reason: string | null | undefined, context: { hasToolCalls?: boolean; refused?: boolean } = {}): FinishReason {
  if (context.refused) return 'refusal';
  switch (reason) {
    case 'stop':
      return context.hasToolCalls ? 'tool-calls' : 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return context.hasToolCalls ? 'tool-calls' : 'other';
  }
}
