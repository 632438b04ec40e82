export { anthropic, createAnthropic, providers, type AnthropicProviderSettings } from './anthropic-provider.js';
export {
  AnthropicChatLanguageModel,
  ANTHROPIC_DEFAULT_BASE_URL,
  type AnthropicCallArgs,
  type AnthropicProviderOptions,
} from './anthropic-chat-language-model.js';
export { mapAnthropicError, type AnthropicErrorContext } from './anthropic-error.js';
export { DEFAULT_ANTHROPIC_MAX_TOKENS, defaultMaxTokens, knownMaxOutputTokens } from './anthropic-max-tokens.js';
export { JSON_OUTPUT_TOOL_NAME, prepareAnthropicTools, type JsonToolMode, type PreparedAnthropicTools } from './anthropic-prepare-tools.js';
export { convertAnthropicUsage, type AnthropicWireUsage } from './convert-anthropic-usage.js';
export {
  ANTHROPIC_THINKING_METADATA_KEY,
  convertToAnthropicMessages,
  type AnthropicThinkingBlock,
} from './convert-to-anthropic-messages.js';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';
