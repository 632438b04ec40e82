export { ollama, providers, createOllama, type OllamaProviderSettings } from './ollama-provider.js';
export { OllamaChatLanguageModel } from './ollama-chat-language-model.js';
export { OllamaEmbeddingModel } from './ollama-embedding-model.js';
export { resolveOllamaSettings, ollamaModelName, postToOllama, type OllamaProviderOptions, type OllamaSettings, type OllamaReply } from './ollama-client.js';
export { convertToOllamaMessages } from './convert-to-ollama-messages.js';
export { mapOllamaFinishReason } from './map-ollama-finish-reason.js';
export { ollamaHttpError, ollamaNetworkError, ollamaStreamError, type OllamaErrorContext } from './ollama-error.js';
export { readNdjsonLines } from './ndjson-stream.js';
export type { OllamaChatRequest, OllamaChatResponse, OllamaEmbedResponse, OllamaMessage, OllamaTool, OllamaToolCall } from './ollama-api-types.js';
