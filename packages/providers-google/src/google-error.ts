import {
  AuthenticationError,
  LLMError,
  ProviderError,
  TimeoutError,
  errorFromHttpFailure,
  errorFromNetworkFailure,
  redactSecrets,
} from '@llm/core';

/** What the error mapper knows about the call that failed. */
export interface GoogleErrorContext {
  model: string;
  apiKey?: string;
  baseURL?: string;
  /** The caller's signal: an abort without it being aborted was the SDK's own timeout. */
  signal?: AbortSignal;
  /** Status and headers of the HTTP response, captured by the fetch wrapper (the SDK's ApiError has no headers). */
  response?: { status: number; headers: Headers };
}

type GoogleErrorBody = { error?: { code?: number; message?: string; status?: string; details?: Record<string, unknown>[] } };

/**
 * Reads a protobuf Duration ("13s", "1.5s", "0.250s") as milliseconds. Gemini's 429 bodies carry one in
 * `error.details[@type=google.rpc.RetryInfo].retryDelay`.
 */
export function parseGoogleDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** The `RetryInfo.retryDelay` of a Google error body, in milliseconds. */
export function retryDelayFromGoogleBody(body: unknown): number | undefined {
  const details = (body as GoogleErrorBody | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  const info = details.find((d) => typeof d?.['@type'] === 'string' && (d['@type'] as string).endsWith('google.rpc.RetryInfo'));
  return parseGoogleDuration(info?.retryDelay);
}

/** The SDK's ApiError message is the JSON error body, sometimes behind a `got status: X. ` prefix. */
function parseApiErrorBody(message: string): unknown {
  const start = message.indexOf('{');
  if (start >= 0) {
    try {
      return JSON.parse(message.slice(start));
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return message;
}

function isApiError(error: unknown): error is Error & { status: number } {
  return error instanceof Error && error.name === 'ApiError' && typeof (error as { status?: unknown }).status === 'number';
}

function isKeyRejected(body: unknown): boolean {
  const details = (body as GoogleErrorBody | undefined)?.error?.details;
  return Array.isArray(details) && details.some((d) => d?.reason === 'API_KEY_INVALID');
}

/**
 * Maps whatever `@google/genai` threw to core's error classes: HTTP failures by status (Gemini's 400
 * `API_KEY_INVALID` counts as an authentication failure; a 429's `RetryInfo` gives `retryAfterMs`), a broken or
 * malformed stream to a retryable ProviderError, the SDK's timeout to TimeoutError and the caller's abort to
 * AbortError. The API key is redacted from every message.
 */
export function mapGoogleError(error: unknown, ctx: GoogleErrorContext): LLMError {
  if (LLMError.isInstance(error)) return error;
  const secrets = [ctx.apiKey];
  const common = { provider: 'google', model: ctx.model, secrets, cause: error };
  const failedResponse = ctx.response && ctx.response.status >= 400 ? ctx.response : undefined;
  if (isApiError(error) || failedResponse) {
    const status = isApiError(error) ? error.status : failedResponse!.status;
    const body = error instanceof Error ? parseApiErrorBody(error.message) : String(error);
    if (status === 400 && isKeyRejected(body)) {
      const message = (body as GoogleErrorBody).error?.message ?? 'API key not valid';
      return new AuthenticationError(
        `google (${ctx.model}) refused the API key (HTTP 400 API_KEY_INVALID): ${redactSecrets(message, secrets)}. Check GOOGLE_API_KEY / GEMINI_API_KEY or the apiKey option.`,
        { provider: 'google', model: ctx.model, status, cause: error },
      );
    }
    return errorFromHttpFailure({ ...common, status, headers: failedResponse?.headers, body, retryAfterMs: retryDelayFromGoogleBody(body) });
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'AbortError' && !ctx.signal?.aborted) {
    return new TimeoutError(`The google request (${ctx.model}) timed out. Raise timeoutMs or retry.`, { provider: 'google', model: ctx.model, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError || /exception parsing stream chunk|Incomplete JSON segment/.test(message)) {
    return new ProviderError(
      `google (${ctx.model}) sent a malformed response: ${redactSecrets(message, secrets).slice(0, 300)}. It is retried automatically.`,
      { provider: 'google', model: ctx.model, cause: error, retryable: true },
    );
  }
  if (ctx.response && name !== 'AbortError') {
    return new ProviderError(
      `The google response (${ctx.model}) broke off mid-way: ${redactSecrets(message, secrets)}. It is retried automatically.`,
      { provider: 'google', model: ctx.model, cause: error, retryable: true },
    );
  }
  return errorFromNetworkFailure('google', error, { model: ctx.model, baseURL: ctx.baseURL, secrets });
}
