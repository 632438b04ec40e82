import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@llm/core';
import * as entry from './index.js';
import { anthropic, createAnthropic, providers } from './anthropic-provider.js';
import { AnthropicChatLanguageModel } from './anthropic-chat-language-model.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

describe('the anthropic provider definition', () => {
  it('is exported by name and in providers', () => {
    expect(entry.providers).toEqual([entry.anthropic]);
    expect(providers).toEqual([anthropic]);
    expect(anthropic.name).toBe('anthropic');
  });

  it('matches claude-* model names only', () => {
    for (const id of ['claude-haiku-4-5', 'claude-3-haiku-20240307', 'claude-opus-4-5']) expect(anthropic.matches(id)).toBe(true);
    for (const id of ['gpt-4o', 'gemini-2.5-flash', 'llama3', 'my-claude-clone', 'Claude']) expect(anthropic.matches(id)).toBe(false);
  });

  it('creates language models without a key (the key is checked at call time)', () => {
    const model = anthropic.languageModel('claude-haiku-4-5', { apiKey: undefined });
    expect(model).toBeInstanceOf(AnthropicChatLanguageModel);
    expect(model).toMatchObject({ provider: 'anthropic', modelId: 'claude-haiku-4-5', supportsStructuredOutput: true });
  });

  it('lets call options override the factory settings, but not with undefined', () => {
    const custom = createAnthropic({ defaultMaxTokens: 1000 });
    const model = custom.languageModel('claude-haiku-4-5', { defaultMaxTokens: undefined }) as AnthropicChatLanguageModel;
    expect(model.getArgs({ messages: [{ role: 'user', content: '한' }] }).body.max_tokens).toBe(1000);
    const overridden = custom.languageModel('claude-haiku-4-5', { defaultMaxTokens: 10 }) as AnthropicChatLanguageModel;
    expect(overridden.getArgs({ messages: [{ role: 'user', content: '한' }] }).body.max_tokens).toBe(10);
  });

  it('has no embeddings and says which providers do', () => {
    const attempt = () => anthropic.embeddingModel!('claude-haiku-4-5', {});
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/no embeddings API.*text-embedding-3-small.*text-embedding-004.*nomic-embed-text/);
  });
});

describe('mapAnthropicFinishReason', () => {
  it('maps every documented stop reason', () => {
    expect(mapAnthropicFinishReason('end_turn')).toBe('stop');
    expect(mapAnthropicFinishReason('stop_sequence')).toBe('stop');
    expect(mapAnthropicFinishReason('tool_use')).toBe('tool-calls');
    expect(mapAnthropicFinishReason('tool_use', { jsonToolAnswered: true })).toBe('stop');
    expect(mapAnthropicFinishReason('tool_use', { jsonToolAnswered: true, hasToolCalls: true })).toBe('tool-calls');
    expect(mapAnthropicFinishReason('max_tokens')).toBe('length');
    expect(mapAnthropicFinishReason('model_context_window_exceeded')).toBe('length');
    expect(mapAnthropicFinishReason('refusal')).toBe('refusal');
    expect(mapAnthropicFinishReason('pause_turn')).toBe('other');
    expect(mapAnthropicFinishReason(null)).toBe('other');
  });
});
