import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ConfigurationError, type Tool } from '@llm/core';
import { toServedTool, type ServedTool } from './served-tool.js';

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  /** The server's name, sent as `serverInfo.name`. */
  name: string;
  /** The server's version. Default '0.1.0'. */
  version?: string;
  /** The tools to serve: `defineTool` tools with zod parameters, or JSON Schema tools with `execute`. */
  tools: Tool[];
  /** Text telling clients how to use the server. */
  instructions?: string;
}

/** Where `listenHttp` listens. */
export interface McpHttpListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The endpoint path. Default '/mcp'. */
  path?: string;
}

/** A running HTTP endpoint. */
export interface McpHttpListener {
  /** The endpoint, e.g. `http://127.0.0.1:43123/mcp`: pass it to `connectMcpServers`. */
  url: string;
  close(): Promise<void>;
}

/** A server for core tools; one server can listen on stdio, HTTP and any SDK transport at once. */
export interface McpServerHandle {
  readonly name: string;
  /** Serves on this process's stdin/stdout (for `node my-server.js` launched by an MCP client). */
  listenStdio(): Promise<void>;
  /** Serves Streamable HTTP (stateless: every POST is answered on its own). */
  listenHttp(options?: McpHttpListenOptions): Promise<McpHttpListener>;
  /** Serves on any MCP SDK server transport (e.g. `SSEServerTransport`). */
  connect(transport: Transport): Promise<void>;
  /** Closes every transport and HTTP listener. */
  close(): Promise<void>;
}

/**
 * Serves core `Tool`s as an MCP server: zod parameters become JSON Schema (`toJSONSchema`), arguments are
 * validated before `execute`, results become text (and `structuredContent` for objects), thrown errors become
 * `isError` results.
 * @example
 * const server = createMcpServer({ name: 'calculator', tools: [calculatorTool] });
 * await server.listenStdio();
 */
export function createMcpServer(options: McpServerOptions): McpServerHandle {
  if (!options || typeof options.name !== 'string' || options.name === '') throw new ConfigurationError('createMcpServer needs a `name`.');
  if (!Array.isArray(options.tools)) throw new ConfigurationError('createMcpServer needs `tools`: an array of tools with `execute`.');
  const tools = new Map<string, ServedTool>();
  for (const tool of options.tools) {
    if (tools.has(tool?.name)) throw new ConfigurationError(`createMcpServer got two tools named "${tool.name}". Tool names must be unique.`);
    tools.set(tool?.name, toServedTool(tool));
  }
  const info = { name: options.name, version: options.version ?? '0.1.0' };
  const servers = new Set<Server>();
  const listeners = new Set<McpHttpListener>();

  const newServer = (): Server => {
    const server = new Server(info, { capabilities: { tools: {} }, instructions: options.instructions });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...tools.values()].map((t) => t.definition) }));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const tool = tools.get(request.params.name);
      if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${request.params.name}". Call tools/list for the tool names.`);
      return tool.call(request.params.arguments ?? {}, { toolCallId: String(extra.requestId), signal: extra.signal });
    });
    servers.add(server);
    server.onclose = () => servers.delete(server);
    return server;
  };
  const connect = (transport: Transport) => newServer().connect(transport);

  return {
    name: options.name,
    connect,
    listenStdio: () => connect(new StdioServerTransport()),
    async listenHttp(listen = {}) {
      const listener = await listenHttp(listen, newServer);
      const close = async () => {
        listeners.delete(handle);
        await listener.close();
      };
      const handle = { url: listener.url, close };
      listeners.add(handle);
      return handle;
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      await Promise.all([...servers].map((s) => s.close()));
    },
  };
}

async function listenHttp(options: McpHttpListenOptions, newServer: () => Server): Promise<McpHttpListener> {
  const endpoint = options.path ?? '/mcp';
  const http = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) jsonRpcError(res, 500, ErrorCode.InternalError, `Internal error: ${(error as Error).message}`);
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== endpoint) return jsonRpcError(res, 404, ErrorCode.InvalidRequest, `Not found: the MCP endpoint is ${endpoint}`);
    if (req.method !== 'POST') return jsonRpcError(res, 405, ErrorCode.InvalidRequest, 'Method not allowed: this stateless server takes POST only');
    const server = newServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${endpoint}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      }),
  };
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
