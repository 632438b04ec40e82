import type { ProviderDefinition, ProviderOptions } from '@llm/core';
import { createOpenAIClientContext, type OpenAICompatibleConfig } from './openai-client.js';
import { OpenAIChatLanguageModel } from './openai-chat-language-model.js';
import { OpenAIEmbeddingModel } from './openai-embedding-model.js';
import { OpenAIImageModel } from './openai-image-model.js';

/**
 * Creates a provider for any server that speaks OpenAI's API (Chat Completions, embeddings, images). The
 * built-in `openai`, `upstage`, `openrouter` and `openaiCompatible` definitions are made with it. Keys and base
 * URLs are read from the options, then the environment, when a model is created; a missing key is reported
 * when the model is first called.
 * @example
 * const together = createOpenAICompatible({ name: 'together', baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' });
 * registerProvider(together);
 * const llm = LLM.create('together:meta-llama/Llama-3.3-70B-Instruct-Turbo');
 */
export function createOpenAICompatible(config: OpenAICompatibleConfig): ProviderDefinition {
  const isEmbeddingModel = config.isEmbeddingModel ?? (() => false);
  const definition: ProviderDefinition = {
    name: config.name,
    matches: (modelId: string) => config.matches?.(modelId) ?? false,
    languageModel: (modelId: string, options: ProviderOptions = {}) =>
      new OpenAIChatLanguageModel(createOpenAIClientContext(config, modelId, options)),
    embeddingModel: (modelId: string, options: ProviderOptions = {}) =>
      new OpenAIEmbeddingModel(createOpenAIClientContext(config, modelId, options)),
    isEmbeddingModel,
  };
  if (config.isImageModel) {
    definition.imageModel = (modelId: string, options: ProviderOptions = {}) => new OpenAIImageModel(createOpenAIClientContext(config, modelId, options));
  }
  return definition;
}
