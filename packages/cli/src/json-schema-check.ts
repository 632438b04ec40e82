import type { JsonSchema } from '@llm/core';

type Schema = JsonSchema | boolean;

/** The keywords this checker reads (a JSON Schema is untrusted input: every one is type-checked before use). */
interface SchemaNode {
  $ref?: unknown; type?: unknown; enum?: unknown; const?: unknown; pattern?: unknown;
  minLength?: unknown; maxLength?: unknown; minimum?: unknown; maximum?: unknown; exclusiveMinimum?: unknown; exclusiveMaximum?: unknown;
  minItems?: unknown; maxItems?: unknown; items?: Schema; properties?: Record<string, Schema>; required?: unknown;
  additionalProperties?: Schema; allOf?: unknown; anyOf?: unknown; oneOf?: unknown;
}

const num = (value: unknown): value is number => typeof value === 'number';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function resolveRef(ref: string, root: JsonSchema): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'));
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return typeof node === 'boolean' || (node && typeof node === 'object') ? (node as Schema) : undefined;
}

function check(value: unknown, schema: Schema, root: JsonSchema, path: string, issues: string[]): void {
  if (schema === true) return;
  if (schema === false) return void issues.push(`${path}: no value is allowed here`);
  const s: SchemaNode = schema;
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, root);
    if (target === undefined) issues.push(`${path}: cannot resolve ${s.$ref}`);
    else check(value, target, root, path, issues);
  }
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.map(String) : undefined;
  if (types && !types.some((t) => matchesType(value, t))) return void issues.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
  if (Array.isArray(s.enum) && !s.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    issues.push(`${path}: must be one of ${s.enum.map((o) => JSON.stringify(o)).join(', ')}`);
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) issues.push(`${path}: must be ${JSON.stringify(s.const)}`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (num(s.minLength) && length < s.minLength) issues.push(`${path}: shorter than ${s.minLength} characters`);
    if (num(s.maxLength) && length > s.maxLength) issues.push(`${path}: longer than ${s.maxLength} characters`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) issues.push(`${path}: does not match /${s.pattern}/`);
  }
  if (typeof value === 'number') {
    if (num(s.minimum) && value < s.minimum) issues.push(`${path}: less than ${s.minimum}`);
    if (num(s.maximum) && value > s.maximum) issues.push(`${path}: more than ${s.maximum}`);
    if (num(s.exclusiveMinimum) && value <= s.exclusiveMinimum) issues.push(`${path}: not more than ${s.exclusiveMinimum}`);
    if (num(s.exclusiveMaximum) && value >= s.exclusiveMaximum) issues.push(`${path}: not less than ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (num(s.minItems) && value.length < s.minItems) issues.push(`${path}: fewer than ${s.minItems} items`);
    if (num(s.maxItems) && value.length > s.maxItems) issues.push(`${path}: more than ${s.maxItems} items`);
    const items = s.items;
    if (items !== undefined && !Array.isArray(items)) value.forEach((item, i) => check(item, items, root, `${path}[${i}]`, issues));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = s.properties ?? {};
    const extra = s.additionalProperties;
    for (const key of Array.isArray(s.required) ? s.required.map(String) : []) if (!(key in object)) issues.push(`${path}.${key}: required`);
    for (const [key, item] of Object.entries(object)) {
      if (Object.prototype.hasOwnProperty.call(properties, key)) check(item, properties[key], root, `${path}.${key}`, issues);
      else if (extra !== undefined) check(item, extra, root, `${path}.${key}`, issues);
    }
  }
  for (const sub of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : []) check(value, sub, root, path, issues);
  for (const [keyword, fits] of [['anyOf', (n: number) => n > 0], ['oneOf', (n: number) => n === 1]] as const) {
    const subs = s[keyword];
    if (!Array.isArray(subs)) continue;
    const passing = (subs as Schema[]).filter((sub) => validateJsonSchema(value, sub, root).length === 0).length;
    if (!fits(passing)) issues.push(`${path}: matches ${passing} of the ${keyword} schemas`);
  }
}

/**
 * Checks a value against a JSON Schema (the keywords structured output uses: type, enum, const, properties,
 * required, additionalProperties, items, min/max lengths, items and values, pattern, $ref, allOf/anyOf/oneOf).
 * Returns `path: problem` lines; empty means valid.
 * @example validateJsonSchema({ year: '1997' }, { type: 'object', properties: { year: { type: 'integer' } } }) // ['(root).year: expected integer, got string']
 */
export function validateJsonSchema(value: unknown, schema: Schema, root: JsonSchema = typeof schema === 'object' ? schema : {}): string[] {
  const issues: string[] = [];
  check(value, schema, root, '(root)', issues);
  return issues;
}
