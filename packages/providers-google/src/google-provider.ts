import type { ProviderDefinition } from '@llm/core';
import { GoogleChatLanguageModel } from './google-chat-language-model.js';
import { GoogleClientFactory, resolveGoogleSettings, type GoogleProviderOptions } from './google-client.js';
import { GoogleEmbeddingModel, type GoogleEmbeddingOptions } from './google-embedding-model.js';

// text-embedding-004 (not OpenAI's text-embedding-3-small / -ada-002), gemini-embedding-*, embedding-001.
const EMBEDDING_MODEL = /^(models\/)?(text-embedding-\d{3}$|gemini-embedding-|embedding-\d{3}$)/;
const CHAT_MODEL = /^(models\/)?gemini-/;

/** Options of `createGoogle`: defaults for every model it creates (per-model options override them). */
export type GoogleProviderSettings = GoogleProviderOptions & GoogleEmbeddingOptions;

/**
 * Creates the Google Gemini provider definition. `google` is one made with no defaults; use this to set defaults
 * (a logger, an API version) for every model.
 * @example
 * registerProvider(createGoogle({ apiVersion: 'v1beta', logger: pino() }));
 */
export function createGoogle(defaults: GoogleProviderSettings = {}): ProviderDefinition {
  return {
    name: 'google',
    matches: (modelId) => CHAT_MODEL.test(modelId) || EMBEDDING_MODEL.test(modelId),
    isEmbeddingModel: (modelId) => EMBEDDING_MODEL.test(modelId),
    languageModel(modelId, options) {
      const settings = resolveGoogleSettings({ ...defaults, ...options });
      return new GoogleChatLanguageModel(modelId, new GoogleClientFactory(settings));
    },
    embeddingModel(modelId, options) {
      const merged: GoogleProviderSettings = { ...defaults, ...options };
      return new GoogleEmbeddingModel(modelId, new GoogleClientFactory(resolveGoogleSettings(merged)), {
        dimensions: merged.dimensions,
        taskType: merged.taskType,
      });
    },
  };
}

/**
 * The Google Gemini provider (`@google/genai`): `gemini-*` chat models and `text-embedding-004` /
 * `gemini-embedding-*` embeddings. Reads `GOOGLE_API_KEY` (or `GEMINI_API_KEY`) and `GOOGLE_BASE_URL`.
 * @example
 * registerProvider(google);
 * const llm = LLM.create('gemini-2.5-flash');
 */
export const google: ProviderDefinition = createGoogle();

/** Every provider definition of this package; core registers them when it loads the package. */
export const providers: ProviderDefinition[] = [google];
