import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  LLMError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type LanguageModel,
  type ProviderStreamEvent,
} from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { openai } from './openai-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const API_KEY = 'sk-proj-SECRETabcdef1234567890';
const model = (options: Record<string, unknown> = {}) => openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: API_KEY, ...options });
const request = { messages: [{ role: 'user' as const, content: '안녕하세요' }] };

async function drain(m: LanguageModel, signal?: AbortSignal, onEvent?: (e: ProviderStreamEvent) => void): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const event of m.stream({ ...request, signal })) {
    events.push(event);
    onEvent?.(event);
  }
  return events;
}
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

describe.each(['generate', 'stream'] as const)('HTTP errors (%s)', (mode) => {
  const call = () => (mode === 'generate' ? model().generate(request) : drain(model()));

  it('401 → AuthenticationError without the API key in the message', async () => {
    fake.injectFault({ status: 401, errorBody: { error: { message: `Incorrect API key provided: ${API_KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } });
    const error = await failure(call());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as Error).message).not.toContain(API_KEY);
    expect((error as Error).message).toContain('Incorrect API key provided');
  });

  it('429 with retry-after → RateLimitError with retryAfterMs in ms', async () => {
    fake.injectFault({ status: 429, headers: { 'retry-after': '2' } });
    const error = await failure(call());
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(2000);
    expect((error as RateLimitError).retryable).toBe(true);
  });

  it('429 with retry-after-ms → RateLimitError with that delay', async () => {
    fake.injectFault({ status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } });
    const error = await failure(call());
    expect((error as RateLimitError).retryAfterMs).toBe(1500);
    expect(fake.requests).toHaveLength(1); // the SDK does not retry: core owns retries
  });

  it('500 → retryable ProviderError keeping status and OpenAI-shaped body', async () => {
    fake.injectFault({ status: 500 });
    const error = await failure(call());
    expect(ProviderError.isInstance(error) && !RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, retryable: true, body: { error: { type: 'server_error', message: 'The server had an error while processing your request. Sorry about that!' } } });
    expect(fake.requests).toHaveLength(1);
  });

  it('malformed JSON → ProviderError', async () => {
    fake.injectFault({ rawBody: mode === 'generate' ? '{"id": "chatcmpl-1", "choices": [' : 'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"안\n\ndata: [DONE]\n\n' });
    const error = await failure(call());
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not valid JSON/);
  });
});

describe('streams that break', () => {
  const long = { chunks: ['첫 번째 조각, ', '두 번째 조각, ', '세 번째 조각, ', '네 번째 조각, ', '마지막 조각.'], usage: { input: 3, output: 5 } };

  it('rejects with an LLMError when the connection is cut at any point of the stream', async () => {
    // Take the real SSE body once, then cut it at every event boundary and inside events.
    const sse = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: request.messages, stream: true, stream_options: { include_usage: true } }),
    }).then((r) => r.arrayBuffer()).then((b) => Buffer.from(b));
    const boundaries = [...sse.toString('latin1').matchAll(/\n\n/g)].map((m) => m.index + 2).filter((i) => i < sse.length);
    expect(boundaries.length).toBeGreaterThan(5);
    for (const cut of [0, 1, ...boundaries, ...boundaries.map((b) => b - 7), sse.length - 1]) {
      fake.enqueue(long);
      fake.injectFault({ cutAfterBytes: cut });
      const error = await failure(drain(model()));
      expect(LLMError.isInstance(error), `cut after ${cut} of ${sse.length} bytes`).toBe(true);
    }
  });

  it('rejects with ProviderError when the stream carries an error event', async () => {
    fake.injectFault({ rawBody: 'data: {"error":{"message":"모델 과부하","type":"server_error","param":null,"code":null}}\n\n' });
    const error = await failure(drain(model()));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('모델 과부하');
  });

  it('aborting during a stream rejects with AbortError promptly', async () => {
    fake.enqueue(long);
    fake.injectFault({ chunkDelayMs: 150, splitAt: Array.from({ length: 20 }, (_, i) => (i + 1) * 300) });
    const controller = new AbortController();
    let abortedAt = 0;
    const error = await failure(drain(model(), controller.signal, (e) => {
      if (e.type === 'text-delta' && !abortedAt) (abortedAt = Date.now()), controller.abort();
    }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(150); // the rest of the stream would take seconds
  });

  it('aborting while waiting for the answer rejects with AbortError', async () => {
    fake.injectFault({ delayMs: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await failure(model().generate({ ...request, signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('honours timeoutMs with a TimeoutError', async () => {
    fake.injectFault({ delayMs: 1000 });
    const error = await failure(model({ timeoutMs: 50 }).generate(request));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('an unreachable server is a retryable ProviderError naming the base URL', async () => {
    const closed = new FakeOpenAIServer();
    const url = await closed.start();
    await closed.close();
    const error = await failure(openai.languageModel('gpt-4o-mini', { baseURL: `${url}/v1`, apiKey: API_KEY }).generate(request));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).not.toContain(API_KEY);
  });
});
