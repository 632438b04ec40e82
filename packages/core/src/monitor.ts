import { BudgetExceededError } from './errors.js';
import type { LLMEventName, LLMEvents } from './events.js';

/** Per-model figures of a monitor report. */
export interface ModelReport {
  requests: number;
  errors: number;
  errorRate: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  avgTokensPerRequest: number;
  costUsd: number;
  cacheHits: number;
  cacheHitRate: number;
  retries: number;
  fallbacks: number;
}

/** Anything a monitor can watch: an `LLM`. */
export interface Observable {
  on<E extends LLMEventName>(event: E, listener: (payload: LLMEvents[E]) => void): () => void;
}

interface Stats {
  latencies: number[];
  requests: number;
  errors: number;
  input: number;
  output: number;
  cost: number;
  cacheHits: number;
  retries: number;
  fallbacks: number;
}

/** A performance monitor over any number of LLMs (the advanced guide's PerformanceMonitor, without monkey-patching). */
export interface Monitor {
  /** Starts watching an LLM; returns a function that stops watching it. */
  track<T extends Observable>(llm: T): T;
  /** Per-model report (keyed by the model that answered). */
  report(): Record<string, ModelReport>;
  /** Total spent over every tracked LLM. */
  readonly totalCostUsd: number;
  reset(): void;
  /** Stops watching every LLM. */
  detach(): void;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Creates a monitor. With `maxCostUsd`, every tracked LLM's next call throws BudgetExceededError once the total is
 * spent (checked on each `request` event).
 * @example const monitor = createMonitor(); monitor.track(llm1); monitor.track(llm2); console.table(monitor.report());
 */
export function createMonitor(options: { maxCostUsd?: number } = {}): Monitor {
  let stats = new Map<string, Stats>();
  const unsubscribers: (() => void)[] = [];
  let total = 0;
  const get = (model: string) => {
    let s = stats.get(model);
    if (!s) stats.set(model, (s = { latencies: [], requests: 0, errors: 0, input: 0, output: 0, cost: 0, cacheHits: 0, retries: 0, fallbacks: 0 }));
    return s;
  };
  return {
    track(llm) {
      unsubscribers.push(
        llm.on('request', () => {
          if (options.maxCostUsd !== undefined && total >= options.maxCostUsd) {
            throw new BudgetExceededError(`The monitor's budget of $${options.maxCostUsd} is spent ($${total.toFixed(6)}).`, { spentUsd: total, budgetUsd: options.maxCostUsd });
          }
        }),
        llm.on('response', (e) => {
          const s = get(e.model);
          s.requests++;
          s.latencies.push(e.latencyMs);
          s.input += e.usage.input;
          s.output += e.usage.output;
          s.cost += e.costUsd ?? 0;
          total += e.costUsd ?? 0;
          if (e.reply.cacheHit) s.cacheHits++;
        }),
        llm.on('error', (e) => {
          const s = get(e.model);
          s.requests++;
          s.errors++;
          s.latencies.push(e.latencyMs);
        }),
        llm.on('retry', (e) => void get(e.model).retries++),
        llm.on('fallback', (e) => void get(e.model).fallbacks++),
      );
      return llm;
    },
    report() {
      const out: Record<string, ModelReport> = {};
      for (const [model, s] of stats) {
        const sorted = [...s.latencies].sort((a, b) => a - b);
        const answered = s.requests - s.errors;
        out[model] = {
          requests: s.requests, errors: s.errors, errorRate: s.requests ? s.errors / s.requests : 0,
          avgLatencyMs: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0, p95LatencyMs: percentile(sorted, 95),
          inputTokens: s.input, outputTokens: s.output, totalTokens: s.input + s.output,
          avgTokensPerRequest: answered ? (s.input + s.output) / answered : 0, costUsd: s.cost,
          cacheHits: s.cacheHits, cacheHitRate: answered ? s.cacheHits / answered : 0, retries: s.retries, fallbacks: s.fallbacks,
        };
      }
      return out;
    },
    get totalCostUsd() {
      return total;
    },
    reset() {
      stats = new Map();
      total = 0;
    },
    detach() {
      for (const off of unsubscribers.splice(0)) off();
    },
  };
}
