import type { z } from 'zod';
import { ConfigurationError } from './errors.js';
import { isZodSchema, toJsonSchema, zodFromJsonSchema } from './json-schema.js';
import type { JsonSchema, Tool, ToolExecutionContext, ToolSpec } from './types.js';

/**
 * Defines a tool with zod-validated arguments.
 * @example
 * const weather = defineTool({ name: 'get_weather', description: '날씨 조회', parameters: z.object({ city: z.string() }), execute: ({ city }) => `${city}: 맑음` });
 */
export function defineTool<S extends z.ZodType, R>(tool: {
  name: string;
  description?: string;
  parameters: S;
  execute?: (args: z.output<S>, context: ToolExecutionContext) => R | Promise<R>;
}): Tool<z.output<S>, R> {
  validateToolName(tool.name);
  return tool as Tool<z.output<S>, R>;
}

/** An OpenAI-style JSON tool (`{ type: 'function', function: { name, description, parameters } }`), optionally with a handler. */
export interface OpenAIStyleTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema };
  /** Runs the tool; without it, calls are returned to the caller in `reply.toolCalls`. */
  handler?: (args: any, context: ToolExecutionContext) => unknown;
  execute?: (args: any, context: ToolExecutionContext) => unknown;
}

/** Anything `ask({ tools })` accepts. */
export type ToolInput = Tool | OpenAIStyleTool;

function validateToolName(name: unknown): void {
  if (typeof name !== 'string' || !/^[\p{L}\p{N}_.-]{1,128}$/u.test(name)) {
    throw new ConfigurationError(`Invalid tool name ${JSON.stringify(name)}: use 1-128 letters, digits, "_", "." or "-".`);
  }
}

/** Converts any accepted tool shape to a core `Tool`. */
export function normalizeTool(input: ToolInput): Tool {
  if ((input as OpenAIStyleTool).type === 'function' && (input as OpenAIStyleTool).function) {
    const t = input as OpenAIStyleTool;
    validateToolName(t.function.name);
    return {
      name: t.function.name,
      description: t.function.description,
      parameters: t.function.parameters ?? { type: 'object', properties: {} },
      execute: t.handler ?? t.execute,
    };
  }
  const tool = input as Tool;
  if (!tool || typeof tool !== 'object' || !tool.parameters) {
    throw new ConfigurationError('A tool needs a name and parameters: use defineTool({ name, description, parameters, execute }) or an OpenAI-style { type: "function", function: {...} } object.');
  }
  validateToolName(tool.name);
  return tool;
}

/** Normalizes a tool list and rejects duplicate names. */
export function normalizeTools(inputs: ToolInput[] | undefined): Tool[] {
  if (!inputs?.length) return [];
  const tools = inputs.map(normalizeTool);
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) throw new ConfigurationError(`Two tools are named "${tool.name}"; tool names must be unique.`);
    seen.add(tool.name);
  }
  return tools;
}

/** The provider-facing spec of a tool (JSON Schema parameters). */
export function toToolSpec(tool: Tool): ToolSpec {
  const parameters = toJsonSchema(tool.parameters);
  return { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters };
}

const validators = new WeakMap<object, z.ZodType | null>();

/** A cached zod validator for a JSON Schema tool (null when zod cannot represent the schema or is not loaded). */
function jsonValidator(schema: JsonSchema): z.ZodType | undefined {
  let validator = validators.get(schema);
  if (validator === undefined) {
    try {
      validator = zodFromJsonSchema(schema) ?? null;
    } catch {
      return undefined;
    }
    validators.set(schema, validator);
  }
  return validator ?? undefined;
}

/** Validates tool arguments against the tool's zod schema, or its JSON Schema through zod. */
export function validateToolArguments(tool: Tool, args: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  const params = tool.parameters;
  const validator = isZodSchema(params) ? params : jsonValidator(params as JsonSchema);
  if (validator) {
    const parsed = validator.safeParse(args);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: `Invalid arguments for ${tool.name}: ${issues}` };
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return { ok: false, error: `Invalid arguments for ${tool.name}: expected a JSON object.` };
  }
  // zod could not represent this JSON Schema: check what it requires at least.
  const required = (params as JsonSchema).required;
  if (Array.isArray(required)) {
    const missing = required.filter((k) => typeof k === 'string' && !(k in (args as object)));
    if (missing.length) return { ok: false, error: `Invalid arguments for ${tool.name}: missing ${missing.join(', ')}` };
  }
  return { ok: true, value: args };
}
