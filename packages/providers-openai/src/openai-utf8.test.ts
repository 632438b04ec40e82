import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderStreamEvent } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { openai } from './openai-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const model = () => openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'test-key' });
const request = { messages: [{ role: 'user' as const, content: '한국어로 답해 주세요' }] };
const chunks = ['값어치 읊조리다 ', '똠방각하 👋🏽 ' + '한글'.normalize('NFD') + ' 끝.'];
const answer = chunks.join('');
const toolArgs = { 질문: '서울 날씨 ☀️', 단위: '섭씨' };

async function streamOnce(m = model()) {
  const events: ProviderStreamEvent[] = [];
  for await (const event of m.stream(request)) events.push(event);
  return {
    text: events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join(''),
    calls: events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : [])),
  };
}

/** The SSE body length for the reply (ids and timestamps have fixed widths, so every reply is as long). */
async function sseLength(): Promise<number> {
  fake.enqueue({ chunks });
  const response = await fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: request.messages, stream: true, stream_options: { include_usage: true } }),
  });
  return (await response.arrayBuffer()).byteLength;
}

describe('multi-byte characters split across network reads', () => {
  it('never produce U+FFFD at any byte offset of a stream', async () => {
    const length = await sseLength();
    expect(length).toBeGreaterThan(800);
    // Every request gets the same reply and exactly one split, so requests may run side by side.
    const offsets = Array.from({ length: length - 1 }, (_, i) => i + 1);
    const failures: string[] = [];
    const shared = model();
    const worker = async () => {
      for (let offset = offsets.shift(); offset !== undefined; offset = offsets.shift()) {
        fake.enqueue({ chunks });
        fake.injectFault({ splitAt: [offset] });
        const { text } = await streamOnce(shared);
        if (text !== answer || text.includes('\uFFFD')) failures.push(`split at byte ${offset}: ${JSON.stringify(text)}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(fake.requests).toHaveLength(length); // one per offset, plus the measuring request
    expect(failures).toEqual([]);
  }, 60_000);

  it('survives one byte per read: streamed text and tool arguments, and a JSON answer', async () => {
    fake.enqueue({ chunks, toolCalls: [{ id: 'call_1', name: 'ask', arguments: toolArgs }] });
    fake.injectFault({ splitEveryByte: true });
    const streamed = await streamOnce();
    expect(streamed.text).toBe(answer);
    expect(streamed.calls[0]?.arguments).toEqual(toolArgs);
    fake.enqueue({ text: answer });
    fake.injectFault({ splitEveryByte: true });
    expect((await model().generate(request)).text).toBe(answer);
  });
});
