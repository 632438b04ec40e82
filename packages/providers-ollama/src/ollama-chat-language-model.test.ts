import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, type LanguageModel, type ProviderRequest } from '@llm/core';
import { collectStream, FakeOllamaServer, runProviderConformance } from '@llm/testkit';
import { ollama } from './ollama-provider.js';

const server = new FakeOllamaServer();
const model = (id = 'llama3.2', extra: Record<string, unknown> = {}): LanguageModel => ollama.languageModel(id, { baseURL: server.url, ...extra });

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

runProviderConformance({
  name: 'ollama (fake Ollama server, native /api/chat over fetch)',
  createModel: () => model(),
  script: (reply) => {
    server.enqueue(reply);
  },
});

describe('ollama request shape', () => {
  it('POSTs /api/chat with the system prompt first, :latest appended, options, stream false for generate', async () => {
    server.enqueue({ text: '네' });
    await model().generate({
      system: '당신은 한국어 비서입니다.',
      temperature: 0.2,
      topP: 0.8,
      maxTokens: 64,
      stopSequences: ['끝'],
      messages: [{ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' }, { role: 'user', content: '잘 지내?' }],
    });
    const request = server.lastRequest!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/chat');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({
      model: 'llama3.2:latest',
      messages: [
        { role: 'system', content: '당신은 한국어 비서입니다.' },
        { role: 'user', content: '안녕' },
        { role: 'assistant', content: '안녕하세요' },
        { role: 'user', content: '잘 지내?' },
      ],
      stream: false,
      options: { temperature: 0.2, top_p: 0.8, num_predict: 64, stop: ['끝'] },
    });
  });

  it('streams with stream: true and keeps tagged and namespaced names as given', async () => {
    for (const [id, wire] of [['qwen2.5:7b', 'qwen2.5:7b'], ['hf.co/bartowski/Llama-3.2-1B-GGUF', 'hf.co/bartowski/Llama-3.2-1B-GGUF:latest'], ['localhost:5000/phi3', 'localhost:5000/phi3:latest']]) {
      server.enqueue({ text: '좋아요' });
      await collectStream(model(id).stream({ messages: [{ role: 'user', content: '시작' }] }));
      expect(server.lastRequest!.body).toMatchObject({ model: wire, stream: true });
    }
  });

  it('sends images as base64 strings in message.images; refuses URLs and non-image files with a ConfigurationError', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    server.enqueue({ text: '고양이입니다' });
    await model('llava').generate({
      messages: [{ role: 'user', content: [{ type: 'text', text: '이 사진은?' }, { type: 'image', data: png, mediaType: 'image/png' }] }],
    });
    expect(server.lastRequest!.body.messages).toEqual([{ role: 'user', content: '이 사진은?', images: [Buffer.from(png).toString('base64')] }]);

    const before = server.requests.length;
    const url = await model('llava').generate({
      messages: [{ role: 'user', content: [{ type: 'image', data: new URL('https://example.com/cat.png'), mediaType: 'image/png' }] }],
    }).then(() => undefined, (e: unknown) => e);
    expect(ConfigurationError.isInstance(url)).toBe(true);
    expect((url as Error).message).toMatch(/Ollama needs image bytes/);
    const pdf = await model('llava').generate({
      messages: [{ role: 'user', content: [{ type: 'file', data: new Uint8Array([37, 80]), mediaType: 'application/pdf', filename: '보고서.pdf' }] }],
    }).then(() => undefined, (e: unknown) => e);
    expect(ConfigurationError.isInstance(pdf)).toBe(true);
    expect((pdf as Error).message).toContain('보고서.pdf');
    expect(server.requests.length).toBe(before);
  });

  it('sends tools in the function shape, tool calls with object arguments and results with tool_name; toolChoice narrows tools', async () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const tools = [{ name: 'get_weather', description: '날씨', parameters }, { name: 'get_time', parameters: { type: 'object', properties: {} } }];
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: '서울' } }, { name: 'get_time', arguments: {} }] });
    const first = await model().generate({ messages: [{ role: 'user', content: '서울 날씨' }], tools });
    expect(server.lastRequest!.body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: '날씨', parameters } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toEqual([
      { id: 'call_0', name: 'get_weather', arguments: { city: '서울' } },
      { id: 'call_1', name: 'get_time', arguments: {} },
    ]);

    server.enqueue({ text: '서울은 맑아요' });
    await model().generate({
      tools,
      toolChoice: { name: 'get_weather' },
      messages: [
        { role: 'user', content: '서울 날씨' },
        { role: 'assistant', content: '', toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_0', toolName: 'get_weather', content: '{"sky":"맑음"}' },
        { role: 'tool', toolCallId: 'call_1', toolName: 'get_time', content: '"15:00"' },
      ],
    });
    const body = server.lastRequest!.body;
    expect(body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['get_weather']);
    expect(body.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [
        { function: { name: 'get_weather', arguments: { city: '서울' } } },
        { function: { name: 'get_time', arguments: {} } },
      ] },
      { role: 'tool', content: '{"sky":"맑음"}', tool_name: 'get_weather' },
      { role: 'tool', content: '"15:00"', tool_name: 'get_time' },
    ]);

    server.enqueue({ text: '도구 없이' });
    await model().generate({ messages: [{ role: 'user', content: '안녕' }], tools, toolChoice: 'none' });
    expect(server.lastRequest!.body.tools).toBeUndefined();
  });

  it('uses the server id of a tool call when a newer Ollama sends one', async () => {
    server.enqueueFixture([
      { model: 'qwen3:latest', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', function: { index: 0, name: 'lookup', arguments: { q: '한글' } } }] }, done: false },
      { model: 'qwen3:latest', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 8 },
    ]);
    const events = await collectStream(model('qwen3').stream({ messages: [{ role: 'user', content: '찾아 줘' }] }));
    expect(events).toEqual([
      { type: 'tool-call', toolCall: { id: 'call_abc', name: 'lookup', arguments: { q: '한글' } } },
      { type: 'finish', finishReason: 'tool-calls', usage: { input: 12, output: 8, total: 20 }, model: 'qwen3:latest', raw: expect.anything() },
    ]);
  });

  it('sends the JSON schema as format (structured output), or "json" without a schema', async () => {
    const m = model();
    expect(m.supportsStructuredOutput).toBe(true);
    const schema = { type: 'object', properties: { 나이: { type: 'integer' }, available: { type: 'boolean' } }, required: ['나이', 'available'] };
    server.enqueue({ text: '{"나이":22,"available":false}' });
    const response = await m.generate({ messages: [{ role: 'user', content: 'JSON으로' }], responseFormat: { type: 'json', schema } });
    expect(server.lastRequest!.body.format).toEqual(schema);
    expect(JSON.parse(response.text)).toEqual({ 나이: 22, available: false });
    server.enqueue({ text: '{}' });
    await m.generate({ messages: [{ role: 'user', content: 'JSON으로' }], responseFormat: { type: 'json' } });
    expect(server.lastRequest!.body.format).toBe('json');
  });

  it('think and message.thinking → reasoning (generate and stream); provider defaults and providerOptions pass through', async () => {
    const line = (message: Record<string, unknown>, done = false, extra: Record<string, unknown> = {}) =>
      ({ model: 'deepseek-r1:8b', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: '', ...message }, done, ...extra });
    server.enqueueFixture([
      line({ thinking: '음, 생각해 보면' }),
      line({ thinking: ' 42가 맞다.' }),
      line({ content: '답은 ' }),
      line({ content: '42입니다.' }),
      line({}, true, { done_reason: 'stop', prompt_eval_count: 9, eval_count: 31 }),
    ]);
    const m = model('deepseek-r1:8b', { think: true, keepAlive: '10m', modelOptions: { num_ctx: 8192 } });
    const events = await collectStream(m.stream({ messages: [{ role: 'user', content: '삶의 의미?' }], temperature: 0, providerOptions: { options: { seed: 7 } } }));
    expect(server.lastRequest!.body).toMatchObject({ think: true, keep_alive: '10m', options: { num_ctx: 8192, temperature: 0, seed: 7 } });
    expect(events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : [])).join('')).toBe('음, 생각해 보면 42가 맞다.');
    expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')).toBe('답은 42입니다.');
    expect(events[events.length - 1]).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { input: 9, output: 31, total: 40 } });

    server.enqueueFixture({ model: 'deepseek-r1:8b', message: { role: 'assistant', content: '42', thinking: '계산 중' }, done: true, done_reason: 'length', prompt_eval_count: 3, eval_count: 5 });
    const response = await m.generate({ messages: [{ role: 'user', content: '?' }], providerOptions: { ollama: { think: 'high' } } });
    expect(server.lastRequest!.body.think).toBe('high');
    expect(response).toMatchObject({ text: '42', reasoning: '계산 중', finishReason: 'length', usage: { input: 3, output: 5, total: 8 }, model: 'deepseek-r1:8b' });
  });

  it('sends custom headers and the apiKey as a Bearer token (Ollama behind a proxy); Korean NFD survives', async () => {
    const nfd = '한글'.normalize('NFD');
    server.enqueue({ text: nfd });
    const response = await model('llama3.2', { apiKey: 'proxy-token-123', headers: { 'x-team': 'kr' } }).generate({ messages: [{ role: 'user', content: nfd }] });
    expect(server.lastRequest!.headers.authorization).toBe('Bearer proxy-token-123');
    expect(server.lastRequest!.headers['x-team']).toBe('kr');
    expect(server.lastRequest!.body.messages[0].content).toBe(nfd);
    expect(response.text).toBe(nfd);
  });

  it('maps done_reason length → length', async () => {
    server.enqueue({ text: '잘린', finishReason: 'length' });
    const request: ProviderRequest = { messages: [{ role: 'user', content: '길게' }] };
    const events = await collectStream(model().stream(request));
    expect(events[events.length - 1]).toMatchObject({ type: 'finish', finishReason: 'length' });
  });
});
