import { runProviderConformance, FakeAnthropicServer } from '@llm/testkit';
import { anthropic } from './anthropic-provider.js';

const server = new FakeAnthropicServer();

runProviderConformance({
  name: 'anthropic (fake Messages API server, real @anthropic-ai/sdk)',
  setup: async () => {
    await server.start();
  },
  teardown: () => server.close(),
  createModel: () => {
    server.reset();
    return anthropic.languageModel('claude-haiku-4-5', { baseURL: server.url, apiKey: 'sk-ant-test-conformance' });
  },
  script: (reply) => {
    server.enqueue(reply);
  },
});
