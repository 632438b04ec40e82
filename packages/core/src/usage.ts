import type { Usage } from './types.js';

/** A usage of zero tokens. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, total: 0 };
}

/** Adds usages field by field (optional fields only when either side has them). */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const out: Usage = { input: a.input + b.input, output: a.output + b.output, total: a.total + b.total };
  if (a.cachedInput !== undefined || b.cachedInput !== undefined) out.cachedInput = (a.cachedInput ?? 0) + (b.cachedInput ?? 0);
  if (a.cacheWriteInput !== undefined || b.cacheWriteInput !== undefined) out.cacheWriteInput = (a.cacheWriteInput ?? 0) + (b.cacheWriteInput ?? 0);
  if (a.reasoning !== undefined || b.reasoning !== undefined) out.reasoning = (a.reasoning ?? 0) + (b.reasoning ?? 0);
  if (a.costUsd !== undefined || b.costUsd !== undefined) out.costUsd = (a.costUsd ?? 0) + (b.costUsd ?? 0);
  return out;
}

/** Builds a usage from input and output counts (total computed). */
export function makeUsage(input: number, output: number, extra?: Partial<Usage>): Usage {
  const usage: Usage = { input, output, total: input + output };
  return extra ? Object.assign(usage, extra) : usage;
}
