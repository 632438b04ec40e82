import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, type ProviderRequest, type ProviderStreamEvent } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { openai } from './openai-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const model = (id = 'gpt-4o-mini') => openai.languageModel(id, { baseURL: `${fake.url}/v1`, apiKey: 'test-key' });
const sent = () => fake.lastRequest!.body;
const user = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

async function collect(stream: AsyncIterable<ProviderStreamEvent>) {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}
const textOf = (events: ProviderStreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');

describe('request body, field by field', () => {
  it('puts the system prompt first and converts a tool conversation', async () => {
    await model().generate({
      system: '당신은 친절한 비서입니다.',
      messages: [
        { role: 'user', content: '서울 날씨?' },
        { role: 'assistant', content: '확인해 볼게요.', toolCalls: [{ id: 'call_abc', name: 'get_weather', arguments: { city: '서울' } }] },
        { role: 'tool', toolCallId: 'call_abc', toolName: 'get_weather', content: '{"temp":25,"sky":"맑음"}' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_def', name: 'get_time', arguments: {} }] },
        { role: 'tool', toolCallId: 'call_def', toolName: 'get_time', content: '"오후 3시"', isError: false },
      ],
    });
    expect(fake.lastRequest!.path).toBe('/v1/chat/completions');
    expect(fake.lastRequest!.headers.authorization).toBe('Bearer test-key');
    expect(sent().messages).toEqual([
      { role: 'system', content: '당신은 친절한 비서입니다.' },
      { role: 'user', content: '서울 날씨?' },
      { role: 'assistant', content: '확인해 볼게요.', tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"서울"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc', content: '{"temp":25,"sky":"맑음"}' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_def', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_def', content: '"오후 3시"' },
    ]);
    expect(sent().stream).toBe(false);
  });

  it('sends tools, every tool_choice form, sampling, stop sequences and provider options', async () => {
    const parameters = { type: 'object', properties: { city: { type: 'string', description: '도시 이름' } }, required: ['city'] };
    const base: ProviderRequest = { ...user('날씨'), tools: [{ name: 'get_weather', description: '날씨 조회', parameters }], temperature: 0.3, topP: 0.9, maxTokens: 50, stopSequences: ['끝'] };
    await model().generate({ ...base, toolChoice: 'required', providerOptions: { seed: 7, parallel_tool_calls: false } });
    expect(sent()).toMatchObject({
      model: 'gpt-4o-mini', temperature: 0.3, top_p: 0.9, max_tokens: 50, stop: ['끝'], seed: 7, parallel_tool_calls: false,
      tools: [{ type: 'function', function: { name: 'get_weather', description: '날씨 조회', parameters } }], tool_choice: 'required',
    });
    expect(sent().max_completion_tokens).toBeUndefined();
    for (const [choice, wire] of [['auto', 'auto'], ['none', 'none'], [{ name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }]] as const) {
      await model().generate({ ...base, toolChoice: choice });
      expect(sent().tool_choice).toEqual(wire);
    }
    await model().generate(user('도구 없이'));
    expect(Object.keys(sent()).sort()).toEqual(['messages', 'model', 'stream']);
  });

  it('sends images as image_url (data URL or link) and PDFs as file parts with a data URL', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const pdf = new TextEncoder().encode('%PDF-1.4 한글 문서');
    await model().generate({
      messages: [{ role: 'user', content: [
        { type: 'text', text: '이 그림과 문서를 설명해 주세요.' },
        { type: 'image', data: png, mediaType: 'image/png' },
        { type: 'image', data: new URL('https://example.com/고양이.jpg'), mediaType: 'image/jpeg' },
        { type: 'file', data: pdf, mediaType: 'application/pdf', filename: '보고서.pdf' },
      ] }],
    });
    expect(sent().messages[0].content).toEqual([
      { type: 'text', text: '이 그림과 문서를 설명해 주세요.' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } },
      { type: 'image_url', image_url: { url: 'https://example.com/%EA%B3%A0%EC%96%91%EC%9D%B4.jpg' } },
      { type: 'file', file: { filename: '보고서.pdf', file_data: `data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}` } },
    ]);
  });

  it('refuses a PDF link and unsupported file types with a ConfigurationError before any request', async () => {
    const pdfLink = model().generate({ messages: [{ role: 'user', content: [{ type: 'file', data: new URL('https://example.com/a.pdf'), mediaType: 'application/pdf' }] }] });
    await expect(pdfLink).rejects.toSatisfy((e: unknown) => ConfigurationError.isInstance(e) && /Download it/.test((e as Error).message));
    const zip = model().generate({ messages: [{ role: 'user', content: [{ type: 'file', data: new Uint8Array([1]), mediaType: 'application/zip', filename: '압축.zip' }] }] });
    await expect(zip).rejects.toSatisfy((e: unknown) => ConfigurationError.isInstance(e) && /application\/zip/.test((e as Error).message));
    expect(fake.requests).toHaveLength(0);
  });

  it('generate never throws synchronously: a bad request or a missing key is a rejected promise', async () => {
    const zip = model().generate({ messages: [{ role: 'user', content: [{ type: 'file', data: new Uint8Array([1]), mediaType: 'application/zip' }] }] });
    expect(zip).toBeInstanceOf(Promise);
    await expect(zip).rejects.toSatisfy((e: unknown) => ConfigurationError.isInstance(e));
    const noBaseURL = openai.languageModel('gpt-4o-mini', { baseURL: '', apiKey: '' });
    const pending = noBaseURL.generate(user('안녕'));
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toSatisfy((e: unknown) => ConfigurationError.isInstance(e));
  });

  it('sends stream: false last and returns the answer with usage, model and raw', async () => {
    fake.enqueue({ text: '안녕하세요' });
    const response = await model().generate({ ...user('안녕'), temperature: 0.5, maxTokens: 10 });
    expect(Object.keys(sent())).toEqual(['model', 'messages', 'temperature', 'max_tokens', 'stream']);
    expect(sent().stream).toBe(false);
    expect(response).toMatchObject({ text: '안녕하세요', toolCalls: [], finishReason: 'stop' });
    expect(Object.keys(response)).toEqual(['text', 'toolCalls', 'finishReason', 'usage', 'model', 'raw']);
  });

  it('keeps NFD Korean byte for byte in both directions', async () => {
    const nfd = '한글'.normalize('NFD');
    fake.enqueue({ text: nfd });
    const response = await model().generate(user(nfd));
    expect(sent().messages[0].content).toBe(nfd);
    expect(response.text).toBe(nfd);
    expect(response.text).not.toBe('한글');
  });
});

describe('o-series and gpt-5 reasoning models', () => {
  it.each(['o1', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini'])('%s gets max_completion_tokens and no temperature', async (id) => {
    const response = await model(id).generate({ ...user('생각해 보세요'), maxTokens: 300, temperature: 0.2, topP: 0.5 });
    expect(response.finishReason).toBe('stop'); // the fake answers 400 to max_tokens / temperature, as OpenAI does
    expect(sent().max_completion_tokens).toBe(300);
    expect(sent()).not.toHaveProperty('max_tokens');
    expect(sent()).not.toHaveProperty('temperature');
    expect(sent()).not.toHaveProperty('top_p');
    expect(sent().messages[0]).toEqual({ role: 'user', content: '생각해 보세요' });
  });

  it('gpt-5-chat and gpt-4.1 keep max_tokens and temperature; reasoning_effort none keeps sampling', async () => {
    for (const id of ['gpt-5-chat-latest', 'gpt-4.1']) {
      await model(id).generate({ ...user('안녕'), maxTokens: 10, temperature: 0.7 });
      expect(sent()).toMatchObject({ max_tokens: 10, temperature: 0.7 });
    }
    await model('gpt-5.1').generate({ ...user('안녕'), temperature: 0.4, providerOptions: { reasoning_effort: 'none' } });
    expect(sent()).toMatchObject({ temperature: 0.4, reasoning_effort: 'none' });
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string', description: '이름' },
      nickname: { type: 'string' },
      age: { type: 'integer' },
      address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } }, required: ['city'] },
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    },
    required: ['name', 'age'],
  };
  const answer = { name: '김철수', nickname: null, age: 30, address: { city: '서울', zip: null }, tags: null };
  const expected = { name: '김철수', age: 30, address: { city: '서울' } };

  it('sends a strict json_schema OpenAI accepts and removes the nulls of optional fields from the answer', async () => {
    fake.enqueue({ text: JSON.stringify(answer) });
    const m = model();
    expect(m.supportsStructuredOutput).toBe(true);
    const response = await m.generate({ ...user('사람 정보'), responseFormat: { type: 'json', name: '사람 정보', schema } });
    const format = sent().response_format;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.name).toBe('response');
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.required).toEqual(['name', 'nickname', 'age', 'address', 'tags']);
    expect(format.json_schema.schema.additionalProperties).toBe(false);
    expect(format.json_schema.schema.properties.nickname).toEqual({ type: ['string', 'null'] });
    expect(format.json_schema.schema.properties.address.properties.zip).toEqual({ type: ['string', 'null'] });
    expect(format.json_schema.schema.properties.tags).toEqual({ type: ['array', 'null'], items: { type: 'string' } });
    expect(JSON.parse(response.text)).toEqual(expected);
  });

  it('streams the restored JSON as one delta when optional fields were made nullable', async () => {
    fake.enqueue({ chunks: ['{"name":"김철', '수","nickname":null,', '"age":30,"address":{"city":"서울","zip":null},"tags":null}'] });
    const events = await collect(model().stream({ ...user('사람 정보'), responseFormat: { type: 'json', name: 'person', schema } }));
    expect(sent().response_format.json_schema.name).toBe('person');
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(1);
    expect(JSON.parse(textOf(events))).toEqual(expected);
  });

  it('streams deltas unbuffered when the schema has no optional field, and asks json_object without a schema', async () => {
    const closed = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };
    fake.enqueue({ chunks: ['{"ok":', 'true}'] });
    const events = await collect(model().stream({ ...user('확인'), responseFormat: { type: 'json', schema: closed } }));
    expect(events.filter((e) => e.type === 'text-delta').map((e) => e.type === 'text-delta' && e.text)).toEqual(['{"ok":', 'true}']);
    await model().generate({ ...user('아무 JSON'), responseFormat: { type: 'json' } });
    expect(sent().response_format).toEqual({ type: 'json_object' });
  });
});

describe('responses', () => {
  it('reassembles interleaved tool-call deltas by index, keeping server ids and split emoji', async () => {
    const base = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
    const delta = (d: object, finish: string | null = null) => JSON.stringify({ ...base, choices: [{ index: 0, delta: d, finish_reason: finish }] });
    const emoji = '😀';
    fake.enqueueFixture([
      delta({ role: 'assistant', content: null }),
      delta({ tool_calls: [{ index: 0, id: 'call_first', type: 'function', function: { name: 'search', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_second', type: 'function', function: { name: 'translate', arguments: '{"text":"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"query":"부산 ' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: `안녕 ${emoji[0]}` } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '맛집"}' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: `${emoji[1]}"}` } }] }),
      delta({}, 'tool_calls'),
    ]);
    const events = await collect(model().stream(user('찾아줘')));
    expect(events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []))).toEqual([
      { id: 'call_first', name: 'search', arguments: { query: '부산 맛집' } },
      { id: 'call_second', name: 'translate', arguments: { text: `안녕 ${emoji}` } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', usage: { input: 0, output: 0, total: 0 }, model: 'gpt-4o-mini' });
  });

  it('maps refusal, length and content filter, and reports cached and reasoning tokens', async () => {
    fake.enqueue({ text: '도와드릴 수 없습니다.', finishReason: 'refusal' });
    expect(await model().generate(user('위험한 요청'))).toMatchObject({ finishReason: 'refusal', text: '도와드릴 수 없습니다.' });
    fake.enqueue({ text: '잘린 답', finishReason: 'length', usage: { input: 100, output: 40, cachedInput: 64, reasoning: 12 } });
    expect(await model().generate(user('길게'))).toMatchObject({ finishReason: 'length', usage: { input: 100, output: 40, total: 140, cachedInput: 64, reasoning: 12 } });
    fake.enqueue({ chunks: ['차단'], finishReason: 'content-filter' });
    const events = await collect(model().stream(user('필터')));
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content-filter' });
  });
});
