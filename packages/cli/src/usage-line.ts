import type { Usage } from '@llm/core';

/** Formats a USD amount with enough digits for cheap calls: `$0.000123`. */
export function formatUsd(usd: number | undefined): string {
  return usd === undefined ? 'unknown (no price for this model)' : `$${usd.toFixed(6)}`;
}

/**
 * One line of token usage and cost, as `--cost` and the chat totals print it.
 * @example usageLine({ input: 12, output: 30, total: 42 }, 0.0001) // 'tokens: 12 in, 30 out, 42 total · cost $0.000100'
 */
export function usageLine(usage: Usage, usd: number | undefined): string {
  return `tokens: ${usage.input} in, ${usage.output} out, ${usage.total} total · cost ${formatUsd(usd)}`;
}
