import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { AbortError, TimeoutError, type Logger } from '@llm/core';
import type { McpTransportKind, ResolvedServerConfig } from './mcp-config.js';

/** This package's name and version as MCP `clientInfo`. */
export const MCP_CLIENT_INFO = { name: '@llm/mcp', version: '0.1.0' } as const;

const STDERR_TAIL_CHARS = 2000;
/** The SDK ends stdin, waits 2 s, sends SIGTERM, waits 2 s more: allow that before SIGKILL. */
const CHILD_EXIT_GRACE_MS = 4500;

/** A connected MCP client with what the connection layer needs to know about it. */
export interface OpenClient {
  client: Client;
  transport: McpTransportKind;
  /** The child's PID for stdio servers. */
  pid?: number;
  /** The server's own name from `serverInfo`. */
  serverName?: string;
  tools: McpTool[];
}

/**
 * Connects to one server and lists its tools, within `timeoutMs`. Streamable HTTP falls back to SSE when the
 * server answers 4xx (an SSE-only server). On any failure the transport is closed (a stdio child is killed).
 */
export async function openClient(config: ResolvedServerConfig, options: { signal?: AbortSignal; logger: Logger }): Promise<OpenClient> {
  if (config.transport !== 'http') return connect(config, config.transport, options);
  try {
    return await connect(config, 'http', options);
  } catch (error) {
    const status = httpStatus((error as Error).cause);
    if (status === undefined || status < 400 || status >= 500) throw error;
    options.logger.debug?.({ server: config.label, status }, `MCP server ${config.label} does not speak Streamable HTTP (HTTP ${status}); trying SSE`);
    return connect(config, 'sse', options);
  }
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof StreamableHTTPError ? error.code : undefined;
}

async function connect(config: ResolvedServerConfig, kind: McpTransportKind, options: { signal?: AbortSignal; logger: Logger }): Promise<OpenClient> {
  const stderr = { tail: '' };
  const transport = createTransport(config, kind, stderr, options.logger);
  // The SDK forgets the child once a close starts (and closes by itself when connect fails), so keep its PID.
  let pid: number | undefined;
  if (transport instanceof StdioClientTransport) {
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      pid = transport.pid ?? undefined;
    };
  }
  const client = new Client(MCP_CLIENT_INFO, { capabilities: {} });
  const requestOptions = { timeout: config.timeoutMs, signal: options.signal };
  try {
    const tools = await withDeadline(config, options.signal, async () => {
      await client.connect(transport, requestOptions);
      const listed: McpTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined, requestOptions);
        listed.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return listed;
    });
    return { client, transport: kind, pid, serverName: client.getServerVersion()?.name, tools };
  } catch (error) {
    await closeClient({ client, pid });
    throw describeFailure(error, config, stderr.tail);
  }
}

/** Closes a client and, for stdio, waits until its child is gone (SIGKILL after the SDK's own SIGTERM grace). */
export async function closeClient(open: { client: Client; pid?: number }): Promise<void> {
  await open.client.close().catch(() => undefined);
  if (open.pid === undefined) return;
  if (await exited(open.pid, CHILD_EXIT_GRACE_MS)) return;
  try {
    process.kill(open.pid, 'SIGKILL');
  } catch {
    return;
  }
  await exited(open.pid, 1000);
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function createTransport(config: ResolvedServerConfig, kind: McpTransportKind, stderr: { tail: string }, logger: Logger): Transport {
  if (kind === 'stdio') {
    const transport = new StdioClientTransport({
      command: config.command as string,
      args: config.args,
      env: config.env,
      cwd: config.cwd,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr.tail = (stderr.tail + text).slice(-STDERR_TAIL_CHARS);
      logger.debug?.({ server: config.label, stderr: text.trimEnd() }, `MCP server ${config.label} stderr`);
    });
    return transport;
  }
  const url = new URL(config.url as string);
  const requestInit = config.headers ? { headers: config.headers } : undefined;
  return kind === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit });
}

/** Races a connect against `timeoutMs` and the signal, since starting an SSE stream has no timeout of its own. */
async function withDeadline<T>(config: ResolvedServerConfig, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`did not connect within ${config.timeoutMs} ms`)), config.timeoutMs);
    onAbort = () => reject(new AbortError('the connection was aborted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([run(), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** An error whose message says which server failed, how, and what to check. */
function describeFailure(error: unknown, config: ResolvedServerConfig, stderrTail: string): Error {
  if (AbortError.isInstance(error) || (error instanceof Error && error.name === 'AbortError')) {
    return new AbortError(`Connecting to the MCP server "${config.label}" was aborted.`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  const timedOut = TimeoutError.isInstance(error) || code === -32001;
  let hint: string;
  if (code === 'ENOENT') hint = `The command "${config.command}" was not found: install it or fix \`command\` (PATH is ${process.env.PATH ? 'set' : 'unset'}).`;
  else if (timedOut) hint = `It did not answer within ${config.timeoutMs} ms: check that it is an MCP server, or raise \`timeoutMs\`.`;
  else if (config.transport === 'stdio') hint = 'Check the command, its arguments and `cwd`; the server must speak MCP on stdout.';
  else hint = 'Check the URL, that the server is running, and `headers` if it needs authentication.';
  const stderr = stderrTail.trim() ? ` Its stderr ended with: ${stderrTail.trim().slice(-500)}` : '';
  const failure = new Error(`${timedOut ? 'timed out' : message}. ${hint}${stderr}`, { cause: error });
  return timedOut ? new TimeoutError(failure.message, { cause: error }) : failure;
}
