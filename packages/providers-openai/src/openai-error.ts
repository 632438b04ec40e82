import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  AbortError,
  LLMError,
  ProviderError,
  TimeoutError,
  errorFromHttpFailure,
  errorFromMalformedResponse,
  errorFromNetworkFailure,
} from '@llm/core';

/** Who failed: used to name the provider and model in errors and to redact the API key. */
export interface OpenAIErrorContext {
  provider: string;
  modelId: string;
  baseURL?: string;
  apiKey?: string;
  signal?: AbortSignal;
}

/**
 * Maps anything the `openai` SDK throws to core's error hierarchy: HTTP failures by status (401/403, 429 with
 * `retry-after`/`retry-after-ms`, 5xx with the body), timeouts, aborts, broken connections and malformed JSON.
 * The API key never appears in the message.
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): LLMError {
  if (LLMError.isInstance(error)) return error;
  const { provider, modelId: model } = context;
  const secrets = [context.apiKey];
  if (error instanceof APIUserAbortError || context.signal?.aborted) {
    return new AbortError(`The ${provider} request was aborted.`, { provider, model, cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError(`The ${provider} request timed out (${model}). Raise timeoutMs or retry.`, { provider, model, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return errorFromNetworkFailure(provider, error.cause ?? error, { model, baseURL: context.baseURL, secrets });
  }
  if (error instanceof APIError) {
    // `error.error` is the `error` object of OpenAI's body; keep the body in OpenAI's shape.
    const body = error.error !== undefined ? { error: error.error } : error.message;
    return errorFromHttpFailure({ provider, model, status: error.status, headers: error.headers, body, message: error.message, secrets, cause: error });
  }
  if (error instanceof SyntaxError) return errorFromMalformedResponse(provider, error, { model, secrets, hint: 'The server is not OpenAI-compatible or failed mid-way; it is retried automatically.' });
  return errorFromNetworkFailure(provider, error, { model, baseURL: context.baseURL, secrets });
}

/** The error for a stream that ended without a finish reason (connection closed early). */
export function streamEndedEarlyError(context: OpenAIErrorContext): LLMError {
  return new ProviderError(
    `The ${context.provider} stream (${context.modelId}) ended before the model finished: the connection was closed mid-way. It is retried automatically.`,
    { provider: context.provider, model: context.modelId, retryable: true },
  );
}
