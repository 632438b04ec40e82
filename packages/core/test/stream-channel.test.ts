import { describe, expect, it } from 'vitest';
import { LLM, registerProvider, type ProviderStreamEvent } from '@llm/core';
import { ChunkChannel } from '../src/chunk-channel.js';

/** A provider whose stream counts what it produced and whether it was closed. */
function countingProvider(name: string, total: number) {
  const state = { produced: 0, closed: false, aborted: false };
  registerProvider({
    name,
    matches: (model) => model === name,
    languageModel: () => ({
      provider: name,
      modelId: name,
      supportsStructuredOutput: false,
      generate: async () => ({ text: 'x', toolCalls: [], finishReason: 'stop', usage: { input: 1, output: 1, total: 2 } }),
      async *stream(request): AsyncIterable<ProviderStreamEvent> {
        request.signal?.addEventListener('abort', () => (state.aborted = true));
        try {
          for (let i = 0; i < total; i++) {
            state.produced++;
            yield { type: 'text-delta', text: `${i % 2 ? '한' : '글'} ` };
          }
          yield { type: 'finish', finishReason: 'stop', usage: { input: 1, output: total, total: total + 1 } };
        } finally {
          state.closed = true;
        }
      },
    }),
  });
  return state;
}

describe('streaming through the chunk channel', () => {
  it('delivers every chunk in order, then the reply', async () => {
    countingProvider('count-all', 500);
    const llm = LLM.create('count-all', { stateless: true });
    let text = '';
    let finishText = '';
    for await (const chunk of llm.stream('hi')) {
      if (chunk.type === 'text') text += chunk.text;
      if (chunk.type === 'finish') finishText = chunk.reply.text;
    }
    expect(text).toBe(Array.from({ length: 500 }, (_, i) => `${i % 2 ? '한' : '글'} `).join(''));
    expect(finishText).toBe(text);
  });

  it('does not run ahead of a slow reader by more than a bounded number of chunks', async () => {
    const state = countingProvider('count-slow', 10_000);
    const llm = LLM.create('count-slow', { stateless: true });
    const stream = llm.stream('hi');
    await stream.next();
    await new Promise((r) => setTimeout(r, 50));
    // The producer had 50 ms to race ahead: back-pressure holds it near the high-water mark.
    expect(state.produced).toBeLessThan(100);
    await stream.return(undefined);
    expect(state.closed).toBe(true);
  });

  it('a reader that breaks early aborts the call and closes the provider stream before the loop exits', async () => {
    const state = countingProvider('count-break', 10_000);
    const llm = LLM.create('count-break', { stateless: true });
    const events: string[] = [];
    llm.on('error', () => events.push('error'));
    let seen = 0;
    for await (const chunk of llm.stream('hi')) {
      if (chunk.type === 'text' && ++seen === 3) break;
    }
    expect(state.closed).toBe(true);
    expect(state.aborted).toBe(true);
    expect(state.produced).toBeLessThan(100);
    // Stopping early is the caller's choice, not a failed call.
    expect(events).toEqual([]);
  });

  it('nothing starts before the stream is read', async () => {
    const state = countingProvider('count-lazy', 10);
    const llm = LLM.create('count-lazy', { stateless: true });
    const stream = llm.stream('hi');
    await new Promise((r) => setTimeout(r, 20));
    expect(state.produced).toBe(0);
    await stream.return(undefined);
  });

  it('delivers queued chunks before the producer error, and the error after them', async () => {
    const channel = new ChunkChannel<number>();
    channel.push(1);
    channel.push(2);
    channel.end(new Error('boom'));
    expect(await channel.next()).toEqual({ value: 1, done: false });
    expect(await channel.next()).toEqual({ value: 2, done: false });
    await expect(channel.next()).rejects.toThrow('boom');
  });

  it('a push after the reader cancelled throws, so the producer unwinds', () => {
    const channel = new ChunkChannel<number>();
    let cancelled = 0;
    channel.onCancel = () => cancelled++;
    channel.cancel();
    expect(cancelled).toBe(1);
    expect(() => channel.push(1)).toThrow(/stopped reading/);
  });
});
