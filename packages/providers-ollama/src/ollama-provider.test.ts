import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '@llm/core';
import { FakeOllamaServer } from '@llm/testkit';
import { createOllama, ollama, ollamaModelName, providers, resolveOllamaSettings } from './index.js';

const server = new FakeOllamaServer({ models: ['llama3.2', 'nomic-embed-text'], embeddingDimensions: 4 });

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(() => vi.unstubAllEnvs());

describe('ollama provider definition', () => {
  it('exports providers = [ollama] and matches the local families and any name:tag', () => {
    expect(providers).toEqual([ollama]);
    expect(ollama.name).toBe('ollama');
    for (const id of ['llama3.2', 'llama3.1:70b', 'mistral', 'qwen2.5-coder', 'gemma3:4b', 'nomic-embed-text', 'phi4', 'deepseek-r1:8b', 'exaone3.5:7.8b', 'hf.co/user/model:Q4_K_M']) {
      expect(ollama.matches(id)).toBe(true);
    }
    for (const id of ['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-flash', 'text-embedding-3-small', 'localhost:5000/custom']) {
      expect(ollama.matches(id)).toBe(false);
    }
    expect(ollama.isEmbeddingModel?.('nomic-embed-text')).toBe(true);
    expect(ollama.isEmbeddingModel?.('mxbai-embed-large:latest')).toBe(true);
    expect(ollama.isEmbeddingModel?.('bge-m3')).toBe(true);
    expect(ollama.isEmbeddingModel?.('llama3.2')).toBe(false);
  });

  it('appends :latest to bare names only', () => {
    expect(ollamaModelName('llama3.2')).toBe('llama3.2:latest');
    expect(ollamaModelName('qwen2.5:7b')).toBe('qwen2.5:7b');
    expect(ollamaModelName('localhost:5000/phi3')).toBe('localhost:5000/phi3:latest');
  });

  it('reads OLLAMA_BASE_URL when the model is created (default http://127.0.0.1:11434), option first', async () => {
    vi.stubEnv('OLLAMA_BASE_URL', '');
    expect(resolveOllamaSettings({}).baseURL).toBe('http://127.0.0.1:11434');
    const closed = new FakeOllamaServer();
    const refusedURL = await closed.start();
    await closed.close();
    vi.stubEnv('OLLAMA_BASE_URL', `${server.url}/`);
    const fromEnv = ollama.languageModel('llama3.2', {});
    vi.stubEnv('OLLAMA_BASE_URL', refusedURL);
    server.enqueue({ text: '환경 변수' });
    expect((await fromEnv.generate({ messages: [{ role: 'user', content: '?' }] })).text).toBe('환경 변수');
    expect(resolveOllamaSettings({ baseURL: 'http://gpu-box:11434/api/' }).baseURL).toBe('http://gpu-box:11434');
    const error = await ollama.languageModel('llama3.2', {}).generate({ messages: [{ role: 'user', content: '?' }] }).then(() => undefined, (e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`not running at ${refusedURL}`);
  });

  it('createOllama defaults apply to every model; a custom fetch is used', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      urls.push(String(input));
      return globalThis.fetch(input, init);
    };
    const custom = createOllama({ baseURL: server.url, keepAlive: 0, fetch });
    server.enqueue({ text: '좋아요' });
    await custom.languageModel('llama3.2', {}).generate({ messages: [{ role: 'user', content: '?' }] });
    expect(server.lastRequest!.body.keep_alive).toBe(0);
    expect(urls).toEqual([`${server.url}/api/chat`]);
  });
});

describe('ollama embeddings and the fake server', () => {
  it('embeds a batch with one /api/embed call (input array → embeddings), order kept, usage from prompt_eval_count', async () => {
    const model = ollama.embeddingModel!('nomic-embed-text', { baseURL: server.url });
    server.enqueueEmbeddings([[1, 0], [0, 1], [0.5, 0.5]]);
    const texts = ['첫째', '둘째', '한글'.normalize('NFD')];
    const { embeddings, usage } = await model.embed(texts, {});
    expect(embeddings).toEqual([[1, 0], [0, 1], [0.5, 0.5]]);
    expect(server.lastRequest!.path).toBe('/api/embed');
    expect(server.lastRequest!.body).toEqual({ model: 'nomic-embed-text:latest', input: texts });
    expect(usage.input).toBeGreaterThan(0);
    expect(usage.total).toBe(usage.input);
    expect(await model.embed([], {})).toEqual({ embeddings: [], usage: { input: 0, output: 0, total: 0 } });
  });

  it('passes dimensions and maps errors', async () => {
    const model = ollama.embeddingModel!('nomic-embed-text', { baseURL: server.url, dimensions: 3 });
    const { embeddings } = await model.embed(['검색'], {});
    expect(server.lastRequest!.body.dimensions).toBe(3);
    expect(embeddings[0]).toHaveLength(3);
    server.injectFault({ status: 500 });
    const error = await model.embed(['실패'], {}).then(() => undefined, (e: unknown) => e);
    expect((error as ProviderError).status).toBe(500);
  });

  it('the fake lists its pulled models at GET /api/tags', async () => {
    const response = await fetch(`${server.url}/api/tags`);
    const body = (await response.json()) as { models: { name: string; model: string; details: { format: string } }[] };
    expect(body.models.map((m) => m.name)).toEqual(['llama3.2:latest', 'nomic-embed-text:latest']);
    expect(body.models[0].details.format).toBe('gguf');
  });
});
