/** The slice of an OpenTelemetry span this package uses (kept local so no type from @opentelemetry/api leaks out). */
export interface TraceSpan {
  setAttribute(key: string, value: string | number | boolean | string[]): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): void;
  isRecording?(): boolean;
  end(): void;
}

/** The slice of an OpenTelemetry tracer this package uses. */
export interface TraceTracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean>; kind?: number }): TraceSpan;
}

let loading: Promise<TraceTracer | undefined> | undefined;

/**
 * The tracer of `@opentelemetry/api` when the app installed it (an optional peer dependency); undefined otherwise.
 * Nothing is loaded when it is absent.
 */
export function loadTracer(): Promise<TraceTracer | undefined> {
  const otelPackage = '@opentelemetry/api';
  loading ??= import(/* @vite-ignore */ otelPackage)
    .then((api: { trace: { getTracer(name: string): TraceTracer } }) => api.trace.getTracer('@llm/core'))
    .catch(() => undefined);
  return loading;
}

const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** Starts a GenAI semantic-convention span for one chat call. */
export function startChatSpan(tracer: TraceTracer, request: { model: string; provider: string; temperature?: number; maxTokens?: number; stream: boolean }): TraceSpan | undefined {
  const attributes: Record<string, string | number | boolean> = {
    'gen_ai.operation.name': 'chat', 'gen_ai.system': request.provider, 'gen_ai.request.model': request.model,
  };
  if (request.temperature !== undefined) attributes['gen_ai.request.temperature'] = request.temperature;
  if (request.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = request.maxTokens;
  const span = tracer.startSpan(`chat ${request.model}`, { kind: SPAN_KIND_CLIENT, attributes });
  // No SDK registered (the API's no-op tracer): nothing will be recorded, so skip the per-call attribute work.
  if (span.isRecording?.() === false) {
    span.end();
    return undefined;
  }
  return span;
}

/** Ends a chat span with the response attributes, or the error. */
export function endChatSpan(span: TraceSpan, outcome: { model?: string; provider?: string; finishReason?: string; input?: number; output?: number; cacheHit?: boolean; error?: unknown }): void {
  if (outcome.error !== undefined) {
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    span.recordException(error);
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: STATUS_ERROR, message: error.message });
  } else {
    if (outcome.model) span.setAttribute('gen_ai.response.model', outcome.model);
    if (outcome.provider) span.setAttribute('gen_ai.system', outcome.provider);
    if (outcome.finishReason) span.setAttribute('gen_ai.response.finish_reasons', [outcome.finishReason]);
    if (outcome.input !== undefined) span.setAttribute('gen_ai.usage.input_tokens', outcome.input);
    if (outcome.output !== undefined) span.setAttribute('gen_ai.usage.output_tokens', outcome.output);
    if (outcome.cacheHit) span.setAttribute('llm.cache_hit', true);
  }
  span.end();
}
