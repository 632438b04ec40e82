import type { z } from 'zod';
import { ConfigurationError } from './errors.js';
import type { JsonSchema } from './types.js';

/** A zod schema (zod 4). */
export type ZodSchema<T = unknown> = z.ZodType<T>;

let zod: typeof import('zod') | undefined;

/**
 * Loads zod on first need, so `import('@llm/core')` stays fast for apps that never pass a zod schema (an app that
 * does pass one has zod loaded already, and this resolves at once).
 */
export async function loadZod(): Promise<void> {
  zod ??= await import('zod');
}

/** Whether a value is a zod schema (works across zod copies: duck-typed on `safeParse` and `_zod`). */
export function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/**
 * Converts a zod schema (or passes a JSON Schema through) to the JSON Schema sent to providers: nested objects,
 * arrays, enums, optional fields and `.describe()` texts included; `$schema` removed.
 */
export function toJsonSchema(schema: z.ZodType | JsonSchema): JsonSchema {
  if (!isZodSchema(schema)) return schema;
  if (!zod) throw new ConfigurationError('zod is not loaded yet: call `await loadZod()` before converting a zod schema.');
  try {
    const json = zod.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    return json;
  } catch (error) {
    throw new ConfigurationError(`This zod schema cannot be turned into JSON Schema: ${(error as Error).message}. Use plain objects, arrays, enums and primitives.`, { cause: error });
  }
}

/** Formats zod issues as short `path: message` lines for error messages and repair prompts. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * A zod validator for a JSON Schema (zod 4's `z.fromJSONSchema`), so JSON Schema `schema` options and tool
 * parameters are validated like zod ones. Needs `loadZod()` first; undefined when zod cannot represent the schema.
 */
export function zodFromJsonSchema(schema: JsonSchema): z.ZodType | undefined {
  if (!zod) throw new ConfigurationError('zod is not loaded yet: call `await loadZod()` before converting a JSON Schema.');
  try {
    return zod.fromJSONSchema(schema as Parameters<typeof zod.fromJSONSchema>[0]) as unknown as z.ZodType;
  } catch {
    return undefined;
  }
}
