import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { AbortError, LLMError, TimeoutError, ToolExecutionError, type Tool, type ToolExecutionContext } from '@llm/core';
import { readMcpToolResult } from './mcp-tool-result.js';

/** Where an MCP tool lives: its server's client, the server's name and the call limit. */
export interface McpToolSource {
  client: Client;
  serverName: string;
  timeoutMs: number;
}

/**
 * A core `Tool` that calls an MCP tool: `parameters` is the tool's JSON inputSchema; `execute` honours the
 * context's AbortSignal and the server's `timeoutMs`.
 */
export function toCoreTool(tool: McpTool, exposedName: string, source: McpToolSource): Tool<Record<string, unknown>> {
  return {
    name: exposedName,
    description: tool.description ?? tool.title ?? tool.annotations?.title,
    parameters: tool.inputSchema as Record<string, unknown>,
    async execute(args: Record<string, unknown>, context?: ToolExecutionContext) {
      let result: CallToolResult | { toolResult: unknown };
      try {
        result = (await source.client.callTool({ name: tool.name, arguments: args ?? {} }, undefined, {
          timeout: source.timeoutMs,
          signal: context?.signal,
        })) as CallToolResult | { toolResult: unknown };
      } catch (error) {
        throw callError(error, exposedName, source, context?.signal);
      }
      return readMcpToolResult(result, exposedName, source.serverName);
    },
  };
}

function callError(error: unknown, toolName: string, source: McpToolSource, signal: AbortSignal | undefined): LLMError {
  const where = `The MCP tool "${toolName}" on server "${source.serverName}"`;
  if (signal?.aborted) return new AbortError(`${where} was cancelled.`, { cause: error });
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return new TimeoutError(`${where} did not answer within ${source.timeoutMs} ms. Raise the server's \`timeoutMs\` if it needs longer.`, { cause: error });
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
    return new ToolExecutionError(`${where} could not be called: the server closed the connection.`, { cause: error, toolName });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolExecutionError(`${where} failed: ${message}`, { cause: error, toolName });
}
