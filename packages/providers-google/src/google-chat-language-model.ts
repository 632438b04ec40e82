import {
  FunctionCallingConfigMode,
  type GenerateContentConfig,
  type GenerateContentParameters,
  type GenerateContentResponse,
  type GenerateContentResponseUsageMetadata,
  type Part,
  type ToolConfig,
} from '@google/genai';
import {
  ProviderError,
  type LanguageModel,
  type ProviderRequest,
  type ProviderResponse,
  type ProviderStreamEvent,
  type ToolCall,
  type ToolChoice,
} from '@llm/core';
import { convertGoogleUsage } from './convert-google-usage.js';
import { convertToGoogleMessages } from './convert-to-google-messages.js';
import type { GoogleClientFactory } from './google-client.js';
import { toGeminiSchema } from './google-schema.js';
import { mapGoogleFinishReason } from './map-google-finish-reason.js';

function toolConfigFor(choice: ToolChoice | undefined): ToolConfig | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } };
  if (choice === 'none') return { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } };
  if (choice === 'required') return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } };
  return { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [choice.name] } };
}

/** `providerOptions.google` when given, else the whole `providerOptions`: extra GenerateContentConfig fields. */
function extraConfig(providerOptions: Record<string, unknown> | undefined): Partial<GenerateContentConfig> {
  const google = providerOptions?.google;
  if (typeof google === 'object' && google !== null) return google as Partial<GenerateContentConfig>;
  return (providerOptions ?? {}) as Partial<GenerateContentConfig>;
}

/** Turns a function-call part into a core tool call; Gemini gives ids only sometimes, so `call_<index>` fills in. */
function toToolCall(part: Part, index: number): ToolCall {
  const call = part.functionCall!;
  const google: Record<string, string> = {};
  if (part.thoughtSignature) google.thoughtSignature = part.thoughtSignature;
  if (call.id) google.functionCallId = call.id;
  return {
    id: call.id ?? `call_${index}`,
    name: call.name ?? '',
    arguments: call.args ?? {},
    ...(Object.keys(google).length ? { providerMetadata: { google } } : {}),
  };
}

/** Accumulates what a response (or the chunks of a stream) says. */
class ResponseState {
  text = '';
  reasoning = '';
  toolCalls: ToolCall[] = [];
  finishReason?: string;
  blockReason?: string;
  usage?: GenerateContentResponseUsageMetadata;
  model?: string;

  /** Reads one response or chunk and returns the events it adds. */
  add(response: GenerateContentResponse): ProviderStreamEvent[] {
    const events: ProviderStreamEvent[] = [];
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const toolCall = toToolCall(part, this.toolCalls.length);
        this.toolCalls.push(toolCall);
        events.push({ type: 'tool-call', toolCall });
      } else if (typeof part.text === 'string' && part.text !== '') {
        if (part.thought) this.reasoning += part.text;
        else this.text += part.text;
        events.push({ type: part.thought ? 'reasoning-delta' : 'text-delta', text: part.text });
      }
    }
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    if (response.promptFeedback?.blockReason) this.blockReason = response.promptFeedback.blockReason;
    if (response.usageMetadata) this.usage = response.usageMetadata;
    if (response.modelVersion) this.model = response.modelVersion;
    return events;
  }

  get complete(): boolean {
    return this.finishReason !== undefined || this.blockReason !== undefined;
  }

  get mappedFinishReason() {
    return mapGoogleFinishReason(this.finishReason, this.toolCalls.length > 0, this.blockReason);
  }
}

/**
 * A Gemini chat model through `@google/genai`: `generateContent` and `generateContentStream`, with function
 * calling, native structured output (`responseSchema`), thinking and usage metadata.
 */
export class GoogleChatLanguageModel implements LanguageModel {
  readonly provider = 'google';
  readonly supportsStructuredOutput = true;
  private readonly warnedSchemas = new Set<string>();

  constructor(readonly modelId: string, private readonly clients: GoogleClientFactory) {}

  /** Builds the SDK parameters for a request (exposed for tests and debugging). */
  getArgs(request: ProviderRequest): GenerateContentParameters {
    const { contents, systemInstruction } = convertToGoogleMessages(request.messages, request.system);
    const config: GenerateContentConfig = {
      ...(systemInstruction ? { systemInstruction } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { topP: request.topP } : {}),
      ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
      ...(request.stopSequences?.length ? { stopSequences: request.stopSequences } : {}),
    };
    if (request.tools?.length) {
      config.tools = [{
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parametersJsonSchema: tool.parameters,
        })),
      }];
      const toolConfig = toolConfigFor(request.toolChoice);
      if (toolConfig) config.toolConfig = toolConfig;
    }
    if (request.responseFormat?.type === 'json') {
      config.responseMimeType = 'application/json';
      if (request.responseFormat.schema) {
        const { schema, dropped } = toGeminiSchema(request.responseFormat.schema);
        if (schema) config.responseSchema = schema;
        this.warnDropped(request.responseFormat.name, dropped);
      }
    }
    // Core runs the tool loop and owns retries, so the SDK's automatic function calling and continuation stay off.
    Object.assign(config, extraConfig(request.providerOptions), {
      automaticFunctionCalling: { disable: true },
      automaticContinuation: false,
      ...(request.signal ? { abortSignal: request.signal } : {}),
    });
    return { model: this.modelId, contents, config };
  }

  private warnDropped(name: string | undefined, dropped: string[]): void {
    if (!dropped.length) return;
    const key = `${name ?? ''}\u0000${dropped.join('\u0000')}`;
    if (this.warnedSchemas.has(key)) return;
    this.warnedSchemas.add(key);
    const logger = this.clients.settings.options.logger ?? console;
    logger.warn(
      { provider: 'google', model: this.modelId, schema: name, dropped },
      `Gemini's responseSchema cannot express part of the ${name ? `"${name}" ` : ''}schema; dropped: ${dropped.join('; ')}. Core still validates the answer against the full schema.`,
    );
  }

  async generate(request: ProviderRequest): Promise<ProviderResponse> {
    const args = this.getArgs(request);
    const call = this.clients.start(this.modelId, request.signal);
    let response: GenerateContentResponse;
    try {
      response = await call.client.models.generateContent({ ...args, config: { ...args.config, httpOptions: call.httpOptions } });
    } catch (error) {
      throw call.fail(error);
    }
    const state = new ResponseState();
    state.add(response);
    return {
      text: state.text,
      toolCalls: state.toolCalls,
      finishReason: state.mappedFinishReason,
      usage: convertGoogleUsage(state.usage),
      ...(state.model ? { model: state.model } : {}),
      ...(state.reasoning ? { reasoning: state.reasoning } : {}),
      raw: response,
    };
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
    const args = this.getArgs(request);
    const call = this.clients.start(this.modelId, request.signal);
    const state = new ResponseState();
    let last: GenerateContentResponse | undefined;
    try {
      const chunks = await call.client.models.generateContentStream({ ...args, config: { ...args.config, httpOptions: call.httpOptions } });
      for await (const chunk of chunks) {
        last = chunk;
        yield* state.add(chunk);
      }
    } catch (error) {
      throw call.fail(error);
    }
    if (!state.complete) {
      throw new ProviderError(
        `The google stream (${this.modelId}) ended before Gemini said why it finished: the connection was probably cut. It is retried automatically.`,
        { provider: 'google', model: this.modelId, retryable: true },
      );
    }
    yield {
      type: 'finish',
      finishReason: state.mappedFinishReason,
      usage: convertGoogleUsage(state.usage),
      ...(state.model ? { model: state.model } : {}),
      raw: last,
    };
  }
}
