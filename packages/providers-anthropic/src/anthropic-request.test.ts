import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderRequest } from '@llm/core';
import { FakeAnthropicServer } from '@llm/testkit';
import { anthropic, createAnthropic } from './anthropic-provider.js';

const server = new FakeAnthropicServer();
const KEY = 'sk-ant-test-request-fields';
const model = (id = 'claude-haiku-4-5', extra: Record<string, unknown> = {}) =>
  anthropic.languageModel(id, { baseURL: server.url, apiKey: KEY, ...extra });
const ask = (content: string): ProviderRequest => ({ messages: [{ role: 'user', content }] });
const sent = () => server.lastRequest!.body;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode('%PDF-1.4\n% 한글 문서\n%%EOF');
const WEATHER = { name: 'get_weather', description: '도시의 날씨 조회', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('the Messages request, field by field', () => {
  it('posts to /v1/messages with the key, the API version and custom headers', async () => {
    await model('claude-haiku-4-5', { headers: { 'x-team': 'search' } }).generate(ask('안녕'));
    const request = server.lastRequest!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/messages');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(request.headers['x-team']).toBe('search');
    expect(request.headers['x-stainless-retry-count']).toBe('0');
  });

  it('puts the system prompt in the top-level system field and sends max_tokens 4096 by default', async () => {
    await model().generate({ ...ask('서울 날씨 알려줘'), system: '당신은 한국어 비서입니다.' });
    expect(sent()).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      system: '당신은 한국어 비서입니다.',
      messages: [{ role: 'user', content: [{ type: 'text', text: '서울 날씨 알려줘' }] }],
    });
    expect(sent().messages.some((m: { role: string }) => m.role === 'system')).toBe(false);
  });

  it('maps maxTokens, temperature, topP and stopSequences to their wire names', async () => {
    await model().generate({ ...ask('숫자를 세어 줘'), maxTokens: 321, temperature: 0.3, topP: 0.9, stopSequences: ['끝'] });
    expect(sent()).toMatchObject({ max_tokens: 321, temperature: 0.3, top_p: 0.9, stop_sequences: ['끝'] });
  });

  it('lowers the default max_tokens to a known model limit and honours defaultMaxTokens', async () => {
    await model('claude-3-haiku-20240307', { defaultMaxTokens: 8192 }).generate(ask('하이쿠'));
    expect(sent().max_tokens).toBe(4096);
    await model('claude-opus-4-5', { defaultMaxTokens: 16000 }).generate(ask('긴 글'));
    expect(sent().max_tokens).toBe(16000);
    await createAnthropic({ defaultMaxTokens: 2048 }).languageModel('claude-haiku-4-5', { baseURL: server.url, apiKey: KEY }).generate(ask('짧게'));
    expect(sent().max_tokens).toBe(2048);
  });

  it('keeps Korean text byte for byte, NFD included', async () => {
    const nfd = '한글'.normalize('NFD');
    await model().generate({ ...ask(nfd), system: nfd });
    expect(sent().messages[0].content[0].text).toBe(nfd);
    expect(sent().system).toBe(nfd);
    expect(sent().system).not.toBe('한글');
  });

  it('sends tools with input_schema and maps every tool choice', async () => {
    const cases: [ProviderRequest['toolChoice'], unknown][] = [
      [undefined, undefined],
      ['auto', { type: 'auto' }],
      ['none', { type: 'none' }],
      ['required', { type: 'any' }],
      [{ name: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
    ];
    for (const [toolChoice, wire] of cases) {
      await model().generate({ ...ask('날씨?'), tools: [WEATHER], toolChoice });
      expect(sent().tools).toEqual([{ name: 'get_weather', description: '도시의 날씨 조회', input_schema: WEATHER.parameters }]);
      expect(sent().tool_choice).toEqual(wire);
    }
  });

  it('sends assistant tool_use blocks and merges consecutive tool results into one user message', async () => {
    await model().generate({
      tools: [WEATHER],
      messages: [
        { role: 'user', content: '서울과 부산 날씨?' },
        { role: 'assistant', content: '확인해 볼게요.', toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: { city: '서울' } },
          { id: 'toolu_2', name: 'get_weather', arguments: { city: '부산' } },
        ] },
        { role: 'tool', toolCallId: 'toolu_1', toolName: 'get_weather', content: '{"temp":25}' },
        { role: 'tool', toolCallId: 'toolu_2', toolName: 'get_weather', content: '도시를 찾을 수 없음', isError: true },
        { role: 'user', content: '고마워' },
      ],
    });
    expect(sent().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '서울과 부산 날씨?' }] },
      { role: 'assistant', content: [
        { type: 'text', text: '확인해 볼게요.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: '서울' } },
        { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: '부산' } },
      ] },
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temp":25}' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: '도시를 찾을 수 없음', is_error: true },
        { type: 'text', text: '고마워' },
      ] },
    ]);
  });

  it('sends images as image blocks and PDFs as document blocks, bytes as base64 and URLs as url sources', async () => {
    await model().generate({ messages: [{ role: 'user', content: [
      { type: 'text', text: '이 그림과 문서를 설명해 줘' },
      { type: 'image', data: PNG, mediaType: 'image/png' },
      { type: 'image', data: new URL('https://example.com/고양이.jpg'), mediaType: 'image/jpeg' },
      { type: 'file', data: PDF, mediaType: 'application/pdf', filename: '보고서.pdf' },
      { type: 'file', data: new URL('https://example.com/report.pdf'), mediaType: 'application/pdf' },
    ] }] });
    expect(sent().messages[0].content).toEqual([
      { type: 'text', text: '이 그림과 문서를 설명해 줘' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: Buffer.from(PNG).toString('base64') } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/%EA%B3%A0%EC%96%91%EC%9D%B4.jpg' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from(PDF).toString('base64') }, title: '보고서.pdf' },
      { type: 'document', source: { type: 'url', url: 'https://example.com/report.pdf' } },
    ]);
    expect(Buffer.from(sent().messages[0].content[3].source.data, 'base64').toString('utf8')).toContain('한글 문서');
  });

  it('passes providerOptions through as given', async () => {
    await model().generate({ ...ask('생각해 봐'), providerOptions: { metadata: { user_id: 'user-42' }, top_k: 5 } });
    expect(sent()).toMatchObject({ metadata: { user_id: 'user-42' }, top_k: 5 });
  });

  it('sets stream: true for stream()', async () => {
    for await (const event of model().stream(ask('스트림'))) void event;
    expect(sent().stream).toBe(true);
  });
});

describe('structured output through the json_output tool', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' }, temp: { type: 'number' } }, required: ['city', 'temp'] };

  it('forces the json_output tool with the schema as input_schema and returns its input as the JSON text', async () => {
    server.enqueue({ text: JSON.stringify({ city: '서울', temp: 25 }), usage: { input: 30, output: 12 } });
    const response = await model().generate({ ...ask('서울 날씨를 JSON으로'), responseFormat: { type: 'json', schema, name: 'weather' } });
    expect(sent().tools).toEqual([{ name: 'json_output', description: expect.stringContaining('weather'), input_schema: schema }]);
    expect(sent().tool_choice).toEqual({ type: 'tool', name: 'json_output' });
    expect(sent().system).toBeUndefined();
    expect(JSON.parse(response.text)).toEqual({ city: '서울', temp: 25 });
    expect(response.finishReason).toBe('stop');
    expect(response.toolCalls).toEqual([]);
    expect(response.usage).toEqual({ input: 30, output: 12, total: 42 });
  });

  it('streams the json_output input as text deltas that join to the JSON, finishing with stop', async () => {
    const answer = { city: '부산', temp: 28, note: '맑음 ☀️' };
    server.enqueue({ text: JSON.stringify(answer) });
    const deltas: string[] = [];
    let finish: unknown;
    for await (const event of model().stream({ ...ask('부산'), responseFormat: { type: 'json', schema } })) {
      if (event.type === 'text-delta') deltas.push(event.text);
      if (event.type === 'finish') finish = event.finishReason;
      expect(event.type).not.toBe('tool-call');
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(JSON.parse(deltas.join(''))).toEqual(answer);
    expect(finish).toBe('stop');
  });

  it('wraps a non-object schema in { value } and unwraps the answer', async () => {
    const arraySchema = { type: 'array', items: { type: 'string' } };
    server.enqueue({ text: JSON.stringify({ value: ['사과', '배'] }) });
    const response = await model().generate({ ...ask('과일 목록'), responseFormat: { type: 'json', schema: arraySchema } });
    expect(sent().tools[0].input_schema).toEqual({ type: 'object', properties: { value: arraySchema }, required: ['value'], additionalProperties: false });
    expect(JSON.parse(response.text)).toEqual(['사과', '배']);
    server.enqueue({ text: JSON.stringify({ value: ['감'] }) });
    let streamed = '';
    for await (const event of model().stream({ ...ask('과일'), responseFormat: { type: 'json', schema: arraySchema } })) if (event.type === 'text-delta') streamed += event.text;
    expect(JSON.parse(streamed)).toEqual(['감']);
  });

  it('with user tools: adds json_output under tool_choice auto and a system instruction, and still reads it back', async () => {
    server.enqueue({ toolCalls: [{ id: 'toolu_json', name: 'json_output', arguments: { city: '대구', temp: 33 } }], finishReason: 'tool-calls' });
    const response = await model().generate({ ...ask('대구'), system: '간결하게.', tools: [WEATHER], responseFormat: { type: 'json', schema } });
    expect(sent().tools.map((t: { name: string }) => t.name)).toEqual(['get_weather', 'json_output']);
    expect(sent().tool_choice).toEqual({ type: 'auto' });
    expect(sent().system).toMatch(/^간결하게\.\n\n.*json_output/s);
    expect(JSON.parse(response.text)).toEqual({ city: '대구', temp: 33 });
    expect(response.finishReason).toBe('stop');
    expect(response.toolCalls).toEqual([]);
  });

  it('with user tools: a call of a user tool stays a tool call', async () => {
    server.enqueue({ text: '확인하겠습니다.', toolCalls: [{ id: 'toolu_w', name: 'get_weather', arguments: { city: '광주' } }] });
    const response = await model().generate({ ...ask('광주'), tools: [WEATHER], responseFormat: { type: 'json', schema } });
    expect(response.finishReason).toBe('tool-calls');
    expect(response.toolCalls).toEqual([{ id: 'toolu_w', name: 'get_weather', arguments: { city: '광주' } }]);
  });

  it('refuses a user tool named json_output and a toolChoice naming an absent tool', async () => {
    const clash = model().generate({ ...ask('x'), tools: [{ ...WEATHER, name: 'json_output' }], responseFormat: { type: 'json', schema } });
    await expect(clash).rejects.toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('json_output') });
    const absent = model().generate({ ...ask('x'), tools: [WEATHER], toolChoice: { name: 'search' } });
    await expect(absent).rejects.toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('search') });
    expect(server.requests).toHaveLength(0);
  });
});
