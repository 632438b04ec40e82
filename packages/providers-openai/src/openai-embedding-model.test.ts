import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, ConfigurationError } from '@llm/core';
import { FakeOpenAIServer, fakeEmbedding } from '@llm/testkit';
import { openai, openaiCompatible, upstage } from './openai-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const texts = ['첫 번째 문장', '두 번째 문장 👋', '한글'.normalize('NFD')];
const options = (extra: Record<string, unknown> = {}) => ({ baseURL: `${fake.url}/v1`, apiKey: 'test-key', ...extra });

describe('embeddings', () => {
  it('embeds in one request by default (maxBatchSize 2048), base64 decoded, with usage', async () => {
    const model = openai.embeddingModel!('text-embedding-3-small', options());
    expect(model.maxBatchSize).toBe(2048);
    const result = await model.embed(texts, {});
    expect(result.embeddings).toEqual(texts.map((t) => fakeEmbedding(t)));
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest).toMatchObject({ path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: texts, encoding_format: 'base64' } });
    const tokens = texts.reduce((sum, t) => sum + Math.ceil(Buffer.byteLength(t) / 4), 0);
    expect(result.usage).toEqual({ input: tokens, output: 0, total: tokens });
  });

  it('splits 3 texts into 2 requests with maxBatchSize 2, keeping order and adding usage', async () => {
    const model = openai.embeddingModel!('text-embedding-3-small', options({ maxBatchSize: 2, dimensions: 4 }));
    const result = await model.embed(texts, {});
    expect(fake.requests.map((r) => r.body.input)).toEqual([texts.slice(0, 2), texts.slice(2)]);
    expect(fake.requests.every((r) => r.body.dimensions === 4)).toBe(true);
    expect(result.embeddings).toEqual(texts.map((t) => fakeEmbedding(t, 4)));
    const tokens = texts.reduce((sum, t) => sum + Math.ceil(Buffer.byteLength(t) / 4), 0);
    expect(result.usage.input).toBe(tokens);
  });

  it('orders vectors by `index`, and accepts float arrays from servers that ignore encoding_format', async () => {
    fake.enqueueFixture({
      object: 'list', model: 'embedding-passage', usage: { prompt_tokens: 7, total_tokens: 7 },
      data: [{ object: 'embedding', index: 1, embedding: [0.5, -0.25] }, { object: 'embedding', index: 0, embedding: [0.125, 1] }],
    });
    const model = upstage.embeddingModel!('embedding-passage', options());
    const result = await model.embed(['가', '나'], {});
    expect(result.embeddings).toEqual([[0.125, 1], [0.5, -0.25]]);
    expect(result.usage).toEqual({ input: 7, output: 0, total: 7 });
  });

  it('maps errors and rejects a bad maxBatchSize', async () => {
    fake.injectFault({ status: 401 });
    const error = await openaiCompatible.embeddingModel!('nomic-embed', options()).embed(['x'], {}).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(() => openai.embeddingModel!('text-embedding-3-small', options({ maxBatchSize: 0 }))).toThrow(ConfigurationError);
  });
});
