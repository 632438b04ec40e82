import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AbortError, ConfigurationError, LLM, defineTool, type OpenAIStyleTool } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

const weather = defineTool({
  name: 'get_weather', description: '특정 위치의 현재 날씨 정보를 가져옵니다',
  parameters: z.object({ location: z.string().describe('도시 이름'), unit: z.enum(['celsius', 'fahrenheit']).optional() }),
  execute: ({ location }) => ({ location, temperature: 25, condition: '맑음' }),
});
const calculate = defineTool({
  name: 'calculate', description: '수학 표현식을 계산합니다', parameters: z.object({ expression: z.string() }),
  execute: ({ expression }) => (expression === '25*17' ? 425 : Number.NaN),
});

describe('tools', () => {
  it('runs the guide example on the mock: weather and arithmetic in one round, in parallel', async () => {
    const llm = LLM.create('mock');
    const reply = await llm.ask('서울의 현재 날씨는 어때? 그리고 25 곱하기 17은?', { tools: [weather, calculate] });
    expect(reply.toolInteractions.map((i) => i.tool).sort()).toEqual(['calculate', 'get_weather']);
    const calc = reply.toolInteractions.find((i) => i.tool === 'calculate')!;
    expect(calc.arguments).toEqual({ expression: '25*17' });
    expect(calc.result).toBe(425);
    expect(reply.text).toContain('425');
    expect(reply.text).toContain('맑음');
    expect(reply.toolInteractions.every((i) => i.durationMs >= 0)).toBe(true);
  });

  it('sends tool specs with JSON Schema (descriptions included) and native tool results back', async () => {
    const rec = recordingProvider('tools', [{ toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { location: '부산' } }] }, '부산은 맑음']);
    const reply = await LLM.create(rec.name).ask('부산 날씨', { tools: [weather] });
    expect(reply.text).toBe('부산은 맑음');
    const spec = rec.requests[0].tools![0];
    expect(spec.name).toBe('get_weather');
    expect(spec.description).toBe('특정 위치의 현재 날씨 정보를 가져옵니다');
    expect(spec.parameters).toMatchObject({ type: 'object', properties: { location: { type: 'string', description: '도시 이름' }, unit: { enum: ['celsius', 'fahrenheit'] } }, required: ['location'] });
    const second = rec.requests[1].messages;
    expect(second[1]).toMatchObject({ role: 'assistant', toolCalls: [{ id: 'c1', name: 'get_weather' }] });
    expect(second[2]).toMatchObject({ role: 'tool', toolCallId: 'c1', toolName: 'get_weather' });
    expect(JSON.parse(second[2].content as string)).toEqual({ location: '부산', temperature: 25, condition: '맑음' });
  });

  it('runs several calls of one round in parallel', async () => {
    let running = 0;
    let peak = 0;
    const slow = defineTool({ name: 'slow', parameters: z.object({ n: z.number() }), execute: async ({ n }) => {
      running++; peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return n * 2;
    } });
    const llm = LLM.create('mock', { responses: [{ toolCalls: [1, 2, 3].map((n) => ({ name: 'slow', arguments: { n } })) }, 'done'] });
    const reply = await llm.ask('go', { tools: [slow] });
    expect(peak).toBe(3);
    expect(reply.toolInteractions.map((i) => i.result)).toEqual([2, 4, 6]);
  });

  it('returns invalid arguments, unknown tools and thrown errors to the model as error results', async () => {
    const boom = defineTool({ name: 'boom', parameters: z.object({}), execute: () => { throw new Error('폭발'); } });
    const rec = recordingProvider('errors', [{ toolCalls: [
      { id: 'a', name: 'calculate', arguments: { expression: 42 } },
      { id: 'b', name: 'nope', arguments: {} },
      { id: 'c', name: 'boom', arguments: {} },
    ] }, '알겠습니다']);
    const reply = await LLM.create(rec.name).ask('x', { tools: [calculate, boom] });
    const [a, b, c] = reply.toolInteractions;
    expect(a.error).toMatch(/Invalid arguments for calculate: expression/);
    expect(b.error).toMatch(/Unknown tool "nope". Available tools: calculate, boom/);
    expect(c.error).toMatch(/폭발/);
    const results = rec.requests[1].messages.filter((m) => m.role === 'tool');
    expect(results.every((m) => m.isError)).toBe(true);
    expect(JSON.parse(results[1].content as string).error).toContain('Unknown tool');
    expect(reply.text).toBe('알겠습니다');
  });

  it('stops at maxToolCalls and asks for an answer without tools', async () => {
    const looping = Array.from({ length: 10 }, (_, i) => ({ toolCalls: [{ id: `c${i}`, name: 'calculate', arguments: { expression: '25*17' } }] }));
    const rec = recordingProvider('limit', [...looping.slice(0, 2), '최종 답']);
    const reply = await LLM.create(rec.name).ask('x', { tools: [calculate], maxToolCalls: 2 });
    expect(reply.toolInteractions).toHaveLength(2);
    expect(rec.requests).toHaveLength(3);
    expect(rec.requests[2].toolChoice).toBe('none');
    expect(reply.text).toBe('최종 답');
  });

  it('executeTools: false returns the calls for the caller (the guide\'s ask_with_tools)', async () => {
    const llm = LLM.create('mock');
    const reply = await llm.ask('서울 날씨 알려줘', { tools: [weather], executeTools: false });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([{ id: 'mock_call_1', name: 'get_weather', arguments: { location: '서울' } }]);
    expect(reply.toolInteractions).toEqual([]);
    expect(llm.history[1].toolCalls).toHaveLength(1);
    // the next ask still works: the unanswered call is sent as plain text
    const next = await llm.ask('고마워');
    expect(next.text).toContain('[mock]');
  });

  it('accepts OpenAI-style JSON tools with a handler, and without one returns the calls', async () => {
    const jsonTool: OpenAIStyleTool = {
      type: 'function',
      function: { name: 'calculate', description: '수학 표현식을 계산합니다', parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] } },
      handler: ({ expression }: { expression: string }) => (expression === '2+2' ? 4 : 0),
    };
    const reply = await LLM.create('mock').ask('2+2는?', { tools: [jsonTool] });
    expect(reply.toolInteractions[0]).toMatchObject({ tool: 'calculate', arguments: { expression: '2+2' }, result: 4 });
    const { handler: _h, ...bare } = jsonTool;
    const pending = await LLM.create('mock').ask('2+2는?', { tools: [bare] });
    expect(pending.toolCalls[0].name).toBe('calculate');
    expect(pending.toolInteractions).toEqual([]);
  });

  it('keeps the whole tool exchange in history, with toolInteractions on the answer', async () => {
    const llm = LLM.create('mock');
    await llm.ask('25 곱하기 17은?', { tools: [calculate] });
    const roles = llm.history.map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(llm.history[3].toolInteractions?.[0]).toMatchObject({ tool: 'calculate', result: 425 });
  });

  it('rejects duplicate and malformed tool names', () => {
    expect(() => defineTool({ name: 'bad name!', parameters: z.object({}) })).toThrow(ConfigurationError);
    return expect(LLM.create('mock').ask('x', { tools: [calculate, calculate] })).rejects.toThrow(/unique/);
  });

  it('an abort during a tool call stops the ask with AbortError and stores nothing', async () => {
    const controller = new AbortController();
    const hang = defineTool({ name: 'hang', parameters: z.object({}), execute: (_a, ctx) => new Promise((_, reject) => {
      ctx.signal?.addEventListener('abort', () => reject(new Error('stopped')));
      setTimeout(() => controller.abort(), 10);
    }) });
    const llm = LLM.create('mock', { responses: [{ toolCalls: [{ name: 'hang', arguments: {} }] }, 'never'] });
    const error = await llm.ask('x', { tools: [hang], signal: controller.signal }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(llm.history).toEqual([]);
  });

  it('streams tool calls, tool results and the final text', async () => {
    const types: string[] = [];
    let text = '';
    for await (const chunk of LLM.create('mock').stream('25 곱하기 17은?', { tools: [calculate] })) {
      types.push(chunk.type);
      if (chunk.type === 'text') text += chunk.text;
    }
    expect(types[0]).toBe('tool-call');
    expect(types).toContain('tool-result');
    expect(types[types.length - 1]).toBe('finish');
    expect(text).toContain('425');
  });
});
