export { google, providers, createGoogle, type GoogleProviderSettings } from './google-provider.js';
export { GoogleChatLanguageModel } from './google-chat-language-model.js';
export { GoogleEmbeddingModel, type GoogleEmbeddingOptions } from './google-embedding-model.js';
export { resolveGoogleSettings, GoogleClientFactory, type GoogleProviderOptions, type GoogleSettings, type GoogleCall } from './google-client.js';
export { convertToGoogleMessages, googleToolCallMetadata, type GoogleMessages, type GoogleToolCallMetadata } from './convert-to-google-messages.js';
export { mapGoogleFinishReason } from './map-google-finish-reason.js';
export { convertGoogleUsage } from './convert-google-usage.js';
export { mapGoogleError, parseGoogleDuration, retryDelayFromGoogleBody, type GoogleErrorContext } from './google-error.js';
export { toGeminiSchema, type GeminiSchemaResult } from './google-schema.js';
