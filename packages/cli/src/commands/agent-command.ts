import { Command } from 'commander';
import { LLM, type Reply, type ToolInteraction } from '@llm/core';
import { writeOut, type CliIO } from '../cli-io.js';
import { BUILTIN_TOOL_NAMES, builtinTools } from '../builtin-tools.js';
import { addModelOptions, pickModel, stderrLogger, type ModelFlags } from '../model-options.js';
import { collect, positiveInteger } from '../option-parsers.js';
import { createTextSink } from '../text-output.js';

interface AgentFlags extends ModelFlags {
  tool?: string[];
  mcp?: string[];
  maxToolCalls: number;
  json?: boolean;
}

/** An `--mcp` value as a required MCP server: a URL (HTTP) or a command line (stdio). */
export function mcpServerFromFlag(value: string): { url: string; policy: 'required' } | { command: string; policy: 'required' } {
  return /^https?:\/\//i.test(value) ? { url: value, policy: 'required' } : { command: value, policy: 'required' };
}

/** One line of the tool trace: `tool calculator {"expression":"25*17"} → 425`. */
export function traceLine(interaction: ToolInteraction): string {
  const outcome = interaction.error !== undefined ? `failed: ${interaction.error}` : `→ ${typeof interaction.result === 'string' ? interaction.result : JSON.stringify(interaction.result)}`;
  return `tool ${interaction.tool} ${JSON.stringify(interaction.arguments)} ${outcome}\n`;
}

async function runAgent(words: string[], flags: AgentFlags, io: CliIO): Promise<void> {
  const question = words.join(' ').trim();
  const tools = await builtinTools(flags.tool ?? (flags.mcp?.length ? [] : [...BUILTIN_TOOL_NAMES]));
  const model = await pickModel(flags, io);
  // Connected here rather than through core's `mcpServers`: the CLI depends on @llm/mcp, core does not.
  const { connectMcpServers } = await import('@llm/mcp');
  const mcp = flags.mcp?.length ? await connectMcpServers(flags.mcp.map(mcpServerFromFlag), { logger: stderrLogger(io), signal: io.signal }) : undefined;
  try {
    const llm = LLM.create(model, {
      tools: [...tools, ...(mcp?.tools ?? [])], maxToolCalls: flags.maxToolCalls, systemPrompt: flags.system, temperature: flags.temperature,
      maxTokens: flags.maxTokens, logger: stderrLogger(io),
    });
    const sink = flags.json ? undefined : await createTextSink(io.stdout);
    let reply: Reply | undefined;
    for await (const chunk of llm.stream(question, { signal: io.signal })) {
      if (chunk.type === 'tool-result') await writeOut(io.stderr, traceLine(chunk.interaction));
      else if (chunk.type === 'text') await sink?.write(chunk.text);
      else if (chunk.type === 'finish') reply = chunk.reply;
    }
    await sink?.end();
    if (flags.json && reply) await writeOut(io.stdout, `${JSON.stringify(reply.toJSON(), null, 2)}\n`);
  } finally {
    await mcp?.close();
  }
}

/** `llm agent run QUESTION`: the tool loop with built-in tools and MCP servers, tool calls traced on stderr. */
export function agentCommand(io: CliIO): Command {
  const agent = new Command('agent').description('Run a tool-using agent.');
  const run = agent
    .command('run')
    .description(`Answer a question with tools: built-in (${BUILTIN_TOOL_NAMES.join(', ')}) and MCP servers. Tool calls are traced on stderr.`)
    .argument('<question...>', 'the task or question');
  addModelOptions(run)
    .option('--tool <name>', `a built-in tool: ${BUILTIN_TOOL_NAMES.join(', ')} (repeatable; default: all of them unless --mcp is given)`, collect)
    .option('--mcp <command|url>', 'an MCP server: a command line (stdio) or an http(s) URL (repeatable)', collect)
    .option('--max-tool-calls <n>', 'the most tool calls the agent may make', positiveInteger, 5)
    .option('--json', 'print the whole reply (with toolInteractions) as JSON')
    .addHelpText('after', '\nExamples:\n  llm agent run "25 곱하기 17은?" --tool calculator\n  llm agent run "서울 날씨 어때?" --mcp "node weather-server.js"\n  llm agent run "2+2?" --mcp "llm mcp-server run calculator"')
    .action((words: string[], flags: AgentFlags) => runAgent(words, flags, io));
  return agent;
}
