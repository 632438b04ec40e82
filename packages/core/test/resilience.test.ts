import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthenticationError, BudgetExceededError, LLM, ProviderError, RateLimitError, TimeoutError, defineTool, retryDelay, DEFAULT_RETRY_POLICY, setModelPrice } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

const fast = { retryBaseDelayMs: 1 };

describe('retries', () => {
  it('retries a 500 and succeeds, recording both attempts', async () => {
    const llm = LLM.create('mock', { ...fast, responses: [{ error: new ProviderError('down', { status: 500 }) }, '복구됨'] });
    const retries: number[] = [];
    llm.on('retry', (e) => retries.push(e.attempt));
    const reply = await llm.ask('x');
    expect(reply.text).toBe('복구됨');
    expect(retries).toEqual([1]);
    expect(reply.attempts.map((a) => a.errorName ?? 'ok')).toEqual(['ProviderError', 'ok']);
  });

  it('honours retryAfterMs of a RateLimitError', async () => {
    const llm = LLM.create('mock', { ...fast, responses: [{ error: new RateLimitError('slow down', { retryAfterMs: 120 }) }, 'ok'] });
    const started = performance.now();
    const delays: number[] = [];
    llm.on('retry', (e) => delays.push(e.delayMs));
    await llm.ask('x');
    expect(delays).toEqual([120]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('never retries 400/401 and gives up after maxRetries', async () => {
    const bad = LLM.create('mock', { ...fast, responses: [{ error: new ProviderError('bad request', { status: 400 }) }, 'never'] });
    await expect(bad.ask('x')).rejects.toThrow(/bad request/);
    const auth = LLM.create('mock', { ...fast, responses: [{ error: new AuthenticationError('bad key', { status: 401 }) }, 'never'] });
    await expect(auth.ask('x')).rejects.toSatisfy((e) => AuthenticationError.isInstance(e));
    const down = LLM.create('mock', { ...fast, maxRetries: 2, responses: Array.from({ length: 3 }, () => ({ error: new ProviderError('down', { status: 503 }) })).concat([{ text: 'too late' } as never]) });
    const error = await down.ask('x').catch((e: unknown) => e);
    expect((error as ProviderError).status).toBe(503);
  });

  it('full jitter stays under the exponential ceiling', () => {
    const e = new ProviderError('x', { status: 500 });
    expect(retryDelay(e, 3, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(500 * 8);
    expect(retryDelay(e, 0, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
});

describe('fallbacks', () => {
  it('falls back to the next model with the same request (tools and schema included) and says who answered', async () => {
    const primary = recordingProvider('primary', [{ error: new ProviderError('down', { status: 503 }) }, { error: new ProviderError('down', { status: 503 }) }]);
    const backup = recordingProvider('backup', ['{"answer":"백업 응답"}']);
    const calc = defineTool({ name: 'calculate', parameters: z.object({ expression: z.string() }), execute: () => 1 });
    const llm = LLM.create(primary.name, { ...fast, maxRetries: 1, fallbacks: [backup.name] });
    const events: string[] = [];
    llm.on('fallback', (e) => events.push(`${e.model}→${e.nextModel}`));
    const reply = await llm.ask('질문', { tools: [calc], schema: z.object({ answer: z.string() }) });
    expect(reply.provider).toBe(backup.name);
    expect(reply.structuredData).toEqual({ answer: '백업 응답' });
    expect(events).toEqual([`${primary.name}→${backup.name}`]);
    expect(backup.requests[0].tools?.[0].name).toBe('calculate');
    expect(backup.requests[0].responseFormat).toEqual(primary.requests[0].responseFormat);
    expect(reply.attempts.map((a) => a.model)).toEqual([primary.name, primary.name, backup.name]);
  });

  it('mock last reproduces "rate limited → mock mode" and the reply says it came from the mock', async () => {
    const limited = recordingProvider('limited', [{ error: new RateLimitError('429', { retryAfterMs: 999_999 }) }]);
    const reply = await LLM.create(limited.name, { ...fast, fallbacks: ['mock'] }).ask('안녕하세요');
    expect(reply.isMock).toBe(true);
    expect(reply.text.startsWith('[mock]')).toBe(true);
  });

  it('withFallbacks() adds fallbacks to a copy', async () => {
    const dead = recordingProvider('dead', [{ error: new ProviderError('x', { status: 500 }) }]);
    const reply = await LLM.create(dead.name, { ...fast, maxRetries: 0 }).withFallbacks(['mock']).ask('x');
    expect(reply.provider).toBe('mock');
  });

  it('a stream falls back before its first chunk, not after', async () => {
    const dead = recordingProvider('dead-stream', [{ error: new ProviderError('x', { status: 500 }) }]);
    let text = '';
    for await (const c of LLM.create(dead.name, { ...fast, maxRetries: 0, fallbacks: ['mock'] }).stream('hello there')) text += c.text;
    expect(text).toContain('[mock]');
  });

  it('skips a model that keeps failing for the cool-down', async () => {
    const flaky = recordingProvider('flaky', Array.from({ length: 10 }, () => ({ error: new ProviderError('x', { status: 500 }) })));
    const llm = LLM.create(flaky.name, { ...fast, maxRetries: 0, fallbacks: ['mock'], cooldownFailures: 2, cooldownMs: 60_000 });
    await llm.ask('1', { useHistory: false });
    await llm.ask('2', { useHistory: false });
    const before = flaky.requests.length;
    const reply = await llm.ask('3', { useHistory: false });
    expect(flaky.requests.length).toBe(before);
    expect(reply.provider).toBe('mock');
  });
});

describe('timeouts, budgets and events', () => {
  it('timeoutMs raises TimeoutError and aborts the call', async () => {
    const llm = LLM.create('mock', { responses: [{ text: 'late', delayMs: 500 }], maxRetries: 0 });
    const started = performance.now();
    const error = await llm.ask('x', { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('idleTimeoutMs raises TimeoutError when a stream stalls', async () => {
    const llm = LLM.create('mock', { chunkDelayMs: 200, maxRetries: 0, idleTimeoutMs: 50 });
    const error = await (async () => { for await (const _ of llm.stream('멈추는 스트림')) void _; })().catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('maxCostUsd stops a call that would start past the budget', async () => {
    setModelPrice('mock:priced', { input: 1_000_000, output: 1_000_000 });
    const llm = LLM.create('mock:priced', { maxCostUsd: 0.5, responses: [{ text: 'a', usage: { input: 1, output: 0 } }, 'b'] });
    await llm.ask('first');
    const error = await llm.ask('second').catch((e: unknown) => e);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect((error as BudgetExceededError).spentUsd).toBe(1);
  });

  it('emits request, response, toolCall and chunk events with model, timings and usage', async () => {
    const llm = LLM.create('mock');
    const seen: Record<string, unknown[]> = {};
    for (const name of ['request', 'response', 'toolCall', 'chunk', 'error'] as const) llm.on(name, (p) => (seen[name] ??= []).push(p));
    const calc = defineTool({ name: 'calculate', description: '계산', parameters: z.object({ expression: z.string() }), execute: () => 425 });
    for await (const _ of llm.stream('25 곱하기 17은?', { tools: [calc] })) void _;
    expect(seen.request).toHaveLength(1);
    expect(seen.response).toHaveLength(1);
    expect(seen.response[0]).toMatchObject({ model: 'mock', provider: 'mock', usage: { total: expect.any(Number) } });
    expect((seen.response[0] as { latencyMs: number }).latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.toolCall[0]).toMatchObject({ interaction: { tool: 'calculate', result: 425 } });
    expect(seen.chunk.length).toBeGreaterThan(0);
    expect(seen.error).toBeUndefined();
  });
});
