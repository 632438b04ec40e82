import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastGauge, FastHistogram } from './server-metrics.js';

/** The same series recorded through prom-client's own classes and through ours render the same exposition text. */
describe('the hot-path metrics render exactly what prom-client would', () => {
  const buckets = [0.005, 0.01, 0.1, 1];
  const observations: [string[], number][] = [
    [['/api/chat/message', 'mock', '200'], 0.0031],
    [['/api/chat/message', 'mock', '200'], 0.01],
    [['/api/chat/message', 'mock', '200'], 0.5],
    [['/api/chat/message', 'gpt-4o-mini', '429'], 3],
    [['/api/chat/history/:sessionId', '', '404'], 0.0004],
    [['/대화', '모델', '200'], 0.07],
  ];

  it('a histogram: buckets, +Inf, sum and count per label set', async () => {
    const theirs = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'latency', labelNames: ['route', 'model', 'status'], buckets, registers: [theirs] });
    const ours = new Registry();
    const fast = new FastHistogram({ name: 'h_seconds', help: 'latency', labelNames: ['route', 'model', 'status'], buckets, registry: ours });
    for (const [[route, model, status], value] of observations) {
      reference.observe({ route, model, status }, value);
      fast.observe([route, model, status], value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('h_seconds_bucket{le="+Inf",route="/api/chat/message",model="mock",status="200"} 3');
  });

  it('a counter: increments add up per label set, between and across scrapes', async () => {
    const theirs = new Registry();
    const reference = new Counter({ name: 'c_total', help: 'count', labelNames: ['route', 'status'], registers: [theirs] });
    const ours = new Registry();
    const fast = new FastCounter({ name: 'c_total', help: 'count', labelNames: ['route', 'status'], registry: ours });
    const record = (route: string, status: string, by?: number) => {
      reference.inc({ route, status }, by ?? 1);
      fast.inc([route, status], by);
    };
    record('/a', '200');
    record('/a', '200', 2.5);
    record('/b', '500');
    expect(await ours.metrics()).toBe(await theirs.metrics());
    record('/a', '200');
    record('/한글', '200', 3);
    fast.inc(['/a', '200'], 0);
    fast.inc(['/a', '200'], Number.NaN);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('c_total{route="/a",status="200"} 4.5');
  });

  it('a gauge: up and down per label set', async () => {
    const theirs = new Registry();
    const reference = new Gauge({ name: 'g', help: 'open', labelNames: ['kind'], registers: [theirs] });
    const ours = new Registry();
    const fast = new FastGauge({ name: 'g', help: 'open', labelNames: ['kind'], registry: ours });
    for (const [kind, delta] of [['sse', 1], ['sse', 1], ['ws', 1], ['sse', -1], ['ws', -1]] as const) {
      reference.inc({ kind }, delta);
      fast.add([kind], delta);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(fast.get(['sse'])).toBe(1);
    expect(fast.get(['rest'])).toBe(0);
  });
});
