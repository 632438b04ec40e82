import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation';
import { ConfigurationError, isZodSchema, validateToolArguments, type Tool, type ToolExecutionContext } from '@llm/core';

/** A core tool ready to serve: its MCP definition and a `call` that validates, runs and maps the result. */
export interface ServedTool {
  definition: McpTool;
  call(args: Record<string, unknown>, context: ToolExecutionContext): Promise<CallToolResult>;
}

const validators = new AjvJsonSchemaValidator();

/** Prepares a core tool for serving. Throws ConfigurationError for a tool that cannot be served. */
export function toServedTool(tool: Tool): ServedTool {
  if (!tool || typeof tool.name !== 'string' || tool.name === '') throw new ConfigurationError('Every served tool needs a `name`.');
  if (typeof tool.execute !== 'function') {
    throw new ConfigurationError(`The tool "${tool.name}" has no \`execute\`, so an MCP server cannot run it. Give it an execute function.`);
  }
  const execute = tool.execute.bind(tool);
  const { inputSchema, validate } = schemaOf(tool);
  return {
    definition: { name: tool.name, description: tool.description, inputSchema: inputSchema as McpTool['inputSchema'] },
    async call(args, context) {
      const checked = validate(args);
      if (!checked.ok) return errorResult(checked.message);
      try {
        return toCallToolResult(await execute(checked.data, context));
      } catch (error) {
        return errorResult(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

type Validation = { ok: true; data: unknown } | { ok: false; message: string };

/** The zod 4 schema method behind `z.toJSONSchema` (called on the schema, so it works without loading zod here). */
type JsonSchemaMethod = (params: { io: 'input'; unrepresentable: 'any' }) => Record<string, unknown>;

/** zod parameters → JSON Schema (`z.toJSONSchema`, input side, `$schema` dropped) and zod validation; JSON Schema → ajv. */
function schemaOf(tool: Tool): { inputSchema: Record<string, unknown>; validate: (args: unknown) => Validation } {
  const parameters = tool.parameters ?? { type: 'object', properties: {} };
  if (isZodSchema(parameters)) {
    const method = (parameters as unknown as { toJSONSchema?: JsonSchemaMethod }).toJSONSchema;
    if (typeof method !== 'function') throw new ConfigurationError(`The tool "${tool.name}" uses a zod schema without toJSONSchema(): use zod 4.1 or newer.`);
    let converted: Record<string, unknown>;
    try {
      converted = method.call(parameters, { io: 'input', unrepresentable: 'any' });
    } catch (error) {
      throw new ConfigurationError(`The parameters of the tool "${tool.name}" cannot be turned into JSON Schema: ${(error as Error).message}.`, { cause: error });
    }
    const { $schema: _dialect, ...inputSchema } = converted;
    return {
      inputSchema: objectSchema(tool.name, inputSchema),
      validate: (args) => {
        const checked = validateToolArguments(tool, args);
        return checked.ok ? { ok: true, data: checked.value } : { ok: false, message: checked.error };
      },
    };
  }
  const inputSchema = objectSchema(tool.name, parameters as Record<string, unknown>);
  const validator = validators.getValidator(inputSchema as JsonSchemaType);
  return {
    inputSchema,
    validate: (args) => {
      const result = validator(args);
      return result.valid ? { ok: true, data: result.data } : { ok: false, message: `Invalid arguments for ${tool.name}: ${result.errorMessage}` };
    },
  };
}

function objectSchema(name: string, schema: Record<string, unknown>): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || schema.type !== 'object') {
    throw new ConfigurationError(`The tool "${name}" must take an object: its parameters schema needs type "object" (e.g. z.object({...})).`);
  }
  return schema;
}

/** Strings become text; other values JSON text, plus `structuredContent` for plain objects. */
function toCallToolResult(value: unknown): CallToolResult {
  if (value === undefined) return { content: [] };
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  const structured = typeof value === 'object' && value !== null && !Array.isArray(value) ? { structuredContent: value as Record<string, unknown> } : {};
  return { content: [{ type: 'text', text }], ...structured };
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
