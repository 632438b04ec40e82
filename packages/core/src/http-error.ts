import {
  AbortError,
  AuthenticationError,
  LLMError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  parseRetryAfter,
  redactSecrets,
} from './errors.js';

/** What a provider knows about a failed HTTP call. */
export interface HttpFailure {
  provider: string;
  model?: string;
  status?: number;
  headers?: { get(name: string): string | null | undefined };
  body?: unknown;
  message?: string;
  /** Secrets to strip from the message and body (the API key). */
  secrets?: (string | undefined)[];
  cause?: unknown;
  /** A delay the body itself gives (Gemini RetryInfo), used when the headers give none. */
  retryAfterMs?: number;
}

function describeBody(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body.slice(0, 500);
  try {
    const b = body as { error?: { message?: string } | string; message?: string };
    if (typeof b.error === 'object' && b.error?.message) return b.error.message;
    if (typeof b.error === 'string') return b.error;
    if (b.message) return b.message;
    return JSON.stringify(body).slice(0, 500);
  } catch {
    return String(body);
  }
}

/**
 * Maps an HTTP failure to core's error classes: 401/403 → AuthenticationError, 429 → RateLimitError with
 * `retryAfterMs`, 408 → TimeoutError, everything else → ProviderError with status and body. Secrets are redacted.
 */
export function errorFromHttpFailure(failure: HttpFailure): LLMError {
  const { provider, model, status } = failure;
  const detail = redactSecrets(describeBody(failure.body) || failure.message || 'no details', failure.secrets).trim().replace(/\.+$/, '');
  const where = `${provider}${model ? ` (${model})` : ''}`;
  const common = { provider, model, cause: failure.cause, status };
  if (status === 401 || status === 403) {
    return new AuthenticationError(
      `${where} refused the API key (HTTP ${status}): ${detail}. Check the key (environment variable or apiKey option) and its permissions.`,
      common,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(failure.headers) ?? failure.retryAfterMs;
    return new RateLimitError(
      `${where} rate-limited the request (HTTP 429): ${detail}. Retry later${retryAfterMs !== undefined ? ` (after ${Math.ceil(retryAfterMs / 1000)} s)` : ''}, lower the request rate, or add fallbacks.`,
      { ...common, body: failure.body, retryAfterMs },
    );
  }
  if (status === 408) return new TimeoutError(`${where} timed out (HTTP 408): ${detail}.`, common);
  const hint = status !== undefined && status >= 500 ? 'The provider failed; it is retried automatically.' : 'Check the request options.';
  return new ProviderError(`${where} returned HTTP ${status ?? 'error'}: ${detail}. ${hint}`, { ...common, body: failure.body });
}

/** Maps a network-level failure (no HTTP status) to TimeoutError, AbortError or a retryable ProviderError. */
export function errorFromNetworkFailure(provider: string, error: unknown, options: { model?: string; baseURL?: string; secrets?: (string | undefined)[] } = {}): LLMError {
  if (LLMError.isInstance(error)) return error;
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const message = redactSecrets(String(e?.message ?? error), options.secrets);
  if (e?.name === 'AbortError' || e?.name === 'APIUserAbortError') {
    return new AbortError(`The ${provider} request was aborted.`, { provider, model: options.model, cause: error });
  }
  if (e?.name === 'TimeoutError' || e?.name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(message)) {
    return new TimeoutError(`The ${provider} request timed out: ${message}.`, { provider, model: options.model, cause: error });
  }
  const code = e?.code ?? e?.cause?.code;
  const where = options.baseURL ? ` at ${options.baseURL}` : '';
  return new ProviderError(
    `Could not reach ${provider}${where}${code ? ` (${code})` : ''}: ${message}. Check the network and the base URL.`,
    { provider, model: options.model, cause: error, retryable: true },
  );
}

/** A response body that is not valid JSON: a retryable ProviderError (secrets redacted from the parser's message). */
export function errorFromMalformedResponse(provider: string, error: Error, options: { model?: string; secrets?: (string | undefined)[]; hint?: string } = {}): ProviderError {
  const where = `${provider}${options.model ? ` (${options.model})` : ''}`;
  return new ProviderError(
    `${where} sent a response that is not valid JSON: ${redactSecrets(error.message, options.secrets)}. ${options.hint ?? 'The server or a proxy in between is misbehaving; it is retried automatically.'}`,
    { provider, model: options.model, cause: error, retryable: true },
  );
}
