import { describe, expect, it } from 'vitest';
import { AuthenticationError, LLMError, ProviderError, RateLimitError, errorFromHttpFailure, parseRetryAfter, redactSecrets } from '@llm/core';

describe('errors', () => {
  it('isInstance works across package copies through Symbol.for markers', () => {
    const e = new RateLimitError('x', { retryAfterMs: 5 });
    // a plain object carrying the same markers stands for an instance from another copy of @llm/core
    const foreign = Object.create(null) as Record<symbol, unknown>;
    for (const name of ['LLMError', 'ProviderError', 'RateLimitError']) foreign[Symbol.for(`@llm/core.error.${name}`)] = true;
    expect(RateLimitError.isInstance(foreign)).toBe(true);
    expect(ProviderError.isInstance(e)).toBe(true);
    expect(LLMError.isInstance(e)).toBe(true);
    expect(AuthenticationError.isInstance(e)).toBe(false);
    expect(e.retryable).toBe(true);
    expect(e.name).toBe('RateLimitError');
  });

  it('maps HTTP failures and redacts keys', () => {
    const key = 'sk-proj-abcdefghijklmnop1234';
    const auth = errorFromHttpFailure({ provider: 'openai', status: 401, body: { error: { message: `Incorrect API key provided: ${key}` } }, secrets: [key] });
    expect(AuthenticationError.isInstance(auth)).toBe(true);
    expect(auth.message).not.toContain(key);
    expect(auth.message).toContain('Check the key');
    const limited = errorFromHttpFailure({ provider: 'openai', status: 429, headers: new Headers({ 'retry-after-ms': '1500' }) });
    expect((limited as RateLimitError).retryAfterMs).toBe(1500);
    const server = errorFromHttpFailure({ provider: 'anthropic', status: 529, body: { error: { message: 'Overloaded' } } });
    expect(server).toMatchObject({ status: 529, retryable: true });
    expect(errorFromHttpFailure({ provider: 'x', status: 400 }).retryable).toBe(false);
  });

  it('parses retry-after in seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now)).toBe(10_000);
  });

  it('redacts bearer tokens, sk- keys and key query parameters', () => {
    const text = redactSecrets('Authorization: Bearer abcdefghijklmnop url?key=AIzaSyA12345678901234567890 sk-ant-api03-xyzxyzxyzxyz');
    expect(text).not.toMatch(/abcdefghijklmnop|AIzaSy|xyzxyz/);
  });
});
