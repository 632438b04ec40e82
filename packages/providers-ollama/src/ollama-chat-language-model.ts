import {
  LLMError,
  makeUsage,
  type LanguageModel,
  type ProviderRequest,
  type ProviderResponse,
  type ProviderStreamEvent,
  type ToolCall,
  type ToolSpec,
} from '@llm/core';
import { convertToOllamaMessages } from './convert-to-ollama-messages.js';
import { readNdjsonLines } from './ndjson-stream.js';
import type { OllamaChatRequest, OllamaChatResponse, OllamaTool, OllamaToolCall } from './ollama-api-types.js';
import { ollamaModelName, postToOllama, type OllamaSettings } from './ollama-client.js';
import { ollamaNetworkError, ollamaStreamError, type OllamaErrorContext } from './ollama-error.js';
import { mapOllamaFinishReason } from './map-ollama-finish-reason.js';

/** Ollama has no tool_choice: `none` sends no tools, `{ name }` sends only that tool, `required` sends them all. */
function toolsFor(tools: ToolSpec[] | undefined, choice: ProviderRequest['toolChoice']): OllamaTool[] | undefined {
  if (!tools?.length || choice === 'none') return undefined;
  const chosen = typeof choice === 'object' ? tools.filter((t) => t.name === choice.name) : tools;
  return chosen.map((tool) => ({
    type: 'function',
    function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters },
  }));
}

/** `providerOptions.ollama` when given, else the whole `providerOptions`: extra request fields (`think`, `keep_alive`, `options`). */
function extraFields(providerOptions: Record<string, unknown> | undefined): Record<string, unknown> {
  const ollama = providerOptions?.ollama;
  return typeof ollama === 'object' && ollama !== null ? (ollama as Record<string, unknown>) : providerOptions ?? {};
}

/** Accumulates the lines of an answer. */
class ChatState {
  text = '';
  reasoning = '';
  toolCalls: ToolCall[] = [];
  last?: OllamaChatResponse;

  add(line: OllamaChatResponse): ProviderStreamEvent[] {
    const events: ProviderStreamEvent[] = [];
    const message = line.message ?? {};
    if (message.thinking) {
      this.reasoning += message.thinking;
      events.push({ type: 'reasoning-delta', text: message.thinking });
    }
    if (message.content) {
      this.text += message.content;
      events.push({ type: 'text-delta', text: message.content });
    }
    for (const call of message.tool_calls ?? []) {
      const toolCall = this.toToolCall(call);
      this.toolCalls.push(toolCall);
      events.push({ type: 'tool-call', toolCall });
    }
    this.last = line;
    return events;
  }

  /** Ollama gives no ids (newer servers sometimes do): `call_<n>` fills in. */
  private toToolCall(call: OllamaToolCall): ToolCall {
    return { id: call.id || `call_${this.toolCalls.length}`, name: call.function.name, arguments: call.function.arguments ?? {} };
  }

  finish() {
    const last = this.last ?? {};
    return {
      finishReason: mapOllamaFinishReason(last.done_reason, this.toolCalls.length > 0),
      usage: makeUsage(last.prompt_eval_count ?? 0, last.eval_count ?? 0),
      ...(last.model ? { model: last.model } : {}),
    };
  }
}

function parseLine(text: string, ctx: OllamaErrorContext): OllamaChatResponse {
  let line: OllamaChatResponse;
  try {
    line = JSON.parse(text) as OllamaChatResponse;
  } catch (error) {
    throw ollamaStreamError(`malformed JSON from the server: ${text.slice(0, 80)}`, ctx, error);
  }
  if (typeof line.error === 'string') throw ollamaStreamError(`the server reported: ${line.error}`, ctx);
  return line;
}

/**
 * An Ollama chat model over the native `/api/chat` API (fetch, no SDK): NDJSON streaming, tools, `format` with a
 * JSON schema for structured output, images, and thinking.
 */
export class OllamaChatLanguageModel implements LanguageModel {
  readonly provider = 'ollama';
  readonly supportsStructuredOutput = true;

  constructor(readonly modelId: string, private readonly settings: OllamaSettings) {}

  /** Builds the `/api/chat` body for a request (exposed for tests and debugging). */
  getArgs(request: ProviderRequest, stream: boolean): OllamaChatRequest {
    const { options: defaults } = this.settings;
    const { options: extraOptions, ...extra } = extraFields(request.providerOptions);
    const options: Record<string, unknown> = {
      ...defaults.modelOptions,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.maxTokens !== undefined ? { num_predict: request.maxTokens } : {}),
      ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
      ...(typeof extraOptions === 'object' && extraOptions !== null ? extraOptions : {}),
    };
    const tools = toolsFor(request.tools, request.toolChoice);
    return {
      model: ollamaModelName(this.modelId),
      messages: convertToOllamaMessages(request.messages, request.system),
      stream,
      ...(tools?.length ? { tools } : {}),
      ...(request.responseFormat?.type === 'json' ? { format: request.responseFormat.schema ?? 'json' } : {}),
      ...(Object.keys(options).length ? { options } : {}),
      ...(defaults.think !== undefined ? { think: defaults.think } : {}),
      ...(defaults.keepAlive !== undefined ? { keep_alive: defaults.keepAlive } : {}),
      ...extra,
    };
  }

  async generate(request: ProviderRequest): Promise<ProviderResponse> {
    const body = this.getArgs(request, false);
    const { response, ctx } = await postToOllama(this.settings, '/api/chat', body, body.model, request.signal);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw ollamaNetworkError(error, ctx);
    }
    const state = new ChatState();
    state.add(parseLine(text, ctx));
    return {
      text: state.text,
      toolCalls: state.toolCalls,
      ...state.finish(),
      ...(state.reasoning ? { reasoning: state.reasoning } : {}),
      raw: state.last,
    };
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderStreamEvent> {
    const body = this.getArgs(request, true);
    const { response, ctx } = await postToOllama(this.settings, '/api/chat', body, body.model, request.signal);
    if (!response.body) throw ollamaStreamError('the answer has no body', ctx);
    const state = new ChatState();
    let done = false;
    try {
      for await (const text of readNdjsonLines(response.body)) {
        const line = parseLine(text, ctx);
        yield* state.add(line);
        if (line.done) {
          done = true;
          break;
        }
      }
    } catch (error) {
      if (LLMError.isInstance(error) || ctx.signal?.aborted || ctx.timeoutSignal?.aborted) throw ollamaNetworkError(error, ctx);
      throw ollamaStreamError(`the connection broke off (${(error as Error)?.message ?? String(error)})`, ctx, error);
    }
    if (!done) throw ollamaStreamError('the stream ended before the final "done" line', ctx);
    yield { type: 'finish', ...state.finish(), raw: state.last };
  }
}
