import {
  AuthenticationError, LLMError, ModelNotFoundError, ProviderNotInstalledError, RateLimitError, StorageError, TimeoutError, redactSecrets,
} from '@llm/core';

/** An error with an HTTP status, thrown by routes (401, 404, 400 with the field). */
export class ApiError extends Error {
  constructor(readonly statusCode: number, message: string, readonly field?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The JSON body of an error reply. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  code?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { missingProperty?: string; additionalProperty?: string; limit?: number };
}

/** The field an ajv issue is about: the missing or unknown property, else the path. */
function issueField(issue: AjvIssue, context: string): string {
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  if (extra) return path ? `${path}.${extra}` : extra;
  return path || context;
}

function issueMessage(issue: AjvIssue, field: string): string {
  if (issue.keyword === 'required') return `${field} is required.`;
  if (issue.keyword === 'additionalProperties') return `${field} is not a known field; remove it (see /docs for the fields).`;
  if (issue.keyword === 'pattern' && field === 'message') return 'message must contain some text.';
  if (issue.keyword === 'pattern') return `${field} has an invalid format: use letters, digits, "_" or "-".`;
  return `${field} ${issue.message ?? 'is invalid'}.`;
}

function body(statusCode: number, message: string, extra: Partial<ApiErrorBody> = {}): ApiErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, ...extra };
}

/**
 * Maps any error to a status, a JSON body and extra headers. Validation errors name the field; LLM errors map to
 * 429/502/503/504; unknown errors become a bare 500 (details only in the log). Secrets are always redacted.
 */
export function toApiError(error: unknown, secrets: string[]): { body: ApiErrorBody; headers: Record<string, string>; unexpected: boolean } {
  const clean = (text: string) => redactSecrets(text, secrets);
  const e = error as { statusCode?: number; validation?: AjvIssue[]; validationContext?: string; message?: string; code?: string };
  if (error instanceof ApiError) return { body: body(error.statusCode, clean(error.message), error.field ? { field: error.field } : {}), headers: {}, unexpected: false };
  if (Array.isArray(e?.validation) && e.validation.length) {
    const issue = e.validation[0];
    const field = issueField(issue, e.validationContext ?? 'body');
    return { body: body(400, clean(issueMessage(issue, field)), { field }), headers: {}, unexpected: false };
  }
  if (LLMError.isInstance(error)) {
    const message = clean(error.message);
    const code = error.name;
    if (RateLimitError.isInstance(error)) {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
      return { body: body(429, message, { code }), headers: { 'retry-after': String(seconds) }, unexpected: false };
    }
    if (TimeoutError.isInstance(error)) return { body: body(504, message, { code }), headers: {}, unexpected: false };
    if (StorageError.isInstance(error) || ModelNotFoundError.isInstance(error) || ProviderNotInstalledError.isInstance(error)) {
      return { body: body(503, message, { code }), headers: {}, unexpected: true };
    }
    if (AuthenticationError.isInstance(error)) {
      return { body: body(502, 'The model provider refused the server\'s API key. The operator must check the key.', { code }), headers: {}, unexpected: true };
    }
    return { body: body(502, message, { code }), headers: {}, unexpected: false };
  }
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  if (status === 413) return { body: body(413, 'The request body is too large. Send a shorter message (the limit is set with bodyLimit).', { code: e.code }), headers: {}, unexpected: false };
  if (status < 500) return { body: body(status, clean(e?.message ?? 'Bad request'), e?.code ? { code: e.code } : {}), headers: {}, unexpected: false };
  return { body: body(500, 'Something went wrong on the server. The error was logged; try again.'), headers: {}, unexpected: true };
}
