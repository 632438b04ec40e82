import {
  AbortError,
  LLMError,
  ModelNotFoundError,
  ProviderError,
  TimeoutError,
  errorFromHttpFailure,
  errorFromNetworkFailure,
  redactSecrets,
} from '@llm/core';

/** What the error mapper knows about the call that failed. */
export interface OllamaErrorContext {
  model: string;
  baseURL: string;
  apiKey?: string;
  /** The caller's signal, to tell a cancellation from a timeout. */
  signal?: AbortSignal;
  /** The timeout signal of this call, when `timeoutMs` is set. */
  timeoutSignal?: AbortSignal;
}

/** The message of an Ollama error body (`{"error":"..."}`), or the raw text. */
function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') return (body as { error: string }).error;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * Maps a non-OK Ollama answer: a 404 "model ... not found" becomes ModelNotFoundError telling to `ollama pull`
 * the model; everything else goes through core's HTTP mapping (401/403, 429 with retry-after, 5xx with body).
 */
export function ollamaHttpError(status: number, headers: Headers, body: unknown, ctx: OllamaErrorContext): LLMError {
  const message = errorMessage(body);
  if (status === 404 && /model .*not found/i.test(message)) {
    return new ModelNotFoundError(
      `The Ollama server at ${ctx.baseURL} has no model "${ctx.model}" (${message}). Pull it first: ollama pull ${ctx.model}`,
      { provider: 'ollama', model: ctx.model },
    );
  }
  return errorFromHttpFailure({ provider: 'ollama', model: ctx.model, status, headers, body, secrets: [ctx.apiKey] });
}

/**
 * Maps a failure with no HTTP answer (or a broken stream): the caller's abort → AbortError, the timeout →
 * TimeoutError, a refused connection → a ProviderError saying the Ollama server is not running and how to start it.
 */
export function ollamaNetworkError(error: unknown, ctx: OllamaErrorContext): LLMError {
  if (LLMError.isInstance(error)) return error;
  const common = { provider: 'ollama', model: ctx.model, cause: error };
  if (ctx.signal?.aborted) return new AbortError(`The ollama request (${ctx.model}) was aborted.`, common);
  if (ctx.timeoutSignal?.aborted) {
    return new TimeoutError(`The ollama request (${ctx.model}) timed out. Raise timeoutMs (a model may take long to load) or retry.`, common);
  }
  const code = (error as { cause?: { code?: string }; code?: string })?.cause?.code ?? (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ProviderError(
      `The Ollama server is not running at ${ctx.baseURL} (${code}). Start it with \`ollama serve\`, or set OLLAMA_BASE_URL / the baseURL option to where it runs.`,
      { ...common, retryable: true },
    );
  }
  return errorFromNetworkFailure('ollama', error, { model: ctx.model, baseURL: ctx.baseURL, secrets: [ctx.apiKey] });
}

/** A stream that broke, sent malformed JSON, reported an error line, or ended before `done: true`. */
export function ollamaStreamError(reason: string, ctx: OllamaErrorContext, cause?: unknown): ProviderError {
  return new ProviderError(`The ollama stream (${ctx.model}) failed: ${redactSecrets(reason, [ctx.apiKey]).slice(0, 300)}. It is retried automatically.`, {
    provider: 'ollama', model: ctx.model, cause, retryable: true,
  });
}
