import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  LLMError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  type ProviderRequest,
  type ProviderStreamEvent,
} from '@llm/core';
import { FakeAnthropicServer } from '@llm/testkit';
import { anthropic } from './anthropic-provider.js';

const server = new FakeAnthropicServer();
const KEY = 'sk-ant-api03-errortest-0123456789abcdef';
const model = (extra: Record<string, unknown> = {}) => anthropic.languageModel('claude-haiku-4-5', { baseURL: server.url, apiKey: KEY, ...extra });
const request: ProviderRequest = { messages: [{ role: 'user', content: '오류를 내 보세요' }] };

async function failure(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(LLMError.isInstance(error)).toBe(true);
  expect((error as Error).message).not.toContain(KEY);
  return error as LLMError;
}

async function drain(stream: AsyncIterable<ProviderStreamEvent>): Promise<ProviderStreamEvent[]> {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(() => vi.unstubAllEnvs());

describe('HTTP errors map to core errors', () => {
  it('401 → AuthenticationError, without the key even when the body echoes it', async () => {
    server.injectFault({ status: 401, errorBody: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } } });
    const error = await failure(model().generate(request));
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).status).toBe(401);
    expect(error.message).toContain('invalid x-api-key');
  });

  it('403 → AuthenticationError', async () => {
    server.injectFault({ status: 403 });
    expect(AuthenticationError.isInstance(await failure(model().generate(request)))).toBe(true);
  });

  it('429 with retry-after → RateLimitError with retryAfterMs in milliseconds', async () => {
    server.injectFault({ status: 429, headers: { 'retry-after': '7' } });
    const error = await failure(model().generate(request));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(error.retryable).toBe(true);
  });

  it('429 with retry-after-ms → RateLimitError, retry-after-ms preferred', async () => {
    server.injectFault({ status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' } });
    const error = await failure(model().stream(request)[Symbol.asyncIterator]().next());
    expect((error as RateLimitError).retryAfterMs).toBe(1500);
  });

  it('500 → retryable ProviderError with status and the Anthropic error body', async () => {
    const body = { type: 'error', error: { type: 'api_error', message: '내부 서버 오류' } };
    server.injectFault({ status: 500, errorBody: body });
    const error = await failure(model().generate(request));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, body, retryable: true });
    expect(error.message).toContain('내부 서버 오류');
  });

  it('529 overloaded → retryable ProviderError', async () => {
    server.injectFault({ status: 529 });
    const error = await failure(model().generate(request));
    expect(error).toMatchObject({ status: 529, retryable: true });
    expect((error as ProviderError).body).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('400 → non-retryable ProviderError saying what the API refused', async () => {
    server.injectFault({ status: 400, errorBody: { type: 'error', error: { type: 'invalid_request_error', message: 'messages.0: 빈 텍스트' } } });
    const error = await failure(model().generate(request));
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect(error.message).toContain('빈 텍스트');
  });

  it('sends one request only: the SDK does not retry (core owns retries)', async () => {
    server.injectFault({ status: 500 });
    server.enqueue({ text: '두 번째' });
    await failure(model().generate(request));
    expect(server.requests).toHaveLength(1);
  });

  it('honours maxRetries when given', async () => {
    server.injectFault({ status: 500, headers: { 'retry-after-ms': '1' } });
    server.enqueue({ text: '재시도 성공' });
    const response = await model({ maxRetries: 1 }).generate(request);
    expect(response.text).toBe('재시도 성공');
    expect(server.requests).toHaveLength(2);
  });
});

describe('broken responses reject with an LLMError', () => {
  it('malformed JSON body', async () => {
    server.injectFault({ rawBody: '{"id":"msg_1","content":[{"type":"text","text":"끊' });
    const error = await failure(model().generate(request));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toContain('not valid JSON');
    expect((error as ProviderError).status).toBeUndefined();
  });

  it('malformed JSON inside a stream event', async () => {
    server.injectFault({ rawBody: 'event: message_start\ndata: {"type":"message_start","message":{\n\n' });
    const error = await failure(drain(model().stream(request)));
    expect(error.message).toContain('not valid JSON');
  });

  it('a stream cut mid-way', async () => {
    server.enqueue({ text: '이 응답은 중간에 끊깁니다. '.repeat(20) });
    server.injectFault({ cutAfterBytes: 700 });
    const error = await failure(drain(model().stream(request)));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it('a stream that ends cleanly before message_stop', async () => {
    server.enqueueFixture([
      '{"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"반쯤"}}',
    ]);
    const error = await failure(drain(model().stream(request)));
    expect(error.message).toContain('message_stop');
  });

  it('an error event mid-stream → the error of its type (overloaded → retryable 529)', async () => {
    server.enqueueFixture([
      '{"type":"message_start","message":{"id":"msg_e","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"시작"}}',
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    ]);
    const seen: string[] = [];
    const error = await failure((async () => {
      for await (const event of model().stream(request)) if (event.type === 'text-delta') seen.push(event.text);
    })());
    expect(seen).toEqual(['시작']);
    expect(error).toMatchObject({ status: 529, retryable: true });
    expect(error.message).toContain('Overloaded');
  });

  it('a rate_limit_error event mid-stream → RateLimitError', async () => {
    server.enqueueFixture([
      '{"type":"message_start","message":{"id":"msg_r","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}',
      '{"type":"error","error":{"type":"rate_limit_error","message":"한도 초과"}}',
    ]);
    expect(RateLimitError.isInstance(await failure(drain(model().stream(request))))).toBe(true);
  });
});

describe('timeouts, aborts and connection failures', () => {
  it('timeoutMs → TimeoutError', async () => {
    server.injectFault({ delayMs: 1000 });
    const error = await failure(model({ timeoutMs: 100 }).generate(request));
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('a signal aborted while waiting → AbortError, quickly', async () => {
    server.injectFault({ delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(model().generate({ ...request, signal: controller.signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a signal aborted with one of core\'s errors as its reason rejects with that error', async () => {
    server.enqueue({ chunks: Array.from({ length: 30 }, (_, i) => `${i}번 `) });
    server.injectFault({ splitAt: Array.from({ length: 100 }, (_, i) => (i + 1) * 60), chunkDelayMs: 20 });
    const controller = new AbortController();
    const reason = new TimeoutError('전체 호출 시간 초과');
    const error = await failure((async () => {
      for await (const event of model().stream({ ...request, signal: controller.signal })) if (event.type === 'text-delta') controller.abort(reason);
    })());
    expect(error).toBe(reason);
  });

  it('an unreachable server → retryable ProviderError naming the base URL', async () => {
    const closed = new FakeAnthropicServer();
    const url = await closed.start();
    await closed.close();
    const error = await failure(anthropic.languageModel('claude-haiku-4-5', { baseURL: url, apiKey: KEY }).generate(request));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(url);
  });
});

describe('configuration', () => {
  it('no key → ConfigurationError naming ANTHROPIC_API_KEY at call time, not at creation', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    vi.stubEnv('ANTHROPIC_BASE_URL', '');
    const keyless = anthropic.languageModel('claude-haiku-4-5', {});
    for (const call of [keyless.generate(request), drain(keyless.stream(request))]) {
      const error = await call.then(() => undefined, (e: unknown) => e);
      expect(ConfigurationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('no key but a local base URL → a placeholder key is sent', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    server.enqueue({ text: '로컬 서버' });
    const response = await anthropic.languageModel('claude-haiku-4-5', { baseURL: server.url }).generate(request);
    expect(response.text).toBe('로컬 서버');
    expect(server.lastRequest?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL when the model is created', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-from-environment');
    vi.stubEnv('ANTHROPIC_BASE_URL', server.url);
    const fromEnv = anthropic.languageModel('claude-haiku-4-5', {});
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-changed-later');
    vi.stubEnv('ANTHROPIC_BASE_URL', 'http://127.0.0.1:1');
    server.enqueue({ text: '환경 변수' });
    expect((await fromEnv.generate(request)).text).toBe('환경 변수');
    expect(server.lastRequest?.headers.authorization).toBe('Bearer sk-ant-from-environment');
  });

  it('options win over the environment', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-environment-key');
    vi.stubEnv('ANTHROPIC_BASE_URL', 'http://127.0.0.1:1');
    await model().generate(request);
    expect(server.lastRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('uses a custom fetch', async () => {
    const calls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      calls.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    await model({ fetch: spy }).generate(request);
    expect(calls).toEqual([`${server.url}/v1/messages`]);
  });
});
