import { Command } from 'commander';
import { writeOut, type CliIO } from '../cli-io.js';
import { BUILTIN_TOOL_NAMES, builtinTools } from '../builtin-tools.js';
import { port } from '../option-parsers.js';

interface McpServerFlags {
  http?: boolean;
  port: number;
  host: string;
}

/** Resolves when stdin ends (the MCP client went away) or on Ctrl-C. */
function untilClosed(io: CliIO, watchStdin: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
    if (watchStdin) {
      io.stdin.once('end', () => resolve());
      io.stdin.once('close', () => resolve());
    }
  });
}

/** `llm mcp-server run TOOL...`: serves built-in tools to any MCP client, over stdio (default) or Streamable HTTP. */
export function mcpServerCommand(io: CliIO): Command {
  const mcp = new Command('mcp-server').description('Serve built-in tools as an MCP server.');
  mcp
    .command('run')
    .description(`Serve tools (${BUILTIN_TOOL_NAMES.join(', ')}) over stdio for an MCP client, or over HTTP with --http.`)
    .argument('<tools...>', `the tools to serve: ${BUILTIN_TOOL_NAMES.join(', ')}`)
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .option('--port <port>', 'the HTTP port (0 picks a free one)', port, 0)
    .option('--host <host>', 'the HTTP host', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  llm mcp-server run calculator            # for Claude Desktop and other MCP clients\n  llm mcp-server run calculator weather --http --port 8765')
    .action(async (names: string[], flags: McpServerFlags) => {
      const { createMcpServer } = await import('@llm/mcp');
      const tools = await builtinTools(names);
      const server = createMcpServer({ name: names.join('+'), tools });
      try {
        if (flags.http) {
          const listener = await server.listenHttp({ port: flags.port, host: flags.host });
          await writeOut(io.stderr, `MCP server (${names.join(', ')}) at ${listener.url}; Ctrl-C stops it\n`);
        } else {
          // stdout carries the protocol: everything for people goes to stderr.
          await server.listenStdio();
          await writeOut(io.stderr, `MCP server (${names.join(', ')}) on stdio\n`);
        }
        await untilClosed(io, !flags.http);
      } finally {
        await server.close();
      }
    });
  return mcp;
}
