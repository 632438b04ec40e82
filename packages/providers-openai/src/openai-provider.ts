import type { ProviderDefinition } from '@llm/core';
import { createOpenAICompatible } from './openai-compatible-provider.js';
import { isOpenAIEmbeddingModel, isOpenAIImageModel, matchesOpenAIModel } from './openai-model-capabilities.js';

/**
 * OpenAI: `gpt-*`, `o1*`, `o3*`, `o4*`, `chatgpt-*`, `text-embedding-*`, `dall-e-*`, `gpt-image-*`.
 * Key from `OPENAI_API_KEY`, base URL from `OPENAI_BASE_URL` (default `https://api.openai.com/v1`).
 * @example registerProvider(openai); const llm = LLM.create('gpt-4o-mini');
 */
export const openai: ProviderDefinition = createOpenAICompatible({
  name: 'openai',
  label: 'OpenAI',
  baseURL: 'https://api.openai.com/v1',
  apiKeyEnv: 'OPENAI_API_KEY',
  baseURLEnv: 'OPENAI_BASE_URL',
  matches: matchesOpenAIModel,
  isEmbeddingModel: isOpenAIEmbeddingModel,
  isImageModel: isOpenAIImageModel,
  openAIAccountHeaders: true,
});

/**
 * Upstage Solar: `solar-*` chat models and the `embedding-query` / `embedding-passage` embedding models.
 * Key from `UPSTAGE_API_KEY`, base URL from `UPSTAGE_BASE_URL` (default `https://api.upstage.ai/v1`).
 */
export const upstage: ProviderDefinition = createOpenAICompatible({
  name: 'upstage',
  label: 'Upstage',
  baseURL: 'https://api.upstage.ai/v1',
  apiKeyEnv: 'UPSTAGE_API_KEY',
  baseURLEnv: 'UPSTAGE_BASE_URL',
  matches: (modelId) => modelId.startsWith('solar-') || modelId === 'embedding-query' || modelId === 'embedding-passage',
  isEmbeddingModel: (modelId) => /^(?:solar-)?embedding-/.test(modelId),
});

/**
 * OpenRouter, only by prefix: `openrouter:anthropic/claude-3.5-sonnet`. Key from `OPENROUTER_API_KEY`,
 * base URL `https://openrouter.ai/api/v1` (`OPENROUTER_BASE_URL` overrides it).
 */
export const openrouter: ProviderDefinition = createOpenAICompatible({
  name: 'openrouter',
  label: 'OpenRouter',
  baseURL: 'https://openrouter.ai/api/v1',
  apiKeyEnv: 'OPENROUTER_API_KEY',
  baseURLEnv: 'OPENROUTER_BASE_URL',
  isEmbeddingModel: (modelId) => /embed/i.test(modelId),
});

/**
 * Any OpenAI-compatible server (vLLM, LM Studio, llama.cpp server) by prefix and `baseURL`; the key is
 * optional: `LLM.create('openai-compatible:qwen2.5-7b-instruct', { baseURL: 'http://localhost:8000/v1' })`.
 */
export const openaiCompatible: ProviderDefinition = createOpenAICompatible({
  name: 'openai-compatible',
  label: 'The OpenAI-compatible server',
  apiKeyRequired: false,
  isEmbeddingModel: (modelId) => /embed/i.test(modelId),
});

/** Every provider definition of this package; core's `LLM.create` registers them when it loads the package. */
export const providers: ProviderDefinition[] = [openai, upstage, openrouter, openaiCompatible];
