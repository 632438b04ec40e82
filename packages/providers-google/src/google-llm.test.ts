import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool, registerProvider } from '@llm/core';
import { FakeGeminiServer } from '@llm/testkit';
import { google } from './index.js';

const server = new FakeGeminiServer({ embeddingDimensions: 4 });
const create = (model = 'gemini-2.5-flash') => LLM.create(model, { baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });

beforeAll(async () => {
  registerProvider(google);
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('LLM.create(gemini-*) end to end through @llm/providers-google', () => {
  it('ask returns the Korean answer with usage from the wire', async () => {
    server.enqueue({ text: '안녕하세요! 반갑습니다.', usage: { input: 6, output: 9, reasoning: 4 } });
    const reply = await create().ask('안녕?');
    expect(reply.text).toBe('안녕하세요! 반갑습니다.');
    expect(reply.provider).toBe('google');
    expect(reply.usage).toMatchObject({ input: 6, output: 9, total: 15, reasoning: 4 });
    expect(server.lastRequest!.body.contents).toEqual([{ role: 'user', parts: [{ text: '안녕?' }] }]);
  });

  it('runs a tool loop with defineTool: the function response goes back by name', async () => {
    const weather = defineTool({
      name: 'get_weather',
      description: '도시의 날씨',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, sky: '맑음', temperature: 25 }),
    });
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: '서울' } }] });
    server.enqueue({ text: '서울은 맑고 25도입니다.' });
    const reply = await create().ask('서울 날씨 알려줘', { tools: [weather] });
    expect(reply.text).toBe('서울은 맑고 25도입니다.');
    expect(reply.toolInteractions).toHaveLength(1);
    expect(reply.toolInteractions[0]).toMatchObject({ tool: 'get_weather', arguments: { city: '서울' } });
    const second = server.requests[1].body;
    expect(second.tools[0].functionDeclarations[0].name).toBe('get_weather');
    const [, modelTurn, results] = second.contents;
    expect(modelTurn.parts[0].functionCall).toEqual({ name: 'get_weather', args: { city: '서울' } });
    expect(typeof modelTurn.parts[0].thoughtSignature).toBe('string');
    expect(results).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: { city: '서울', sky: '맑음', temperature: 25 } } } }] });
  });

  it('structured output with a zod schema uses responseSchema natively', async () => {
    server.enqueue({ text: JSON.stringify({ title: '채식주의자', year: 2007 }) });
    const reply = await create().ask('한강의 소설 하나', { schema: z.object({ title: z.string(), year: z.number().int() }) });
    expect(reply.structuredData).toEqual({ title: '채식주의자', year: 2007 });
    expect(server.lastRequest!.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT' } });
  });

  it('streams chunks whose text is the answer', async () => {
    server.enqueue({ chunks: ['스트리밍', ' 잘 ', '됩니다'] });
    let text = '';
    for await (const chunk of create().ask('스트림', { stream: true })) text += chunk.text;
    expect(text).toBe('스트리밍 잘 됩니다');
  });
});
