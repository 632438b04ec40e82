import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import {
  ProviderError,
  type LLMError,
  type JsonSchema,
  type LanguageModel,
  type ProviderRequest,
  type ProviderResponse,
  type ProviderStreamEvent,
  type ResponseFormat,
  type ToolChoice,
} from '@llm/core';
import type { OpenAIClientContext } from './openai-client.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { OpenAIChatStreamState, parseToolArguments, toolCallId, type OpenAIWireChunk } from './openai-chat-stream.js';
import { mapOpenAIError, streamEndedEarlyError } from './openai-error.js';
import { isOpenAIReasoningModel } from './openai-model-capabilities.js';
import { restoreOptionalFields, toOpenAIStrictSchema } from './openai-strict-schema.js';

/** The request body `getArgs` builds (everything but `stream`). */
export type OpenAIChatBody = Omit<ChatCompletionCreateParamsNonStreaming, 'stream'>;

/** What `getArgs` returns: the body, and the caller's schema when the answer needs optional fields restored. */
export interface OpenAIChatArgs {
  body: OpenAIChatBody;
  restoreSchema?: JsonSchema;
}

/** The assistant message fields compatible servers add to Chat Completions. */
interface WireMessageExtras {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

function toolChoiceParam(choice: ToolChoice): OpenAIChatBody['tool_choice'] {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** OpenAI's schema names allow `[a-zA-Z0-9_-]{1,64}`: other characters (Hangul too) become `_`. */
function schemaName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[^a-zA-Z0-9_-]/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return cleaned || 'response';
}

/**
 * A Chat Completions model (`/chat/completions`) of OpenAI or any compatible server, through the `openai` SDK.
 * @example
 * const model = openai.languageModel('gpt-4o-mini', {}); const reply = await model.generate({ messages: [{ role: 'user', content: '안녕' }] });
 */
export class OpenAIChatLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly supportsStructuredOutput: boolean;
  /** Whether this is a reasoning model (decided once: every request needs it). */
  private readonly reasoning: boolean;

  constructor(private readonly context: OpenAIClientContext) {
    this.provider = context.provider;
    this.modelId = context.modelId;
    this.reasoning = isOpenAIReasoningModel(context.modelId);
    this.supportsStructuredOutput = context.config.structuredOutputs ?? true;
  }

  /** Builds the request body: messages, sampling, max tokens field, tools, tool choice and response format. */
  getArgs(request: ProviderRequest): OpenAIChatArgs {
    const reasoning = this.reasoning;
    const extra = request.providerOptions ?? {};
    // Reasoning models reject sampling parameters, unless reasoning is switched off (gpt-5.1 `reasoning_effort: 'none'`).
    const sampling = !reasoning || extra.reasoning_effort === 'none';
    const body: OpenAIChatBody = { model: this.modelId, messages: convertToOpenAIMessages(request.system, request.messages) };
    if (sampling && request.temperature !== undefined) body.temperature = request.temperature;
    if (sampling && request.topP !== undefined) body.top_p = request.topP;
    if (request.maxTokens !== undefined) {
      if (reasoning) body.max_completion_tokens = request.maxTokens;
      else body.max_tokens = request.maxTokens;
    }
    if (request.stopSequences?.length) body.stop = request.stopSequences;
    if (request.tools?.length) {
      body.tools = request.tools.map((tool) => ({
        type: 'function' as const,
        function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters },
      }));
      if (request.toolChoice !== undefined) body.tool_choice = toolChoiceParam(request.toolChoice);
    } else if (request.toolChoice === 'none') body.tool_choice = 'none';
    const format = this.responseFormat(request.responseFormat);
    if (format.param) body.response_format = format.param;
    Object.assign(body, extra);
    return { body, restoreSchema: format.restoreSchema };
  }

  private responseFormat(format: ResponseFormat | undefined): { param?: OpenAIChatBody['response_format']; restoreSchema?: JsonSchema } {
    if (!format) return {};
    if (!format.schema || !this.supportsStructuredOutput) return { param: { type: 'json_object' } };
    const strict = toOpenAIStrictSchema(format.schema);
    return {
      param: {
        type: 'json_schema',
        json_schema: {
          name: schemaName(format.name),
          ...(format.description ? { description: format.description } : {}),
          schema: strict.schema,
          strict: strict.strict,
        },
      },
      restoreSchema: strict.madeNullable ? format.schema : undefined,
    };
  }

  /**
   * One `/chat/completions` call; SDK and HTTP failures become core's errors. A plain function chaining the SDK's
   * promise (no async frame, no await of its thenable), and no object spread: Node 20 builds `{ ...body, stream }`
   * through a slow path.
   */
  generate(request: ProviderRequest): Promise<ProviderResponse> {
    let args: OpenAIChatArgs;
    let pending: Promise<ChatCompletion>;
    try {
      args = this.getArgs(request);
    } catch (error) {
      return Promise.reject(error);
    }
    const params = args.body as ChatCompletionCreateParamsNonStreaming;
    params.stream = false;
    try {
      pending = this.context.client().chat.completions.create(params, request.signal ? { signal: request.signal } : undefined);
    } catch (error) {
      return Promise.reject(this.mapError(error, request.signal));
    }
    const restoreSchema = args.restoreSchema;
    return pending.then((response) => this.toResponse(response, restoreSchema), (error) => {
      throw this.mapError(error, request.signal);
    });
  }

  private mapError(error: unknown, signal: AbortSignal | undefined): LLMError {
    return mapOpenAIError(error, Object.assign({}, this.context, { signal }));
  }

  /** The SDK's completion as core's response. */
  private toResponse(response: ChatCompletion, restoreSchema: JsonSchema | undefined): ProviderResponse {
    const choice = response.choices?.[0];
    if (!choice) {
      throw new ProviderError(`${this.provider} (${this.modelId}) answered without any choice. Retry, or check that the server is OpenAI-compatible.`, {
        provider: this.provider, model: this.modelId, body: response,
      });
    }
    const message = choice.message as typeof choice.message & WireMessageExtras;
    // Some compatible servers omit `type`, so anything but a custom tool call is read as a function call.
    const toolCalls = message.tool_calls?.length
      ? message.tool_calls.flatMap((call) =>
        call.type === 'custom' ? [] : [{ id: toolCallId(call.id), name: call.function.name, arguments: parseToolArguments(call.function.arguments) }],
      )
      : [];
    const refused = Boolean(message.refusal);
    let text = message.content ?? (refused ? (message.refusal ?? '') : '');
    if (restoreSchema && !refused) text = restoreOptionalFields(text, restoreSchema);
    const reasoning = message.reasoning_content ?? message.reasoning;
    const out: ProviderResponse = {
      text,
      toolCalls,
      finishReason: mapOpenAIFinishReason(choice.finish_reason, { hasToolCalls: toolCalls.length > 0, refused }),
      usage: convertOpenAIUsage(response.usage),
    };
    if (response.model) out.model = response.model;
    if (reasoning) out.reasoning = reasoning;
    out.raw = response;
    return out;
  }

  /** A streamed call: deltas as they arrive, whole tool calls, then one `finish`; a broken stream rejects. */
  async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
    const { body, restoreSchema } = this.getArgs(request);
    const errorContext = Object.assign({}, this.context, { signal: request.signal });
    const usage = this.context.config.streamUsage === false ? {} : { stream_options: { include_usage: true } };
    const params = Object.assign(usage, body, { stream: true }) as ChatCompletionCreateParamsStreaming;
    const state = new OpenAIChatStreamState();
    // When optional fields were made nullable, the JSON is fixed up as a whole, so it is sent in one delta.
    let buffered: string | undefined = restoreSchema ? '' : undefined;
    try {
      const stream = await this.context.client().chat.completions.create(params, { signal: request.signal });
      for await (const chunk of stream) {
        for (const event of state.push(chunk as OpenAIWireChunk)) {
          if (buffered !== undefined && event.type === 'text-delta') buffered += event.text;
          else yield event;
        }
      }
    } catch (error) {
      throw mapOpenAIError(error, errorContext);
    }
    // The SDK ends an aborted stream silently, and a cut connection may end it without a finish reason.
    if (request.signal?.aborted) throw mapOpenAIError(request.signal.reason, errorContext);
    if (!state.finished) throw streamEndedEarlyError(errorContext);
    if (buffered && restoreSchema) yield { type: 'text-delta', text: restoreOptionalFields(buffered, restoreSchema) };
    yield* state.finish();
  }
}
