import type { Usage } from './types.js';

/** A usage of zero tokens. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, total: 0 };
}

/** Adds usages field by field (optional fields only when either side has them). */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const out: Usage = { input: a.input + b.input, output: a.output + b.output, total: a.total + b.total };
  for (const key of ['cachedInput', 'cacheWriteInput', 'reasoning', 'costUsd'] as const) {
    if (a[key] !== undefined || b[key] !== undefined) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return out;
}

/** Builds a usage from input and output counts (total computed). */
export function makeUsage(input: number, output: number, extra: Partial<Usage> = {}): Usage {
  return { input, output, total: input + output, ...extra };
}
