import { AbortError, ConfigurationError, MCPConnectionError, type Logger, type McpToolSet, type Tool } from '@llm/core';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { trackChildProcess, untrackChildProcess } from './child-process-registry.js';
import { closeClient, openClient, type OpenClient } from './mcp-client.js';
import { resolveMcpServers, type McpServersInput, type McpTransportKind, type ResolvedServerConfig } from './mcp-config.js';
import { toCoreTool } from './mcp-tool.js';

/** The state of one server of a connection. */
export interface McpServerStatus {
  /** The config's name, else the server's own `serverInfo.name`. */
  name: string;
  transport: McpTransportKind;
  /** The names its tools have in `tools` (prefixed when needed). */
  toolNames: string[];
  status: 'connected' | 'failed';
  /** Why it failed (or why it dropped after connecting). */
  error?: string;
  /** The child's PID, for stdio servers. */
  pid?: number;
}

/** Live MCP servers: their tools as core `Tool`s, their states, and `close()`. Also `await using`-disposable. */
export interface McpConnection extends McpToolSet {
  servers: McpServerStatus[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link connectMcpServers}. */
export interface ConnectMcpOptions {
  /** Where warnings about optional servers that failed go. Default: console. */
  logger?: Logger;
  /** Aborts connecting; servers already connected are closed. */
  signal?: AbortSignal;
}

const consoleLogger: Logger = {
  debug: () => undefined,
  warn: (obj, msg) => console.warn(msg ?? obj),
  error: (obj, msg) => console.error(msg ?? obj),
};

/**
 * Connects to MCP servers in parallel and returns their tools as core `Tool`s. Tool names that collide across
 * servers become `server__tool` (always, with `prefix: true`). A failed 'optional' server is logged and skipped;
 * a failed 'required' one closes the rest and throws `MCPConnectionError` listing every failure.
 * @example
 * const mcp = await connectMcpServers('node "my server.js" --flag');
 * const sum = mcp.tools.find((t) => t.name === 'add');
 * await mcp.close();
 */
export async function connectMcpServers(input: McpServersInput, options: ConnectMcpOptions = {}): Promise<McpConnection> {
  const logger = options.logger ?? consoleLogger;
  const configs = await resolveMcpServers(input);
  if (options.signal?.aborted) throw new AbortError('Connecting to the MCP servers was aborted before it started.');

  const settled = await Promise.allSettled(configs.map((config) => openClient(config, { signal: options.signal, logger })));
  const names = new UniqueNames();
  const entries = settled.map((outcome, i) => {
    const config = configs[i];
    const open = outcome.status === 'fulfilled' ? outcome.value : undefined;
    if (open?.pid !== undefined) trackChildProcess(open.pid);
    const name = names.take(config.name ?? open?.serverName ?? config.label);
    const reason = outcome.status === 'rejected' ? errorText(outcome.reason) : undefined;
    return { config, open, name, reason };
  });
  const connection = new Connection(entries.filter((e): e is typeof e & { open: OpenClient } => e.open !== undefined));
  try {
    connection.collectTools();
  } catch (error) {
    await connection.close();
    throw new ConfigurationError(`An MCP \`filterTools\` function threw: ${errorText(error)}. Fix the function.`, { cause: error });
  }
  const failed = entries.filter((e) => e.reason !== undefined);

  if (options.signal?.aborted) {
    await connection.close();
    throw new AbortError('Connecting to the MCP servers was aborted.');
  }
  if (failed.some((e) => e.config.policy === 'required')) {
    await connection.close();
    const failures = failed.map((e) => ({ server: e.name, reason: e.reason as string }));
    throw new MCPConnectionError(
      `Could not connect to ${failures.length === 1 ? 'the MCP server' : `${failures.length} MCP servers`}: ` +
        failures.map((f) => `"${f.server}" (${f.reason})`).join('; '),
      { failures },
    );
  }
  for (const e of failed) {
    logger.warn({ server: e.name, error: e.reason }, `MCP server "${e.name}" failed to connect and is skipped: ${e.reason}`);
    connection.servers.push({ name: e.name, transport: e.config.transport, toolNames: [], status: 'failed', error: e.reason });
  }
  return connection;
}

interface ConnectedEntry {
  config: ResolvedServerConfig;
  open: OpenClient;
  name: string;
}

class Connection implements McpConnection {
  readonly tools: Tool[] = [];
  readonly servers: McpServerStatus[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly entries: ConnectedEntry[]) {}

  /** Builds `tools` and `servers`: filters, then prefixes names that collide (or all, with `prefix`). */
  collectTools(): void {
    const kept = this.entries.map((e) => e.open.tools.filter((tool) => keepTool(e.config, tool)));
    const counts = new Map<string, number>();
    for (const tools of kept) for (const tool of tools) counts.set(tool.name, (counts.get(tool.name) ?? 0) + 1);
    this.entries.forEach((entry, i) => {
      const { config, open, name } = entry;
      const status: McpServerStatus = { name, transport: open.transport, toolNames: [], status: 'connected', pid: open.pid };
      for (const tool of kept[i]) {
        const prefix = typeof config.prefix === 'string' ? config.prefix : name;
        const prefixed = config.prefix === true || typeof config.prefix === 'string' || (counts.get(tool.name) ?? 0) > 1;
        const exposed = prefixed ? `${safePrefix(prefix, i)}__${tool.name}` : tool.name;
        this.tools.push(toCoreTool(tool, exposed, { client: open.client, serverName: name, timeoutMs: config.timeoutMs }));
        status.toolNames.push(exposed);
      }
      open.client.onclose = () => {
        if (open.pid !== undefined) untrackChildProcess(open.pid);
        if (!this.closing) Object.assign(status, { status: 'failed', error: 'the server closed the connection' });
      };
      this.servers.push(status);
    });
  }

  close(): Promise<void> {
    this.closing ??= Promise.all(
      this.entries.map(async ({ open }) => {
        await closeClient(open);
        if (open.pid !== undefined) untrackChildProcess(open.pid);
      }),
    ).then(() => undefined);
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function keepTool(config: ResolvedServerConfig, tool: McpTool): boolean {
  const filter = config.filterTools;
  if (filter === undefined) return true;
  if (typeof filter === 'function') {
    return filter({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema as Record<string, unknown> });
  }
  return filter.includes(tool.name);
}

/** Providers accept tool names of ASCII letters, digits, `_` and `-` only; a name with none of those becomes `serverN`. */
function safePrefix(name: string, position: number): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || `server${position + 1}`;
}

class UniqueNames {
  private readonly used = new Set<string>();
  take(name: string): string {
    let unique = name;
    for (let n = 2; this.used.has(unique); n++) unique = `${name}-${n}`;
    this.used.add(unique);
    return unique;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
