import { describe, expect, it } from 'vitest';
import { AbortError, AuthenticationError, ConfigurationError, ModelNotFoundError, ProviderError, ProviderNotInstalledError } from '@llm/core';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { runBuiltCli } from './testing/cli-harness.js';

const COMMANDS = [['ask'], ['chat'], ['embed'], ['embed', 'text'], ['embed', 'similarity'], ['embed', 'batch'], ['embed', 'fill-jsonl'], ['compare'], ['describe'], ['agent'], ['agent', 'run'], ['mcp-server'], ['mcp-server', 'run'], ['serve']];

describe('llm --help and exit codes (built binary)', () => {
  it('prints the commands, the exit codes and the environment', async () => {
    const run = await runBuiltCli(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['ask', 'chat', 'embed', 'compare', 'describe', 'agent', 'mcp-server', 'serve']) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 the model or provider failed, 2 usage error');
    expect(run.stdout).toContain('130 interrupted');
  });

  it.each(COMMANDS)('%s %s --help prints its usage and exits 0', async (...words) => {
    const run = await runBuiltCli([...words.filter(Boolean), '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: llm ${words.filter(Boolean).join(' ')}`);
    expect(run.stderr).toBe('');
  });

  it('prints the version', async () => {
    const run = await runBuiltCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 for no command, an unknown command or a missing argument', async () => {
    const none = await runBuiltCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: llm');
    const unknown = await runBuiltCli(['translate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'translate'");
    const missing = await runBuiltCli(['embed', 'similarity', '하나']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'b'");
  });
});

describe('exitCodeFor', () => {
  it('maps usage mistakes to 2, interruptions to 130 and model failures to 1', () => {
    expect(exitCodeFor(new ConfigurationError('bad'))).toBe(ExitCode.usageError);
    expect(exitCodeFor(new ModelNotFoundError('no'))).toBe(ExitCode.usageError);
    expect(exitCodeFor(new ProviderNotInstalledError('@llm/providers-openai'))).toBe(ExitCode.usageError);
    expect(exitCodeFor(new AbortError('stop'))).toBe(ExitCode.interrupted);
    expect(exitCodeFor(new ProviderError('500', { status: 500 }))).toBe(ExitCode.modelError);
    expect(exitCodeFor(new AuthenticationError('401'))).toBe(ExitCode.modelError);
    expect(exitCodeFor(new Error('bug'))).toBe(ExitCode.modelError);
  });
});
