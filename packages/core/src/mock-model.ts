import { AbortError, LLMError, ProviderError } from './errors.js';
import { abortableSleep } from './resilience.js';
import { messageText } from './message-json.js';
import { MOCK_MARK, answerFromToolResults, estimateTokens, plainAnswer, plannedToolCalls } from './mock-behaviour.js';
import { mockEmbedding, sampleFromSchema } from './mock-structured.js';
import { makeUsage } from './usage.js';
import type {
  EmbeddingModel, FinishReason, ImageModel, LanguageModel, ProviderDefinition, ProviderOptions, ProviderRequest,
  ProviderResponse, ProviderStreamEvent, ToolCall,
} from './types.js';

/** A scripted mock reply: a string, or text/tool calls/usage, or an error to throw. */
export type MockResponse =
  | string
  | {
      text?: string;
      /** Stream deltas (their concatenation is the text). */
      chunks?: string[];
      toolCalls?: { id?: string; name: string; arguments: unknown }[];
      usage?: { input: number; output: number };
      finishReason?: FinishReason;
      /** Throw this instead of answering (to test retries and fallbacks). */
      error?: Error;
      /** Wait this long before answering. */
      delayMs?: number;
    };

/** Options of the mock model (passed through `LLM.create('mock', { responses, chunkDelayMs })`). */
export interface MockModelOptions extends ProviderOptions {
  /** Scripted replies, used in order; after the last one the mock answers by itself. */
  responses?: MockResponse[];
  /** Wait between streamed chunks (to test slow streams and disconnects). */
  chunkDelayMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal).catch((error: unknown) => {
    throw AbortError.isInstance(error) ? error : new AbortError('The mock request was aborted.', { provider: 'mock', cause: error });
  });
}

function requestTokens(request: ProviderRequest): number {
  return estimateTokens(request.system ?? '') + request.messages.reduce((n, m) => n + estimateTokens(messageText(m)), 0);
}

function lastUserText(request: ProviderRequest): string {
  const user = [...request.messages].reverse().find((m) => m.role === 'user');
  return user ? messageText(user) : '';
}

/** The mock's own deterministic answer to a request. */
function decide(request: ProviderRequest): { text: string; toolCalls: ToolCall[] } {
  const toolAnswer = answerFromToolResults(request.messages);
  const calls = toolAnswer ? [] : plannedToolCalls(request);
  if (calls.length) return { text: '', toolCalls: calls };
  if (request.responseFormat?.schema) return { text: JSON.stringify(sampleFromSchema(request.responseFormat.schema, lastUserText(request))), toolCalls: [] };
  if (request.responseFormat) return { text: JSON.stringify({ answer: toolAnswer ?? plainAnswer(request) }), toolCalls: [] };
  return { text: toolAnswer ?? plainAnswer(request), toolCalls: [] };
}

class MockLanguageModel implements LanguageModel {
  readonly provider = 'mock';
  readonly supportsStructuredOutput = true;
  private readonly script: MockResponse[];

  constructor(readonly modelId: string, private readonly options: MockModelOptions) {
    this.script = [...(options.responses ?? [])];
  }

  private async respond(request: ProviderRequest): Promise<ProviderResponse & { chunks?: string[] }> {
    if (request.signal?.aborted) throw new AbortError('The mock request was aborted.', { provider: 'mock' });
    const scripted = this.script.shift();
    const entry = typeof scripted === 'string' ? { text: scripted } : scripted;
    if (entry?.delayMs) await sleep(entry.delayMs, request.signal);
    if (entry?.error) throw LLMError.isInstance(entry.error) ? entry.error : new ProviderError(entry.error.message, { provider: 'mock', cause: entry.error });
    const decided = entry ? { text: entry.text ?? entry.chunks?.join('') ?? '', toolCalls: [] as ToolCall[] } : decide(request);
    const toolCalls = entry?.toolCalls
      ? entry.toolCalls.map((c, i) => ({ id: c.id ?? `mock_call_${i + 1}`, name: c.name, arguments: c.arguments }))
      : decided.toolCalls;
    const output = estimateTokens(decided.text) + (toolCalls.length ? estimateTokens(JSON.stringify(toolCalls)) : 0);
    const usage = entry?.usage ? makeUsage(entry.usage.input, entry.usage.output) : makeUsage(requestTokens(request), output);
    const finishReason = entry?.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop');
    return { text: decided.text, toolCalls, finishReason, usage, model: this.modelId, chunks: entry?.chunks };
  }

  async generate(request: ProviderRequest): Promise<ProviderResponse> {
    const { chunks: _chunks, ...response } = await this.respond(request);
    return response;
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
    const response = await this.respond(request);
    const pieces = response.chunks ?? response.text.match(/\s*\S+\s*/gu) ?? [];
    for (const text of pieces) {
      if (this.options.chunkDelayMs) await sleep(this.options.chunkDelayMs, request.signal);
      else if (request.signal?.aborted) throw new AbortError('The mock request was aborted.', { provider: 'mock' });
      yield { type: 'text-delta', text };
    }
    for (const toolCall of response.toolCalls) yield { type: 'tool-call', toolCall };
    yield { type: 'finish', finishReason: response.finishReason, usage: response.usage, model: response.model };
  }
}

class MockEmbeddingModel implements EmbeddingModel {
  readonly provider = 'mock';
  readonly maxBatchSize = 256;
  constructor(readonly modelId: string) {}
  async embed(texts: string[], options: { signal?: AbortSignal }) {
    if (options.signal?.aborted) throw new AbortError('The mock request was aborted.', { provider: 'mock' });
    const input = texts.reduce((n, t) => n + estimateTokens(t), 0);
    return { embeddings: texts.map((t) => mockEmbedding(t)), usage: makeUsage(input, 0) };
  }
}

// A 1×1 transparent PNG: a real image file the mock can "generate".
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

class MockImageModel implements ImageModel {
  readonly provider = 'mock';
  constructor(readonly modelId: string) {}
  async generate(prompt: string, options: { n?: number; signal?: AbortSignal }) {
    if (options.signal?.aborted) throw new AbortError('The mock request was aborted.', { provider: 'mock' });
    return { images: Array.from({ length: options.n ?? 1 }, () => ({ base64: PIXEL_PNG, mediaType: 'image/png', revisedPrompt: `${MOCK_MARK} ${prompt}` })) };
  }
}

/**
 * The offline mock provider: deterministic answers, tool calls for arithmetic and weather prompts, schema-valid
 * structured output, keyword-matched choices, similarity-preserving embeddings. Always registered as `mock`.
 */
export const mockProvider: ProviderDefinition = {
  name: 'mock',
  matches: (modelId) => modelId === 'mock' || modelId.startsWith('mock:'),
  languageModel: (modelId, options) => new MockLanguageModel(modelId, options as MockModelOptions),
  embeddingModel: (modelId) => new MockEmbeddingModel(modelId),
  imageModel: (modelId) => new MockImageModel(modelId),
  isEmbeddingModel: () => false,
};
