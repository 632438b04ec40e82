import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool, registerProvider } from '@llm/core';
import { FakeAnthropicServer } from '@llm/testkit';
import { anthropic } from './anthropic-provider.js';

const server = new FakeAnthropicServer();
const create = (options: Parameters<typeof LLM.create>[1] = {}) =>
  LLM.create('claude-haiku-4-5', { baseURL: server.url, apiKey: 'test-key', retryBaseDelayMs: 1, ...options });

beforeAll(async () => {
  registerProvider(anthropic);
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('LLM end to end through @llm/providers-anthropic', () => {
  it('asks and gets a Korean answer with usage', async () => {
    server.enqueue({ text: '안녕하세요! 무엇을 도와드릴까요?', usage: { input: 12, output: 15 } });
    const reply = await create({ systemPrompt: '친절한 비서' }).ask('인사해 주세요');
    expect(reply).toMatchObject({ text: '안녕하세요! 무엇을 도와드릴까요?', provider: 'anthropic', finishReason: 'stop', usage: { input: 12, output: 15, total: 27 } });
    expect(server.lastRequest?.body.system).toBe('친절한 비서');
  });

  it('runs a tool loop: tool_use, the tool, a tool_result, the final answer', async () => {
    const calls: string[] = [];
    const weather = defineTool({
      name: 'get_weather', description: '도시의 날씨', parameters: z.object({ city: z.string() }),
      execute: ({ city }) => {
        calls.push(city);
        return { city, temp: 25, sky: '맑음' };
      },
    });
    server.enqueue({ toolCalls: [{ id: 'toolu_seoul', name: 'get_weather', arguments: { city: '서울' } }], finishReason: 'tool-calls' });
    server.enqueue({ text: '서울은 25도이고 맑습니다.' });
    const reply = await create({ tools: [weather] }).ask('서울 날씨 어때?');
    expect(calls).toEqual(['서울']);
    expect(reply.text).toBe('서울은 25도이고 맑습니다.');
    expect(reply.toolInteractions).toMatchObject([{ tool: 'get_weather', arguments: { city: '서울' } }]);
    const second = server.requests[1].body;
    expect(second.tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } });
    expect(second.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second.messages[1].content).toEqual([{ type: 'tool_use', id: 'toolu_seoul', name: 'get_weather', input: { city: '서울' } }]);
    const result = second.messages[2].content[0];
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_seoul' });
    expect(JSON.parse(result.content)).toEqual({ city: '서울', temp: 25, sky: '맑음' });
  });

  it('returns structured data through the forced json_output tool', async () => {
    server.enqueue({ text: JSON.stringify({ title: '토지', author: '박경리' }) });
    const reply = await create().ask('소설 한 권 추천', { schema: z.object({ title: z.string(), author: z.string() }) });
    expect(reply.structuredData).toEqual({ title: '토지', author: '박경리' });
    expect(server.lastRequest?.body.tool_choice).toEqual({ type: 'tool', name: 'json_output' });
    expect(server.lastRequest?.body.system).toBeUndefined();
  });

  it('streams chunks whose text joins to the answer', async () => {
    server.enqueue({ chunks: ['스트리밍', ' 응답', ' 입니다 🎉'] });
    let text = '';
    for await (const chunk of create().stream('스트림 테스트')) text += chunk.text;
    expect(text).toBe('스트리밍 응답 입니다 🎉');
  });
});
