import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValueWithName } from 'prom-client';
import type { Usage } from '@llm/core';

type Labels = Record<string, string>;

/** The map key of a list of label values (values never contain U+0000 in practice; the key only groups). */
function keyOf(values: readonly string[]): string {
  let key = values[0] ?? '';
  for (let i = 1; i < values.length; i++) key += '\u0000' + values[i];
  return key;
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  for (let i = 0; i < names.length; i++) labels[names[i]] = values[i] ?? '';
  return labels;
}

/** Series by their label values: one Map lookup per hit, the label object made once per series. */
class SeriesMap<T extends { labels: Labels }> {
  private readonly series = new Map<string, T>();

  constructor(private readonly labelNames: readonly string[], private readonly create: (labels: Labels) => T) {}

  /** The series with these label values (in `labelNames` order), made on first use. */
  get(values: readonly string[]): T {
    const key = keyOf(values);
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = this.create(labelsOf(this.labelNames, values))));
    return series;
  }

  /** The series with these label values, if any was made. */
  peek(values: readonly string[]): T | undefined {
    return this.series.get(keyOf(values));
  }

  all(): IterableIterator<T> {
    return this.series.values();
  }

  clear(): void {
    this.series.clear();
  }
}

interface MetricConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  registry: Registry;
}

/**
 * A labelled counter whose hot path is one Map lookup and an addition: prom-client hashes and validates the label
 * object on every `inc`, so the counts wait in a map and reach prom-client when `/metrics` is scraped.
 */
export class FastCounter {
  readonly metric: Counter<string>;
  private readonly pending: SeriesMap<{ labels: Labels; value: number }>;

  constructor(config: MetricConfig) {
    const pending = (this.pending = new SeriesMap(config.labelNames, (labels) => ({ labels, value: 0 })));
    this.metric = new Counter({
      name: config.name, help: config.help, labelNames: config.labelNames, registers: [config.registry],
      collect() {
        for (const entry of pending.all()) {
          if (entry.value > 0) this.inc(entry.labels, entry.value);
          entry.value = 0;
        }
      },
    });
  }

  /** Adds `by` (default 1) to the series with these label values, in `labelNames` order. */
  inc(values: readonly string[], by = 1): void {
    if (!(by > 0) || !Number.isFinite(by)) return;
    this.pending.get(values).value += by;
  }
}

/** A labelled gauge of counts (open streams by kind) kept in a map and read by prom-client at scrape time. */
export class FastGauge {
  readonly metric: Gauge<string>;
  private readonly values: SeriesMap<{ labels: Labels; value: number }>;

  constructor(config: MetricConfig) {
    const values = (this.values = new SeriesMap(config.labelNames, (labels) => ({ labels, value: 0 })));
    this.metric = new Gauge({
      name: config.name, help: config.help, labelNames: config.labelNames, registers: [config.registry],
      collect() {
        for (const entry of values.all()) this.set(entry.labels, entry.value);
      },
    });
  }

  /** Adds `delta` (negative to decrease) to the series with these label values. */
  add(values: readonly string[], delta: number): void {
    this.values.get(values).value += delta;
  }

  /** The current value of a series (0 when never touched). */
  get(values: readonly string[]): number {
    return this.values.peek(values)?.value ?? 0;
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last slot counts values above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A labelled histogram with prom-client's exposition (`_bucket` with `le`, `_sum`, `_count`), registered as a
 * custom metric: an observation is one Map lookup, a bucket search and three additions.
 */
export class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly series: SeriesMap<HistogramSeries>;

  constructor(private readonly config: MetricConfig & { buckets: readonly number[] }) {
    this.name = config.name;
    this.help = config.help;
    this.series = new SeriesMap(config.labelNames, (labels) => ({ labels, counts: new Array<number>(config.buckets.length + 1).fill(0), sum: 0, count: 0 }));
    config.registry.registerMetric(this as never);
  }

  /** Records `value` in the series with these label values. */
  observe(values: readonly string[], value: number): void {
    if (!Number.isFinite(value)) return;
    const series = this.series.get(values);
    const { buckets } = this.config;
    let i = 0;
    while (i < buckets.length && value > buckets[i]) i++;
    series.counts[i] += 1;
    series.sum += value;
    series.count += 1;
  }

  /** What prom-client's registry renders. */
  get(): MetricObjectWithValues<MetricValueWithName<string>> {
    const values: MetricValueWithName<string>[] = [];
    const { name, buckets } = this.config;
    for (const series of this.series.all()) {
      let cumulative = 0;
      for (let i = 0; i < buckets.length; i++) {
        cumulative += series.counts[i];
        values.push({ metricName: `${name}_bucket`, labels: { le: buckets[i], ...series.labels }, value: cumulative });
      }
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...series.labels }, value: series.count });
      values.push({ metricName: `${name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${name}_count`, labels: series.labels, value: series.count });
    }
    return { name, help: this.help, type: 'histogram' as never, aggregator: 'sum', values, collect: () => undefined };
  }

  reset(): void {
    this.series.clear();
  }
}

/**
 * The server's Prometheus metrics, in a registry of their own (two servers in one process never collide):
 * requests by route, model and status, a latency histogram, tokens, cost, cache hits, open streams and fallbacks.
 * The per-request series are counted in plain maps (see {@link FastCounter}) and rendered by prom-client.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  /** Labels: route, method, model, status. */
  readonly requests = new FastCounter({ name: 'llm_server_requests_total', help: 'HTTP requests by route, method, model and status.', labelNames: ['route', 'method', 'model', 'status'], registry: this.registry });
  /** Labels: route, model, status. */
  readonly latency = new FastHistogram({
    name: 'llm_server_request_duration_seconds', help: 'HTTP request latency by route, model and status.', labelNames: ['route', 'model', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registry: this.registry,
  });
  /** Labels: model, kind. */
  readonly tokens = new FastCounter({ name: 'llm_server_tokens_total', help: 'Tokens used, by model and kind (input, output).', labelNames: ['model', 'kind'], registry: this.registry });
  readonly cost = new Counter({ name: 'llm_server_cost_usd_total', help: 'Estimated cost in USD by model.', labelNames: ['model'], registers: [this.registry] });
  readonly cacheHits = new Counter({ name: 'llm_server_cache_hits_total', help: 'Answers served from the response cache.', registers: [this.registry] });
  /** Labels: kind. */
  readonly openStreams = new FastGauge({ name: 'llm_server_open_streams', help: 'Open SSE streams, WebSocket connections and REST answers in progress, by kind (sse, ws, rest).', labelNames: ['kind'], registry: this.registry });
  readonly fallbacks = new Counter({ name: 'llm_server_fallbacks_total', help: 'Times a model failed and the next one in the chain was tried.', labelNames: ['from', 'to'], registers: [this.registry] });
  /** Labels: transport, model, outcome. */
  readonly turns = new FastCounter({ name: 'llm_server_chat_turns_total', help: 'Chat turns by transport, model and outcome (ok, error, aborted).', labelNames: ['transport', 'model', 'outcome'], registry: this.registry });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'llm_server_' });
  }

  /** Counts one finished turn's tokens, cost and cache hit. */
  recordUsage(model: string, usage: Usage, costUsd: number | undefined, cacheHit: boolean): void {
    this.tokens.inc([model, 'input'], usage.input);
    this.tokens.inc([model, 'output'], usage.output);
    if (costUsd) this.cost.inc({ model }, costUsd);
    if (cacheHit) this.cacheHits.inc();
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
