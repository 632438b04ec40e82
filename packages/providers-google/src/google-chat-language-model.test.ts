import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LanguageModel, ProviderRequest } from '@llm/core';
import { collectStream, FakeGeminiServer, runProviderConformance } from '@llm/testkit';
import { google } from './google-provider.js';

const server = new FakeGeminiServer();
const model = (id = 'gemini-2.5-flash', extra: Record<string, unknown> = {}): LanguageModel =>
  google.languageModel(id, { baseURL: server.url, apiKey: 'test-key-123456', ...extra });

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

runProviderConformance({
  name: 'google (fake Gemini server, real @google/genai SDK)',
  createModel: () => model(),
  script: (reply) => {
    server.enqueue(reply);
  },
});

describe('google request shape (what the SDK puts on the wire)', () => {
  it('sends the system prompt as systemInstruction, roles user/model, sampling in generationConfig, the key as x-goog-api-key', async () => {
    server.enqueue({ text: '네' });
    await model().generate({
      system: '당신은 한국어로 답하는 비서입니다.',
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 256,
      stopSequences: ['끝'],
      messages: [
        { role: 'user', content: '안녕' },
        { role: 'assistant', content: '안녕하세요!' },
        { role: 'user', content: '날씨 알려줘' },
      ],
    });
    const request = server.lastRequest!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('test-key-123456');
    expect(request.body.systemInstruction).toEqual({ parts: [{ text: '당신은 한국어로 답하는 비서입니다.' }], role: 'user' });
    expect(request.body.contents).toEqual([
      { role: 'user', parts: [{ text: '안녕' }] },
      { role: 'model', parts: [{ text: '안녕하세요!' }] },
      { role: 'user', parts: [{ text: '날씨 알려줘' }] },
    ]);
    expect(request.body.generationConfig).toEqual({ temperature: 0.3, topP: 0.9, maxOutputTokens: 256, stopSequences: ['끝'] });
    expect(request.body.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user']);
    expect(Object.keys(request.body).sort()).toEqual(['contents', 'generationConfig', 'systemInstruction']);
  });

  it('streams through :streamGenerateContent?alt=sse', async () => {
    server.enqueue({ chunks: ['하나', '둘'] });
    await collectStream(model().stream({ messages: [{ role: 'user', content: '세어 봐' }] }));
    expect(server.lastRequest!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(server.lastRequest!.query.get('alt')).toBe('sse');
  });

  it('sends images and PDFs as inlineData (base64) and URLs as fileData', async () => {
    server.enqueue({ text: '고양이 사진입니다.' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const pdf = new TextEncoder().encode('%PDF-1.4 한글');
    await model().generate({
      messages: [{
        role: 'user',
        content: [
          { type: 'text', text: '무엇이 보이나요?' },
          { type: 'image', data: png, mediaType: 'image/png' },
          { type: 'file', data: pdf, mediaType: 'application/pdf', filename: '보고서.pdf' },
          { type: 'image', data: new URL('https://example.com/고양이.jpg'), mediaType: 'image/jpeg' },
        ],
      }],
    });
    expect(server.lastRequest!.body.contents[0].parts).toEqual([
      { text: '무엇이 보이나요?' },
      { inlineData: { mimeType: 'image/png', data: Buffer.from(png).toString('base64') } },
      { inlineData: { mimeType: 'application/pdf', data: Buffer.from(pdf).toString('base64') } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/%EA%B3%A0%EC%96%91%EC%9D%B4.jpg' } },
    ]);
  });

  it('declares tools with parametersJsonSchema and maps every toolChoice to functionCallingConfig', async () => {
    const parameters = { type: 'object', properties: { city: { type: 'string', description: '도시' } }, required: ['city'], additionalProperties: false };
    const base: ProviderRequest = { messages: [{ role: 'user', content: '서울 날씨' }], tools: [{ name: 'get_weather', description: '날씨 조회', parameters }] };
    const expected = [
      ['auto', { mode: 'AUTO' }],
      ['none', { mode: 'NONE' }],
      ['required', { mode: 'ANY' }],
      [{ name: 'get_weather' }, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
    ] as const;
    for (const [toolChoice, config] of expected) {
      server.enqueue({ text: '알겠습니다' });
      await model().generate({ ...base, toolChoice });
      const body = server.lastRequest!.body;
      expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', description: '날씨 조회', parametersJsonSchema: parameters }] }]);
      expect(body.toolConfig).toEqual({ functionCallingConfig: config });
    }
    server.enqueue({ text: '알겠습니다' });
    await model().generate(base);
    expect(server.lastRequest!.body.toolConfig).toBeUndefined();
  });

  it('sends tool calls back with their thoughtSignature and merges consecutive results into one user content by NAME', async () => {
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: '서울' } }, { name: 'get_time', arguments: { zone: 'Asia/Seoul' } }] });
    const first = await model().generate({ messages: [{ role: 'user', content: '서울 날씨와 시간' }] });
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls.map((c) => c.id)).toEqual(['call_0', 'call_1']);
    const signature = (first.toolCalls[0].providerMetadata?.google as { thoughtSignature?: string }).thoughtSignature;
    expect(typeof signature).toBe('string');
    expect(first.toolCalls[1].providerMetadata).toBeUndefined();

    server.enqueue({ text: '서울은 맑고 25도, 오후 3시입니다.' });
    await model().generate({
      messages: [
        { role: 'user', content: '서울 날씨와 시간' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_0', toolName: 'get_weather', content: '{"temperature":25,"sky":"맑음"}' },
        { role: 'tool', toolCallId: 'call_1', toolName: 'get_time', content: '"15:00"' },
        { role: 'tool', toolCallId: 'call_x', toolName: 'broken', content: 'boom', isError: true },
      ],
    });
    expect(server.lastRequest!.body.contents).toEqual([
      { role: 'user', parts: [{ text: '서울 날씨와 시간' }] },
      { role: 'model', parts: [
        { functionCall: { name: 'get_weather', args: { city: '서울' } }, thoughtSignature: signature },
        { functionCall: { name: 'get_time', args: { zone: 'Asia/Seoul' } } },
      ] },
      { role: 'user', parts: [
        { functionResponse: { name: 'get_weather', response: { output: { temperature: 25, sky: '맑음' } } } },
        { functionResponse: { name: 'get_time', response: { output: '15:00' } } },
        { functionResponse: { name: 'broken', response: { error: 'boom' } } },
      ] },
    ]);
  });

  it('asks for JSON with responseMimeType and a converted responseSchema, and returns the JSON text', async () => {
    const warnings: unknown[] = [];
    const m = model('gemini-2.5-flash', { logger: { warn: (obj: unknown) => warnings.push(obj) } });
    expect(m.supportsStructuredOutput).toBe(true);
    const answer = { 이름: '김민수', age: 31, email: 'minsu@example.com' };
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false,
      properties: { 이름: { type: 'string' }, age: { type: ['integer', 'null'] }, email: { type: 'string', format: 'email' } },
      required: ['이름', 'age'],
    };
    for (let i = 0; i < 2; i++) {
      server.enqueue({ text: JSON.stringify(answer) });
      const response = await m.generate({ messages: [{ role: 'user', content: '사용자 정보' }], responseFormat: { type: 'json', name: 'person', schema } });
      expect(JSON.parse(response.text)).toEqual(answer);
    }
    const config = server.lastRequest!.body.generationConfig;
    expect(config.responseMimeType).toBe('application/json');
    expect(config.responseSchema).toEqual({
      type: 'OBJECT',
      properties: { 이름: { type: 'STRING' }, age: { type: 'INTEGER', nullable: true }, email: { type: 'STRING' } },
      propertyOrdering: ['이름', 'age', 'email'],
      required: ['이름', 'age'],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ dropped: ['format "email" at #/properties/email'] });
  });

  it('passes providerOptions.google into the config (thinking) and reports thoughts as reasoning', async () => {
    server.enqueueFixture({
      candidates: [{ content: { parts: [{ text: '먼저 생각해 보면…', thought: true }, { text: '답은 42입니다.' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 5, thoughtsTokenCount: 20, cachedContentTokenCount: 3, totalTokenCount: 32 },
      modelVersion: 'gemini-2.5-pro',
    });
    const response = await model('gemini-2.5-pro').generate({
      messages: [{ role: 'user', content: '삶의 의미는?' }],
      providerOptions: { google: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } },
    });
    expect(server.lastRequest!.body.generationConfig.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 1024 });
    expect(response.text).toBe('답은 42입니다.');
    expect(response.reasoning).toBe('먼저 생각해 보면…');
    expect(response.usage).toEqual({ input: 7, output: 25, total: 32, reasoning: 20, cachedInput: 3 });
    expect(response.model).toBe('gemini-2.5-pro');
  });

  it('uses functionCall.id as the tool call id when Gemini gives one, and sends it back on the response', async () => {
    server.enqueueFixture({
      candidates: [{ content: { parts: [{ functionCall: { id: 'fc-7', name: 'lookup', args: { q: '한글' } } }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 },
    });
    const first = await model().generate({ messages: [{ role: 'user', content: '찾아 줘' }] });
    expect(first.toolCalls).toEqual([{ id: 'fc-7', name: 'lookup', arguments: { q: '한글' }, providerMetadata: { google: { functionCallId: 'fc-7' } } }]);
    server.enqueue({ text: '찾았습니다' });
    await model().generate({
      messages: [
        { role: 'user', content: '찾아 줘' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'fc-7', toolName: 'lookup', content: '{"found":true}' },
      ],
    });
    expect(server.lastRequest!.body.contents[1].parts[0].functionCall).toEqual({ id: 'fc-7', name: 'lookup', args: { q: '한글' } });
    expect(server.lastRequest!.body.contents[2].parts[0].functionResponse).toEqual({ id: 'fc-7', name: 'lookup', response: { output: { found: true } } });
  });

  it('maps finish reasons: MAX_TOKENS → length, SAFETY → content-filter, blocked prompt → content-filter', async () => {
    server.enqueue({ text: '잘린 답', finishReason: 'length' });
    expect((await model().generate({ messages: [{ role: 'user', content: '길게' }] })).finishReason).toBe('length');
    server.enqueue({ text: '', finishReason: 'content-filter' });
    expect((await model().generate({ messages: [{ role: 'user', content: '위험' }] })).finishReason).toBe('content-filter');
    server.enqueueFixture({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 } });
    const events = await collectStream(model().stream({ messages: [{ role: 'user', content: '위험' }] }));
    expect(events).toEqual([{ type: 'finish', finishReason: 'content-filter', usage: { input: 3, output: 0, total: 3 }, raw: expect.anything() }]);
  });

  it('honours custom headers and keeps Korean text of every layer unchanged (NFD stays NFD)', async () => {
    const nfd = '한글'.normalize('NFD');
    server.enqueue({ text: nfd });
    const response = await model('gemini-2.5-flash', { headers: { 'x-trace-id': 'trace-1' } })
      .generate({ messages: [{ role: 'user', content: nfd }] });
    expect(server.lastRequest!.headers['x-trace-id']).toBe('trace-1');
    expect(server.lastRequest!.body.contents[0].parts[0].text).toBe(nfd);
    expect(response.text).toBe(nfd);
    expect(response.text).not.toBe('한글');
  });
});
