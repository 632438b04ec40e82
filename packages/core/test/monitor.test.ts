import { describe, expect, it } from 'vitest';
import { BudgetExceededError, LLM, ProviderError, createMonitor, setModelPrice } from '@llm/core';

describe('createMonitor', () => {
  it('reports per model: requests, latency, tokens, cost, error rate and cache hit rate', async () => {
    const monitor = createMonitor();
    const a = monitor.track(LLM.create('mock', { responses: [{ text: 'a', usage: { input: 10, output: 5 } }, { text: 'b', usage: { input: 20, output: 10 } }], stateless: true }));
    const b = monitor.track(LLM.create('mock:other', { maxRetries: 0, responses: [{ error: new ProviderError('down', { status: 500 }) }, 'ok'], stateless: true }));
    await a.ask('질문 1');
    await a.ask('질문 2');
    await b.ask('실패').catch(() => undefined);
    await b.ask('성공');
    const report = monitor.report();
    expect(report.mock).toMatchObject({ requests: 2, errors: 0, inputTokens: 30, outputTokens: 15, totalTokens: 45, avgTokensPerRequest: 22.5, cacheHitRate: 0 });
    expect(report.mock.avgLatencyMs).toBeGreaterThanOrEqual(0);
    expect(report.mock.p95LatencyMs).toBeGreaterThanOrEqual(report.mock.avgLatencyMs * 0);
    expect(report['mock:other']).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5 });
    monitor.detach();
    await a.ask('after detach');
    expect(monitor.report().mock.requests).toBe(2);
  });

  it('stops every tracked LLM once the monitor budget is spent', async () => {
    setModelPrice('mock:budget', { input: 1_000_000, output: 0 });
    const monitor = createMonitor({ maxCostUsd: 2 });
    const llm = monitor.track(LLM.create('mock:budget', { responses: [{ text: 'a', usage: { input: 1, output: 0 } }, { text: 'b', usage: { input: 1, output: 0 } }, 'c'], stateless: true }));
    await llm.ask('1');
    await llm.ask('2');
    expect(monitor.totalCostUsd).toBe(2);
    const error = await llm.ask('3').catch((e: unknown) => e);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
  });
});
