import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Usage } from '@llm/core';

/**
 * The server's Prometheus metrics, in a registry of their own (two servers in one process never collide):
 * requests by route, model and status, a latency histogram, tokens, cost, cache hits, open streams and fallbacks.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'llm_server_requests_total', help: 'HTTP requests by route, method, model and status.', labelNames: ['route', 'method', 'model', 'status'], registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'llm_server_request_duration_seconds', help: 'HTTP request latency by route, model and status.', labelNames: ['route', 'model', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry],
  });
  readonly tokens = new Counter({ name: 'llm_server_tokens_total', help: 'Tokens used, by model and kind (input, output).', labelNames: ['model', 'kind'], registers: [this.registry] });
  readonly cost = new Counter({ name: 'llm_server_cost_usd_total', help: 'Estimated cost in USD by model.', labelNames: ['model'], registers: [this.registry] });
  readonly cacheHits = new Counter({ name: 'llm_server_cache_hits_total', help: 'Answers served from the response cache.', registers: [this.registry] });
  readonly openStreams = new Gauge({ name: 'llm_server_open_streams', help: 'Open SSE streams, WebSocket connections and REST answers in progress, by kind (sse, ws, rest).', labelNames: ['kind'], registers: [this.registry] });
  readonly fallbacks = new Counter({ name: 'llm_server_fallbacks_total', help: 'Times a model failed and the next one in the chain was tried.', labelNames: ['from', 'to'], registers: [this.registry] });
  readonly turns = new Counter({ name: 'llm_server_chat_turns_total', help: 'Chat turns by transport, model and outcome (ok, error, aborted).', labelNames: ['transport', 'model', 'outcome'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'llm_server_' });
  }

  /** Counts one finished turn's tokens, cost and cache hit. */
  recordUsage(model: string, usage: Usage, costUsd: number | undefined, cacheHit: boolean): void {
    this.tokens.inc({ model, kind: 'input' }, usage.input);
    this.tokens.inc({ model, kind: 'output' }, usage.output);
    if (costUsd) this.cost.inc({ model }, costUsd);
    if (cacheHit) this.cacheHits.inc();
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
