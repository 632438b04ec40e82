import { randomUUID } from 'node:crypto';
import type { FinishReason, ProviderStreamEvent, ToolCall, Usage } from '@llm/core';
import { convertOpenAIUsage, type OpenAIWireUsage } from './convert-openai-usage.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

/** A streamed tool-call delta as Chat Completions (and compatible servers) send it. */
export interface OpenAIToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** One `chat.completion.chunk`, with the reasoning fields compatible servers add (DeepSeek, xAI, OpenRouter). */
export interface OpenAIWireChunk {
  model?: string;
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: OpenAIToolCallDelta[] | null;
    } | null;
    finish_reason?: string | null;
  }[];
  usage?: OpenAIWireUsage | null;
}

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
  emitted: boolean;
}

/** Parses tool-call arguments: empty means `{}`; text that is not JSON is passed on as is for core to report. */
export function parseToolArguments(text: string | null | undefined): unknown {
  if (!text || !text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A server's tool-call id, or a fresh one for the few local servers that send none. */
export function toolCallId(id: string | null | undefined): string {
  return id || `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/**
 * Turns Chat Completions chunks into core's stream events: text and reasoning deltas as they come, tool calls
 * reassembled by `index` and emitted whole once the finish reason arrives, usage from the usage chunk.
 */
export class OpenAIChatStreamState {
  private readonly calls: PendingToolCall[] = [];
  private readonly byIndex = new Map<number, PendingToolCall>();
  private finishReason: string | null | undefined;
  private refused = false;
  private usage: Usage | undefined;
  private model: string | undefined;

  /** Whether the server sent a finish reason (a stream without one was cut off). */
  get finished(): boolean {
    return this.finishReason !== undefined && this.finishReason !== null;
  }

  /** Events for one chunk, in order. */
  push(chunk: OpenAIWireChunk): ProviderStreamEvent[] {
    const events: ProviderStreamEvent[] = [];
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) this.usage = convertOpenAIUsage(chunk.usage);
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) return events;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) events.push({ type: 'reasoning-delta', text: reasoning });
    if (delta.content) events.push({ type: 'text-delta', text: delta.content });
    if (delta.refusal) {
      this.refused = true;
      events.push({ type: 'text-delta', text: delta.refusal });
    }
    for (const [position, toolDelta] of (delta.tool_calls ?? []).entries()) this.addToolDelta(toolDelta, position);
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      events.push(...this.completedToolCalls());
    }
    return events;
  }

  private addToolDelta(delta: OpenAIToolCallDelta, position: number): void {
    const index = delta.index ?? position;
    let pending = this.byIndex.get(index);
    // Some servers reuse index 0 for every call: a new id means a new call.
    if (!pending || (delta.id && pending.id && delta.id !== pending.id)) {
      pending = { id: delta.id ?? '', name: delta.function?.name ?? '', arguments: '', emitted: false };
      this.byIndex.set(index, pending);
      this.calls.push(pending);
    } else {
      if (delta.id && !pending.id) pending.id = delta.id;
      if (delta.function?.name && !pending.name) pending.name = delta.function.name;
    }
    pending.arguments += delta.function?.arguments ?? '';
  }

  private completedToolCalls(): ProviderStreamEvent[] {
    const events: ProviderStreamEvent[] = [];
    for (const call of this.calls) {
      if (call.emitted) continue;
      call.emitted = true;
      const toolCall: ToolCall = { id: toolCallId(call.id), name: call.name, arguments: parseToolArguments(call.arguments) };
      events.push({ type: 'tool-call', toolCall });
    }
    return events;
  }

  /** The final events: any tool call not yet emitted, then the one `finish`. */
  finish(): ProviderStreamEvent[] {
    const events = this.completedToolCalls();
    const finishReason: FinishReason = mapOpenAIFinishReason(this.finishReason, { hasToolCalls: this.calls.length > 0, refused: this.refused });
    events.push({ type: 'finish', finishReason, usage: this.usage ?? convertOpenAIUsage(undefined), ...(this.model ? { model: this.model } : {}) });
    return events;
  }
}
