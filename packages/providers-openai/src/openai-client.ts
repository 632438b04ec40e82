import OpenAI from 'openai';
import { ConfigurationError, type ProviderOptions } from '@llm/core';
import { isLocalBaseURL } from './openai-model-capabilities.js';
import type { OpenAIErrorContext } from './openai-error.js';
import { undiciFetch } from './undici-fetch.js';

/** How one OpenAI-compatible provider is set up (`createOpenAICompatible`'s argument). */
export interface OpenAICompatibleConfig {
  /** Provider name: the `name:` prefix of model strings and `reply.provider`. */
  name: string;
  /** Default base URL (e.g. `https://api.upstage.ai/v1`). Without one, `baseURL` must be passed. */
  baseURL?: string;
  /** Environment variable holding the API key (read when a model is created). */
  apiKeyEnv?: string;
  /** Environment variable overriding the base URL (read when a model is created). */
  baseURLEnv?: string;
  /** Whether requests need a key (default: true when `apiKeyEnv` is set). Local base URLs never need one. */
  apiKeyRequired?: boolean;
  /** Which bare model names (without `name:` prefix) belong to this provider. Default: none. */
  matches?: (modelId: string) => boolean;
  /** Which model ids are embedding models. */
  isEmbeddingModel?: (modelId: string) => boolean;
  /** Which model ids are image models (served by `/images/generations`). */
  isImageModel?: (modelId: string) => boolean;
  /** Headers sent with every request (options' `headers` add to them). */
  headers?: Record<string, string>;
  /** Whether the server enforces `response_format: json_schema` (default true). False sends `json_object`. */
  structuredOutputs?: boolean;
  /** Whether streams ask for the usage chunk (`stream_options.include_usage`, default true); off for servers that reject it. */
  streamUsage?: boolean;
  /** Whether to send OpenAI organization/project ids (`OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`); only OpenAI itself. */
  openAIAccountHeaders?: boolean;
  /** A human name for error messages (default: `name`). */
  label?: string;
}

/** A resolved connection: settings read once at model creation, the SDK client built on first use. */
export interface OpenAIClientContext extends OpenAIErrorContext {
  config: OpenAICompatibleConfig;
  options: ProviderOptions;
  /** The SDK client. Throws ConfigurationError when the key or base URL is missing. */
  client(): OpenAI;
}

const PLACEHOLDER_KEY = 'not-needed';

function fromEnv(name: string | undefined): string | undefined {
  const value = name ? process.env[name] : undefined;
  return value ? value : undefined;
}

function optionString(options: ProviderOptions, key: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** Reads the key and base URL (options first, then the environment, then the provider's default). */
export function createOpenAIClientContext(config: OpenAICompatibleConfig, modelId: string, options: ProviderOptions): OpenAIClientContext {
  const baseURL = options.baseURL || fromEnv(config.baseURLEnv) || config.baseURL;
  const apiKey = options.apiKey || fromEnv(config.apiKeyEnv);
  let client: OpenAI | undefined;
  const label = config.label ?? config.name;
  const build = (): OpenAI => {
    if (!baseURL) {
      throw new ConfigurationError(
        `${label} needs a base URL for "${modelId}": pass { baseURL: 'http://localhost:8000/v1' } (the server's OpenAI-compatible endpoint)${config.baseURLEnv ? ` or set ${config.baseURLEnv}` : ''}.`,
        { provider: config.name, model: modelId },
      );
    }
    const required = config.apiKeyRequired ?? config.apiKeyEnv !== undefined;
    if (!apiKey && required && !isLocalBaseURL(baseURL)) {
      throw new ConfigurationError(
        `The ${label} API key is missing for "${modelId}". Set the ${config.apiKeyEnv} environment variable or pass { apiKey } to LLM.create.`,
        { provider: config.name, model: modelId },
      );
    }
    const account = config.openAIAccountHeaders
      ? { organization: optionString(options, 'organization'), project: optionString(options, 'project') }
      : { organization: null, project: null };
    return new OpenAI({
      apiKey: apiKey ?? PLACEHOLDER_KEY,
      baseURL,
      ...account,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 0,
      // No empty header object: the SDK walks its default headers on every request.
      ...(config.headers || options.headers ? { defaultHeaders: { ...config.headers, ...options.headers } } : {}),
      // undici's request API under the SDK unless the caller brings a fetch (`fetch: globalThis.fetch` for Node's own).
      fetch: options.fetch ?? undiciFetch,
      // Failures surface as LLMErrors; the SDK's own console logging (raw chunks) stays off unless OPENAI_LOG asks.
      ...(process.env.OPENAI_LOG ? {} : { logLevel: 'off' as const }),
    });
  };
  return { provider: config.name, modelId, baseURL, apiKey, config, options, client: () => (client ??= build()) };
}
