import { AbortError, LLMError, RateLimitError, TimeoutError } from './errors.js';
import type { Attempt } from './reply.js';

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Retries after the first try (default 2). */
  maxRetries: number;
  /** The first backoff step; each retry doubles it, with full jitter (default 500 ms). */
  baseDelayMs: number;
  /** The largest backoff (default 20 s). */
  maxDelayMs: number;
  /** The largest `retry-after` honoured; a longer one fails over at once (default 60 s). */
  maxRetryAfterMs: number;
}

/** The default policy: 2 retries, 500 ms doubling with full jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

/** Whether an error is worth retrying: 408, 409, 429, 5xx, timeouts and network errors; never 4xx or aborts. */
export function isRetryable(error: unknown): boolean {
  if (AbortError.isInstance(error)) return false;
  if (LLMError.isInstance(error)) return error.retryable;
  return false;
}

/** The wait before retry number `attempt` (0-based): the server's `retry-after` when given, else full jitter. */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy, random = Math.random): number | undefined {
  if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Sleeps, waking early (and rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new AbortError('Aborted.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new AbortError('Aborted.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Skips a model that keeps failing: `failures` errors within `windowMs` put it aside for `cooldownMs`. */
export class CooldownTracker {
  private readonly failures = new Map<string, number[]>();
  private readonly until = new Map<string, number>();

  constructor(private readonly options: { cooldownMs: number; failures: number; windowMs: number }) {}

  isCoolingDown(model: string, now?: number): boolean {
    if (!this.until.size) return false;
    return (this.until.get(model) ?? 0) > (now ?? Date.now());
  }

  recordFailure(model: string, now = Date.now()): void {
    const recent = (this.failures.get(model) ?? []).filter((t) => now - t < this.options.windowMs);
    recent.push(now);
    this.failures.set(model, recent);
    if (recent.length >= this.options.failures) {
      this.until.set(model, now + this.options.cooldownMs);
      this.failures.set(model, []);
    }
  }

  recordSuccess(model: string): void {
    if (this.failures.size) this.failures.delete(model);
    if (this.until.size) this.until.delete(model);
  }
}

/** A signal for one call: the caller's signal plus the whole-call timeout. */
export interface CallSignal {
  /** Undefined when the call cannot be cancelled (no caller signal, no timeout, not a stream). */
  signal?: AbortSignal;
  /** Converts an error caused by our own timeout into a TimeoutError. */
  translate(error: unknown): unknown;
  /** Aborts the call (the caller stopped reading a stream). */
  abort(): void;
  dispose(): void;
}

/** Combines the caller's signal with a `timeoutMs` for the whole call. */
const NO_OP_CALL: CallSignal = { signal: undefined, translate: (error) => error, abort: () => undefined, dispose: () => undefined };

export function createCallSignal(userSignal: AbortSignal | undefined, timeoutMs: number | undefined, what: string, abortable = true): CallSignal {
  // A plain ask with no signal and no timeout cannot be cancelled: skip the AbortController on the hot path.
  if (!userSignal && !timeoutMs && !abortable) return NO_OP_CALL;
  // Only the caller's signal: use it as it is (no controller, no listener), translating its errors.
  if (userSignal && !timeoutMs && !abortable) {
    return {
      signal: userSignal,
      translate: (error) => (userSignal.aborted && !AbortError.isInstance(error) ? new AbortError(`${what} was aborted by its signal.`, { cause: error }) : error),
      abort: () => undefined,
      dispose: () => undefined,
    };
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = timeoutMs ? setTimeout(() => {
    timedOut = true;
    controller.abort(new TimeoutError(`${what} took longer than timeoutMs=${timeoutMs} ms. Raise timeoutMs or use a faster model.`));
  }, timeoutMs) : undefined;
  const onAbort = () => controller.abort(new AbortError(`${what} was aborted by its signal.`, { cause: userSignal?.reason }));
  if (userSignal?.aborted) onAbort();
  else userSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    translate(error) {
      if (timedOut) return controller.signal.reason;
      if (userSignal?.aborted && !AbortError.isInstance(error)) return new AbortError(`${what} was aborted by its signal.`, { cause: error });
      return error;
    },
    abort() {
      if (!controller.signal.aborted) controller.abort(new AbortError(`${what} was stopped by its caller.`));
    },
    dispose() {
      if (timer) clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** One candidate of a fallback chain. */
export interface Candidate<M> {
  /** The model name as configured (`claude-3-5-haiku-latest`). */
  name: string;
  resolve(): Promise<M>;
  /** The model when it is already resolved (saves an await on the hot path). */
  peek?(): M | undefined;
}

/** Hooks the fallback loop reports through. */
export interface ChainHooks {
  onRetry?(info: { name: string; error: unknown; attempt: number; delayMs: number }): void;
  onFallback?(info: { name: string; error: unknown; nextModel: string }): void;
}

/** What `runWithFallbacks` takes besides the candidates and the attempt. */
interface ChainOptions<M> {
  policy: RetryPolicy;
  signal?: AbortSignal;
  cooldown?: CooldownTracker;
  attempts: Attempt[];
  describe(model: M): { provider: string };
  hooks?: ChainHooks;
}

/** A first try already under way when the chain loop takes over (it failed). */
interface FirstTry<M, T> {
  model: M;
  provider: string;
  started: number;
  pending: Promise<T>;
}

/**
 * Runs `attempt` on each candidate in turn, with retries per candidate and a cool-down for models that keep
 * failing. `attempt` may throw a `NoFallback` error to stop the chain (a stream that already yielded).
 */
export function runWithFallbacks<M, T>(
  candidates: Candidate<M>[],
  attempt: (model: M, name: string) => Promise<T>,
  options: ChainOptions<M>,
): Promise<{ value: T; model: M; name: string }> {
  const { cooldown } = options;
  const chain = cooldown && candidates.some((c) => cooldown.isCoolingDown(c.name)) ? usableCandidates(candidates, cooldown) : candidates;
  // The happy path: the first candidate already resolved, so its first try is chained to directly (no async frame);
  // only a failure enters the loop, which carries on from that failed try.
  const model = chain[0]?.peek?.();
  if (model === undefined) return chainLoop(chain, attempt, options, undefined);
  const { name } = chain[0];
  let first: FirstTry<M, T>;
  try {
    const provider = options.describe(model).provider;
    const started = performance.now();
    let pending: Promise<T>;
    try {
      pending = attempt(model, name);
    } catch (error) {
      pending = Promise.reject(error);
    }
    first = { model, provider, started, pending };
  } catch {
    return chainLoop(chain, attempt, options, undefined);
  }
  return first.pending.then((value) => succeeded(options, name, first.provider, first.started, value, model), () => chainLoop(chain, attempt, options, first));
}

function succeeded<M, T>(options: ChainOptions<M>, name: string, provider: string, started: number, value: T, model: M): { value: T; model: M; name: string } {
  options.attempts.push({ model: name, provider, durationMs: performance.now() - started });
  options.cooldown?.recordSuccess(name);
  return { value, model, name };
}

async function chainLoop<M, T>(
  chain: Candidate<M>[],
  attempt: (model: M, name: string) => Promise<T>,
  options: ChainOptions<M>,
  first: FirstTry<M, T> | undefined,
): Promise<{ value: T; model: M; name: string }> {
  const { cooldown, policy, signal } = options;
  let lastError: unknown;
  for (let i = 0; i < chain.length; i++) {
    const { name } = chain[i];
    let tries = 0;
    try {
      const model = first ? first.model : chain[i].peek?.() ?? (await chain[i].resolve());
      const provider = first ? first.provider : options.describe(model).provider;
      for (;;) {
        const started = first ? first.started : performance.now();
        try {
          const pending = first ? first.pending : attempt(model, name);
          first = undefined;
          return succeeded(options, name, provider, started, await pending, model);
        } catch (error) {
          const e = NoFallback.unwrap(error) as { message?: string; name?: string };
          options.attempts.push({ model: name, provider, durationMs: performance.now() - started, error: e?.message ?? String(e), errorName: e?.name });
          const delayMs = tries < policy.maxRetries && !signal?.aborted && !NoFallback.isNoFallback(error) && isRetryable(error) ? retryDelay(error, tries, policy) : undefined;
          if (delayMs === undefined) throw error;
          tries++;
          options.hooks?.onRetry?.({ name, error, attempt: tries, delayMs });
          await abortableSleep(delayMs, signal);
        }
      }
    } catch (error) {
      lastError = error;
      if (signal?.aborted || AbortError.isInstance(error) || NoFallback.isNoFallback(error)) throw NoFallback.unwrap(error);
      cooldown?.recordFailure(name);
      const next = chain[i + 1];
      if (next) options.hooks?.onFallback?.({ name, error, nextModel: next.name });
    }
  }
  throw lastError;
}

function usableCandidates<M>(candidates: Candidate<M>[], cooldown: CooldownTracker): Candidate<M>[] {
  const usable = candidates.filter((c) => !cooldown.isCoolingDown(c.name));
  return usable.length ? usable : candidates;
}

/** Wraps an error that must end the fallback chain (a stream that already reached the caller). */
export class NoFallback extends Error {
  constructor(readonly inner: unknown) {
    super('no fallback');
  }
  static isNoFallback(error: unknown): error is NoFallback {
    return error instanceof NoFallback;
  }
  static unwrap(error: unknown): unknown {
    return error instanceof NoFallback ? error.inner : error;
  }
}
