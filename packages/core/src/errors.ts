const MARKER = Symbol.for('@llm/core.error');

function markerFor(name: string): symbol {
  return Symbol.for(`@llm/core.error.${name}`);
}

/** Options every error accepts. */
export interface LLMErrorOptions {
  cause?: unknown;
  provider?: string;
  model?: string;
}

/**
 * The root of every error this toolkit throws. `LLMError.isInstance(e)` works across duplicated package copies.
 * @example
 * try { await llm.ask('hi') } catch (e) { if (RateLimitError.isInstance(e)) wait(e.retryAfterMs) }
 */
export class LLMError extends Error {
  readonly provider?: string;
  readonly model?: string;
  /** Whether retrying the same request may succeed. */
  readonly retryable: boolean = false;

  constructor(message: string, options: LLMErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.provider = options.provider;
    this.model = options.model;
    Object.defineProperty(this, MARKER, { value: true });
    // Every class in the chain marks its instances, so subclass checks survive two package copies.
    for (let proto = new.target.prototype; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
      const ctor = proto.constructor as { errorName?: string };
      if (ctor.errorName) Object.defineProperty(this, markerFor(ctor.errorName), { value: true });
    }
  }

  static readonly errorName: string = 'LLMError';

  /** True for an instance of this class (or a subclass) from any copy of `@llm/core`. */
  static isInstance<T extends typeof LLMError>(this: T, error: unknown): error is InstanceType<T> {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[markerFor(this.errorName)] === true;
  }
}

/** A wrong option, missing key or impossible combination. */
export class ConfigurationError extends LLMError {
  static override readonly errorName: string = 'ConfigurationError';
}

/** The model name matches no provider. */
export class ModelNotFoundError extends LLMError {
  static override readonly errorName: string = 'ModelNotFoundError';
}

/** The provider package for a model is not installed. `packageName` says what to add. */
export class ProviderNotInstalledError extends LLMError {
  static override readonly errorName: string = 'ProviderNotInstalledError';
  readonly packageName: string;
  constructor(packageName: string, options: LLMErrorOptions = {}) {
    super(
      `The provider package ${packageName} is not installed. Install it (pnpm add ${packageName}) or register a provider with registerProvider().`,
      options,
    );
    this.packageName = packageName;
  }
}

/** Options for errors that carry an HTTP status. */
export interface HttpErrorOptions extends LLMErrorOptions {
  status?: number;
  body?: unknown;
}

/** The API key was missing, wrong or not allowed (401/403). */
export class AuthenticationError extends LLMError {
  static override readonly errorName: string = 'AuthenticationError';
  readonly status?: number;
  constructor(message: string, options: HttpErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
  }
}

/** A provider failed (status and body kept). 408, 409 and 5xx are retryable. */
export class ProviderError extends LLMError {
  static override readonly errorName: string = 'ProviderError';
  readonly status?: number;
  readonly body?: unknown;
  override readonly retryable: boolean;
  constructor(message: string, options: HttpErrorOptions & { retryable?: boolean } = {}) {
    super(message, options);
    this.status = options.status;
    this.body = options.body;
    const s = options.status;
    this.retryable = options.retryable ?? (s === undefined || s === 408 || s === 409 || s >= 500);
  }
}

/** The provider rate-limited the request (429). `retryAfterMs` comes from `retry-after`, `retry-after-ms` or RetryInfo. */
export class RateLimitError extends ProviderError {
  static override readonly errorName: string = 'RateLimitError';
  readonly retryAfterMs?: number;
  constructor(message: string, options: HttpErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { ...options, status: options.status ?? 429, retryable: true });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The call, or the wait between stream chunks, took too long. */
export class TimeoutError extends LLMError {
  static override readonly errorName: string = 'TimeoutError';
  override readonly retryable = true;
}

/** The call was cancelled through its `signal`. */
export class AbortError extends LLMError {
  static override readonly errorName: string = 'AbortError';
}

/** The model's answer did not match the schema after the repair round. */
export class StructuredOutputError extends LLMError {
  static override readonly errorName: string = 'StructuredOutputError';
  readonly rawText: string;
  readonly issues: string[];
  constructor(message: string, options: LLMErrorOptions & { rawText: string; issues: string[] }) {
    super(message, options);
    this.rawText = options.rawText;
    this.issues = options.issues;
  }
}

/** A tool threw, or its arguments were invalid. */
export class ToolExecutionError extends LLMError {
  static override readonly errorName: string = 'ToolExecutionError';
  readonly toolName?: string;
  constructor(message: string, options: LLMErrorOptions & { toolName?: string } = {}) {
    super(message, options);
    this.toolName = options.toolName;
  }
}

/** An MCP server could not be reached or failed. */
export class MCPConnectionError extends LLMError {
  static override readonly errorName: string = 'MCPConnectionError';
  readonly failures: { server: string; reason: string }[];
  constructor(message: string, options: LLMErrorOptions & { failures?: { server: string; reason: string }[] } = {}) {
    super(message, options);
    this.failures = options.failures ?? [];
  }
}

/** A cache or history store failed. */
export class StorageError extends LLMError {
  static override readonly errorName: string = 'StorageError';
}

/** A call would start past the `maxCostUsd` budget. */
export class BudgetExceededError extends LLMError {
  static override readonly errorName: string = 'BudgetExceededError';
  readonly spentUsd: number;
  readonly budgetUsd: number;
  constructor(message: string, options: LLMErrorOptions & { spentUsd: number; budgetUsd: number }) {
    super(message, options);
    this.spentUsd = options.spentUsd;
    this.budgetUsd = options.budgetUsd;
  }
}

/**
 * Reads a retry delay from response headers: `retry-after-ms`, then `retry-after` (seconds or an HTTP date).
 * Providers use it to fill `RateLimitError.retryAfterMs`.
 */
export function parseRetryAfter(headers: { get(name: string): string | null | undefined } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes anything that looks like an API key from a text, so errors and logs never carry one. */
export function redactSecrets(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out
    .replace(/\b(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,})/g, 'sk-[redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi, '$1[redacted]')
    .replace(/([?&]key=)[^&\s"']+/g, '$1[redacted]');
}
