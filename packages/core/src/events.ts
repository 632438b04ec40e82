import { BudgetExceededError } from './errors.js';
import type { Reply } from './reply.js';
import type { ToolInteraction, Usage } from './types.js';

/** The payload of every event: who was called and when. */
export interface EventBase {
  model: string;
  provider: string;
  /** Milliseconds since the call started. */
  elapsedMs: number;
}

/** Events an `LLM` emits, by name. */
export interface LLMEvents {
  request: EventBase & { stream: boolean };
  response: EventBase & { reply: Reply; usage: Usage; costUsd?: number; latencyMs: number };
  error: EventBase & { error: unknown; latencyMs: number };
  retry: EventBase & { error: unknown; attempt: number; delayMs: number };
  fallback: EventBase & { error: unknown; nextModel: string };
  cacheHit: EventBase & { key: string };
  toolCall: EventBase & { interaction: ToolInteraction };
  chunk: EventBase & { text: string };
}

/** An event name. */
export type LLMEventName = keyof LLMEvents;

type Listener<E extends LLMEventName> = (payload: LLMEvents[E]) => void;

/** A small typed event emitter (listeners that throw never break a call, except with BudgetExceededError). */
export class EventHub {
  private readonly listeners = new Map<LLMEventName, Set<Listener<any>>>();

  on<E extends LLMEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<E extends LLMEventName>(event: E, listener: Listener<E>): void {
    this.listeners.get(event)?.delete(listener);
  }

  has(event: LLMEventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends LLMEventName>(event: E, payload: LLMEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(payload);
      } catch (error) {
        // A monitoring listener never breaks the call it observes; only a budget stop may.
        if (BudgetExceededError.isInstance(error)) throw error;
      }
    }
  }
}
