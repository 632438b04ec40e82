import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ToolExecutionError } from '@llm/core';

/** One entry of a tool result that has more than text. */
export type McpResultPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; base64: string }
  | { type: 'audio'; mediaType: string; base64: string }
  | { type: 'resource'; uri: string; mediaType?: string; text?: string; base64?: string }
  | { type: 'resource-link'; uri: string; name: string; mediaType?: string; description?: string };

/**
 * What the model reads from an MCP tool result: `structuredContent` when present; else the text parts joined
 * with newlines; else (images, audio, resources) a list of parts. `isError: true` throws a ToolExecutionError
 * carrying the tool's text, which core turns into an error tool result.
 */
export function readMcpToolResult(result: CallToolResult | { toolResult: unknown }, toolName: string, serverName: string): unknown {
  if ('toolResult' in result) return result.toolResult; // protocol 2024-10-07 servers
  const parts = (result.content ?? []).map(toPart);
  const text = parts.filter((p): p is { type: 'text'; text: string } => p.type === 'text').map((p) => p.text).join('\n');
  if (result.isError) {
    throw new ToolExecutionError(`The MCP tool "${toolName}" on server "${serverName}" reported an error: ${text || 'no details'}`, { toolName });
  }
  if (result.structuredContent !== undefined) return result.structuredContent;
  return parts.every((p) => p.type === 'text') ? text : parts;
}

function toPart(block: CallToolResult['content'][number]): McpResultPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
    case 'audio':
      return { type: block.type, mediaType: block.mimeType, base64: block.data };
    case 'resource': {
      const r = block.resource;
      return { type: 'resource', uri: r.uri, mediaType: r.mimeType, ...('text' in r ? { text: r.text } : { base64: r.blob }) };
    }
    case 'resource_link':
      return { type: 'resource-link', uri: block.uri, name: block.name, mediaType: block.mimeType, description: block.description };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}
