import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  LLMError,
  ProviderError,
  RateLimitError,
  TimeoutError,
} from '@llm/core';
import { abortAtFirstDelta, collectStream, FakeGeminiServer, googleErrorBody, rejectionOf } from '@llm/testkit';
import { parseGoogleDuration, retryDelayFromGoogleBody } from './google-error.js';
import { google } from './google-provider.js';

const server = new FakeGeminiServer();
// Shaped like a real key so the redaction of both the exact key and the AIza pattern is exercised.
const KEY = 'AIzaSyFAKE-key-for-tests-0123456789abc';
const model = (extra: Record<string, unknown> = {}) => google.languageModel('gemini-2.5-flash', { baseURL: server.url, apiKey: KEY, ...extra });
const ask = { messages: [{ role: 'user' as const, content: '안녕하세요' }] };

const failure = (promise: Promise<unknown>) => rejectionOf<LLMError>(promise);

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('google error mapping', () => {
  it('401 and 403 → AuthenticationError; 400 API_KEY_INVALID → AuthenticationError; the key never shows', async () => {
    for (const status of [401, 403]) {
      server.injectFault({ status, errorBody: googleErrorBody(status, `key ${KEY} is not allowed`) });
      const error = await failure(model().generate(ask));
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as AuthenticationError).status).toBe(status);
      expect(error.message).not.toContain(KEY);
      expect(error.message).not.toContain('AIza');
    }
    server.injectFault({
      status: 400,
      errorBody: googleErrorBody(400, 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]),
    });
    const invalid = await failure(model().generate(ask));
    expect(AuthenticationError.isInstance(invalid)).toBe(true);
    expect(invalid.message).toContain('API key not valid');
  });

  it('429 with retry-after (seconds) and retry-after-ms headers → RateLimitError.retryAfterMs', async () => {
    server.injectFault({ status: 429, headers: { 'retry-after': '7' } });
    const seconds = await failure(model().generate(ask));
    expect(RateLimitError.isInstance(seconds)).toBe(true);
    expect((seconds as RateLimitError).retryAfterMs).toBe(7000);
    server.injectFault({ status: 429, headers: { 'retry-after-ms': '1500' } });
    const millis = await failure(collectStream(model().stream(ask)));
    expect(RateLimitError.isInstance(millis)).toBe(true);
    expect((millis as RateLimitError).retryAfterMs).toBe(1500);
    expect(millis.retryable).toBe(true);
  });

  it('500 → retryable ProviderError keeping status and Google error body; 400 → non-retryable', async () => {
    const body = googleErrorBody(500, '내부 오류가 발생했습니다');
    server.injectFault({ status: 500, errorBody: body });
    const error = await failure(model().generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(RateLimitError.isInstance(error)).toBe(false);
    expect((error as ProviderError).status).toBe(500);
    expect((error as ProviderError).body).toEqual(body);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('내부 오류가 발생했습니다');

    server.injectFault({ status: 400, errorBody: googleErrorBody(400, 'Invalid JSON payload') });
    const bad = await failure(model().generate(ask));
    expect((bad as ProviderError).status).toBe(400);
    expect(bad.retryable).toBe(false);
  });

  it('an error status with a non-JSON body keeps its status (captured from the response)', async () => {
    server.injectFault({ status: 503, rawBody: '<html>Service Unavailable</html>' });
    const error = await failure(model().generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).status).toBe(503);
  });

  it('malformed JSON → ProviderError (generate and stream)', async () => {
    server.injectFault({ rawBody: '{"candidates": [ {"content": ' });
    const error = await failure(model().generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/malformed/);
    server.injectFault({ rawBody: 'data: {"candidates": [ nope\r\n\r\n' });
    const streamError = await failure(collectStream(model().stream(ask)));
    expect(ProviderError.isInstance(streamError)).toBe(true);
    expect(streamError.message).toMatch(/malformed/);
  });

  it('a stream cut mid-way rejects the iteration with a retryable LLMError (never hangs, never ends silently)', async () => {
    const total = 'data: '.length; // the cut lands inside the first event and later ones
    for (const cutAfterBytes of [total + 10, 200, 400]) {
      server.reset();
      server.enqueue({ chunks: ['첫 번째 조각', '두 번째 조각', '세 번째 조각'] });
      server.injectFault({ cutAfterBytes });
      const seen: string[] = [];
      const error = await failure((async () => {
        for await (const event of model().stream(ask)) if (event.type === 'text-delta') seen.push(event.text);
      })());
      expect(LLMError.isInstance(error)).toBe(true);
      expect(error.retryable).toBe(true);
      expect(seen.join('')).not.toBe('첫 번째 조각두 번째 조각세 번째 조각');
    }
  });

  it('a stream that ends cleanly without a finishReason is an error, not a silent end', async () => {
    server.enqueueFixture(['{"candidates":[{"content":{"parts":[{"text":"반쯤"}],"role":"model"},"index":0}]}']);
    const error = await failure(collectStream(model().stream(ask)));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/ended before/);
  });

  it('abort during a stream cancels the HTTP request and rejects with AbortError', async () => {
    server.enqueue({ chunks: ['하나', '둘', '셋', '넷'] });
    // The first write carries the first event (~300 bytes); the next one comes only after 2 s.
    server.injectFault({ splitAt: [400, 800, 1200], chunkDelayMs: 2000 });
    const { error, seen, msAfterAbort } = await abortAtFirstDelta((signal) => model().stream({ ...ask, signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(seen).toEqual(['하나']);
    expect(msAfterAbort).toBeLessThan(1000);
  });

  it('timeoutMs → TimeoutError (the SDK aborts, the caller did not)', async () => {
    server.injectFault({ delayMs: 400 });
    const error = await failure(model({ timeoutMs: 100 }).generate(ask));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it('connection refused → retryable ProviderError naming the base URL', async () => {
    const closed = new FakeGeminiServer();
    const url = await closed.start();
    await closed.close();
    const error = await failure(google.languageModel('gemini-2.5-flash', { baseURL: url, apiKey: KEY }).generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(url);
  });
});

describe('google RetryInfo parsing', () => {
  it('reads protobuf durations', () => {
    expect(parseGoogleDuration('13s')).toBe(13000);
    expect(parseGoogleDuration('1.5s')).toBe(1500);
    expect(parseGoogleDuration('0.250s')).toBe(250);
    expect(parseGoogleDuration('13')).toBeUndefined();
    expect(parseGoogleDuration(13)).toBeUndefined();
  });

  it('finds RetryInfo among the details, or nothing', () => {
    expect(retryDelayFromGoogleBody(googleErrorBody(429, 'slow down', [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
    ]))).toBe(2000);
    expect(retryDelayFromGoogleBody(googleErrorBody(429, 'slow down'))).toBeUndefined();
    expect(retryDelayFromGoogleBody('not an object')).toBeUndefined();
  });
});
