import type { Usage } from './types.js';

/** USD per 1M tokens. `cachedInput` is the price of cached input tokens when the provider discounts them. */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

/** The cost of one reply. */
export interface Cost {
  inputUsd: number;
  outputUsd: number;
  usd: number;
}

/**
 * Prices of the common models, USD per 1M tokens (public list prices; override with `setModelPrice`).
 * Keys are model ids or prefixes ending in `*`. The longest match wins.
 */
export const MODEL_PRICES: Record<string, ModelPrice> = {
  'gpt-4o-mini*': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o*': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4.1-nano*': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4.1-mini*': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1*': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4-turbo*': { input: 10, output: 30 },
  'gpt-3.5-turbo*': { input: 0.5, output: 1.5 },
  'gpt-5-nano*': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-5-mini*': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5*': { input: 1.25, output: 10, cachedInput: 0.125 },
  'o1-mini*': { input: 1.1, output: 4.4, cachedInput: 0.55 },
  'o1*': { input: 15, output: 60, cachedInput: 7.5 },
  'o3-mini*': { input: 1.1, output: 4.4, cachedInput: 0.55 },
  'o3*': { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini*': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  'claude-3-5-haiku*': { input: 0.8, output: 4, cachedInput: 0.08 },
  'claude-3-haiku*': { input: 0.25, output: 1.25, cachedInput: 0.03 },
  'claude-haiku-4-5*': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-sonnet*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4*': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-opus-4*': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-3-opus*': { input: 15, output: 75, cachedInput: 1.5 },
  'gemini-2.0-flash-lite*': { input: 0.075, output: 0.3 },
  'gemini-2.0-flash*': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.5-flash-lite*': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.5-flash*': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.5-pro*': { input: 1.25, output: 10, cachedInput: 0.31 },
  'gemini-1.5-flash*': { input: 0.075, output: 0.3 },
  'gemini-1.5-pro*': { input: 1.25, output: 5 },
  'text-embedding-004': { input: 0, output: 0 },
  'solar-pro*': { input: 0.25, output: 0.25 },
  'solar-mini*': { input: 0.15, output: 0.15 },
  mock: { input: 0, output: 0 },
};

const custom: Record<string, ModelPrice> = {};
// Lookups are on every reply's hot path: remember each model's answer until a price changes.
const memo = new Map<string, ModelPrice | undefined>();

/** Sets or overrides the price of a model (or a `prefix*`). */
export function setModelPrice(model: string, price: ModelPrice): void {
  custom[model] = price;
  memo.clear();
}

/** The price of a model, or undefined when unknown (an unknown model is unpriced, never another model's price). */
export function getModelPrice(model: string): ModelPrice | undefined {
  if (memo.has(model)) return memo.get(model);
  const price = lookupPrice(model);
  if (memo.size > 1000) memo.clear();
  memo.set(model, price);
  return price;
}

function lookupPrice(model: string): ModelPrice | undefined {
  const names = [model, model.replace(/^[a-z-]+:/, '')];
  for (const table of [custom, MODEL_PRICES]) {
    for (const name of names) {
      if (table[name]) return table[name];
      let best: string | undefined;
      for (const key of Object.keys(table)) {
        if (key.endsWith('*') && name.startsWith(key.slice(0, -1)) && (!best || key.length > best.length)) best = key;
      }
      if (best) return table[best];
    }
  }
  return model.startsWith('mock') ? MODEL_PRICES.mock : undefined;
}

/**
 * The cost of a usage: input and output priced separately (the Python original's output-cost bug priced output at
 * the input rate), cached input at its discounted price.
 */
export function computeCost(model: string, usage: Usage): Cost | undefined {
  const price = getModelPrice(model);
  if (!price) return undefined;
  const cached = usage.cachedInput ?? 0;
  const inputUsd = ((usage.input - cached) * price.input + cached * (price.cachedInput ?? price.input)) / 1e6;
  const outputUsd = (usage.output * price.output) / 1e6;
  return { inputUsd, outputUsd, usd: inputUsd + outputUsd };
}
