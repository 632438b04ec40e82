import { requestCacheKey } from './cache-key.js';
import { AbortError, LLMError, TimeoutError } from './errors.js';
import type { EventHub } from './events.js';
import type { ChunkSink } from './chunk-channel.js';
import type { Chunk } from './reply.js';
import type { Attempt } from './reply.js';
import { NoFallback, runWithFallbacks, type Candidate, type ChainHooks, type CooldownTracker, type RetryPolicy } from './resilience.js';
import type { Cache, CachedValue, LanguageModel, Logger, ProviderRequest, ProviderResponse, ToolCall } from './types.js';
import { emptyUsage } from './usage.js';

/** What the LLM gives a call: its cache-failure reporting. */
export interface CallOwner {
  /** Logs a cache failure once per outage. */
  cacheFailed(error: unknown): void;
  cacheRecovered(): void;
}

/**
 * What one model step needs from its LLM: one object per call, its hooks on the prototype (no closures per call).
 */
export class ModelCallContext implements ChainHooks {
  constructor(
    public candidates: Candidate<LanguageModel>[],
    readonly policy: RetryPolicy,
    readonly cooldown: CooldownTracker | undefined,
    readonly idleTimeoutMs: number | undefined,
    readonly events: EventHub,
    readonly cache: Cache | undefined,
    readonly cacheTtl: number | undefined,
    readonly logger: Logger,
    readonly startedAt: number,
    private readonly owner: CallOwner,
  ) {}

  cacheFailed(error: unknown): void {
    this.owner.cacheFailed(error);
  }

  cacheRecovered(): void {
    this.owner.cacheRecovered();
  }

  onRetry(i: { name: string; error: unknown; attempt: number; delayMs: number }): void {
    this.events.emit('retry', { model: i.name, provider: '', elapsedMs: performance.now() - this.startedAt, error: i.error, attempt: i.attempt, delayMs: i.delayMs });
  }

  onFallback(i: { name: string; error: unknown; nextModel: string }): void {
    this.logger.warn({ model: i.name, next: i.nextModel, error: (i.error as Error)?.message }, `LLM: ${i.name} failed, falling back to ${i.nextModel}`);
    this.events.emit('fallback', { model: i.name, provider: '', elapsedMs: performance.now() - this.startedAt, error: i.error, nextModel: i.nextModel });
  }
}

const asItself = <M>(model: M): M => model;

/** The outcome of one model step. */
export interface StepResult {
  response: ProviderResponse;
  provider: string;
  model: string;
  cacheHit: boolean;
}

async function cacheGet(ctx: ModelCallContext, key: string): Promise<CachedValue | undefined> {
  try {
    const value = await ctx.cache!.get(key);
    ctx.cacheRecovered();
    return value;
  } catch (error) {
    ctx.cacheFailed(error);
    return undefined;
  }
}

async function cacheSet(ctx: ModelCallContext, key: string, value: CachedValue, ttl: number | undefined): Promise<void> {
  try {
    await ctx.cache!.set(key, value, ttl !== undefined ? { ttlSeconds: ttl } : undefined);
    ctx.cacheRecovered();
  } catch (error) {
    ctx.cacheFailed(error);
  }
}

async function replay(response: ProviderResponse, sink: ChunkSink<Chunk>): Promise<void> {
  for (const text of response.text.match(/\s*\S+\s*/gu) ?? []) await sink.push({ type: 'text', text });
  for (const toolCall of response.toolCalls) await sink.push({ type: 'tool-call', toolCall, text: '' });
}

/** Pulls the next stream event, failing with TimeoutError when the stream stays silent for `idleMs`. */
async function nextWithIdle<T>(iterator: AsyncIterator<T>, idleMs: number | undefined, abort: () => void): Promise<IteratorResult<T>> {
  if (!idleMs) return iterator.next();
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort();
      reject(new TimeoutError(`The stream sent nothing for idleTimeoutMs=${idleMs} ms. Raise idleTimeoutMs or check the provider.`));
    }, idleMs);
  });
  try {
    return await Promise.race([iterator.next(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** Streams one model call: falls back only until the first event reached the caller. */
async function streamStep(ctx: ModelCallContext, request: ProviderRequest, attempts: Attempt[], sink: ChunkSink<Chunk>): Promise<StepResult> {
  const signal = request.signal;
  let opened: { iterator: AsyncIterator<import('./types.js').ProviderStreamEvent>; first: IteratorResult<import('./types.js').ProviderStreamEvent>; controller: AbortController } | undefined;
  const { model, name } = await runWithFallbacks(ctx.candidates, async (m) => {
    const controller = new AbortController();
    const attemptSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    // Object.assign, not `{ ...request, signal }`: Node 20 builds that spread through a slow path (about 1 µs).
    const iterator = m.stream(Object.assign({}, request, { signal: attemptSignal }))[Symbol.asyncIterator]();
    const first = await nextWithIdle(iterator, ctx.idleTimeoutMs, () => controller.abort());
    opened = { iterator, first, controller };
  }, { policy: ctx.policy, signal, cooldown: ctx.cooldown, attempts, describe: asItself, hooks: ctx });
  stickTo(ctx, name);
  const { iterator, controller } = opened!;
  let current = opened!.first;
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  let finish: Extract<import('./types.js').ProviderStreamEvent, { type: 'finish' }> | undefined;
  try {
    while (!current.done) {
      const event = current.value;
      if (event.type === 'text-delta' && event.text) {
        text += event.text;
        const wait = sink.push({ type: 'text', text: event.text });
        if (wait) await wait;
      } else if (event.type === 'reasoning-delta') reasoning += event.text;
      else if (event.type === 'tool-call') {
        toolCalls.push(event.toolCall);
        await sink.push({ type: 'tool-call', toolCall: event.toolCall, text: '' });
      } else if (event.type === 'finish') finish = event;
      current = await nextWithIdle(iterator, ctx.idleTimeoutMs, () => controller.abort());
    }
  } finally {
    if (!finish) {
      controller.abort();
      await iterator.return?.().catch(() => undefined);
    }
  }
  if (!finish) throw new LLMError(`The ${model.provider} stream ended without a finish event; the answer may be incomplete.`, { provider: model.provider, model: model.modelId });
  const response: ProviderResponse = { text, toolCalls, finishReason: finish.finishReason, usage: finish.usage ?? emptyUsage(), model: finish.model ?? model.modelId, ...(reasoning ? { reasoning } : {}) };
  return { response, provider: model.provider, model: response.model ?? model.modelId, cacheHit: false };
}

/** After a fallback, the rest of the exchange (tool rounds, repair) stays with the model that answered. */
function stickTo(ctx: ModelCallContext, name: string): void {
  if (ctx.candidates[0]?.name === name) return;
  const index = ctx.candidates.findIndex((c) => c.name === name);
  if (index > 0) ctx.candidates = ctx.candidates.slice(index);
}

/** What a model step needs to know besides the request. */
export interface StepOptions {
  useCache: boolean;
  cacheTtl?: number;
  attempts: Attempt[];
  keyModel: { provider: string; modelId: string };
}

function cacheKeyOf(ctx: ModelCallContext, request: ProviderRequest, options: StepOptions): string | undefined {
  return ctx.cache && options.useCache ? requestCacheKey(options.keyModel.provider, options.keyModel.modelId, request) : undefined;
}

async function cachedStep(ctx: ModelCallContext, key: string, options: StepOptions): Promise<StepResult | undefined> {
  const hit = await cacheGet(ctx, key);
  const cached = hit?.response as unknown as ProviderResponse | undefined;
  if (!cached || typeof cached.text !== 'string') return undefined;
  ctx.events.emit('cacheHit', { model: options.keyModel.modelId, provider: options.keyModel.provider, elapsedMs: performance.now() - ctx.startedAt, key });
  return { response: cached, provider: String(hit!.provider ?? options.keyModel.provider), model: cached.model ?? options.keyModel.modelId, cacheHit: true };
}

/** Rejects a step whose request was aborted meanwhile. */
function throwIfAborted(request: ProviderRequest): void {
  if (request.signal?.aborted) throw new AbortError('The request was aborted.');
}

/** Stores a finished step (never an aborted one) and returns it. */
async function finishStep(ctx: ModelCallContext, request: ProviderRequest, key: string | undefined, result: StepResult, options: StepOptions): Promise<StepResult> {
  throwIfAborted(request);
  if (key) {
    const { raw: _raw, ...response } = result.response;
    await cacheSet(ctx, key, { v: 1, provider: result.provider, response: JSON.parse(JSON.stringify(response)) }, options.cacheTtl);
  }
  return result;
}

/** The provider's answer through retries and fallbacks, as a step result (not stored); an aborted request rejects. */
function providerStep(ctx: ModelCallContext, request: ProviderRequest, options: StepOptions): Promise<StepResult> {
  return runWithFallbacks(ctx.candidates, (m) => m.generate(request), { policy: ctx.policy, signal: request.signal, cooldown: ctx.cooldown, attempts: options.attempts, describe: asItself, hooks: ctx })
    .then(({ value, model, name }) => {
      stickTo(ctx, name);
      throwIfAborted(request);
      return { response: value, provider: model.provider, model: value.model ?? model.modelId, cacheHit: false };
    }, (error) => {
      throw NoFallback.unwrap(error);
    });
}

/** A non-streamed step through the cache: a hit answers, a miss asks the provider and is stored. */
async function cachedGenerateStep(ctx: ModelCallContext, request: ProviderRequest, options: StepOptions): Promise<StepResult> {
  const key = cacheKeyOf(ctx, request, options)!;
  const hit = await cachedStep(ctx, key, options);
  if (hit) return hit;
  return finishStep(ctx, request, key, await providerStep(ctx, request, options), options);
}

/**
 * One non-streamed model step: the cache first, then the provider through retries and fallbacks. Without a cache
 * this is the provider's promise chained once (no async frame, no generator).
 */
export function generateStep(ctx: ModelCallContext, request: ProviderRequest, options: StepOptions): Promise<StepResult> {
  return ctx.cache && options.useCache ? cachedGenerateStep(ctx, request, options) : providerStep(ctx, request, options);
}

/**
 * One streamed model step, its chunks pushed to `sink`: a cache hit is replayed as chunks, a miss streams through retries and fallbacks and is
 * stored only after it finished successfully.
 */
export async function streamModelStep(ctx: ModelCallContext, request: ProviderRequest, options: StepOptions, sink: ChunkSink<Chunk>): Promise<StepResult> {
  const key = cacheKeyOf(ctx, request, options);
  const hit = key ? await cachedStep(ctx, key, options) : undefined;
  if (hit) {
    await replay(hit.response, sink);
    return hit;
  }
  let result: StepResult;
  try {
    result = await streamStep(ctx, request, options.attempts, sink);
  } catch (error) {
    throw NoFallback.unwrap(error);
  }
  return finishStep(ctx, request, key, result, options);
}
