import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, LLMError, type ProviderRequest, type ProviderStreamEvent } from '@llm/core';
import { FakeAnthropicServer } from '@llm/testkit';
import { ANTHROPIC_THINKING_METADATA_KEY } from './convert-to-anthropic-messages.js';
import { anthropic } from './anthropic-provider.js';

const server = new FakeAnthropicServer();
const model = () => anthropic.languageModel('claude-haiku-4-5', { baseURL: server.url, apiKey: 'sk-ant-test-stream' });
const request: ProviderRequest = { messages: [{ role: 'user', content: '한국어로 답해 주세요' }] };
const KOREAN_CHUNKS = ['안녕', '하세요 👋', ' 한글과 이모지 🇰🇷', ' 값어치·똠방각하'];
const KOREAN = KOREAN_CHUNKS.join('');

async function collect(stream: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
const textOf = (events: ProviderStreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');

/** The exact bytes the fake server streams for the Korean reply, fetched once without the SDK. */
async function streamedBodyLength(): Promise<number> {
  server.enqueue({ chunks: KOREAN_CHUNKS, usage: { input: 9, output: 14 } });
  const response = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] }),
  });
  return (await response.arrayBuffer()).byteLength;
}

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('UTF-8 across network reads', () => {
  it('keeps Korean and emoji intact when the stream is split at every single byte offset', async () => {
    const length = await streamedBodyLength();
    expect(length).toBeGreaterThan(Buffer.byteLength(KOREAN));
    const m = model();
    const offsets = Array.from({ length: length - 1 }, (_, i) => i + 1);
    // Eight streams at a time: replies are identical and faults go one per request, so each offset is used once.
    for (let start = 0; start < offsets.length; start += 8) {
      const batch = offsets.slice(start, start + 8);
      for (const offset of batch) {
        server.enqueue({ chunks: KOREAN_CHUNKS, usage: { input: 9, output: 14 } });
        server.injectFault({ splitAt: [offset] });
      }
      const results = await Promise.all(batch.map(() => collect(m.stream(request))));
      for (const events of results) {
        expect(textOf(events)).toBe(KOREAN);
        expect(events[events.length - 1]).toMatchObject({ type: 'finish', usage: { input: 9, output: 14, total: 23 } });
      }
    }
    expect(server.requests).toHaveLength(length);
  }, 20_000);

  it('keeps Korean intact when every byte arrives in its own network read', async () => {
    server.enqueue({ chunks: KOREAN_CHUNKS });
    server.injectFault({ splitEveryByte: true });
    const text = textOf(await collect(model().stream(request)));
    expect(text).toBe(KOREAN);
    expect(text).not.toContain('\uFFFD');
  });

  it('keeps NFD text unchanged through a stream', async () => {
    const nfd = '한글 자모'.normalize('NFD');
    server.enqueue({ chunks: [nfd.slice(0, 3), nfd.slice(3)] });
    server.injectFault({ splitEveryByte: true });
    const text = textOf(await collect(model().stream(request)));
    expect(text).toBe(nfd);
    expect(text).not.toBe(text.normalize('NFC'));
  });
});

describe('abort during a stream', () => {
  it('rejects with AbortError soon after the signal fires, closing the request', async () => {
    server.enqueue({ chunks: Array.from({ length: 40 }, (_, i) => `조각 ${i} `) });
    // About 130 network writes 20 ms apart: the whole stream would take over 2.5 s.
    server.injectFault({ splitAt: Array.from({ length: 200 }, (_, i) => (i + 1) * 40), chunkDelayMs: 20 });
    const controller = new AbortController();
    const seen: string[] = [];
    const started = Date.now();
    const error = await (async () => {
      for await (const event of model().stream({ ...request, signal: controller.signal })) {
        if (event.type === 'text-delta') {
          seen.push(event.text);
          controller.abort();
        }
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(seen).toEqual(['조각 0 ']);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops reading when the consumer breaks out early', async () => {
    server.enqueue({ chunks: ['첫째', '둘째', '셋째'] });
    for await (const event of model().stream(request)) if (event.type === 'text-delta') break;
    server.enqueue({ text: '다음 요청' });
    expect((await model().generate(request)).text).toBe('다음 요청');
  });
});

const THINKING_STREAM = [
  '{"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant","model":"claude-opus-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":50,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":1}}}',
  '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"서울 날씨를 "}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"조회해야 한다."}}',
  '{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2lnbmF0dXJl"}}',
  '{"type":"content_block_stop","index":0}',
  '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_t1","name":"get_weather","input":{}}}',
  '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"서"}}',
  '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"울\\"}"}}',
  '{"type":"content_block_stop","index":1}',
  '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":77,"output_tokens_details":{"thinking_tokens":40}}}',
  '{"type":"message_stop"}',
];

describe('thinking, cache usage and tool-call reassembly', () => {
  it('streams thinking as reasoning deltas and attaches the signed thinking block to the tool call', async () => {
    server.enqueueFixture(THINKING_STREAM);
    const events = await collect(model().stream(request));
    expect(events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : [])).join('')).toBe('서울 날씨를 조회해야 한다.');
    const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
    expect(calls).toEqual([{
      id: 'toolu_t1', name: 'get_weather', arguments: { city: '서울' },
      providerMetadata: { [ANTHROPIC_THINKING_METADATA_KEY]: [{ type: 'thinking', thinking: '서울 날씨를 조회해야 한다.', signature: 'c2lnbmF0dXJl' }] },
    }]);
    expect(events[events.length - 1]).toEqual({
      type: 'finish', finishReason: 'tool-calls', model: 'claude-opus-4-5',
      usage: { input: 1250, output: 77, total: 1327, cachedInput: 1000, cacheWriteInput: 200, reasoning: 40 },
    });
  });

  it('sends the thinking block back, signature intact, before the tool_use block', async () => {
    server.enqueueFixture(THINKING_STREAM);
    const events = await collect(model().stream(request));
    const call = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []))[0];
    await model().generate({
      providerOptions: { thinking: { type: 'enabled', budget_tokens: 2048 } },
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      messages: [...request.messages, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', toolCallId: 'toolu_t1', toolName: 'get_weather', content: '{"temp":21}' }],
    });
    const body = server.lastRequest!.body;
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [
      { type: 'thinking', thinking: '서울 날씨를 조회해야 한다.', signature: 'c2lnbmF0dXJl' },
      { type: 'tool_use', id: 'toolu_t1', name: 'get_weather', input: { city: '서울' } },
    ] });
  });

  it('returns thinking as reasoning from a non-streaming reply', async () => {
    server.enqueueFixture({
      id: 'msg_nt', type: 'message', role: 'assistant', model: 'claude-opus-4-5', stop_reason: 'end_turn', stop_sequence: null,
      content: [{ type: 'thinking', thinking: '간단한 인사다.', signature: 'sig' }, { type: 'redacted_thinking', data: 'opaque' }, { type: 'text', text: '안녕하세요!' }],
      usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 5, cache_creation_input_tokens: null },
    });
    const response = await model().generate(request);
    expect(response).toMatchObject({ text: '안녕하세요!', reasoning: '간단한 인사다.', finishReason: 'stop', usage: { input: 15, output: 20, total: 35, cachedInput: 5 } });
    expect(response.usage.cacheWriteInput).toBeUndefined();
  });

  it('a stream whose tool arguments are not valid JSON rejects with an LLMError saying so', async () => {
    server.enqueueFixture([
      THINKING_STREAM[0],
      '{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_bad","name":"get_weather","input":{}}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"서"}}',
      '{"type":"content_block_stop","index":0}',
      '{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":5}}',
      '{"type":"message_stop"}',
    ]);
    const error = await collect(model().stream(request)).then(() => undefined, (e: unknown) => e);
    expect(LLMError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('get_weather');
  });

  it('counts cache reads in input and reports them as cachedInput, streamed or not', async () => {
    const expected = { input: 100, output: 5, total: 105, cachedInput: 80 };
    server.enqueue({ text: '캐시', usage: { input: 100, output: 5, cachedInput: 80 } });
    expect((await model().generate(request)).usage).toEqual(expected);
    server.enqueue({ text: '캐시', usage: { input: 100, output: 5, cachedInput: 80 } });
    expect((await collect(model().stream(request))).at(-1)).toMatchObject({ type: 'finish', usage: expected });
  });

  it('maps max_tokens to length and stop_sequence to stop', async () => {
    server.enqueue({ text: '잘린 답', finishReason: 'length' });
    expect((await collect(model().stream(request))).at(-1)).toMatchObject({ finishReason: 'length' });
    server.enqueue({ text: '잘린 답', finishReason: 'length' });
    expect((await model().generate(request)).finishReason).toBe('length');
  });
});
