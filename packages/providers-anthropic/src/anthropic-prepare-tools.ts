import type Anthropic from '@anthropic-ai/sdk';
import { ConfigurationError, type JsonSchema, type ProviderRequest, type ToolSpec } from '@llm/core';

/** The name of the synthetic tool that carries structured output (`responseFormat`). */
export const JSON_OUTPUT_TOOL_NAME = 'json_output';

/** How to read the structured-output tool's input back as the answer. */
export interface JsonToolMode {
  name: string;
  /** The schema was not an object, so the answer is wrapped as `{ value: ... }` (tool inputs must be objects). */
  wrapped: boolean;
}

/** The tool fields of a Messages request, plus what structured output adds. */
export interface PreparedAnthropicTools {
  tools?: Anthropic.Tool[];
  toolChoice?: Anthropic.ToolChoice;
  /** Appended to the system prompt when structured output cannot force the tool. */
  systemInstruction?: string;
  jsonTool?: JsonToolMode;
}

function inputSchema(parameters: JsonSchema | undefined): Anthropic.Tool.InputSchema {
  const schema = parameters ?? {};
  return { ...schema, type: 'object' };
}

function convertTool(tool: ToolSpec): Anthropic.Tool {
  return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), input_schema: inputSchema(tool.parameters) };
}

function convertToolChoice(choice: ProviderRequest['toolChoice'], tools: ToolSpec[]): Anthropic.ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (!tools.some((tool) => tool.name === choice.name)) {
    throw new ConfigurationError(
      `toolChoice names the tool "${choice.name}", which is not among the request's tools (${tools.map((t) => t.name).join(', ') || 'none'}). Pass that tool or choose another.`,
      { provider: 'anthropic' },
    );
  }
  return { type: 'tool', name: choice.name };
}

function jsonTool(format: NonNullable<ProviderRequest['responseFormat']>): { tool: Anthropic.Tool; mode: JsonToolMode } {
  const schema = format.schema ?? { type: 'object', additionalProperties: true };
  const isObject = schema.type === 'object' || (schema.type === undefined && typeof schema.properties === 'object');
  const wrapped = !isObject;
  const description = format.description
    ?? `Give your final answer as this tool's input${format.name ? ` (${format.name})` : ''}: JSON that matches the input schema exactly.`;
  const input = wrapped ? { type: 'object', properties: { value: schema }, required: ['value'], additionalProperties: false } : schema;
  return { tool: { name: JSON_OUTPUT_TOOL_NAME, description, input_schema: inputSchema(input) }, mode: { name: JSON_OUTPUT_TOOL_NAME, wrapped } };
}

/**
 * Builds `tools` and `tool_choice`, and the structured-output tool. With `responseFormat` and no usable user tools
 * (none, or `toolChoice: 'none'`), the `json_output` tool is forced with `tool_choice: { type: 'tool' }`. With user
 * tools in play, or extended thinking (which forbids forcing a tool), `json_output` joins the tools under the
 * caller's `tool_choice` and a system instruction tells Claude to give its final answer through it.
 */
export function prepareAnthropicTools(
  request: Pick<ProviderRequest, 'tools' | 'toolChoice' | 'responseFormat'>,
  options: { thinking?: boolean } = {},
): PreparedAnthropicTools {
  const userTools = request.tools ?? [];
  const tools = userTools.map(convertTool);
  const toolChoice = tools.length ? convertToolChoice(request.toolChoice, userTools) : undefined;
  if (request.responseFormat?.type !== 'json') {
    return tools.length ? { tools, ...(toolChoice ? { toolChoice } : {}) } : {};
  }
  if (userTools.some((tool) => tool.name === JSON_OUTPUT_TOOL_NAME)) {
    throw new ConfigurationError(
      `The tool name "${JSON_OUTPUT_TOOL_NAME}" is reserved for structured output on Anthropic. Rename your tool.`,
      { provider: 'anthropic' },
    );
  }
  const { tool, mode } = jsonTool(request.responseFormat);
  const userToolsUsable = tools.length > 0 && request.toolChoice !== 'none';
  if (!userToolsUsable && !options.thinking) {
    return { tools: [...tools, tool], toolChoice: { type: 'tool', name: JSON_OUTPUT_TOOL_NAME }, jsonTool: mode };
  }
  const systemInstruction = `When you have the final answer, give it by calling the ${JSON_OUTPUT_TOOL_NAME} tool with the answer as its input, and do not write the answer as text.`;
  const choice: Anthropic.ToolChoice = request.toolChoice === 'none' || !toolChoice ? { type: 'auto' } : toolChoice;
  return { tools: [...tools, tool], toolChoice: choice, systemInstruction, jsonTool: mode };
}
