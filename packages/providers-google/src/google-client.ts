import { GoogleGenAI, type HttpOptions } from '@google/genai';
import { ConfigurationError, type LLMError, type Logger, type ProviderOptions } from '@llm/core';
import { mapGoogleError } from './google-error.js';

/** Options of the Google provider: core's provider options plus Gemini's own. */
export interface GoogleProviderOptions extends ProviderOptions {
  /** API key. Default: `GOOGLE_API_KEY`, then `GEMINI_API_KEY`. */
  apiKey?: string;
  /** Base URL of the Gemini API (without the version). Default: `GOOGLE_BASE_URL`, else Google's endpoint. */
  baseURL?: string;
  /** API version path segment. Default `v1beta`. */
  apiVersion?: string;
  /** Where the structured-output schema converter reports dropped constructs. Default: `console`. */
  logger?: Pick<Logger, 'warn'>;
}

/** Settings resolved once, when a model is created (environment read then, not at import). */
export interface GoogleSettings {
  options: GoogleProviderOptions;
  apiKey?: string;
  baseURL?: string;
  /** True when the base URL is a loopback server, where no key is needed. */
  local: boolean;
}

const LOCAL_PLACEHOLDER_KEY = 'local-no-key';

function isLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** Reads the API key and base URL from the options, then the environment. */
export function resolveGoogleSettings(options: GoogleProviderOptions = {}): GoogleSettings {
  const apiKey = options.apiKey ?? (process.env.GOOGLE_API_KEY || process.env.GEMINI_API_KEY || undefined);
  const baseURL = options.baseURL ?? (process.env.GOOGLE_BASE_URL || undefined);
  return { options, apiKey, baseURL, local: isLoopback(baseURL) };
}

/** One SDK call: per-call HTTP options (a fetch that remembers the response status and headers) and the error mapper. */
export interface GoogleCall {
  client: GoogleGenAI;
  httpOptions: HttpOptions;
  /** Maps a failure of this call to core's error classes. */
  fail(error: unknown): LLMError;
}

/**
 * A lazily created `GoogleGenAI` client shared by the chat and embedding models of one provider instance. The key
 * is checked at call time, so routing works without one.
 */
export class GoogleClientFactory {
  private client?: GoogleGenAI;

  constructor(readonly settings: GoogleSettings) {}

  private getClient(model: string): GoogleGenAI {
    if (this.client) return this.client;
    const { options, baseURL, local } = this.settings;
    const apiKey = this.settings.apiKey ?? (local ? LOCAL_PLACEHOLDER_KEY : undefined);
    if (!apiKey) {
      throw new ConfigurationError(
        `Google Gemini needs an API key for ${model}: set GOOGLE_API_KEY (or GEMINI_API_KEY), or pass the apiKey option.`,
        { provider: 'google', model },
      );
    }
    const maxRetries = options.maxRetries ?? 0;
    this.client = new GoogleGenAI({
      apiKey,
      vertexai: false,
      apiVersion: options.apiVersion,
      httpOptions: {
        ...(baseURL ? { baseUrl: baseURL } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        // Core owns retries; the SDK retries only when asked to explicitly.
        ...(maxRetries > 0 ? { retryOptions: { attempts: maxRetries + 1 } } : {}),
      },
    });
    return this.client;
  }

  /** Prepares one call: the client (or a ConfigurationError), per-call HTTP options and the error mapper. */
  start(model: string, signal: AbortSignal | undefined): GoogleCall {
    const baseFetch = this.settings.options.fetch;
    let response: { status: number; headers: Headers } | undefined;
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const res = await (baseFetch ?? globalThis.fetch)(input, init);
      response = { status: res.status, headers: res.headers };
      return res;
    };
    const fail = (error: unknown) =>
      mapGoogleError(error, { model, apiKey: this.settings.apiKey, baseURL: this.settings.baseURL, signal, response });
    try {
      return { client: this.getClient(model), httpOptions: { fetch }, fail };
    } catch (error) {
      throw fail(error);
    }
  }
}
