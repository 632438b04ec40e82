import { AbortError, ConfigurationError, ModelNotFoundError, ProviderNotInstalledError } from '@llm/core';

/**
 * The exit codes of the `llm` command, for scripts: 0 ok, 1 the model or provider failed, 2 the command was wrong
 * (unknown option, bad value, missing file, unknown model), 130 interrupted (Ctrl-C).
 * @example if (code === ExitCode.usageError) console.error('fix the command line');
 */
export const ExitCode = { ok: 0, modelError: 1, usageError: 2, interrupted: 130 } as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code an error leads to: usage mistakes 2, interruptions 130, everything else (model, provider) 1. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (AbortError.isInstance(error)) return ExitCode.interrupted;
  if (ConfigurationError.isInstance(error) || ModelNotFoundError.isInstance(error) || ProviderNotInstalledError.isInstance(error)) {
    return ExitCode.usageError;
  }
  return ExitCode.modelError;
}
