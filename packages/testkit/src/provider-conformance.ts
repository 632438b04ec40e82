import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMError, type LanguageModel, type ProviderStreamEvent, type ProviderRequest } from '@llm/core';
import type { ScriptedReply } from './scripted-reply.js';

/** How a provider package plugs itself into the provider conformance suite. */
export interface ProviderConformanceOptions {
  /** Suite name, e.g. `openai (fake server)`. */
  name: string;
  /** Starts whatever the model talks to (a fake server on loopback). */
  setup?(): Promise<void> | void;
  teardown?(): Promise<void> | void;
  /** Creates the model under test (called once per test, after `setup`). */
  createModel(): LanguageModel | Promise<LanguageModel>;
  /** Makes the next model call answer with this reply. */
  script(reply: ScriptedReply): void | Promise<void>;
  /** Whether the provider reports exact token usage from the wire (default true). */
  reportsUsage?: boolean;
}

async function collect(stream: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const KOREAN = '안녕하세요! 오늘 서울의 날씨는 맑음 ☀️, 기온은 25°C입니다. 한글 처리 확인: 값어치, 읊조리다, 똠방각하.';

/**
 * The definition of "implements LanguageModel": a vitest suite any provider runs in a few lines.
 * @example
 * runProviderConformance({ name: 'openai', setup: () => server.start(), createModel: () => openai.languageModel('gpt-4o-mini', { baseURL: server.url }), script: (r) => server.enqueue(r) });
 */
export function runProviderConformance(options: ProviderConformanceOptions): void {
  const reportsUsage = options.reportsUsage ?? true;
  const base: ProviderRequest = { messages: [{ role: 'user', content: '인사해 주세요' }] };

  describe(`provider conformance: ${options.name}`, () => {
    beforeAll(async () => {
      await options.setup?.();
    });
    afterAll(async () => {
      await options.teardown?.();
    });

    it('generates Korean text with finish reason and usage', async () => {
      const model = await options.createModel();
      expect(typeof model.provider).toBe('string');
      expect(typeof model.modelId).toBe('string');
      await options.script({ text: KOREAN, usage: { input: 11, output: 29 } });
      const response = await model.generate(base);
      expect(response.text).toBe(KOREAN);
      expect(response.finishReason).toBe('stop');
      expect(response.toolCalls).toEqual([]);
      if (reportsUsage) expect(response.usage).toMatchObject({ input: 11, output: 29, total: 40 });
      else expect(response.usage.total).toBe(response.usage.input + response.usage.output);
    });

    it('streams text deltas whose concatenation is the answer, then exactly one finish', async () => {
      const model = await options.createModel();
      const chunks = ['안녕', '하세요', '! 반갑', '습니다 👋'];
      await options.script({ chunks, usage: { input: 5, output: 7 } });
      const events = await collect(model.stream(base));
      const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
      expect(text).toBe(chunks.join(''));
      expect(text).not.toContain('\uFFFD');
      const finishes = events.filter((e) => e.type === 'finish');
      expect(finishes).toHaveLength(1);
      expect(events[events.length - 1].type).toBe('finish');
      const finish = finishes[0] as Extract<ProviderStreamEvent, { type: 'finish' }>;
      expect(finish.finishReason).toBe('stop');
      if (reportsUsage) expect(finish.usage).toMatchObject({ input: 5, output: 7, total: 12 });
    });

    it('returns tool calls with parsed arguments', async () => {
      const model = await options.createModel();
      await options.script({
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { location: '서울', unit: 'celsius' } }],
        finishReason: 'tool-calls',
      });
      const response = await model.generate({
        ...base,
        tools: [{ name: 'get_weather', description: '날씨 조회', parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] } }],
      });
      expect(response.finishReason).toBe('tool-calls');
      expect(response.toolCalls).toHaveLength(1);
      expect(response.toolCalls[0].name).toBe('get_weather');
      expect(response.toolCalls[0].arguments).toEqual({ location: '서울', unit: 'celsius' });
      expect(typeof response.toolCalls[0].id).toBe('string');
      expect(response.toolCalls[0].id.length).toBeGreaterThan(0);
    });

    it('streams tool calls as complete tool-call events', async () => {
      const model = await options.createModel();
      await options.script({
        toolCalls: [
          { id: 'call_a', name: 'calculate', arguments: { expression: '25*17' } },
          { id: 'call_b', name: 'get_weather', arguments: { location: '부산' } },
        ],
        finishReason: 'tool-calls',
      });
      const events = await collect(model.stream({
        ...base,
        tools: [
          { name: 'calculate', parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] } },
          { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
        ],
      }));
      const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
      expect(calls.map((c) => c.name)).toEqual(['calculate', 'get_weather']);
      expect(calls[0].arguments).toEqual({ expression: '25*17' });
      expect(calls[1].arguments).toEqual({ location: '부산' });
      const finish = events[events.length - 1];
      expect(finish.type === 'finish' && finish.finishReason).toBe('tool-calls');
    });

    it('accepts a conversation with tool calls and tool results, a system prompt and sampling options', async () => {
      const model = await options.createModel();
      await options.script({ text: '서울은 25도입니다.' });
      const response = await model.generate({
        system: '당신은 친절한 비서입니다.',
        temperature: 0.2,
        maxTokens: 100,
        messages: [
          { role: 'user', content: '서울 날씨?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { location: '서울' } }] },
          { role: 'tool', toolCallId: 'call_1', toolName: 'get_weather', content: '{"temperature":25}' },
        ],
        tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } }],
      });
      expect(response.text).toBe('서울은 25도입니다.');
    });

    it('returns JSON text for a response format with a schema', async () => {
      const model = await options.createModel();
      const answer = { title: '해리 포터와 마법사의 돌', year: 1997, genres: ['판타지'] };
      await options.script({ text: JSON.stringify(answer) });
      const response = await model.generate({
        ...base,
        responseFormat: {
          type: 'json', name: 'book',
          schema: { type: 'object', properties: { title: { type: 'string' }, year: { type: 'integer' }, genres: { type: 'array', items: { type: 'string' } } }, required: ['title', 'year', 'genres'], additionalProperties: false },
        },
      });
      expect(JSON.parse(response.text)).toEqual(answer);
    });

    it('rejects with an LLMError when the signal is already aborted', async () => {
      const model = await options.createModel();
      await options.script({ text: 'never' });
      const controller = new AbortController();
      controller.abort();
      const error = await model.generate({ ...base, signal: controller.signal }).then(() => undefined, (e: unknown) => e);
      expect(LLMError.isInstance(error)).toBe(true);
    });
  });
}
