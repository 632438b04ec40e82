import { describe, expect, it } from 'vitest';
import { LLM, ModelNotFoundError, ProviderNotInstalledError, loadProvider, registerProvider, routeModel, mockProvider } from '@llm/core';

describe('model routing', () => {
  const cases: [string, string, string][] = [
    ['gpt-4o-mini', 'openai', 'gpt-4o-mini'], ['o1-mini', 'openai', 'o1-mini'], ['o3', 'openai', 'o3'], ['o4-mini', 'openai', 'o4-mini'],
    ['chatgpt-4o-latest', 'openai', 'chatgpt-4o-latest'], ['text-embedding-3-small', 'openai', 'text-embedding-3-small'], ['dall-e-3', 'openai', 'dall-e-3'], ['gpt-image-1', 'openai', 'gpt-image-1'],
    ['claude-3-5-haiku-latest', 'anthropic', 'claude-3-5-haiku-latest'], ['gemini-2.0-flash', 'google', 'gemini-2.0-flash'],
    ['text-embedding-004', 'google', 'text-embedding-004'], ['gemini-embedding-001', 'google', 'gemini-embedding-001'],
    ['solar-pro', 'upstage', 'solar-pro'], ['embedding-query', 'upstage', 'embedding-query'], ['embedding-passage', 'upstage', 'embedding-passage'],
    ['llama3.2', 'ollama', 'llama3.2'], ['mistral', 'ollama', 'mistral'], ['qwen2.5:7b', 'ollama', 'qwen2.5:7b'], ['gemma3', 'ollama', 'gemma3'],
    ['nomic-embed-text', 'ollama', 'nomic-embed-text'], ['phi4', 'ollama', 'phi4'], ['deepseek-r1:8b', 'ollama', 'deepseek-r1:8b'],
    ['my-model:latest', 'ollama', 'my-model:latest'],
    ['openrouter:deepseek/deepseek-chat', 'openrouter', 'deepseek/deepseek-chat'], ['ollama:llama3.2', 'ollama', 'llama3.2'],
    ['openai:my-finetune', 'openai', 'my-finetune'], ['openai-compatible:local-model', 'openai-compatible', 'local-model'],
    ['anthropic:gpt-lookalike', 'anthropic', 'gpt-lookalike'], ['mock', 'mock', 'mock'], ['mock:fast', 'mock', 'mock:fast'],
  ];
  it.each(cases)('%s → %s', (model, provider, modelId) => {
    const route = routeModel(model);
    expect(route.provider).toBe(provider);
    expect(route.modelId).toBe(modelId);
  });

  it('names the package that serves each built-in provider', () => {
    expect(routeModel('solar-pro').packageName).toBe('@llm/providers-openai');
    expect(routeModel('claude-3-5-haiku-latest').packageName).toBe('@llm/providers-anthropic');
    expect(routeModel('gemini-2.0-flash').packageName).toBe('@llm/providers-google');
    expect(routeModel('llama3.2').packageName).toBe('@llm/providers-ollama');
  });

  it('throws ModelNotFoundError listing the patterns for unknown names', () => {
    let error: unknown;
    try {
      LLM.create('totally-unknown-model');
    } catch (e) {
      error = e;
    }
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('claude-* → anthropic');
    expect((error as Error).message).toContain('provider:model');
  });

  it('throws ProviderNotInstalledError naming the package when it cannot be loaded', async () => {
    const error = await loadProvider({ provider: 'nowhere', modelId: 'x', packageName: '@llm/providers-does-not-exist' }).catch((e: unknown) => e);
    expect(ProviderNotInstalledError.isInstance(error)).toBe(true);
    expect((error as ProviderNotInstalledError).packageName).toBe('@llm/providers-does-not-exist');
    expect((error as Error).message).toContain('pnpm add @llm/providers-does-not-exist');
  });

  it('lets a registered third-party provider claim names and a prefix', async () => {
    registerProvider({ ...mockProvider, name: 'acme', matches: (id) => id.startsWith('acme-') });
    expect(routeModel('acme-1')).toEqual({ provider: 'acme', modelId: 'acme-1' });
    expect(routeModel('acme:whatever').provider).toBe('acme');
    const reply = await LLM.create('acme-1', { responses: ['from acme'] }).ask('hi');
    expect(reply.text).toBe('from acme');
  });

  it('rejects a malformed provider definition', () => {
    expect(() => registerProvider({ name: 'bad' } as never)).toThrow(/ProviderDefinition/);
  });
});
