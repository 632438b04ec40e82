import type { ProviderOptions } from '@llm/core';
import { ollamaHttpError, ollamaNetworkError, type OllamaErrorContext } from './ollama-error.js';

/** Options of the Ollama provider: core's provider options plus Ollama's own. */
export interface OllamaProviderOptions extends ProviderOptions {
  /** Where Ollama runs. Default: `OLLAMA_BASE_URL`, else `http://127.0.0.1:11434`. */
  baseURL?: string;
  /** Sent as `Authorization: Bearer` (Ollama behind an authenticating proxy, or ollama.com). Not needed locally. */
  apiKey?: string;
  /** Ask thinking models (deepseek-r1, qwen3, gpt-oss) to think; their thoughts become `reasoning`. */
  think?: boolean | 'low' | 'medium' | 'high';
  /** How long the model stays loaded after the call (`keep_alive`), e.g. `'10m'` or `0`. */
  keepAlive?: string | number;
  /** Extra model options (`num_ctx`, `seed`, `repeat_penalty`...), merged into the request's `options`. */
  modelOptions?: Record<string, unknown>;
}

/** Settings resolved once, when a model is created (environment read then, not at import). */
export interface OllamaSettings {
  options: OllamaProviderOptions;
  /** The server's root URL, without a trailing slash or `/api`. */
  baseURL: string;
}

/** Reads the base URL from the options, then `OLLAMA_BASE_URL`, then Ollama's default address. */
export function resolveOllamaSettings(options: OllamaProviderOptions = {}): OllamaSettings {
  const raw = options.baseURL ?? (process.env.OLLAMA_BASE_URL || 'http://127.0.0.1:11434');
  return { options, baseURL: raw.replace(/\/+$/, '').replace(/\/api$/, '') };
}

/** Ollama's default tag: a bare `llama3.2` is `llama3.2:latest` (a registry host's port is not a tag). */
export function ollamaModelName(modelId: string): string {
  const last = modelId.slice(modelId.lastIndexOf('/') + 1);
  return last.includes(':') ? modelId : `${modelId}:latest`;
}

/** An answered POST: the OK response and the context to map later failures (a broken stream) with. */
export interface OllamaReply {
  response: Response;
  ctx: OllamaErrorContext;
}

/** POSTs JSON to the Ollama server with the caller's signal and the timeout; maps every failure to core's errors. */
export async function postToOllama(settings: OllamaSettings, path: string, body: unknown, model: string, signal?: AbortSignal): Promise<OllamaReply> {
  const { options, baseURL } = settings;
  const timeoutSignal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
  const signals = [signal, timeoutSignal].filter((s): s is AbortSignal => s !== undefined);
  const ctx: OllamaErrorContext = { model, baseURL, apiKey: options.apiKey, signal, timeoutSignal };
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(`${baseURL}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/x-ndjson, application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify(body),
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    });
  } catch (error) {
    throw ollamaNetworkError(error, ctx);
  }
  if (!response.ok) {
    let text = '';
    try {
      text = await response.text();
    } catch (error) {
      throw ollamaNetworkError(error, ctx);
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A proxy's HTML error page: keep the text.
    }
    throw ollamaHttpError(response.status, response.headers, parsed, ctx);
  }
  return { response, ctx };
}
