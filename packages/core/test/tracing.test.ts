import { describe, expect, it } from 'vitest';
import { context, trace, type Span, type SpanContext, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { LLM, ProviderError } from '@llm/core';

interface Recorded { name: string; attributes: Record<string, unknown>; status?: { code: number }; exceptions: unknown[]; ended: boolean }
const spans: Recorded[] = [];

class RecordingSpan implements Span {
  constructor(private readonly rec: Recorded) {}
  spanContext(): SpanContext { return { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }; }
  setAttribute(key: string, value: unknown) { this.rec.attributes[key] = value; return this; }
  setAttributes(attributes: Record<string, unknown>) { Object.assign(this.rec.attributes, attributes); return this; }
  addEvent() { return this; }
  addLink() { return this; }
  addLinks() { return this; }
  setStatus(status: { code: number }) { this.rec.status = status; return this; }
  updateName(name: string) { this.rec.name = name; return this; }
  end() { this.rec.ended = true; }
  isRecording() { return true; }
  recordException(exception: unknown) { this.rec.exceptions.push(exception); }
}
const tracer: Tracer = {
  startSpan(name, options) {
    const rec: Recorded = { name, attributes: { ...(options?.attributes ?? {}) }, exceptions: [], ended: false };
    spans.push(rec);
    return new RecordingSpan(rec);
  },
  startActiveSpan: ((name: string, ...rest: unknown[]) => {
    const fn = rest[rest.length - 1] as (span: Span) => unknown;
    return context.with(context.active(), () => fn(tracer.startSpan(name)));
  }) as Tracer['startActiveSpan'],
};
const provider: TracerProvider = { getTracer: () => tracer };

describe('OpenTelemetry spans (when @opentelemetry/api is installed)', () => {
  it('records a GenAI semantic-convention span per call, and the error of a failed one', async () => {
    trace.setGlobalTracerProvider(provider);
    await LLM.create('mock', { temperature: 0.3, responses: [{ text: '안녕', usage: { input: 3, output: 2 } }] }).ask('hi');
    const ok = spans.find((s) => s.name === 'chat mock')!;
    expect(ok.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.system': 'mock', 'gen_ai.request.model': 'mock', 'gen_ai.request.temperature': 0.3,
      'gen_ai.response.model': 'mock', 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 2, 'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(ok.ended).toBe(true);
    await LLM.create('mock:fail', { maxRetries: 0, responses: [{ error: new ProviderError('down', { status: 500 }) }] }).ask('x').catch(() => undefined);
    const failed = spans.find((s) => s.name === 'chat mock:fail')!;
    expect(failed.status?.code).toBe(2);
    expect(failed.exceptions).toHaveLength(1);
    expect(failed.ended).toBe(true);
  });
});
