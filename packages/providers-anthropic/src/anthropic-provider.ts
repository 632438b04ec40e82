import { ConfigurationError, type EmbeddingModel, type ProviderDefinition } from '@llm/core';
import { AnthropicChatLanguageModel, type AnthropicProviderOptions } from './anthropic-chat-language-model.js';

/** Settings shared by every model of one Anthropic provider instance (merged under each call's options). */
export type AnthropicProviderSettings = AnthropicProviderOptions;

/**
 * Creates an Anthropic provider definition. Register it with `registerProvider(createAnthropic({ ... }))`, or use
 * the ready-made `anthropic`. Model names starting with `claude-` belong to it.
 * @example
 * const proxied = createAnthropic({ baseURL: 'https://proxy.example.com', headers: { 'x-team': 'search' } });
 * const model = proxied.languageModel('claude-haiku-4-5', {});
 */
export function createAnthropic(settings: AnthropicProviderSettings = {}): ProviderDefinition {
  return {
    name: 'anthropic',
    matches: (modelId) => modelId.startsWith('claude-'),
    languageModel: (modelId, options) => new AnthropicChatLanguageModel(modelId, { ...settings, ...definedOnly(options) }),
    embeddingModel: (modelId): EmbeddingModel => {
      throw new ConfigurationError(
        `Anthropic has no embeddings API, so "${modelId}" cannot embed text. Use an embedding model of another provider: OpenAI text-embedding-3-small, Gemini text-embedding-004 or Ollama nomic-embed-text.`,
        { provider: 'anthropic', model: modelId },
      );
    },
  };
}

/** Options whose value is undefined must not hide the provider settings. */
function definedOnly(options: AnthropicProviderOptions): AnthropicProviderOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
}

/**
 * The Anthropic provider (Claude models through the Messages API), configured from `ANTHROPIC_API_KEY` and
 * `ANTHROPIC_BASE_URL` or the call's options.
 * @example
 * import { registerProvider } from '@llm/core';
 * import { anthropic } from '@llm/providers-anthropic';
 * registerProvider(anthropic);
 */
export const anthropic: ProviderDefinition = createAnthropic();

/** Every provider definition of this package (core's `LLM.create` registers them on dynamic import). */
export const providers: ProviderDefinition[] = [anthropic];
