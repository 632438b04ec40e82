import Anthropic from '@anthropic-ai/sdk';
import {
  AbortError,
  ConfigurationError,
  LLMError,
  ProviderError,
  type LanguageModel,
  type ProviderOptions,
  type ProviderRequest,
  type ProviderResponse,
  type ProviderStreamEvent,
  type ToolCall,
} from '@llm/core';
import { mapAnthropicError } from './anthropic-error.js';
import { defaultMaxTokens } from './anthropic-max-tokens.js';
import { prepareAnthropicTools, type JsonToolMode } from './anthropic-prepare-tools.js';
import { AnthropicStreamState, jsonToolText, withThinking } from './anthropic-stream-state.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { convertToAnthropicMessages, type AnthropicThinkingBlock } from './convert-to-anthropic-messages.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

/** Anthropic's public API, used when neither `baseURL` nor `ANTHROPIC_BASE_URL` is set. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** The SDK's own default request timeout; passing it keeps the SDK from refusing long non-streaming calls. */
const SDK_DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

/** Options of the Anthropic provider: core's `ProviderOptions` plus Anthropic's own. */
export interface AnthropicProviderOptions extends ProviderOptions {
  /** `max_tokens` when a request sets no `maxTokens` (default 4096, lowered to the model's known output limit). */
  defaultMaxTokens?: number;
}

/** The request body `getArgs` builds, and how to read the structured-output tool back. */
export interface AnthropicCallArgs {
  body: Anthropic.MessageCreateParamsNonStreaming;
  jsonTool?: JsonToolMode;
}

function isLocalURL(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || host.startsWith('127.');
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * A Claude model through the Messages API (`@anthropic-ai/sdk`). Reads `ANTHROPIC_API_KEY` and
 * `ANTHROPIC_BASE_URL` when created; a missing key fails at `generate`/`stream` time with a ConfigurationError.
 * @example
 * const model = new AnthropicChatLanguageModel('claude-haiku-4-5', { apiKey: 'sk-ant-...' });
 * const { text } = await model.generate({ messages: [{ role: 'user', content: '안녕하세요' }] });
 */
export class AnthropicChatLanguageModel implements LanguageModel {
  /** Always `anthropic`. */
  readonly provider = 'anthropic';
  /** Structured output is enforced with a forced `json_output` tool whose input schema is the answer's schema. */
  readonly supportsStructuredOutput = true;
  /** The Claude model id sent as `model`. */
  readonly modelId: string;
  private readonly apiKey?: string;
  private readonly baseURL: string;
  private readonly options: AnthropicProviderOptions;
  private client?: Anthropic;

  constructor(modelId: string, options: AnthropicProviderOptions = {}, env: Record<string, string | undefined> = process.env) {
    this.modelId = modelId;
    this.options = options;
    this.apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.ANTHROPIC_API_KEY);
    this.baseURL = nonEmpty(options.baseURL) ?? nonEmpty(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL;
  }

  /** Builds the Messages API request body for a core request. */
  getArgs(request: ProviderRequest): AnthropicCallArgs {
    const providerOptions = request.providerOptions ?? {};
    const thinking = (providerOptions.thinking as { type?: string } | undefined)?.type;
    const prepared = prepareAnthropicTools(request, { thinking: thinking === 'enabled' || thinking === 'adaptive' });
    const converted = convertToAnthropicMessages(request.messages);
    const system = [request.system, converted.system, prepared.systemInstruction].filter((s): s is string => !!s).join('\n\n');
    const body: Anthropic.MessageCreateParamsNonStreaming = {
      model: this.modelId,
      max_tokens: request.maxTokens ?? defaultMaxTokens(this.modelId, this.options.defaultMaxTokens),
      messages: converted.messages,
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.stopSequences?.length ? { stop_sequences: request.stopSequences } : {}),
      ...(prepared.tools ? { tools: prepared.tools } : {}),
      ...(prepared.toolChoice ? { tool_choice: prepared.toolChoice } : {}),
      ...(providerOptions as Partial<Anthropic.MessageCreateParamsNonStreaming>),
    };
    return { body, ...(prepared.jsonTool ? { jsonTool: prepared.jsonTool } : {}) };
  }

  /** One Messages API call; the structured-output tool's input comes back as `text`. */
  async generate(request: ProviderRequest): Promise<ProviderResponse> {
    const { body, jsonTool } = this.getArgs(request);
    const client = this.getClient();
    let message: Anthropic.Message;
    try {
      message = await client.messages.create(body, { signal: request.signal });
    } catch (error) {
      throw this.mapError(error, request.signal);
    }
    return this.parseMessage(message, jsonTool);
  }

  /** A streamed Messages API call; rejects with an LLMError when the stream breaks, errs or ends before `message_stop`. */
  async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
    const { body, jsonTool } = this.getArgs(request);
    const client = this.getClient();
    const state = new AnthropicStreamState(this.modelId, jsonTool);
    let events: AsyncIterable<Anthropic.RawMessageStreamEvent>;
    try {
      events = await client.messages.create({ ...body, stream: true }, { signal: request.signal });
    } catch (error) {
      throw this.mapError(error, request.signal);
    }
    try {
      for await (const event of events) {
        yield* state.handle(event);
        if (state.done) return;
      }
    } catch (error) {
      throw this.mapError(error, request.signal, true);
    }
    // The SDK ends an aborted stream silently, and a server may close the connection early: neither is a reply.
    if (request.signal?.aborted) throw this.abortError(request.signal);
    throw new ProviderError(
      `The anthropic stream (${this.modelId}) ended before message_stop: the connection closed early. Retry the request.`,
      { provider: 'anthropic', model: this.modelId, retryable: true },
    );
  }

  private parseMessage(message: Anthropic.Message, jsonTool: JsonToolMode | undefined): ProviderResponse {
    let text = '';
    let reasoning = '';
    let jsonText: string | undefined;
    const thinking: AnthropicThinkingBlock[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'thinking') {
        reasoning += block.thinking;
        thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
      } else if (block.type === 'redacted_thinking') thinking.push({ type: 'redacted_thinking', data: block.data });
      else if (block.type === 'tool_use' && jsonTool && block.name === jsonTool.name) jsonText = jsonToolText(block.input, jsonTool);
      else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: block.input ?? {} });
    }
    if (toolCalls.length) toolCalls[0] = withThinking(toolCalls[0], thinking);
    const finishReason = mapAnthropicFinishReason(message.stop_reason, { jsonToolAnswered: jsonText !== undefined, hasToolCalls: toolCalls.length > 0 });
    return {
      text: jsonText ?? text,
      toolCalls,
      finishReason,
      usage: convertAnthropicUsage(message.usage),
      model: message.model,
      ...(reasoning ? { reasoning } : {}),
      raw: message,
    };
  }

  private getClient(): Anthropic {
    if (this.client) return this.client;
    const local = isLocalURL(this.baseURL);
    if (!this.apiKey && !local) {
      throw new ConfigurationError(
        `No Anthropic API key for ${this.modelId}: set the ANTHROPIC_API_KEY environment variable or pass the apiKey option.`,
        { provider: 'anthropic', model: this.modelId },
      );
    }
    this.client = new Anthropic({
      // A local server (a proxy, a fake) needs no key, but the SDK insists on one.
      apiKey: this.apiKey ?? 'no-key-needed-for-local-server',
      baseURL: this.baseURL,
      maxRetries: this.options.maxRetries ?? 0,
      timeout: this.options.timeoutMs ?? SDK_DEFAULT_TIMEOUT_MS,
      ...(this.options.headers ? { defaultHeaders: this.options.headers } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    return this.client;
  }

  /** The signal's own reason when it is one of core's errors (core aborts with a TimeoutError), else an AbortError. */
  private abortError(signal: AbortSignal): LLMError {
    if (LLMError.isInstance(signal.reason)) return signal.reason;
    return new AbortError('The anthropic request was aborted.', { provider: 'anthropic', model: this.modelId, cause: signal.reason });
  }

  private mapError(error: unknown, signal: AbortSignal | undefined, duringStream = false): LLMError {
    if (LLMError.isInstance(error)) return error;
    if (signal?.aborted) return this.abortError(signal);
    const mapped = mapAnthropicError(error, { model: this.modelId, baseURL: this.baseURL, apiKey: this.apiKey });
    // A network failure after the response began is a stream broken mid-way, not an unreachable server.
    const brokeOff = duringStream && !(error instanceof SyntaxError) && ProviderError.isInstance(mapped) && mapped.status === undefined;
    if (!brokeOff) return mapped;
    return new ProviderError(
      `The anthropic stream (${this.modelId}) broke off mid-way: ${mapped.message} Retry the request.`,
      { provider: 'anthropic', model: this.modelId, cause: error, retryable: true },
    );
  }
}
