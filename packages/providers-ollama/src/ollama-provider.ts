import type { ProviderDefinition } from '@llm/core';
import { OllamaChatLanguageModel } from './ollama-chat-language-model.js';
import { resolveOllamaSettings, type OllamaProviderOptions } from './ollama-client.js';
import { OllamaEmbeddingModel } from './ollama-embedding-model.js';

const FAMILIES = /^(llama|mistral|qwen|gemma|nomic-embed-text|phi|deepseek-r1)/;
/** `name:tag` (the tag after the last `/`, so a registry host's port does not count). */
const TAGGED = /:[^:/]+$/;
/** nomic-embed-text, mxbai-embed-large, snowflake-arctic-embed, granite-embedding, all-minilm, bge-m3... */
const EMBEDDING_MODEL = /embed|all-minilm|(^|\/)bge-|paraphrase-multilingual/;

/** Options of `createOllama`: defaults for every model it creates, plus `dimensions` for embedding models. */
export type OllamaProviderSettings = OllamaProviderOptions & { dimensions?: number };

/**
 * Creates the Ollama provider definition with defaults (a base URL, `think`, `keepAlive`, model options).
 * @example
 * registerProvider(createOllama({ baseURL: 'http://gpu-box:11434', keepAlive: '30m' }));
 */
export function createOllama(defaults: OllamaProviderSettings = {}): ProviderDefinition {
  return {
    name: 'ollama',
    matches: (modelId) => FAMILIES.test(modelId) || TAGGED.test(modelId),
    isEmbeddingModel: (modelId) => EMBEDDING_MODEL.test(modelId),
    languageModel: (modelId, options) => new OllamaChatLanguageModel(modelId, resolveOllamaSettings({ ...defaults, ...options })),
    embeddingModel(modelId, options) {
      const merged: OllamaProviderSettings = { ...defaults, ...options };
      return new OllamaEmbeddingModel(modelId, resolveOllamaSettings(merged), merged.dimensions);
    },
  };
}

/**
 * The Ollama provider: local models over Ollama's native API (`llama*`, `mistral*`, `qwen*`, `gemma*`, `phi*`,
 * `deepseek-r1*`, `nomic-embed-text`, and any `name:tag`). Reads `OLLAMA_BASE_URL` (default
 * `http://127.0.0.1:11434`); needs no key.
 * @example
 * registerProvider(ollama);
 * const llm = LLM.create('llama3.2');
 */
export const ollama: ProviderDefinition = createOllama();

/** Every provider definition of this package; core registers them when it loads the package. */
export const providers: ProviderDefinition[] = [ollama];
