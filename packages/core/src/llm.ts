import type { z } from 'zod';
import { Chain, type PipeOptions } from './chain.js';
import { sanitizeHistory, trimHistory } from './conversation.js';
import { cosineSimilarity, embedTexts, type EmbedManyOptions } from './embeddings.js';
import { BudgetExceededError, ConfigurationError } from './errors.js';
import { EventHub, type LLMEventName, type LLMEvents } from './events.js';
import { runExchange, type ExchangeResult, type PreparedExchange } from './exchange.js';
import { loadFile } from './files.js';
import { describeImages as describeMany, generateImages, type GeneratedImage } from './images.js';
import { isZodSchema, loadZod, zodFromJsonSchema } from './json-schema.js';
import { providerOptionsFrom, type AskOptions, type FallbackModel, type LLMOptions, type StructuredOf } from './llm-options.js';
import { ModelCallContext } from './model-call.js';
import { renderPrompt, type PromptLike } from './prompt.js';
import { importOptionalPackage, loadProvider, routeModel, type ModelRoute } from './registry.js';
import { type Chunk, Reply } from './reply.js';
import { ChunkChannel } from './chunk-channel.js';
import { createCallSignal, CooldownTracker, DEFAULT_RETRY_POLICY, runWithFallbacks, type Candidate, type RetryPolicy } from './resilience.js';
import { choicesInstructions, choicesResponseFormat, jsonInstructions, schemaResponseFormat } from './structured-output.js';
import { normalizeTools, toToolSpec } from './tools.js';
import type { ContentPart, EmbeddingModel, ImageGenerationOptions, JsonSchema, LanguageModel, Logger, McpToolSet, Message, ResponseFormat, Tool, Usage } from './types.js';
import { addUsage, emptyUsage } from './usage.js';
import { endChatSpan, loadTracer, startChatSpan, type TraceTracer } from './tracing.js';
import { mapLimit } from './concurrency.js';

const consoleLogger: Logger = { warn: (obj, msg) => console.warn(msg ?? '', obj), error: (obj, msg) => console.error(msg ?? '', obj) };

/** A PreparedExchange under construction (between the stages of `prepare`). */
interface Draft {
  options: AskOptions<any>;
  signal: AbortSignal | undefined;
  stream: boolean;
  userMessage: Message;
  system: string[];
  tools: Tool[];
  responseFormat?: ResponseFormat;
}

interface ModelSlot {
  name: string;
  route: ModelRoute;
  options: Record<string, unknown>;
  model?: Promise<LanguageModel>;
  /** The model once `model` resolved. */
  resolved?: LanguageModel;
}

/**
 * The entry point: one model (with fallbacks), its conversation, cache, history store and tools.
 * @example
 * const llm = LLM.create('gpt-4o-mini', { systemPrompt: '친절한 비서' });
 * const reply = await llm.ask('파이썬의 장점은?');
 * for await (const chunk of llm.stream('긴 설명')) process.stdout.write(chunk.text);
 */
export class LLM {
  readonly model: string;
  readonly options: LLMOptions;
  private readonly slots: ModelSlot[];
  private readonly events = new EventHub();
  private readonly cooldown?: CooldownTracker;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private messages: Message[];
  private totalUsage: Usage = emptyUsage();
  private restored = false;
  private readyPromise?: Promise<void>;
  private isReady = false;
  private defaultCandidates?: Candidate<LanguageModel>[];
  private mcp?: McpToolSet;
  private cacheDown = false;
  private tracer?: TraceTracer;
  /** How call contexts report cache failures (made once, not per call). */
  private readonly cacheReporter = { cacheFailed: (error: unknown) => this.cacheFailed(error), cacheRecovered: () => this.cacheRecovered() };

  private constructor(model: string, options: LLMOptions = {}) {
    this.model = model;
    this.options = options;
    this.logger = options.logger ?? consoleLogger;
    const fallbacks = (options.fallbacks ?? []).map((f: FallbackModel) => (typeof f === 'string' ? { model: f } : f));
    this.slots = [
      { name: model, route: routeModel(model), options: providerOptionsFrom(options) },
      ...fallbacks.map((f) => ({ name: f.model, route: routeModel(f.model), options: providerOptionsFrom({ apiKey: f.apiKey, baseURL: f.baseURL, providerOptions: f.providerOptions }) })),
    ];
    this.policy = { ...DEFAULT_RETRY_POLICY, maxRetries: options.maxRetries ?? 2, baseDelayMs: options.retryBaseDelayMs ?? 500 };
    if (fallbacks.length && options.cooldownMs !== 0) {
      this.cooldown = new CooldownTracker({ cooldownMs: options.cooldownMs ?? 30_000, failures: options.cooldownFailures ?? 3, windowMs: options.cooldownWindowMs ?? 60_000 });
    }
    this.messages = [...(options.initialMessages ?? [])];
  }

  /** Creates an LLM for a model name (routing rules in the README). Throws ModelNotFoundError for unknown names. */
  static create(model: string, options: LLMOptions = {}): LLM {
    return new LLM(model, options);
  }

  /** Creates an LLM and finishes its setup (MCP servers connected, history restored) before returning. */
  static async createAsync(model: string, options: LLMOptions = {}): Promise<LLM> {
    const llm = new LLM(model, options);
    await llm.ready();
    return llm;
  }

  /** A copy of this LLM (same options, fresh history) that falls back to these models. */
  withFallbacks(models: FallbackModel[]): LLM {
    return new LLM(this.model, { ...this.options, fallbacks: [...(this.options.fallbacks ?? []), ...models] });
  }

  /** The conversation so far (a copy). */
  get history(): Message[] {
    return [...this.messages];
  }

  /** Tokens and cost spent by this instance. */
  get usage(): Usage {
    return { ...this.totalUsage };
  }

  /** Forgets the conversation (a no-op for stateless LLMs). */
  clear(): void {
    if (!this.options.stateless) this.messages = [];
  }

  /** Subscribes to `request`, `response`, `error`, `retry`, `fallback`, `cacheHit`, `toolCall`, `chunk`. */
  on<E extends LLMEventName>(event: E, listener: (payload: LLMEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<E extends LLMEventName>(event: E, listener: (payload: LLMEvents[E]) => void): void {
    this.events.off(event, listener);
  }

  /** Restores the history store and connects MCP servers (once). `ask` calls it; call it to fail early. */
  ready(): Promise<void> {
    this.readyPromise ??= this.setup().then(() => {
      this.isReady = true;
    }, (error) => {
      this.readyPromise = undefined;
      throw error;
    });
    return this.readyPromise;
  }

  private async setup(): Promise<void> {
    this.tracer = await loadTracer();
    if (this.options.historyBackup && !this.restored && !this.options.stateless) {
      try {
        const restored = await this.options.historyBackup.loadHistory({ limit: this.options.historyLimit });
        this.messages = [...this.messages, ...restored];
      } catch (error) {
        this.logger.warn({ error: (error as Error).message }, 'LLM: could not restore the history backup; continuing without it');
      }
      this.restored = true;
    }
    if (this.options.mcpServers !== undefined && !this.mcp) {
      const mod = await importOptionalPackage<{ connectMcpServers(config: unknown, options: { logger: Logger }): Promise<McpToolSet> }>('@llm/mcp');
      if (!mod) throw new ConfigurationError('mcpServers needs the @llm/mcp package: pnpm add @llm/mcp');
      this.mcp = await mod.connectMcpServers(this.options.mcpServers, { logger: this.logger });
    }
  }

  /** Closes the MCP servers this LLM started (their child processes end). */
  async closeMcp(): Promise<void> {
    const mcp = this.mcp;
    this.mcp = undefined;
    this.readyPromise = undefined;
    this.isReady = false;
    await mcp?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeMcp();
  }

  private slotModel(slot: ModelSlot): Promise<LanguageModel> {
    slot.model ??= loadProvider(slot.route).then((definition) => (slot.resolved = definition.languageModel(slot.route.modelId, slot.options)));
    slot.model.catch(() => (slot.model = undefined));
    return slot.model;
  }

  private candidates(modelOverride?: string): Candidate<LanguageModel>[] {
    if (!modelOverride && this.defaultCandidates) return this.defaultCandidates;
    const slots: ModelSlot[] = modelOverride ? [{ name: modelOverride, route: routeModel(modelOverride), options: this.slots[0].options }] : this.slots;
    const candidates = slots.map((slot) => ({ name: slot.name, resolve: () => this.slotModel(slot), peek: () => slot.resolved }));
    if (!modelOverride) this.defaultCandidates = candidates;
    return candidates;
  }

  private callContext(modelOverride: string | undefined, startedAt: number): ModelCallContext {
    return new ModelCallContext(
      this.candidates(modelOverride), this.policy, this.cooldown, this.options.idleTimeoutMs, this.events, this.options.cache, this.options.cacheTtl,
      this.logger, startedAt, this.cacheReporter,
    );
  }

  private cacheFailed(error: unknown): void {
    if (this.cacheDown) return;
    this.cacheDown = true;
    this.logger.warn({ error: (error as Error)?.message }, 'LLM: the cache failed; requests go to the provider until it recovers');
  }

  private cacheRecovered(): void {
    if (this.cacheDown) this.logger.info?.({}, 'LLM: the cache works again');
    this.cacheDown = false;
  }

  private async fileContent(text: string, files: NonNullable<AskOptions<any>['files']>): Promise<Message['content']> {
    const parts: ContentPart[] = await Promise.all(files.map(loadFile));
    return [{ type: 'text', text }, ...parts];
  }

  private renderInput(input: string | Record<string, unknown>, options: AskOptions<any>): string {
    const context = options.context ?? {};
    if (typeof input === 'string') return renderPrompt(input, context);
    const prompt: PromptLike | undefined = options.prompt ?? this.options.prompt;
    if (!prompt) throw new ConfigurationError('ask() got an object but no prompt template: pass { prompt } to LLM.create or ask, or pass a string.');
    return renderPrompt(prompt, { ...context, ...input });
  }

  /**
   * Prepares an exchange in stages, each waiting only when it must (files to load, zod for a schema or tools, the
   * first model on first use): a plain ask gets its PreparedExchange back without a promise.
   */
  private prepare(input: string | Record<string, unknown>, options: AskOptions<any>, signal: AbortSignal | undefined, stream: boolean): PreparedExchange | Promise<PreparedExchange> {
    if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) {
      throw new ConfigurationError('ask() takes a string, or an object rendered with the prompt template.');
    }
    const text = this.renderInput(input, options);
    return options.files?.length
      ? this.fileContent(text, options.files).then((content) => this.prepareTools(content, options, signal, stream))
      : this.prepareTools(text, options, signal, stream);
  }

  /** The user message, system prompt and tools; loads zod when a schema or tools need it. */
  private prepareTools(content: Message['content'], options: AskOptions<any>, signal: AbortSignal | undefined, stream: boolean): PreparedExchange | Promise<PreparedExchange> {
    const base = options.systemPrompt ?? this.options.systemPrompt;
    const mcpTools = this.mcp?.tools ?? [];
    const draft: Draft = {
      options, signal, stream,
      userMessage: { role: 'user', content, createdAt: new Date() },
      system: base ? [renderPrompt(base, options.context ?? {})] : [],
      tools: this.options.tools || options.tools || mcpTools.length ? [...normalizeTools(this.options.tools), ...normalizeTools(options.tools), ...mcpTools] : [],
    };
    return options.schema !== undefined || draft.tools.length ? loadZod().then(() => this.prepareModel(draft)) : this.prepareModel(draft);
  }

  /** The response format, then the first model (peeked once it resolved). */
  private prepareModel(draft: Draft): PreparedExchange | Promise<PreparedExchange> {
    const { options, system } = draft;
    if (options.schema !== undefined) draft.responseFormat = schemaResponseFormat(options.schema);
    else if (options.choices !== undefined) {
      draft.responseFormat = choicesResponseFormat(options.choices, !!options.choicesOptional);
      system.push(choicesInstructions(options.choices, !!options.choicesOptional));
    }
    const first = this.candidates(options.model)[0];
    const primary = first.peek?.();
    return primary ? this.prepared(draft, primary) : first.resolve().then((model) => this.prepared(draft, model));
  }

  private prepared(draft: Draft, primary: LanguageModel): PreparedExchange {
    const { options, system, tools, userMessage, responseFormat } = draft;
    const schema = options.schema;
    if (responseFormat && !primary.supportsStructuredOutput) system.push(jsonInstructions(responseFormat));
    const useHistory = !this.options.stateless && options.useHistory !== false;
    const history = options.messages ? sanitizeHistory(options.messages) : useHistory ? sanitizeHistory(trimHistory(this.messages, this.options.historyLimit)) : [];
    return {
      userMessage, messages: history.length ? [...history, userMessage] : [userMessage], system: system.length ? system.join('\n\n') : undefined, tools, toolSpecs: tools.length ? tools.map(toToolSpec) : [],
      toolChoice: options.toolChoice, responseFormat,
      schema: schema === undefined ? undefined : isZodSchema(schema) ? schema : zodFromJsonSchema(schema as JsonSchema),
      choices: options.choices, choicesOptional: !!options.choicesOptional,
      temperature: options.temperature ?? this.options.temperature, maxTokens: options.maxTokens ?? this.options.maxTokens,
      maxToolCalls: options.maxToolCalls ?? this.options.maxToolCalls ?? 5, executeTools: options.executeTools !== false,
      signal: draft.signal, stream: draft.stream, useCache: options.cache !== false, cacheTtl: options.cacheTtl ?? this.options.cacheTtl,
      providerOptions: options.providerOptions, keyModel: { provider: primary.provider, modelId: primary.modelId },
    };
  }

  /** Adds the usage and keeps the exchange in the history; returns a promise only when a history store saves it. */
  private commit(result: ExchangeResult, options: AskOptions<any>): Promise<void> | undefined {
    // Node 20 clones `{ ...usage, costUsd }` through a slow path (about 1 µs): add the cost to the sum instead.
    const total = addUsage(this.totalUsage, result.reply.usage);
    total.costUsd = (this.totalUsage.costUsd ?? 0) + (result.reply.cost?.usd ?? 0);
    this.totalUsage = total;
    if (this.options.stateless || options.useHistory === false || options.messages) return;
    this.messages.push(result.userMessage, ...result.toolMessages, result.assistantMessage);
    if (this.options.historyLimit !== undefined) this.messages = trimHistory(this.messages, this.options.historyLimit);
    if (this.options.historyBackup) return this.backup(result);
  }

  private async backup(result: ExchangeResult): Promise<void> {
    const store = this.options.historyBackup!;
    try {
      await store.saveExchange(result.userMessage, result.assistantMessage, {
        usage: result.reply.usage, model: result.reply.model, costUsd: result.reply.cost?.usd, toolMessages: result.toolMessages,
      });
    } catch (error) {
      this.logger.warn({ error: (error as Error)?.message }, 'LLM: the history backup failed to save this exchange; the reply is returned anyway');
    }
  }

  private checkBudget(): void {
    const budget = this.options.maxCostUsd;
    const spent = this.totalUsage.costUsd ?? 0;
    if (budget !== undefined && spent >= budget) {
      throw new BudgetExceededError(`This LLM has spent $${spent.toFixed(6)} of its maxCostUsd=$${budget} budget. Raise maxCostUsd or create a new LLM.`, { spentUsd: spent, budgetUsd: budget });
    }
  }

  /** Streams an answer: every chunk has `.text`; the last chunk (`type: 'finish'`) carries the whole Reply. */
  stream<S extends z.ZodType | undefined = undefined>(input: string | Record<string, unknown>, options: AskOptions<S> = {}): AsyncGenerator<Chunk<StructuredOf<S>>, void, undefined> {
    return this.streamRun(input, options);
  }

  /**
   * The stream a caller reads: the exchange runs as plain async code and pushes its chunks into a channel (one hop per
   * chunk). Nothing starts before the first read; a reader that stops early aborts the model call and waits for it to
   * unwind, so no request is left running.
   */
  private async *streamRun<S extends z.ZodType | undefined>(input: string | Record<string, unknown>, options: AskOptions<S>): AsyncGenerator<Chunk<StructuredOf<S>>, void, undefined> {
    const channel = new ChunkChannel<Chunk>();
    const done = this.execute(input, options, channel).then(() => channel.end(), (error) => channel.end(error));
    let ended = false;
    try {
      for (;;) {
        const next = await channel.next();
        if (next.done) {
          ended = true;
          return;
        }
        yield next.value as Chunk<StructuredOf<S>>;
      }
    } catch (error) {
      ended = true;
      throw error;
    } finally {
      if (!ended) channel.cancel();
      await done;
    }
  }

  /** One exchange: non-streamed without a sink, streamed into `sink` with one. Events, tracing, budget and cancellation live here. */
  private async execute(input: string | Record<string, unknown>, options: AskOptions<any>, sink?: ChunkChannel<Chunk>): Promise<Reply<any>> {
    this.checkBudget();
    if (!this.isReady) await this.ready();
    const startedAt = performance.now();
    const call = createCallSignal(options.signal, options.timeoutMs ?? this.options.timeoutMs, `The ${options.model ?? this.model} call`, !!sink);
    const name = options.model ?? this.model;
    let finished = false;
    let span = this.tracer && startChatSpan(this.tracer, { model: name, provider: this.slots[0].route.provider, temperature: options.temperature ?? this.options.temperature, maxTokens: options.maxTokens ?? this.options.maxTokens, stream: !!sink });
    if (sink) sink.onCancel = () => call.abort();
    try {
      if (this.events.has('request')) this.events.emit('request', { model: name, provider: '', elapsedMs: 0, stream: !!sink });
      const preparing = this.prepare(input, options, call.signal, !!sink);
      const prepared = preparing instanceof Promise ? await preparing : preparing;
      const ctx = this.callContext(options.model, startedAt);
      const onTool = (interaction: import('./types.js').ToolInteraction) => this.events.emit('toolCall', { model: name, provider: '', elapsedMs: performance.now() - startedAt, interaction });
      const finishedReply = (reply: Reply) => {
        finished = true;
        if (this.events.has('response')) {
          const latencyMs = performance.now() - startedAt;
          this.events.emit('response', { model: reply.model, provider: reply.provider, elapsedMs: latencyMs, latencyMs, reply, usage: reply.usage, costUsd: reply.cost?.usd });
        }
        if (span) endChatSpan(span, { model: reply.model, provider: reply.provider, finishReason: reply.finishReason, input: reply.usage.input, output: reply.usage.output, cacheHit: reply.cacheHit });
        span = undefined;
      };
      const out = sink && this.events.has('chunk')
        ? { push: (chunk: Chunk) => {
          if (chunk.type === 'text') this.events.emit('chunk', { model: name, provider: '', elapsedMs: performance.now() - startedAt, text: chunk.text });
          return sink.push(chunk);
        } }
        : sink;
      const result = await runExchange(ctx, prepared, { onTool, commit: (r) => this.commit(r, options), finished: finishedReply }, out);
      return result.reply;
    } catch (error) {
      // A reader that stopped early is not a failure of the call.
      if (sink?.cancelled) throw error;
      const translated = call.translate(error);
      if (span) endChatSpan(span, { error: translated });
      span = undefined;
      if (!BudgetExceededError.isInstance(translated)) this.events.emit('error', { model: name, provider: '', elapsedMs: performance.now() - startedAt, latencyMs: performance.now() - startedAt, error: translated });
      throw translated;
    } finally {
      if (!finished) {
        call.abort();
        if (span) endChatSpan(span, { error: new Error('The caller stopped reading the stream.') });
      }
      call.dispose();
    }
  }

  /**
   * Asks the model. With `stream: true` returns the chunk stream instead of a Promise.
   * @example const { structuredData } = await llm.ask('책 정보', { schema: Book });
   */
  ask<S extends z.ZodType | undefined = undefined>(input: string | Record<string, unknown>, options: AskOptions<S> & { stream: true }): AsyncGenerator<Chunk<StructuredOf<S>>, void, undefined>;
  ask<S extends z.ZodType | undefined = undefined>(input: string | Record<string, unknown>, options?: AskOptions<S>): Promise<Reply<StructuredOf<S>>>;
  ask<S extends z.ZodType | undefined = undefined>(input: string | Record<string, unknown>, options: AskOptions<S> = {}): Promise<Reply<StructuredOf<S>>> | AsyncGenerator<Chunk<StructuredOf<S>>, void, undefined> {
    return options.stream ? this.streamRun(input, options) : this.execute(input, options);
  }

  /** Runs many prompts: `independent` (no history, parallel), `sequential` (each sees the previous), `shared` (parallel, all see the current history). */
  async batch(prompts: string[], options: AskOptions & { maxParallel?: number; historyMode?: 'independent' | 'sequential' | 'shared' } = {}): Promise<Reply[]> {
    const { maxParallel = 4, historyMode = 'independent', ...askOptions } = options;
    if (historyMode === 'sequential') {
      const replies: Reply[] = [];
      for (const prompt of prompts) replies.push(await this.ask(prompt, askOptions));
      return replies;
    }
    const snapshot = historyMode === 'shared' ? [...this.messages] : [];
    const run = (prompt: string) => historyMode === 'shared'
      ? LLM.create(this.model, { ...this.options, initialMessages: snapshot, historyBackup: undefined }).ask(prompt, askOptions)
      : this.ask(prompt, { ...askOptions, useHistory: false });
    const replies = await mapLimit(prompts, maxParallel, run);
    if (historyMode === 'shared' && !this.options.stateless) {
      replies.forEach((reply, i) => this.messages.push({ role: 'user', content: prompts[i] }, { role: 'assistant', content: reply.text }));
    }
    return replies;
  }

  /** Chains this LLM into another: the next step gets this step's text as `{input}` (and as `{outputKey}`). */
  pipe(next: LLM, options: PipeOptions = {}): Chain {
    return new Chain([{ llm: this }, { llm: next, ...options }]);
  }

  private async embeddingModel(): Promise<{ model: EmbeddingModel; provider: string; modelId: string }> {
    const slot = this.slots[0];
    const definition = await loadProvider(slot.route);
    if (!definition.embeddingModel) throw new ConfigurationError(`The ${definition.name} provider has no embedding models. Use an embedding model such as text-embedding-3-small or mock.`);
    return { model: definition.embeddingModel(slot.route.modelId, slot.options), provider: definition.name, modelId: slot.route.modelId };
  }

  private retry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const attempts: import('./reply.js').Attempt[] = [];
    return runWithFallbacks([{ name: this.model, resolve: async () => this.model }], fn, { policy: this.policy, signal, attempts, describe: () => ({ provider: this.slots[0].route.provider }) }).then((r) => r.value);
  }

  /** Embeds texts in input order, batched, cached per text. */
  async embedMany(texts: string[], options: EmbedManyOptions = {}): Promise<number[][]> {
    const { model, provider, modelId } = await this.embeddingModel();
    const result = await embedTexts({ model, provider, modelId, cache: this.options.cache, cacheTtl: this.options.cacheTtl, onCacheError: (e) => this.cacheFailed(e), retry: (fn, s) => this.retry(fn, s) }, texts, options);
    this.totalUsage = addUsage(this.totalUsage, result.usage);
    return result.embeddings;
  }

  /** Embeds one text. */
  async embed(text: string, options: Omit<EmbedManyOptions, 'batchSize' | 'onProgress'> = {}): Promise<number[]> {
    if (typeof text !== 'string') throw new ConfigurationError('embed() takes a string; use embedMany() for a list.');
    return (await this.embedMany([text], options))[0];
  }

  /** Cosine similarity of two texts' embeddings. */
  async similarity(a: string, b: string): Promise<number> {
    const [va, vb] = await this.embedMany([a, b]);
    return cosineSimilarity(va, vb);
  }

  /** Generates images with an image model (`dall-e-*`, `gpt-image-*`, `mock`). */
  async generateImage(prompt: string, options: ImageGenerationOptions = {}): Promise<GeneratedImage[]> {
    const definition = await loadProvider(this.slots[0].route);
    if (!definition.imageModel) throw new ConfigurationError(`The ${definition.name} provider cannot generate images. Use dall-e-3 or gpt-image-1.`);
    return generateImages(definition.imageModel(this.slots[0].route.modelId, this.slots[0].options), prompt, options);
  }

  /** Describes one image with this (vision) model. */
  describeImage(image: import('./files.js').FileInput, prompt?: string, options: AskOptions = {}): Promise<Reply> {
    return this.ask(prompt ?? 'Describe this image in detail.', { ...options, files: [image], useHistory: false });
  }

  /** Describes several images, at most `maxParallel` at once, replies in input order. */
  describeImages(images: import('./files.js').FileInput[], options: AskOptions & { prompt?: string; maxParallel?: number } = {}): Promise<Reply[]> {
    return describeMany(images, options, (image, prompt, rest) => this.describeImage(image, prompt, rest));
  }
}
