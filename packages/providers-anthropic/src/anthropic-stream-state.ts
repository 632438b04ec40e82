import type Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type ProviderStreamEvent, type ToolCall } from '@llm/core';
import type { JsonToolMode } from './anthropic-prepare-tools.js';
import { convertAnthropicUsage, mergeAnthropicUsage, type AnthropicWireUsage } from './convert-anthropic-usage.js';
import { ANTHROPIC_THINKING_METADATA_KEY, type AnthropicThinkingBlock } from './convert-to-anthropic-messages.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

type BlockState =
  | { type: 'text' }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string; initialInput: unknown }
  | { type: 'other' };

/** The JSON text of the structured-output tool's input (unwrapping `{ value }` for non-object schemas). */
export function jsonToolText(input: unknown, mode: JsonToolMode): string {
  const value = mode.wrapped && input !== null && typeof input === 'object' ? (input as { value?: unknown }).value : input;
  return JSON.stringify(value ?? {});
}

/** Attaches the thinking blocks that preceded a tool call to it, so they can be sent back with the conversation. */
export function withThinking(call: ToolCall, thinking: AnthropicThinkingBlock[]): ToolCall {
  return thinking.length ? { ...call, providerMetadata: { ...call.providerMetadata, [ANTHROPIC_THINKING_METADATA_KEY]: thinking } } : call;
}

/**
 * Turns the Messages API stream events into core's stream events: text and thinking deltas as they come, each
 * tool call once its `input_json_delta` pieces are complete (an empty input is `{}`), and one `finish` at
 * `message_stop` with the usage of `message_start` updated by the cumulative `message_delta` usage.
 * With structured output the `json_output` tool's input is the text, and prose around it is dropped.
 */
export class AnthropicStreamState {
  private readonly blocks = new Map<number, BlockState>();
  private readonly thinking: AnthropicThinkingBlock[] = [];
  private startUsage?: AnthropicWireUsage;
  private deltaUsage?: AnthropicWireUsage;
  private stopReason?: string | null;
  private model?: string;
  private toolCallCount = 0;
  private jsonAnswered = false;
  /** Text held back in structured-output mode until we know whether the JSON tool answers. */
  private heldText = '';
  /** True once `message_stop` arrived. */
  done = false;

  constructor(private readonly modelId: string, private readonly jsonTool?: JsonToolMode) {}

  /** Handles one stream event and returns the core events it produces. */
  handle(event: Anthropic.RawMessageStreamEvent): ProviderStreamEvent[] {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model;
        this.startUsage = event.message.usage;
        return [];
      case 'content_block_start':
        return this.startBlock(event.index, event.content_block);
      case 'content_block_delta':
        return this.delta(event.index, event.delta);
      case 'content_block_stop':
        return this.stopBlock(event.index);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason;
        this.deltaUsage = event.usage;
        return [];
      case 'message_stop':
        return this.finish();
      default:
        return [];
    }
  }

  private text(text: string): ProviderStreamEvent[] {
    if (!text) return [];
    if (this.jsonTool) {
      if (!this.jsonAnswered) this.heldText += text;
      return [];
    }
    return [{ type: 'text-delta', text }];
  }

  private startBlock(index: number, block: Anthropic.RawContentBlockStartEvent['content_block']): ProviderStreamEvent[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { type: 'text' });
        return this.text(block.text);
      case 'thinking':
        this.blocks.set(index, { type: 'thinking', thinking: block.thinking, signature: block.signature });
        return block.thinking ? [{ type: 'reasoning-delta', text: block.thinking }] : [];
      case 'redacted_thinking':
        this.blocks.set(index, { type: 'redacted_thinking', data: block.data });
        return [];
      case 'tool_use':
        this.blocks.set(index, { type: 'tool_use', id: block.id, name: block.name, json: '', initialInput: block.input });
        if (this.isJsonTool(block.name)) {
          // The JSON tool's input is the answer: prose written before it is preamble.
          this.jsonAnswered = true;
          this.heldText = '';
        }
        return [];
      default:
        this.blocks.set(index, { type: 'other' });
        return [];
    }
  }

  private delta(index: number, delta: Anthropic.RawContentBlockDelta): ProviderStreamEvent[] {
    const block = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        return this.text(delta.text);
      case 'thinking_delta':
        if (block?.type === 'thinking') block.thinking += delta.thinking;
        return delta.thinking ? [{ type: 'reasoning-delta', text: delta.thinking }] : [];
      case 'signature_delta':
        if (block?.type === 'thinking') block.signature = delta.signature;
        return [];
      case 'input_json_delta':
        if (block?.type !== 'tool_use') return [];
        block.json += delta.partial_json;
        // Unwrapped structured output streams as it comes; its pieces concatenate to the JSON text.
        return this.isJsonTool(block.name) && !this.jsonTool?.wrapped && delta.partial_json ? [{ type: 'text-delta', text: delta.partial_json }] : [];
      default:
        return [];
    }
  }

  private stopBlock(index: number): ProviderStreamEvent[] {
    const block = this.blocks.get(index);
    if (block?.type === 'thinking') this.thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    if (block?.type === 'redacted_thinking') this.thinking.push({ type: 'redacted_thinking', data: block.data });
    if (block?.type !== 'tool_use') return [];
    if (this.isJsonTool(block.name)) {
      if (block.json === '') return [{ type: 'text-delta', text: jsonToolText(block.initialInput, this.jsonTool!) }];
      if (!this.jsonTool!.wrapped) return [];
      return [{ type: 'text-delta', text: this.wrappedJsonText(block.json) }];
    }
    const call: ToolCall = { id: block.id, name: block.name, arguments: this.parseInput(block) };
    const thinking = this.toolCallCount++ === 0 ? this.thinking : [];
    return [{ type: 'tool-call', toolCall: withThinking(call, thinking) }];
  }

  private wrappedJsonText(json: string): string {
    try {
      return jsonToolText(JSON.parse(json), this.jsonTool!);
    } catch {
      // Cut short (max_tokens): pass the broken text on so core reports it as invalid JSON.
      return json;
    }
  }

  private parseInput(block: Extract<BlockState, { type: 'tool_use' }>): unknown {
    if (block.json.trim() === '') return block.initialInput ?? {};
    try {
      return JSON.parse(block.json);
    } catch {
      throw new ProviderError(
        `anthropic (${this.modelId}) streamed arguments for the tool "${block.name}" that are not valid JSON (${block.json.length} characters). The answer was probably cut by max_tokens: raise maxTokens.`,
        { provider: 'anthropic', model: this.modelId, retryable: false },
      );
    }
  }

  private isJsonTool(name: string): boolean {
    return this.jsonTool !== undefined && name === this.jsonTool.name;
  }

  private finish(): ProviderStreamEvent[] {
    this.done = true;
    const events: ProviderStreamEvent[] = [];
    if (this.heldText && !this.jsonAnswered) events.push({ type: 'text-delta', text: this.heldText });
    const finishReason = mapAnthropicFinishReason(this.stopReason, { jsonToolAnswered: this.jsonAnswered, hasToolCalls: this.toolCallCount > 0 });
    const usage = convertAnthropicUsage(mergeAnthropicUsage(this.startUsage, this.deltaUsage));
    events.push({ type: 'finish', finishReason, usage, ...(this.model ? { model: this.model } : {}) });
    return events;
  }
}
