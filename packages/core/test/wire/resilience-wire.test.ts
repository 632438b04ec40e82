// Retries, timeouts, fallbacks, cool-downs, events, monitor and budget against the fake provider servers,
// through the real vendor SDKs (issue 6).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeAnthropicServer, FakeOpenAIServer } from '@llm/testkit';
import { AbortError, BudgetExceededError, LLM, TimeoutError, createMonitor, defineTool, registerProvider } from '@llm/core';
import { providers as openaiProviders } from '@llm/providers-openai';
import { providers as anthropicProviders } from '@llm/providers-anthropic';

const openai = new FakeOpenAIServer();
const anthropic = new FakeAnthropicServer();
beforeAll(async () => {
  for (const p of [...openaiProviders, ...anthropicProviders]) registerProvider(p);
  await Promise.all([openai.start(), anthropic.start()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});
beforeEach(() => {
  openai.reset();
  anthropic.reset();
});

const primary = () => ({ apiKey: 'sk-test-openai', baseURL: `${openai.url}/v1`, retryBaseDelayMs: 5 });
const claude = () => ({ model: 'claude-haiku-4-5', apiKey: 'sk-ant-test', baseURL: anthropic.url });

describe('retries on the wire', () => {
  it('honours retry-after on a 429, then succeeds', async () => {
    openai.injectFault({ status: 429, headers: { 'retry-after': '1' } });
    openai.enqueue({ text: '이제 됩니다' });
    const llm = LLM.create('gpt-4o-mini', primary());
    const delays: number[] = [];
    llm.on('retry', (e) => delays.push(e.delayMs));
    const started = performance.now();
    const reply = await llm.ask('안녕');
    expect(reply.text).toBe('이제 됩니다');
    expect(delays).toEqual([1000]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(openai.requests).toHaveLength(2);
  });

  it('retries a 500 once and succeeds (one policy: the SDK does not retry on its own)', async () => {
    openai.injectFault({ status: 500 });
    openai.enqueue({ text: 'ok' });
    const reply = await LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 2 }).ask('x');
    expect(reply.text).toBe('ok');
    expect(openai.requests).toHaveLength(2);
    expect(reply.attempts.map((a) => a.errorName ?? 'ok')).toEqual(['ProviderError', 'ok']);
  });

  it('never retries a 400', async () => {
    openai.injectFault({ status: 400 });
    await expect(LLM.create('gpt-4o-mini', primary()).ask('x')).rejects.toThrow(/400/);
    expect(openai.requests).toHaveLength(1);
  });

  it('timeoutMs raises TimeoutError and aborts the HTTP request', async () => {
    openai.injectFault({ delayMs: 3000 });
    const started = performance.now();
    const error = await LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 0 }).ask('x', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('fallbacks on the wire', () => {
  it('falls back from a failing OpenAI server to a working Anthropic server with tools and schema preserved', async () => {
    openai.injectFault({ status: 503 }).injectFault({ status: 503 });
    anthropic.enqueue({ toolCalls: [{ id: 'toolu_1', name: 'calculate', arguments: { expression: '25*17' } }], finishReason: 'tool-calls' });
    anthropic.enqueue({ text: JSON.stringify({ answer: 425 }) });
    const calc = defineTool({ name: 'calculate', description: '계산', parameters: z.object({ expression: z.string() }), execute: () => 425 });
    const llm = LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 1, fallbacks: [claude()] });
    const fallbacks: string[] = [];
    llm.on('fallback', (e) => fallbacks.push(`${e.model}→${e.nextModel}`));
    const reply = await llm.ask('25 곱하기 17은?', { tools: [calc], schema: z.object({ answer: z.number() }) });
    expect(fallbacks).toEqual(['gpt-4o-mini→claude-haiku-4-5']);
    expect(reply.provider).toBe('anthropic');
    expect(reply.structuredData).toEqual({ answer: 425 });
    expect(reply.toolInteractions[0]).toMatchObject({ tool: 'calculate', result: 425 });
    const sent = anthropic.requests[0].body;
    expect(sent.tools.map((t: { name: string }) => t.name)).toContain('calculate');
    expect(JSON.stringify(sent.tools)).toContain('"answer"');
    expect(openai.requests).toHaveLength(2);
    expect(reply.attempts.map((a) => `${a.model}:${a.errorName ?? 'ok'}`)).toEqual(['gpt-4o-mini:ProviderError', 'gpt-4o-mini:ProviderError', 'claude-haiku-4-5:ok', 'claude-haiku-4-5:ok']);
  });

  it('a stream cut before its first chunk falls back; after its first chunk the error surfaces', async () => {
    openai.injectFault({ cutAfterBytes: 0 });
    anthropic.enqueue({ text: '대체 모델의 답변' });
    let text = '';
    for await (const c of LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 0, fallbacks: [claude()] }).stream('x')) text += c.text;
    expect(text).toBe('대체 모델의 답변');

    anthropic.reset();
    openai.enqueue({ chunks: ['첫 조각 ', '두 번째 조각 ', '세 번째 조각'] });
    openai.injectFault({ cutAfterBytes: 700 }); // inside the third event: the first text already reached the caller
    const seen: string[] = [];
    const error = await (async () => {
      for await (const c of LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 0, fallbacks: [claude()] }).stream('x')) if (c.text) seen.push(c.text);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['첫 조각 ']);
    expect(error).toBeInstanceOf(Error);
    expect(anthropic.requests).toHaveLength(0);
  });

  it('the cool-down skips a dead model so it does not cost every request', async () => {
    for (let i = 0; i < 10; i++) openai.injectFault({ status: 500 });
    const llm = LLM.create('gpt-4o-mini', { ...primary(), maxRetries: 0, fallbacks: [claude()], cooldownFailures: 2, cooldownMs: 60_000 });
    for (let i = 0; i < 4; i++) anthropic.enqueue({ text: `백업 ${i}` });
    for (let i = 0; i < 4; i++) expect((await llm.ask(`질문 ${i}`, { useHistory: false })).provider).toBe('anthropic');
    expect(openai.requests).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(4);
  });

  it('mock last reproduces "rate limited → mock mode"', async () => {
    openai.injectFault({ status: 429, headers: { 'retry-after': '3600' } });
    const reply = await LLM.create('gpt-4o-mini', { ...primary(), fallbacks: ['mock'] }).ask('안녕하세요');
    expect(reply.isMock).toBe(true);
    expect(reply.text).toContain('[mock]');
  });
});

describe('abort, events, monitor and budget on the wire', () => {
  it('an abort during a tool call stops the ask', async () => {
    openai.enqueue({ toolCalls: [{ id: 'c1', name: 'slow', arguments: {} }], finishReason: 'tool-calls' });
    const controller = new AbortController();
    const slow = defineTool({ name: 'slow', parameters: z.object({}), execute: (_a, ctx) => new Promise((resolve) => {
      setTimeout(() => controller.abort(), 20);
      ctx.signal?.addEventListener('abort', () => resolve('late'));
    }) });
    const error = await LLM.create('gpt-4o-mini', primary()).ask('x', { tools: [slow], signal: controller.signal }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(openai.requests).toHaveLength(1);
  });

  it('fires events with model, timings, usage and cost; the monitor reports; the budget stops', async () => {
    openai.enqueue({ text: '하나', usage: { input: 1_000_000, output: 0 } });
    openai.enqueue({ text: '둘', usage: { input: 1_000_000, output: 0 } });
    const monitor = createMonitor({ maxCostUsd: 0.3 });
    const llm = monitor.track(LLM.create('gpt-4o-mini', primary()));
    const responses: { model: string; costUsd?: number; latencyMs: number; usage: { input: number } }[] = [];
    llm.on('response', (e) => responses.push(e));
    await llm.ask('1');
    expect(responses[0].model).toBe('gpt-4o-mini');
    expect(responses[0].usage.input).toBe(1_000_000);
    expect(responses[0].costUsd).toBeCloseTo(0.15, 6);
    expect(responses[0].latencyMs).toBeGreaterThan(0);
    await llm.ask('2');
    expect(monitor.totalCostUsd).toBeCloseTo(0.3, 6);
    const error = await llm.ask('3').catch((e: unknown) => e);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(openai.requests).toHaveLength(2);
    expect(monitor.report()['gpt-4o-mini']).toMatchObject({ requests: 2, errors: 0, inputTokens: 2_000_000 });
  });
});
