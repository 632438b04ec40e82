import type { z } from 'zod';
import type { ChunkSink } from './chunk-channel.js';
import { generateStep, streamModelStep, type ModelCallContext, type StepResult } from './model-call.js';
import { computeCost } from './pricing.js';
import { Reply, type Attempt, type Chunk, type ReplyInit } from './reply.js';
import { matchChoice, validateStructured } from './structured-output.js';
import { runToolCalls } from './tool-runner.js';
import type { Message, ProviderRequest, ResponseFormat, Tool, ToolCall, ToolChoice, ToolInteraction, ToolSpec, Usage } from './types.js';
import { addUsage, emptyUsage } from './usage.js';

/** Everything one ask needs, prepared by the LLM class. */
export interface PreparedExchange {
  userMessage: Message;
  /** History (unless disabled) followed by the user message. */
  messages: Message[];
  system?: string;
  tools: Tool[];
  /** The tools as providers see them (JSON Schema computed once per ask). */
  toolSpecs: ToolSpec[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  schema?: z.ZodType;
  choices?: string[];
  choicesOptional: boolean;
  temperature?: number;
  maxTokens?: number;
  maxToolCalls: number;
  executeTools: boolean;
  signal?: AbortSignal;
  stream: boolean;
  useCache: boolean;
  cacheTtl?: number;
  providerOptions?: Record<string, unknown>;
  keyModel: { provider: string; modelId: string };
}

/** What an exchange produced: the reply and the messages to add to the history. */
export interface ExchangeResult {
  reply: Reply;
  userMessage: Message;
  /** Assistant tool-call messages and tool results between the user message and the final answer. */
  toolMessages: Message[];
  assistantMessage: Message;
}

interface Totals {
  usage: Usage;
  cachedUsage: Usage;
  allHits: boolean;
  attempts: Attempt[];
  last?: StepResult;
}

function buildRequest(p: PreparedExchange, messages: Message[], toolChoice: ToolChoice | undefined, responseFormat: ResponseFormat | undefined): ProviderRequest {
  return {
    messages, system: p.system, temperature: p.temperature, maxTokens: p.maxTokens,
    ...(p.toolSpecs.length ? { tools: p.toolSpecs, toolChoice } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    ...(p.providerOptions ? { providerOptions: p.providerOptions } : {}),
    ...(p.signal ? { signal: p.signal } : {}),
  };
}

/** One model step: streamed to `sink` when there is one, otherwise one non-streamed call. */
function step(ctx: ModelCallContext, p: PreparedExchange, request: ProviderRequest, totals: Totals, sink: ChunkSink<Chunk> | undefined): Promise<StepResult> {
  const options = { useCache: p.useCache, cacheTtl: p.cacheTtl, attempts: totals.attempts, keyModel: p.keyModel };
  return sink ? streamModelStep(ctx, request, options, sink) : generateStep(ctx, request, options);
}

/** Adds a finished step to the exchange's totals (cache hits count as cached usage) and returns it. */
function account(totals: Totals, result: StepResult): StepResult {
  if (result.cacheHit) totals.cachedUsage = addUsage(totals.cachedUsage, result.response.usage);
  else {
    totals.usage = addUsage(totals.usage, result.response.usage);
    totals.allHits = false;
  }
  totals.last = result;
  return result;
}

/** Where the tool loop stands: the conversation so far and everything the rounds produced. */
interface LoopState {
  messages: Message[];
  toolMessages: Message[];
  interactions: ToolInteraction[];
  allCalls: ToolCall[];
  executed: number;
  final?: StepResult;
}

/**
 * Runs the tool loop: model step, tools in parallel, results back, until an answer or `maxToolCalls`. Each step is
 * chained to its promise (no async frame), so an answer without tool calls comes back in one hop.
 */
function toolLoop(ctx: ModelCallContext, p: PreparedExchange, totals: Totals, hooks: { onTool(i: ToolInteraction): void }, sink: ChunkSink<Chunk> | undefined, loop: LoopState): Promise<LoopState> {
  const { executed } = loop;
  const choice = executed >= p.maxToolCalls && p.tools.length ? 'none' : executed > 0 && typeof p.toolChoice === 'object' ? 'auto' : p.toolChoice;
  return step(ctx, p, buildRequest(p, loop.messages, choice, p.responseFormat), totals, sink).then((stepResult) => {
    const result = account(totals, stepResult);
    loop.final = result;
    const calls = result.response.toolCalls;
    if (!calls.length) return loop;
    loop.allCalls.push(...calls);
    const byName = new Map(p.tools.map((t) => [t.name, t]));
    const runnable = p.executeTools && calls.every((c) => !byName.has(c.name) || byName.get(c.name)!.execute);
    if (!runnable || executed >= p.maxToolCalls) return loop;
    return toolRound(p, loop, result, hooks, sink).then(() => toolLoop(ctx, p, totals, hooks, sink, loop));
  });
}

/** Runs one round of tool calls and adds the assistant's calls and the results to the conversation. */
async function toolRound(p: PreparedExchange, loop: LoopState, result: StepResult, hooks: { onTool(i: ToolInteraction): void }, sink: ChunkSink<Chunk> | undefined): Promise<void> {
  const calls = result.response.toolCalls;
  const assistant: Message = { role: 'assistant', content: result.response.text, toolCalls: calls };
  const round = await runToolCalls(calls, p.tools, { signal: p.signal, remaining: p.maxToolCalls - loop.executed, onInteraction: hooks.onTool });
  loop.executed += calls.length;
  if (sink) for (const interaction of round.interactions) await sink.push({ type: 'tool-result', interaction, text: '' });
  loop.messages.push(assistant, ...round.messages);
  loop.toolMessages.push(assistant, ...round.messages);
  loop.interactions.push(...round.interactions);
}

/** Validates structured output, with one repair round that sends the validation errors back. */
async function structured(ctx: ModelCallContext, p: PreparedExchange, totals: Totals, messages: Message[], text: string) {
  const schema = p.schema!;
  let check = validateStructured(text, schema);
  if (check.ok) return { text, data: check.value as unknown, errors: undefined };
  const repairMessages: Message[] = [
    ...messages,
    { role: 'assistant', content: text },
    { role: 'user', content: `Your answer did not match the required JSON Schema:\n- ${check.issues.join('\n- ')}\nReply again with the corrected JSON only.` },
  ];
  const repaired = account(totals, await step(ctx, p, buildRequest({ ...p, tools: [], toolSpecs: [] }, repairMessages, undefined, p.responseFormat), totals, undefined));
  check = validateStructured(repaired.response.text, schema);
  if (check.ok) return { text: repaired.response.text, data: check.value as unknown, errors: undefined };
  return { text: repaired.response.text, data: undefined, errors: check.issues };
}

/** What the LLM hears from an exchange. */
export interface ExchangeHooks {
  onTool(i: ToolInteraction): void;
  /** Saves the result; runs before the `finish` chunk, so the history is saved before the caller sees it. */
  commit(result: ExchangeResult): Promise<void> | undefined;
  /** The reply is complete (after commit, before the `finish` chunk). */
  finished(reply: Reply): void;
}

/**
 * One exchange, streamed or not (one code path): model steps, tool loop, structured output or choice, the Reply.
 * With a `sink` the model steps stream and every chunk (the final `finish` too) is pushed to it. The steps are
 * chained (no async frame); only structured output, a history store or a stream's `finish` chunk wait once more.
 */
export function runExchange(ctx: ModelCallContext, p: PreparedExchange, hooks: ExchangeHooks, sink?: ChunkSink<Chunk>): Promise<ExchangeResult> {
  const totals: Totals = { usage: emptyUsage(), cachedUsage: emptyUsage(), allHits: true, attempts: [] };
  const loop: LoopState = { messages: [...p.messages], toolMessages: [], interactions: [], allCalls: [], executed: 0 };
  return toolLoop(ctx, p, totals, hooks, sink, loop).then((done) => {
    const final = done.final!.response;
    if (p.schema && !final.toolCalls.length) {
      return structured(ctx, p, totals, done.messages, final.text).then((outcome) => {
        const extra: Extra = { structuredData: outcome.data };
        if (outcome.errors) extra.validationErrors = outcome.errors;
        return complete(p, totals, done, outcome.text, extra, hooks, sink);
      });
    }
    return complete(p, totals, done, final.text, p.choices ? matchChoice(final.text, p.choices, p.choicesOptional) : undefined, hooks, sink);
  });
}

/** What structured output or a choice adds to a reply. */
type Extra = Pick<ReplyInit, 'structuredData' | 'validationErrors' | 'choice' | 'choiceIndex' | 'confidence'>;

/** Builds the Reply and the history messages, commits them and delivers the reply (a promise only when something waits). */
function complete(p: PreparedExchange, totals: Totals, loop: LoopState, text: string, extra: Extra | undefined, hooks: ExchangeHooks, sink: ChunkSink<Chunk> | undefined): ExchangeResult | Promise<ExchangeResult> {
  const final = loop.final!.response;
  const last = totals.last!;
  const cost = computeCost(last.model, totals.usage) ?? computeCost(p.keyModel.modelId, totals.usage);
  // No spreads here: Node 20 builds `{ ...a, key }` through a slow path; optional fields are assigned when present.
  const init: ReplyInit = {
    text, usage: totals.usage, model: last.model, provider: last.provider, finishReason: final.finishReason,
    toolCalls: loop.allCalls, toolInteractions: loop.interactions, cacheHit: totals.allHits, attempts: totals.attempts, raw: final.raw,
  };
  if (totals.cachedUsage.total || totals.allHits) init.cachedUsage = totals.cachedUsage;
  if (extra) Object.assign(init, extra);
  if (cost) init.cost = cost;
  if (final.reasoning) init.reasoning = final.reasoning;
  const assistantMessage: Message = { role: 'assistant', content: text, createdAt: new Date() };
  if (final.toolCalls.length) assistantMessage.toolCalls = final.toolCalls;
  if (loop.interactions.length) assistantMessage.toolInteractions = loop.interactions;
  init.messages = loop.toolMessages.length ? [p.userMessage, ...loop.toolMessages, assistantMessage] : [p.userMessage, assistantMessage];
  const reply = new Reply(init);
  const result: ExchangeResult = { reply, userMessage: p.userMessage, toolMessages: loop.toolMessages, assistantMessage };
  const saving = hooks.commit(result);
  return saving ? saving.then(() => deliver(result, hooks, sink)) : deliver(result, hooks, sink);
}

/** Tells the LLM the reply is complete, then pushes the `finish` chunk to a stream. */
function deliver(result: ExchangeResult, hooks: ExchangeHooks, sink: ChunkSink<Chunk> | undefined): ExchangeResult | Promise<ExchangeResult> {
  hooks.finished(result.reply);
  const pushed = sink?.push({ type: 'finish', reply: result.reply, text: '' });
  return pushed ? pushed.then(() => result) : result;
}
