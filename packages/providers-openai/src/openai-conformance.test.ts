import type { LanguageModel } from '@llm/core';
import { FakeOpenAIServer, runProviderConformance } from '@llm/testkit';
import { openai, openaiCompatible, upstage } from './openai-provider.js';

const fake = new FakeOpenAIServer();
let started = 0;
const setup = async () => {
  if (started++ === 0) await fake.start();
  fake.reset();
};
const teardown = async () => {
  if (--started === 0) await fake.close();
};

// The same suite through the real `openai` SDK, for OpenAI itself and two compatible definitions.
const cases: [string, () => LanguageModel][] = [
  ['openai', () => openai.languageModel('gpt-4o-mini', { baseURL: `${fake.url}/v1`, apiKey: 'test-key' })],
  ['upstage', () => upstage.languageModel('solar-pro', { baseURL: `${fake.url}/v1`, apiKey: 'up_test_key' })],
  ['openai-compatible without a key', () => openaiCompatible.languageModel('qwen2.5-7b-instruct', { baseURL: fake.url })],
];
for (const [name, createModel] of cases) {
  runProviderConformance({ name: `${name} (fake server, real SDK)`, setup, teardown, createModel, script: (reply) => void fake.enqueue(reply) });
}
