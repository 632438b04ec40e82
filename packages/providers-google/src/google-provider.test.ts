import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, ProviderError } from '@llm/core';
import { FakeGeminiServer } from '@llm/testkit';
import { createGoogle, google, providers } from './index.js';

const server = new FakeGeminiServer({ embeddingDimensions: 4 });
const ask = { messages: [{ role: 'user' as const, content: '안녕' }] };

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(() => vi.unstubAllEnvs());

function clearGoogleEnv(): void {
  for (const name of ['GOOGLE_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_BASE_URL', 'GOOGLE_GEMINI_BASE_URL']) vi.stubEnv(name, '');
}

describe('google provider definition', () => {
  it('exports providers = [google] and matches gemini-* chat and embedding models only', () => {
    expect(providers).toEqual([google]);
    expect(google.name).toBe('google');
    for (const id of ['gemini-2.5-flash', 'gemini-3-pro-preview', 'text-embedding-004', 'gemini-embedding-001', 'models/gemini-2.0-flash']) {
      expect(google.matches(id)).toBe(true);
    }
    for (const id of ['gpt-4o', 'claude-sonnet-4', 'gemma3:4b', 'llama3.2', 'text-embedding-3-small', 'text-embedding-ada-002']) {
      expect(google.matches(id)).toBe(false);
    }
    expect(google.isEmbeddingModel?.('text-embedding-004')).toBe(true);
    expect(google.isEmbeddingModel?.('gemini-embedding-001')).toBe(true);
    expect(google.isEmbeddingModel?.('gemini-2.5-flash')).toBe(false);
  });

  it('creates models without a key; a missing key is a ConfigurationError naming the variables at call time', async () => {
    clearGoogleEnv();
    const m = google.languageModel('gemini-2.5-flash', { baseURL: 'https://generativelanguage.googleapis.com' });
    expect(m.modelId).toBe('gemini-2.5-flash');
    const error = await m.generate(ask).then(() => undefined, (e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('GOOGLE_API_KEY');
    expect((error as Error).message).toContain('GEMINI_API_KEY');
    const streamError = await (async () => {
      for await (const _ of m.stream(ask)) return undefined;
    })().then(() => undefined, (e: unknown) => e);
    expect(ConfigurationError.isInstance(streamError)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('a loopback base URL needs no key (a placeholder is sent)', async () => {
    clearGoogleEnv();
    server.enqueue({ text: '로컬 서버' });
    const response = await google.languageModel('gemini-2.5-flash', { baseURL: server.url }).generate(ask);
    expect(response.text).toBe('로컬 서버');
    expect(server.lastRequest!.headers['x-goog-api-key']).toBe('local-no-key');
  });

  it('reads GOOGLE_API_KEY, then GEMINI_API_KEY, and GOOGLE_BASE_URL, when the model is created', async () => {
    clearGoogleEnv();
    vi.stubEnv('GEMINI_API_KEY', 'gemini-env-key');
    vi.stubEnv('GOOGLE_BASE_URL', server.url);
    const fromGemini = google.languageModel('gemini-2.5-flash', {});
    vi.stubEnv('GOOGLE_API_KEY', 'google-env-key');
    const fromGoogle = google.languageModel('gemini-2.5-flash', {});
    vi.stubEnv('GOOGLE_BASE_URL', 'http://127.0.0.1:1');
    server.enqueue({ text: '하나' }).enqueue({ text: '둘' });
    await fromGemini.generate(ask);
    expect(server.lastRequest!.headers['x-goog-api-key']).toBe('gemini-env-key');
    await fromGoogle.generate(ask);
    expect(server.lastRequest!.headers['x-goog-api-key']).toBe('google-env-key');
    const explicit = google.languageModel('gemini-2.5-flash', { apiKey: 'option-key', baseURL: server.url });
    server.enqueue({ text: '셋' });
    await explicit.generate(ask);
    expect(server.lastRequest!.headers['x-goog-api-key']).toBe('option-key');
  });

  it('the SDK does not retry by default (core owns retries); maxRetries turns its retries on', async () => {
    server.injectFault({ status: 503 });
    const error = await google.languageModel('gemini-2.5-flash', { baseURL: server.url, apiKey: 'k-123456' }).generate(ask).then(() => undefined, (e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.injectFault({ status: 503 });
    server.enqueue({ text: '두 번째에 성공' });
    const retried = google.languageModel('gemini-2.5-flash', { baseURL: server.url, apiKey: 'k-123456', maxRetries: 1 });
    const started = Date.now();
    expect((await retried.generate(ask)).text).toBe('두 번째에 성공');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('uses a custom fetch and apiVersion, and createGoogle defaults apply to every model', async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return globalThis.fetch(input, init);
    };
    const custom = createGoogle({ apiVersion: 'v1alpha', fetch });
    server.enqueue({ text: '알파' });
    await custom.languageModel('gemini-2.5-flash', { baseURL: server.url, apiKey: 'k-123456' }).generate(ask);
    expect(server.lastRequest!.path).toBe('/v1alpha/models/gemini-2.5-flash:generateContent');
    expect(seen).toEqual([`${server.url}/v1alpha/models/gemini-2.5-flash:generateContent`]);
  });
});

describe('google embeddings', () => {
  it('embeds a batch in one batchEmbedContents request, order kept', async () => {
    const model = google.embeddingModel!('text-embedding-004', { baseURL: server.url, apiKey: 'k-123456' });
    expect(model.maxBatchSize).toBe(100);
    server.enqueueEmbeddings([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
    const texts = ['첫째', '둘째', '한글'.normalize('NFD')];
    const { embeddings, usage } = await model.embed(texts, {});
    expect(embeddings).toEqual([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
    expect(usage).toEqual({ input: 0, output: 0, total: 0 });
    const request = server.lastRequest!;
    expect(request.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(request.body.requests).toEqual(texts.map((text) => ({ content: { parts: [{ text }], role: 'user' }, model: 'models/text-embedding-004' })));
  });

  it('passes dimensions and taskType, and maps errors', async () => {
    const model = google.embeddingModel!('gemini-embedding-001', { baseURL: server.url, apiKey: 'k-123456', dimensions: 3, taskType: 'RETRIEVAL_QUERY' });
    const { embeddings } = await model.embed(['검색어'], {});
    expect(embeddings[0]).toHaveLength(3);
    expect(server.lastRequest!.body.requests[0]).toMatchObject({ outputDimensionality: 3, taskType: 'RETRIEVAL_QUERY' });
    server.injectFault({ status: 500 });
    const error = await model.embed(['실패'], {}).then(() => undefined, (e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).status).toBe(500);
    expect(await model.embed([], {})).toEqual({ embeddings: [], usage: { input: 0, output: 0, total: 0 } });
  });
});
