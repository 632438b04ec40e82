import type { z } from 'zod';
import { ConfigurationError } from './errors.js';
import { formatZodIssues, isZodSchema, toJsonSchema } from './json-schema.js';
import type { JsonSchema, ResponseFormat } from './types.js';

/** The answer used for "none of these" with `choicesOptional`. */
export const NO_CHOICE = '__none__';

/** Extracts the JSON value from a model answer: code fences stripped, surrounding prose ignored. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  const candidates = [text.trim(), fenced?.[1]?.trim()];
  const start = text.search(/[[{]/);
  if (start >= 0) {
    const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (end > start) candidates.push(text.slice(start, end + 1));
  }
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // try the next candidate
    }
  }
  return { ok: false, error: 'The answer is not valid JSON.' };
}

/** Parses and validates a structured answer. */
export function validateStructured<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; issues: string[] } {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, issues: [parsed.error] };
  const result = schema.safeParse(parsed.value);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: formatZodIssues(result.error) };
}

/** The response format and instructions for a zod schema. */
export function schemaResponseFormat(schema: z.ZodType | JsonSchema): ResponseFormat {
  if (!isZodSchema(schema) && (typeof schema !== 'object' || schema === null)) {
    throw new ConfigurationError('`schema` must be a zod schema (z.object({...})) or a JSON Schema object.');
  }
  return { type: 'json', name: 'response', schema: toJsonSchema(schema) };
}

/** Instructions for providers without native structured output. */
export function jsonInstructions(format: ResponseFormat): string {
  return [
    'Answer with one JSON value only: no prose, no code fences.',
    format.schema ? `It must match this JSON Schema:\n${JSON.stringify(format.schema)}` : '',
  ].filter(Boolean).join('\n');
}

/** Checks the `choices` option and builds its constrained response format. */
export function choicesResponseFormat(choices: unknown, optional: boolean): ResponseFormat {
  if (!Array.isArray(choices) || choices.length < 2 || !choices.every((c) => typeof c === 'string' && c.length > 0)) {
    throw new ConfigurationError('`choices` needs at least two non-empty strings, e.g. choices: ["긍정", "부정"].');
  }
  const options = optional ? [...choices, NO_CHOICE] : choices;
  return {
    type: 'json', name: 'choice',
    schema: {
      type: 'object',
      properties: { choice: { type: 'string', enum: options, description: 'The one option that fits best' } },
      required: ['choice'], additionalProperties: false,
    },
  };
}

/** Instructions that accompany `choices` (also for providers with native structured output). */
export function choicesInstructions(choices: string[], optional: boolean): string {
  const list = choices.map((c) => `- ${c}`).join('\n');
  const none = optional ? `\nIf none fits, answer "${NO_CHOICE}".` : '';
  return `Pick exactly one of these options and answer with JSON {"choice": "<option>"}:\n${list}${none}`;
}

/** The matched choice with the confidence of the match: exact 1.0, case-insensitive 0.9, substring 0.7. */
export function matchChoice(text: string, choices: string[], optional: boolean): { choice: string | null; choiceIndex: number | null; confidence: number } {
  const parsed = parseJsonText(text);
  const raw = parsed.ok && parsed.value && typeof parsed.value === 'object' && typeof (parsed.value as { choice?: unknown }).choice === 'string'
    ? (parsed.value as { choice: string }).choice
    : text;
  const answer = raw.trim().replace(/^["'`]|["'`.]$/g, '');
  const none = { choice: null, choiceIndex: null, confidence: optional ? 1 : 0 };
  if (answer === NO_CHOICE) return none;
  const exact = choices.indexOf(answer);
  if (exact >= 0) return { choice: choices[exact], choiceIndex: exact, confidence: 1 };
  const lower = answer.toLocaleLowerCase();
  const ci = choices.findIndex((c) => c.toLocaleLowerCase() === lower);
  if (ci >= 0) return { choice: choices[ci], choiceIndex: ci, confidence: 0.9 };
  const sub = choices
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => lower.includes(c.toLocaleLowerCase()) || (lower.length > 0 && c.toLocaleLowerCase().includes(lower)))
    .sort((a, b) => b.c.length - a.c.length)[0];
  if (sub) return { choice: sub.c, choiceIndex: sub.i, confidence: 0.7 };
  return { ...none, confidence: 0 };
}
