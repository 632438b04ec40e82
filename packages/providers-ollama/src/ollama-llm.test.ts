import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool, registerProvider } from '@llm/core';
import { FakeOllamaServer } from '@llm/testkit';
import { ollama } from './index.js';

const server = new FakeOllamaServer({ models: ['llama3.2'] });
const create = (model = 'llama3.2') => LLM.create(model, { baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });

beforeAll(async () => {
  registerProvider(ollama);
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('LLM.create(llama3.2) end to end through @llm/providers-ollama', () => {
  it('ask returns the Korean answer with usage from the wire', async () => {
    server.enqueue({ text: '안녕하세요! 로컬 모델입니다.', usage: { input: 8, output: 12 } });
    const reply = await create().ask('안녕?');
    expect(reply.text).toBe('안녕하세요! 로컬 모델입니다.');
    expect(reply.provider).toBe('ollama');
    expect(reply.usage).toMatchObject({ input: 8, output: 12, total: 20 });
    expect(server.lastRequest!.body).toMatchObject({ model: 'llama3.2:latest', messages: [{ role: 'user', content: '안녕?' }] });
  });

  it('runs a tool loop with defineTool: the result goes back as a tool message with tool_name', async () => {
    const calculator = defineTool({
      name: 'calculate',
      description: '계산기',
      parameters: z.object({ expression: z.string() }),
      execute: ({ expression }) => (expression === '25*17' ? 425 : 0),
    });
    server.enqueue({ toolCalls: [{ name: 'calculate', arguments: { expression: '25*17' } }] });
    server.enqueue({ text: '25×17은 425입니다.' });
    const reply = await create().ask('25 곱하기 17은?', { tools: [calculator] });
    expect(reply.text).toBe('25×17은 425입니다.');
    expect(reply.toolInteractions).toHaveLength(1);
    expect(reply.toolInteractions[0]).toMatchObject({ tool: 'calculate', result: 425 });
    const messages = server.requests[1].body.messages;
    expect(messages[messages.length - 2]).toMatchObject({ role: 'assistant', tool_calls: [{ function: { name: 'calculate', arguments: { expression: '25*17' } } }] });
    expect(messages[messages.length - 1]).toEqual({ role: 'tool', content: '425', tool_name: 'calculate' });
  });

  it('a model that is not pulled fails with the `ollama pull` hint', async () => {
    const error = await create('qwen3:8b').ask('안녕').then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toContain('ollama pull qwen3:8b');
  });
});
