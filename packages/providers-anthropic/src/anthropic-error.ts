import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  AbortError,
  LLMError,
  TimeoutError,
  errorFromHttpFailure,
  errorFromMalformedResponse,
  errorFromNetworkFailure,
} from '@llm/core';

/** What the error mapping needs to know about the call that failed. */
export interface AnthropicErrorContext {
  model: string;
  baseURL?: string;
  /** Redacted from every message. */
  apiKey?: string;
}

/** The HTTP status each Anthropic `error.type` stands for, used for `error` events that arrive inside a stream. */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * Maps anything the Anthropic SDK throws to core's error classes: HTTP failures through `errorFromHttpFailure`
 * (401/403, 429 with `retry-after`/`retry-after-ms`, 5xx with the body), a mid-stream `error` event by its
 * `error.type`, timeouts, aborts, unreadable JSON and network failures. The API key never appears in the message.
 */
export function mapAnthropicError(error: unknown, context: AnthropicErrorContext): LLMError {
  if (LLMError.isInstance(error)) return error;
  const { model, apiKey } = context;
  const secrets = [apiKey];
  if (error instanceof APIUserAbortError) {
    return new AbortError('The anthropic request was aborted.', { provider: 'anthropic', model, cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new TimeoutError('The anthropic request timed out. Raise timeoutMs or retry later.', { provider: 'anthropic', model, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return errorFromNetworkFailure('anthropic', error.cause ?? error, { model, baseURL: context.baseURL, secrets });
  }
  if (error instanceof APIError) {
    const status = error.status ?? (error.type ? STATUS_BY_ERROR_TYPE[error.type] : undefined);
    return errorFromHttpFailure({
      provider: 'anthropic', model, status, headers: error.headers, body: error.error, message: error.message, secrets, cause: error,
    });
  }
  if (error instanceof SyntaxError) return errorFromMalformedResponse('anthropic', error, { model, secrets, hint: 'The server or a proxy in between is misbehaving; retry, or check the base URL.' });
  return errorFromNetworkFailure('anthropic', error, { model, baseURL: context.baseURL, secrets });
}
