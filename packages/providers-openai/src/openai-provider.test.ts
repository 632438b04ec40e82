import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, routeModel } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import * as pkg from './index.js';
import { openai, openaiCompatible, openrouter, providers, upstage } from './openai-provider.js';
import { createOpenAICompatible } from './openai-compatible-provider.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ENV_KEYS = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'UPSTAGE_API_KEY', 'UPSTAGE_BASE_URL', 'OPENROUTER_API_KEY', 'OPENROUTER_BASE_URL'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
beforeEach(() => ENV_KEYS.forEach((k) => delete process.env[k]));
afterEach(() => ENV_KEYS.forEach((k) => (savedEnv[k] === undefined ? delete process.env[k] : (process.env[k] = savedEnv[k]))));

const ask = { messages: [{ role: 'user' as const, content: '안녕?' }] };

/** A fetch that records where requests go and answers like OpenAI, so default base URLs are checked offline. */
function recordingFetch() {
  const calls: { url: string; headers: Headers }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input instanceof Request ? input.url : input), headers: new Headers(init?.headers) });
    const body = { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '네' }, finish_reason: 'stop' }] };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('exports and routing', () => {
  it('exports every definition by name and in `providers`', () => {
    expect(providers.map((p) => p.name)).toEqual(['openai', 'upstage', 'openrouter', 'openai-compatible']);
    expect(pkg.providers).toBe(providers);
    expect([pkg.openai, pkg.upstage, pkg.openrouter, pkg.openaiCompatible]).toEqual(providers);
  });

  it('matches the model names of each provider', () => {
    for (const id of ['gpt-4o-mini', 'gpt-5', 'o1', 'o3-mini', 'o4-mini', 'chatgpt-4o-latest', 'text-embedding-3-small', 'dall-e-3', 'gpt-image-1']) {
      expect(providers.filter((p) => p.matches(id)).map((p) => p.name), id).toEqual(['openai']);
    }
    for (const id of ['solar-pro', 'solar-mini', 'embedding-query', 'embedding-passage']) {
      expect(providers.filter((p) => p.matches(id)).map((p) => p.name), id).toEqual(['upstage']);
    }
    for (const id of ['claude-3-5-sonnet', 'gemini-2.0-flash', 'llama3.2', 'anthropic/claude-3.5-sonnet', 'omni-1']) {
      expect(providers.filter((p) => p.matches(id)), id).toEqual([]);
    }
    expect(openai.isEmbeddingModel!('text-embedding-3-large')).toBe(true);
    expect(openai.isEmbeddingModel!('gpt-4o')).toBe(false);
    expect(upstage.isEmbeddingModel!('embedding-passage')).toBe(true);
    expect(upstage.isEmbeddingModel!('solar-pro')).toBe(false);
  });

  it('core routes solar-pro to upstage and openrouter: by prefix only', () => {
    expect(routeModel('solar-pro')).toMatchObject({ provider: 'upstage', modelId: 'solar-pro', packageName: '@llm/providers-openai' });
    expect(routeModel('openrouter:deepseek/deepseek-chat')).toMatchObject({ provider: 'openrouter', modelId: 'deepseek/deepseek-chat' });
  });

  it('sends to each provider\'s default base URL through options.fetch', async () => {
    const expectations: [typeof openai, string, string][] = [
      [openai, 'gpt-4o-mini', 'https://api.openai.com/v1/chat/completions'],
      [upstage, 'solar-pro', 'https://api.upstage.ai/v1/chat/completions'],
      [openrouter, 'meta-llama/llama-3.3-70b-instruct', 'https://openrouter.ai/api/v1/chat/completions'],
    ];
    for (const [definition, id, url] of expectations) {
      const { calls, fetch } = recordingFetch();
      const response = await definition.languageModel(id, { apiKey: 'k-123456', fetch }).generate(ask);
      expect(response.text).toBe('네');
      expect(calls.map((c) => c.url)).toEqual([url]);
    }
  });
});

describe('keys, base URLs and headers', () => {
  it('upstage reads UPSTAGE_API_KEY and UPSTAGE_BASE_URL', async () => {
    process.env.UPSTAGE_API_KEY = 'up_fake_key_123';
    process.env.UPSTAGE_BASE_URL = `${fake.url}/v1`;
    const model = upstage.languageModel('solar-pro', {});
    expect(model.provider).toBe('upstage');
    fake.enqueue({ text: '솔라입니다.' });
    expect((await model.generate(ask)).text).toBe('솔라입니다.');
    expect(fake.lastRequest).toMatchObject({ path: '/v1/chat/completions', body: { model: 'solar-pro' } });
    expect(fake.lastRequest!.headers.authorization).toBe('Bearer up_fake_key_123');
  });

  it('openrouter takes the model after the prefix, its key and base URL', async () => {
    process.env.OPENROUTER_API_KEY = 'sk-or-v1-fake';
    process.env.OPENROUTER_BASE_URL = `${fake.url}/api/v1`;
    const model = openrouter.languageModel('anthropic/claude-3.5-sonnet', { headers: { 'HTTP-Referer': 'https://example.com', 'X-Title': 'llm-ts' } });
    await model.generate(ask);
    expect(fake.lastRequest).toMatchObject({ path: '/api/v1/chat/completions', body: { model: 'anthropic/claude-3.5-sonnet' } });
    expect(fake.lastRequest!.headers).toMatchObject({ authorization: 'Bearer sk-or-v1-fake', 'http-referer': 'https://example.com', 'x-title': 'llm-ts' });
  });

  it('OPENAI_BASE_URL and OPENAI_API_KEY are read when the model is created', async () => {
    process.env.OPENAI_BASE_URL = `${fake.url}/v1`;
    process.env.OPENAI_API_KEY = 'sk-env-key-000000';
    const model = openai.languageModel('gpt-4o-mini', {});
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1'; // changes after creation do not move an existing model
    await model.generate(ask);
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest!.headers.authorization).toBe('Bearer sk-env-key-000000');
  });

  it('a missing key is a ConfigurationError naming the variable, at call time, without a request', async () => {
    const { calls, fetch } = recordingFetch();
    const model = openai.languageModel('gpt-4o-mini', { fetch });
    const error = await model.generate(ask).catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    const streamError = await (async () => { for await (const e of upstage.languageModel('solar-pro', { fetch }).stream(ask)) void e; })().catch((e: unknown) => e);
    expect((streamError as Error).message).toContain('UPSTAGE_API_KEY');
    expect(calls).toHaveLength(0);
  });

  it('a local base URL needs no key; openai-compatible needs a baseURL but no key', async () => {
    await openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1` }).generate(ask);
    expect(fake.lastRequest!.headers.authorization).toBe('Bearer not-needed');
    fake.enqueue({ text: 'vLLM 응답' });
    const local = openaiCompatible.languageModel('Qwen/Qwen2.5-7B-Instruct', { baseURL: `${fake.url}/v1` });
    expect((await local.generate(ask)).text).toBe('vLLM 응답');
    expect(fake.lastRequest!.body.model).toBe('Qwen/Qwen2.5-7B-Instruct');
    const error = await openaiCompatible.languageModel('m', {}).generate(ask).catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error) && /baseURL/.test((error as Error).message)).toBe(true);
  });

  it('sends OpenAI organization ids to OpenAI only', async () => {
    process.env.OPENAI_ORG_ID = 'org-from-env';
    await openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'k-123456', organization: 'org-123', project: 'proj_1' }).generate(ask);
    expect(fake.lastRequest!.headers).toMatchObject({ 'openai-organization': 'org-123', 'openai-project': 'proj_1' });
    await upstage.languageModel('solar-pro', { baseURL: `${fake.url}/v1`, apiKey: 'k-123456' }).generate(ask);
    expect(fake.lastRequest!.headers['openai-organization']).toBeUndefined();
  });

  it('SDK retries are off by default and honour maxRetries when given', async () => {
    fake.injectFault({ status: 500, headers: { 'retry-after-ms': '1' } }).injectFault({ status: 500, headers: { 'retry-after-ms': '1' } });
    fake.enqueue({ text: '세 번째에 성공' });
    const response = await openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'k-123456', maxRetries: 2 }).generate(ask);
    expect(response.text).toBe('세 번째에 성공');
    expect(fake.requests).toHaveLength(3);
  });
});

describe('createOpenAICompatible', () => {
  it('makes a provider for any compatible server with its own key variable and matcher', async () => {
    process.env.TOGETHER_FAKE_KEY = 'tg-key-123456';
    try {
      const together = createOpenAICompatible({ name: 'together', baseURL: `${fake.url}/v1`, apiKeyEnv: 'TOGETHER_FAKE_KEY', matches: (id) => id.startsWith('meta-llama/') });
      expect(together.matches('meta-llama/Llama-3.3-70B')).toBe(true);
      expect(together.matches('gpt-4o')).toBe(false);
      expect(together.imageModel).toBeUndefined();
      const model = together.languageModel('meta-llama/Llama-3.3-70B', {});
      expect(model.provider).toBe('together');
      await model.generate(ask);
      expect(fake.lastRequest!.headers.authorization).toBe('Bearer tg-key-123456');
      const quiet = createOpenAICompatible({ name: 'old-server', baseURL: `${fake.url}/v1`, streamUsage: false, structuredOutputs: false });
      const events = [];
      for await (const event of quiet.languageModel('m', {}).stream({ ...ask, responseFormat: { type: 'json', schema: { type: 'object' } } })) events.push(event);
      expect(fake.lastRequest!.body).not.toHaveProperty('stream_options');
      expect(fake.lastRequest!.body.response_format).toEqual({ type: 'json_object' });
      expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { input: 0, output: 0, total: 0 } });
    } finally {
      delete process.env.TOGETHER_FAKE_KEY;
    }
  });
});
