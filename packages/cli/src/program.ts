import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { LLMError, redactSecrets } from '@llm/core';
import { writeOut, type CliIO } from './cli-io.js';
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exit-codes.js';
import { agentCommand } from './commands/agent-command.js';
import { askCommand } from './commands/ask-command.js';
import { chatCommand } from './commands/chat-command.js';
import { compareCommand } from './commands/compare-command.js';
import { describeCommand } from './commands/describe-command.js';
import { embedCommand } from './commands/embed-command.js';
import { mcpServerCommand } from './commands/mcp-server-command.js';
import { serveCommand } from './commands/serve-command.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 the model or provider failed, 2 usage error (bad option, missing file, unknown model),
130 interrupted (Ctrl-C).
Environment: LLM_MODEL (default model), LLM_EMBEDDING_MODEL, OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY, ...
Without a key the offline mock model answers.`;

/** Gives every command in the tree the root's output, exit and help settings (addCommand does not copy them). */
function inheritSettings(command: Command, root: Command): void {
  for (const sub of command.commands) {
    sub.copyInheritedSettings(root);
    inheritSettings(sub, root);
  }
}

/**
 * The `llm` program (commander) writing to `io`. Use {@link runCli} to run it with exit codes and error output.
 * @example const code = await runCli(['ask', '--model', 'mock', '안녕?'], processIO());
 */
export function createProgram(io: CliIO): Command {
  const program = new Command('llm')
    .description('Ask, chat, embed and compare LLMs from the terminal; run agents, MCP servers and the chat server.')
    .version(version, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .addHelpText('after', EXIT_CODES_HELP);
  for (const make of [askCommand, chatCommand, embedCommand, compareCommand, describeCommand, agentCommand, mcpServerCommand, serveCommand]) {
    program.addCommand(make(io));
  }
  inheritSettings(program, program);
  return program;
}

function commanderExitCode(error: CommanderError): ExitCodeValue {
  return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.ok : ExitCode.usageError;
}

/** The message printed for an error: no API keys, and the stack only for unexpected errors with LLM_DEBUG set. */
function errorText(error: unknown, io: CliIO): string {
  const secrets = Object.entries(io.env).filter(([name]) => /KEY|TOKEN|SECRET/i.test(name)).map(([, value]) => value);
  const base = error instanceof Error ? error.message : String(error);
  const stack = !LLMError.isInstance(error) && io.env.LLM_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
  return redactSecrets(`error: ${base}${stack}\n`, secrets);
}

/**
 * Runs the `llm` command line (`argv` without `node` and the script) and returns its exit code: 0 ok, 1 model or
 * provider error, 2 usage error, 130 interrupted. Errors are printed on `io.stderr`, never thrown.
 * @example process.exitCode = await runCli(process.argv.slice(2), processIO());
 */
export async function runCli(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    const code = io.signal.aborted ? ExitCode.interrupted : exitCodeFor(error);
    await writeOut(io.stderr, code === ExitCode.interrupted ? 'interrupted\n' : errorText(error, io));
    return code;
  }
}
