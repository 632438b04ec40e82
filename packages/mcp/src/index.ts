export { parseCommandLine } from './command-line.js';
export {
  DEFAULT_MCP_TIMEOUT_MS,
  resolveMcpServers,
  type McpDesktopConfig,
  type McpServerConfig,
  type McpServersInput,
  type McpToolInfo,
  type McpTransportKind,
  type ResolvedServerConfig,
} from './mcp-config.js';
export { connectMcpServers, type ConnectMcpOptions, type McpConnection, type McpServerStatus } from './mcp-connection.js';
export type { McpResultPart } from './mcp-tool-result.js';
export {
  createMcpServer,
  type McpHttpListener,
  type McpHttpListenOptions,
  type McpServerHandle,
  type McpServerOptions,
} from './mcp-server.js';
export { calculatorTool, evaluateExpression } from './calculator.js';
