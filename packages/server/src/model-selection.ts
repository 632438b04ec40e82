import { ConfigurationError, routeModel } from '@llm/core';

/** The model each provider answers with when only its key is set, in the order they are tried. */
export const PROVIDER_DEFAULT_MODELS: readonly { env: string; model: string }[] = [
  { env: 'OPENAI_API_KEY', model: 'gpt-4o-mini' },
  { env: 'ANTHROPIC_API_KEY', model: 'claude-3-5-haiku-latest' },
  { env: 'GOOGLE_API_KEY', model: 'gemini-2.0-flash' },
  { env: 'GEMINI_API_KEY', model: 'gemini-2.0-flash' },
  { env: 'UPSTAGE_API_KEY', model: 'solar-mini' },
  { env: 'OPENROUTER_API_KEY', model: 'openrouter:openai/gpt-4o-mini' },
  { env: 'OLLAMA_BASE_URL', model: 'llama3.2' },
];

/** Which environment variable holds each provider's key (the mock needs none). */
const PROVIDER_KEYS: Record<string, string[]> = {
  openai: ['OPENAI_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  upstage: ['UPSTAGE_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  ollama: [],
  mock: [],
};

/** The models the server answers with, and why it chose them. */
export interface ModelSelection {
  /** The primary model. */
  model: string;
  /** Fallbacks in order (the mock last when `mockFallback`). */
  fallbacks: string[];
  /** Where the primary model came from. */
  source: 'option' | 'LLM_MODEL' | 'provider key' | 'mock';
  /** The environment variable whose key chose the model, for `source: 'provider key'`. */
  keyVariable?: string;
}

function parseList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function checkModel(name: string, where: string): string {
  try {
    routeModel(name);
  } catch (error) {
    throw new ConfigurationError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return name;
}

/**
 * Chooses the models: the given option, else `LLM_MODEL`, else the first provider whose key is set, else the mock.
 * Fallbacks come from the option or `LLM_FALLBACKS`; the mock is appended unless `mockFallback` is false.
 * @example selectModels({}, { OPENAI_API_KEY: 'sk-…' }) // { model: 'gpt-4o-mini', fallbacks: ['mock'], source: 'provider key' }
 */
export function selectModels(options: { model?: string; fallbacks?: string[]; mockFallback?: boolean }, env: Record<string, string | undefined>): ModelSelection {
  let selection: Pick<ModelSelection, 'model' | 'source' | 'keyVariable'>;
  if (options.model) selection = { model: checkModel(options.model, 'The `model` option'), source: 'option' };
  else if (env.LLM_MODEL?.trim()) selection = { model: checkModel(env.LLM_MODEL.trim(), 'LLM_MODEL'), source: 'LLM_MODEL' };
  else {
    const found = PROVIDER_DEFAULT_MODELS.find((p) => env[p.env]?.trim());
    selection = found ? { model: found.model, source: 'provider key', keyVariable: found.env } : { model: 'mock', source: 'mock' };
  }
  const fallbacks = (options.fallbacks ?? parseList(env.LLM_FALLBACKS)).map((f) => checkModel(f, 'LLM_FALLBACKS'));
  const chain = fallbacks.filter((f) => f !== selection.model);
  if (options.mockFallback !== false && selection.model !== 'mock' && !chain.includes('mock')) chain.push('mock');
  return { ...selection, fallbacks: chain };
}

/** Whether the key a model needs is set (always true for the mock and Ollama). */
export function hasProviderKey(model: string, env: Record<string, string | undefined>): boolean {
  const { provider } = routeModel(model);
  const keys = PROVIDER_KEYS[provider];
  if (!keys) return true;
  return keys.length === 0 || keys.some((k) => !!env[k]?.trim());
}

/** The provider a model routes to (`openai`, `mock`, ...). */
export function providerOf(model: string): string {
  return routeModel(model).provider;
}

/** Every secret-looking value in the environment (API keys), so logs and responses can strip them. */
export function secretValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /(_API_KEY|_TOKEN|_TOKENS|_SECRET|PASSWORD)$/.test(name) && !!value && value.length >= 6)
    .map(([, value]) => value as string);
}
