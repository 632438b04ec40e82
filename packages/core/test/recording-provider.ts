import { mockProvider, registerProvider, type MockResponse, type ProviderRequest } from '@llm/core';

/** A provider named `rec-<id>` that answers like the mock and records every request it gets. */
export function recordingProvider(id: string, responses: MockResponse[] = [], options: { structured?: boolean } = {}) {
  const requests: ProviderRequest[] = [];
  const name = `rec-${id}`;
  const inner = mockProvider.languageModel('mock', { responses });
  registerProvider({
    name,
    matches: (model) => model === name,
    languageModel: () => ({
      provider: name,
      modelId: name,
      supportsStructuredOutput: options.structured ?? true,
      generate: (r) => { requests.push(r); return inner.generate(r); },
      stream: (r) => { requests.push(r); return inner.stream(r); },
    }),
  });
  return { name, requests };
}
