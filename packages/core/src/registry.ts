import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError, ModelNotFoundError, ProviderNotInstalledError } from './errors.js';
import { mockProvider } from './mock-model.js';
import type { ProviderDefinition } from './types.js';

interface BuiltinRoute {
  provider: string;
  packageName: string;
  patterns: RegExp[];
  describe: string;
}

/** Bare model names → built-in providers, in order. */
const BUILTIN_ROUTES: BuiltinRoute[] = [
  { provider: 'google', packageName: '@llm/providers-google', patterns: [/^gemini-/, /^text-embedding-004$/, /^gemini-embedding-/], describe: 'gemini-*, text-embedding-004, gemini-embedding-* → google' },
  { provider: 'openai', packageName: '@llm/providers-openai', patterns: [/^gpt-/, /^o[134](?:$|-)/, /^chatgpt-/, /^text-embedding-/, /^dall-e-/, /^gpt-image-/], describe: 'gpt-*, o1*/o3*/o4*, chatgpt-*, text-embedding-*, dall-e-*, gpt-image-* → openai' },
  { provider: 'anthropic', packageName: '@llm/providers-anthropic', patterns: [/^claude-/], describe: 'claude-* → anthropic' },
  { provider: 'upstage', packageName: '@llm/providers-openai', patterns: [/^solar-/, /^embedding-(?:query|passage)$/], describe: 'solar-*, embedding-query, embedding-passage → upstage' },
  { provider: 'ollama', packageName: '@llm/providers-ollama', patterns: [/^(?:llama|mistral|qwen|gemma|nomic-embed-text|phi|deepseek-r1)/, /:[^:/]+$/], describe: 'llama*, mistral*, qwen*, gemma*, nomic-embed-text, phi*, deepseek-r1*, name:tag → ollama' },
];

/** `provider:` prefixes and the package serving each. */
const PREFIX_PACKAGES: Record<string, string> = {
  openai: '@llm/providers-openai', upstage: '@llm/providers-openai', openrouter: '@llm/providers-openai',
  'openai-compatible': '@llm/providers-openai', anthropic: '@llm/providers-anthropic', google: '@llm/providers-google',
  ollama: '@llm/providers-ollama',
};

const registered = new Map<string, ProviderDefinition>();
registered.set(mockProvider.name, mockProvider);

/**
 * Registers a provider (a third-party one, or a built-in one explicitly, which bundlers need).
 * A registered provider wins over the built-in routing for the names it `matches`.
 * @example registerProvider(openai)
 */
export function registerProvider(definition: ProviderDefinition): void {
  if (!definition || typeof definition.name !== 'string' || typeof definition.languageModel !== 'function' || typeof definition.matches !== 'function') {
    throw new ConfigurationError('registerProvider() needs a ProviderDefinition: { name, matches(modelId), languageModel(modelId, options) }.');
  }
  registered.set(definition.name, definition);
}

/** The registered provider with this name, if any. */
export function getRegisteredProvider(name: string): ProviderDefinition | undefined {
  return registered.get(name);
}

/** Where a model name leads: provider name, model id without prefix, and the package that serves it. */
export interface ModelRoute {
  provider: string;
  modelId: string;
  packageName?: string;
}

/** Routes a model name to its provider. Throws ModelNotFoundError listing the patterns when nothing matches. */
export function routeModel(model: string): ModelRoute {
  if (typeof model !== 'string' || !model.trim()) {
    throw new ModelNotFoundError('A model name is required, e.g. LLM.create("gpt-4o-mini") or LLM.create("mock").');
  }
  if (model === 'mock' || model.startsWith('mock:')) return { provider: 'mock', modelId: model };
  const colon = model.indexOf(':');
  if (colon > 0) {
    const prefix = model.slice(0, colon);
    const rest = model.slice(colon + 1);
    if (registered.has(prefix) || PREFIX_PACKAGES[prefix]) return { provider: prefix, modelId: rest, packageName: PREFIX_PACKAGES[prefix] };
  }
  for (const definition of registered.values()) {
    if (definition.name !== 'mock' && definition.matches(model)) return { provider: definition.name, modelId: model };
  }
  for (const route of BUILTIN_ROUTES) {
    if (route.patterns.some((p) => p.test(model))) return { provider: route.provider, modelId: model, packageName: route.packageName };
  }
  const known = BUILTIN_ROUTES.map((r) => `  ${r.describe}`).join('\n');
  throw new ModelNotFoundError(
    `No provider serves the model "${model}". Known patterns:\n${known}\n  mock, mock:* → the offline mock model\n` +
      'Use an explicit "provider:model" (e.g. "openai:my-finetune", "openrouter:deepseek/deepseek-chat") or registerProvider() a provider that matches it.',
  );
}

/** Finds a package from the application's working directory (for apps whose core is installed elsewhere). */
function resolveFromCwd(packageName: string): string | undefined {
  let dir = process.cwd();
  for (;;) {
    const pkgDir = join(dir, 'node_modules', packageName);
    if (existsSync(join(pkgDir, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: { '.'?: { import?: string } }; main?: string };
      const entry = pkg.exports?.['.']?.import ?? pkg.main ?? 'index.js';
      return pathToFileURL(join(pkgDir, entry)).href;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND' || /Cannot find (?:module|package)|Failed to load url/.test(e?.message ?? '')) &&
    (e?.message ?? '').includes(packageName);
}

const loading = new Map<string, Promise<void>>();

/**
 * Imports an optional package of the toolkit: from core's own location first (npm and hoisted installs, pnpm peers),
 * then from the application's working directory. Undefined when neither has it.
 */
export async function importOptionalPackage<T>(packageName: string): Promise<T | undefined> {
  try {
    return (await import(/* @vite-ignore */ packageName)) as T;
  } catch (error) {
    if (!isModuleNotFound(error, packageName)) throw error;
    const url = resolveFromCwd(packageName);
    return url ? ((await import(/* @vite-ignore */ url)) as T) : undefined;
  }
}

async function importProviderPackage(packageName: string): Promise<void> {
  const mod = await importOptionalPackage<{ providers?: ProviderDefinition[] }>(packageName);
  if (!mod) throw new ProviderNotInstalledError(packageName);
  for (const definition of mod.providers ?? []) if (!registered.has(definition.name)) registered.set(definition.name, definition);
}

/** The provider for a route, importing its package the first time it is needed. */
export async function loadProvider(route: ModelRoute): Promise<ProviderDefinition> {
  const existing = registered.get(route.provider);
  if (existing) return existing;
  if (!route.packageName) throw new ModelNotFoundError(`The provider "${route.provider}" is not registered. Call registerProvider() first.`);
  let pending = loading.get(route.packageName);
  if (!pending) {
    pending = importProviderPackage(route.packageName);
    loading.set(route.packageName, pending);
    pending.catch(() => loading.delete(route.packageName!));
  }
  await pending;
  const definition = registered.get(route.provider);
  if (!definition) throw new ProviderNotInstalledError(route.packageName);
  return definition;
}
