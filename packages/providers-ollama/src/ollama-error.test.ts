import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  LLMError,
  ModelNotFoundError,
  ProviderError,
  RateLimitError,
  TimeoutError,
} from '@llm/core';
import { abortAtFirstDelta, collectStream, FakeOllamaServer, rejectionOf } from '@llm/testkit';
import { ollama } from './ollama-provider.js';

const server = new FakeOllamaServer({ models: ['llama3.2', 'qwen2.5:7b', 'nomic-embed-text'] });
const TOKEN = 'proxy-secret-token-987654';
const model = (id = 'llama3.2', extra: Record<string, unknown> = {}) => ollama.languageModel(id, { baseURL: server.url, apiKey: TOKEN, ...extra });
const ask = { messages: [{ role: 'user' as const, content: '안녕하세요' }] };

const failure = (promise: Promise<unknown>) => rejectionOf<LLMError>(promise);

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('ollama error mapping', () => {
  it('connection refused → ProviderError saying the server is not running at <url> and to run `ollama serve`', async () => {
    const closed = new FakeOllamaServer();
    const url = await closed.start();
    await closed.close();
    for (const call of [
      (m: ReturnType<typeof model>) => m.generate(ask),
      (m: ReturnType<typeof model>) => collectStream(m.stream(ask)),
    ]) {
      const error = await failure(call(ollama.languageModel('llama3.2', { baseURL: url })));
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error.message).toContain(`not running at ${url}`);
      expect(error.message).toContain('ollama serve');
      expect(error.message).toContain('ECONNREFUSED');
    }
  });

  it('404 model not found → ModelNotFoundError telling to `ollama pull NAME` (chat, stream and embed)', async () => {
    const error = await failure(model('llama9').generate(ask));
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toContain('ollama pull llama9:latest');
    expect(error.message).toContain("model 'llama9:latest' not found");
    expect(error.retryable).toBe(false);
    const streamError = await failure(collectStream(model('mistral:7b').stream(ask)));
    expect(ModelNotFoundError.isInstance(streamError)).toBe(true);
    expect(streamError.message).toContain('ollama pull mistral:7b');
    const embedError = await failure(ollama.embeddingModel!('mxbai-embed-large', { baseURL: server.url }).embed(['텍스트'], {}));
    expect(ModelNotFoundError.isInstance(embedError)).toBe(true);
    expect(embedError.message).toContain('ollama pull mxbai-embed-large:latest');
    // A pulled model still answers.
    server.enqueue({ text: '있어요' });
    expect((await model('qwen2.5:7b').generate(ask)).text).toBe('있어요');
  });

  it('401 → AuthenticationError without the token; 429 with retry-after / retry-after-ms → RateLimitError', async () => {
    server.injectFault({ status: 401, errorBody: { error: `invalid token ${TOKEN}` } });
    const auth = await failure(model().generate(ask));
    expect(AuthenticationError.isInstance(auth)).toBe(true);
    expect(auth.message).not.toContain(TOKEN);
    server.injectFault({ status: 429, headers: { 'retry-after': '3' } });
    const limited = await failure(model().generate(ask));
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect((limited as RateLimitError).retryAfterMs).toBe(3000);
    server.injectFault({ status: 429, headers: { 'retry-after-ms': '250' } });
    const limitedStream = await failure(collectStream(model().stream(ask)));
    expect((limitedStream as RateLimitError).retryAfterMs).toBe(250);
  });

  it('500 → retryable ProviderError with status and body', async () => {
    server.injectFault({ status: 500, errorBody: { error: 'CUDA error: out of memory' } });
    const error = await failure(model().generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).status).toBe(500);
    expect((error as ProviderError).body).toEqual({ error: 'CUDA error: out of memory' });
    expect(error.message).toContain('CUDA error: out of memory');
    expect(error.retryable).toBe(true);
  });

  it('malformed JSON → ProviderError (generate and stream)', async () => {
    server.injectFault({ rawBody: '{"message": {"content": "반' });
    const error = await failure(model().generate(ask));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/malformed JSON/);
    server.injectFault({ rawBody: '{"message":{"role":"assistant","content":"좋"},"done":false}\n{oops}\n' });
    const streamError = await failure(collectStream(model().stream(ask)));
    expect(ProviderError.isInstance(streamError)).toBe(true);
    expect(streamError.message).toMatch(/malformed JSON/);
  });

  it('an {"error"} line mid-stream → ProviderError with the server message', async () => {
    server.enqueueFixture([
      { model: 'llama3.2:latest', message: { role: 'assistant', content: '시작' }, done: false },
      { error: 'an error was encountered while running the model: unexpected EOF' },
    ]);
    const seen: string[] = [];
    const error = await failure((async () => {
      for await (const event of model().stream(ask)) if (event.type === 'text-delta') seen.push(event.text);
    })());
    expect(seen).toEqual(['시작']);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.message).toContain('unexpected EOF');
  });

  it('a stream cut mid-way, or ending without done: true, rejects with a retryable LLMError', async () => {
    for (const cutAfterBytes of [5, 90, 200]) {
      server.reset();
      server.enqueue({ chunks: ['첫 번째', ' 두 번째', ' 세 번째'] });
      server.injectFault({ cutAfterBytes });
      const error = await failure(collectStream(model().stream(ask)));
      expect(LLMError.isInstance(error)).toBe(true);
      expect(error.retryable).toBe(true);
    }
    server.enqueueFixture([{ model: 'llama3.2:latest', message: { role: 'assistant', content: '반쯤' }, done: false }]);
    const early = await failure(collectStream(model().stream(ask)));
    expect(ProviderError.isInstance(early)).toBe(true);
    expect(early.message).toMatch(/ended before the final "done"/);
  });

  it('abort during a stream cancels the HTTP request and rejects with AbortError', async () => {
    server.enqueue({ chunks: ['하나', '둘', '셋', '넷'] });
    // The first write carries the first event (~125 bytes); the next one comes only after 2 s.
    server.injectFault({ splitAt: [200, 400, 600], chunkDelayMs: 2000 });
    const { error, seen, msAfterAbort } = await abortAtFirstDelta((signal) => model().stream({ ...ask, signal }));
    expect(AbortError.isInstance(error)).toBe(true);
    expect(seen).toEqual(['하나']);
    expect(msAfterAbort).toBeLessThan(1000);
  });

  it('an already aborted signal → AbortError; timeoutMs → TimeoutError', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(AbortError.isInstance(await failure(model().generate({ ...ask, signal: controller.signal })))).toBe(true);
    server.injectFault({ delayMs: 400 });
    const error = await failure(model('llama3.2', { timeoutMs: 100 }).generate(ask));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
  });
});
