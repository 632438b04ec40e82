import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool } from '@llm/core';
import { ArrayHistoryStore } from './test-stores.js';
import { recordingProvider } from './recording-provider.js';

describe('historyBackup', () => {
  it('saves each exchange with usage and model, and a new LLM restores it before its first ask', async () => {
    const store = new ArrayHistoryStore();
    const llm = LLM.create('mock', { historyBackup: store, responses: [{ text: '장점은 간결함', usage: { input: 4, output: 6 } }] });
    await llm.ask('Python의 장점은 무엇인가요?');
    expect(store.rows).toHaveLength(2);
    expect(store.rows[1].meta).toMatchObject({ usage: { input: 4, output: 6, total: 10 }, model: 'mock' });
    expect(await store.getUsageSummary()).toMatchObject({ input: 4, output: 6 });

    const rec = recordingProvider('restore', ['이어서 답변']);
    const restored = LLM.create(rec.name, { historyBackup: store });
    await restored.ask('더 자세히 설명해주세요');
    expect(rec.requests[0].messages.map((m) => m.content)).toEqual(['Python의 장점은 무엇인가요?', '장점은 간결함', '더 자세히 설명해주세요']);
    expect(store.rows).toHaveLength(4);
  });

  it('saves tool calls, tool results and toolInteractions after a real tool call', async () => {
    const store = new ArrayHistoryStore();
    const getWeather = defineTool({ name: 'get_weather', description: '도시의 날씨 정보', parameters: z.object({ city: z.string() }), execute: ({ city }) => `${city}의 날씨는 맑음, 25°C입니다.` });
    await LLM.create('mock', { historyBackup: store }).ask('서울의 날씨를 알려주세요', { tools: [getWeather] });
    const messages = await store.loadHistory();
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const answer = messages[messages.length - 1];
    expect(answer.toolInteractions?.[0]).toMatchObject({ tool: 'get_weather', arguments: { city: '서울' }, result: '서울의 날씨는 맑음, 25°C입니다.' });
    expect(store.rows[3].meta?.toolMessages).toHaveLength(2);
  });

  it('a store that throws logs a warning and the reply still returns', async () => {
    const warnings: string[] = [];
    const store = new ArrayHistoryStore([], true);
    const llm = LLM.create('mock', { historyBackup: store, logger: { warn: (_o, m) => warnings.push(m ?? ''), error: () => undefined } });
    const reply = await llm.ask('백업이 실패해도 괜찮나요?');
    expect(reply.text).toContain('[mock]');
    expect(warnings.some((w) => w.includes('history backup'))).toBe(true);
    expect(llm.history).toHaveLength(2);
  });

  it('a store whose load fails still lets the conversation start', async () => {
    const store = new ArrayHistoryStore();
    store.loadHistory = async () => { throw new Error('db down'); };
    const warnings: string[] = [];
    const reply = await LLM.create('mock', { historyBackup: store, logger: { warn: (_o, m) => warnings.push(m ?? ''), error: () => undefined } }).ask('안녕');
    expect(reply.text).toContain('[mock]');
    expect(warnings.some((w) => w.includes('restore'))).toBe(true);
  });

  it('historyLimit trims the oldest messages without leaving a tool result without its call', async () => {
    const calc = defineTool({ name: 'calculate', description: '계산', parameters: z.object({ expression: z.string() }), execute: () => 4 });
    const llm = LLM.create('mock', { historyLimit: 3 });
    await llm.ask('2+2는?', { tools: [calc] });
    // the newest 3 of [user, assistant(call), tool, assistant] keep the call with its result
    expect(llm.history.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
    await llm.ask('다음');
    expect(llm.history.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    // a window that would start on a tool result drops it
    const tight = LLM.create('mock', { historyLimit: 2 });
    await tight.ask('2+2는?', { tools: [calc] });
    expect(tight.history.map((m) => m.role)).toEqual(['assistant']);
  });
});
