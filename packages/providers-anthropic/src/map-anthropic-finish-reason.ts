import type { FinishReason } from '@llm/core';

/**
 * Maps Anthropic's `stop_reason` to core's finish reason. A `tool_use` stop caused only by the structured-output
 * tool is a normal answer (`stop`), not a request to run tools.
 * @example
 * mapAnthropicFinishReason('tool_use', { jsonToolAnswered: true }) // 'stop'
 */
export function mapAnthropicFinishReason(
  stopReason: string | null | undefined,
  options: { jsonToolAnswered?: boolean; hasToolCalls?: boolean } = {},
): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return options.jsonToolAnswered && !options.hasToolCalls ? 'stop' : 'tool-calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'refusal';
    default:
      // `pause_turn` (a server tool paused the turn) and values newer than this package.
      return 'other';
  }
}
