import type { JsonSchema } from '@llm/core';

/** The schema to send as `response_format.json_schema`, and whether OpenAI's strict mode can enforce it. */
export interface OpenAIStrictSchema {
  schema: JsonSchema;
  /** False when the schema uses what strict mode cannot express (open objects, allOf, not…): sent as given. */
  strict: boolean;
  /** True when optional fields were made nullable, so the answer needs `restoreOptionalFields`. */
  madeNullable: boolean;
}

type SchemaNode = Record<string, unknown>;

/** Constraints strict mode rejects but that only narrow valid values: dropped (core validates the answer anyway). */
const DROPPED_KEYWORDS = new Set([
  '$schema', '$id', 'uniqueItems', 'minProperties', 'maxProperties', 'contains', 'minContains', 'maxContains',
  'contentEncoding', 'contentMediaType', 'contentSchema', 'dependentRequired', 'propertyNames',
]);

/** Keywords that change the shape in ways strict mode cannot express: the schema is sent without `strict`. */
const UNREPRESENTABLE_KEYWORDS = new Set([
  'allOf', 'not', 'if', 'then', 'else', 'prefixItems', 'patternProperties', 'dependentSchemas', 'dependencies',
  'unevaluatedItems', 'unevaluatedProperties', '$anchor', '$dynamicAnchor', '$dynamicRef', '$recursiveAnchor', '$recursiveRef',
]);

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

interface TransformState {
  strict: boolean;
  madeNullable: boolean;
}

function hasType(node: SchemaNode, type: string): boolean {
  return node.type === type || (Array.isArray(node.type) && node.type.includes(type));
}

/** Lets a schema also accept `null` (how strict mode says "optional"). */
function nullable(node: SchemaNode): SchemaNode {
  if (hasType(node, 'null') || node.const === null) return node;
  if (node.const === undefined && node.$ref === undefined && (typeof node.type === 'string' || Array.isArray(node.type))) {
    const type = Array.isArray(node.type) ? [...node.type, 'null'] : [node.type, 'null'];
    const out: SchemaNode = { ...node, type };
    if (Array.isArray(node.enum)) out.enum = [...node.enum, null];
    return out;
  }
  if (Array.isArray(node.anyOf)) {
    return node.anyOf.some((branch) => isNode(branch) && hasType(branch, 'null')) ? node : { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  }
  return { anyOf: [node, { type: 'null' }] };
}

function transformMap(value: unknown, state: TransformState): unknown {
  if (!isNode(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, transformNode(child, state)]));
}

function transformObject(node: SchemaNode, out: SchemaNode, state: TransformState): void {
  const open = node.additionalProperties !== undefined && node.additionalProperties !== false;
  if (open || !isNode(node.properties)) {
    // A map (`z.record`) or a free-form object cannot be strict: strict objects have exactly their properties.
    if (open || hasType(node, 'object')) state.strict = false;
    return;
  }
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const properties: SchemaNode = {};
  for (const [key, child] of Object.entries(node.properties)) {
    const converted = transformNode(child, state);
    if (required.has(key) || !isNode(converted)) properties[key] = converted;
    else {
      properties[key] = nullable(converted);
      state.madeNullable = true;
    }
  }
  out.properties = properties;
  out.required = Object.keys(properties);
  out.additionalProperties = false;
}

function transformNode(value: unknown, state: TransformState): unknown {
  if (!isNode(value)) {
    if (value === true) state.strict = false;
    return value;
  }
  const out: SchemaNode = {};
  for (const [key, child] of Object.entries(value)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (UNREPRESENTABLE_KEYWORDS.has(key)) state.strict = false;
    out[key] = child;
  }
  if (isNode(value.properties) || hasType(value, 'object')) transformObject(value, out, state);
  if (value.items !== undefined) out.items = Array.isArray(value.items) ? ((state.strict = false), value.items) : transformNode(value.items, state);
  if (Array.isArray(value.anyOf)) out.anyOf = value.anyOf.map((branch) => transformNode(branch, state));
  // Strict mode has no oneOf; anyOf accepts the same answers (core checks exclusivity when it validates).
  if (Array.isArray(value.oneOf)) {
    delete out.oneOf;
    out.anyOf = [...((out.anyOf as unknown[]) ?? []), ...value.oneOf.map((branch) => transformNode(branch, state))];
  }
  if (value.$defs !== undefined) out.$defs = transformMap(value.$defs, state);
  if (value.definitions !== undefined) out.definitions = transformMap(value.definitions, state);
  return out;
}

/**
 * Rewrites a JSON Schema for OpenAI's strict Structured Outputs: every object lists all its properties in
 * `required` and gets `additionalProperties: false`; properties that were optional become nullable
 * (`type: [T, 'null']`, or `anyOf` with null); keywords strict mode rejects are dropped. A schema strict mode
 * cannot express (maps, `allOf`, `not`…) comes back unchanged with `strict: false`.
 * @example
 * toOpenAIStrictSchema({ type: 'object', properties: { a: { type: 'string' } } })
 * // { schema: { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'], additionalProperties: false }, strict: true, madeNullable: true }
 */
export function toOpenAIStrictSchema(schema: JsonSchema): OpenAIStrictSchema {
  const state: TransformState = { strict: hasType(schema, 'object'), madeNullable: false };
  const converted = transformNode(schema, state) as JsonSchema;
  if (!state.strict) return { schema, strict: false, madeNullable: false };
  return { schema: converted, strict: true, madeNullable: state.madeNullable };
}

function resolveRef(node: unknown, root: SchemaNode): SchemaNode | undefined {
  let current = node;
  for (let hops = 0; isNode(current) && typeof current.$ref === 'string' && hops < 32; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#')) return undefined;
    current = ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((at, key) => (isNode(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
  }
  return isNode(current) ? current : undefined;
}

function acceptsNull(node: unknown, root: SchemaNode): boolean {
  const schema = resolveRef(node, root);
  if (!schema) return node === true;
  if (hasType(schema, 'null') || schema.const === null || (Array.isArray(schema.enum) && schema.enum.includes(null))) return true;
  return [schema.anyOf, schema.oneOf].some((branches) => Array.isArray(branches) && branches.some((branch) => acceptsNull(branch, root)));
}

function branchFor(value: unknown, schema: SchemaNode, root: SchemaNode): SchemaNode | undefined {
  const branches = [...(Array.isArray(schema.anyOf) ? schema.anyOf : []), ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])];
  for (const branch of branches) {
    const resolved = resolveRef(branch, root);
    if (!resolved) continue;
    if (Array.isArray(value) ? hasType(resolved, 'array') || resolved.items !== undefined : hasType(resolved, 'object') || isNode(resolved.properties)) return resolved;
  }
  return undefined;
}

function restore(value: unknown, node: unknown, root: SchemaNode): unknown {
  if (value === null || typeof value !== 'object') return value;
  const schema = resolveRef(node, root);
  if (!schema) return value;
  const branch = branchFor(value, schema, root);
  if (branch) return restore(value, branch, root);
  if (Array.isArray(value)) return schema.items === undefined ? value : value.map((item) => restore(item, schema.items, root));
  if (!isNode(schema.properties)) return value;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    const propertySchema = schema.properties[key];
    if (propertySchema === undefined) continue;
    if (child === null && !required.has(key) && !acceptsNull(propertySchema, root)) delete record[key];
    else record[key] = restore(child, propertySchema, root);
  }
  return value;
}

/**
 * The inverse of the nullable rewrite: removes the keys that came back `null` where the caller's schema had an
 * optional property that does not accept null, so the answer validates against the caller's own schema.
 * Returns the text unchanged when it is not JSON.
 */
export function restoreOptionalFields(text: string, originalSchema: JsonSchema): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(restore(value, originalSchema, originalSchema));
}
