import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool, registerProvider } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { openai, upstage } from './openai-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(async () => {
  await fake.start();
  registerProvider(openai);
  registerProvider(upstage);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const options = () => ({ baseURL: `${fake.url}/v1`, apiKey: 'test-key' });

describe('LLM end to end through @llm/providers-openai', () => {
  it('asks gpt-4o-mini and gets the reply, usage and provider', async () => {
    fake.enqueue({ text: '안녕하세요! 무엇을 도와드릴까요?', usage: { input: 12, output: 9 } });
    const llm = LLM.create('gpt-4o-mini', { ...options(), systemPrompt: '친절한 비서' });
    const reply = await llm.ask('안녕');
    expect(reply.text).toBe('안녕하세요! 무엇을 도와드릴까요?');
    expect(reply).toMatchObject({ provider: 'openai', finishReason: 'stop', usage: { input: 12, output: 9, total: 21 } });
    expect(fake.lastRequest!.body.messages).toEqual([{ role: 'system', content: '친절한 비서' }, { role: 'user', content: '안녕' }]);
  });

  it('runs a tool loop: the tool result goes back as a tool message with the server\'s call id', async () => {
    const getWeather = defineTool({
      name: 'get_weather',
      description: '도시의 날씨',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, temperature: 25, sky: '맑음' }),
    });
    fake.enqueue({ toolCalls: [{ id: 'call_seoul_1', name: 'get_weather', arguments: { city: '서울' } }] });
    fake.enqueue({ text: '서울은 25도, 맑음입니다.' });
    const llm = LLM.create('gpt-4o-mini', options());
    const reply = await llm.ask('서울 날씨 알려줘', { tools: [getWeather] });
    expect(reply.text).toBe('서울은 25도, 맑음입니다.');
    expect(reply.toolInteractions).toMatchObject([{ tool: 'get_weather', arguments: { city: '서울' }, result: { city: '서울', temperature: 25, sky: '맑음' } }]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0].body.tools[0].function).toMatchObject({ name: 'get_weather', description: '도시의 날씨' });
    const second = fake.requests[1].body.messages;
    expect(second.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_seoul_1', type: 'function', function: { name: 'get_weather' } }] });
    expect(second.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_seoul_1' });
    expect(JSON.parse(second.at(-1).content)).toEqual({ city: '서울', temperature: 25, sky: '맑음' });
  });

  it('streams through LLM and parses structured output with an optional field', async () => {
    fake.enqueue({ chunks: ['{"name":"김', '철수","nickname":null}'] });
    const llm = LLM.create('solar-pro', options());
    let reply;
    for await (const chunk of llm.ask('사람 하나', { stream: true, schema: z.object({ name: z.string(), nickname: z.string().optional() }) })) {
      if (chunk.type === 'finish') reply = chunk.reply;
    }
    expect(fake.lastRequest!.body.stream).toBe(true);
    expect(reply?.provider).toBe('upstage');
    expect(reply?.structuredData).toEqual({ name: '김철수' });
    expect(fake.lastRequest!.body.response_format.json_schema.strict).toBe(true);
  });
});
