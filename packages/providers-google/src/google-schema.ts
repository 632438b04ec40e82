import { Type, type Schema } from '@google/genai';
import type { JsonSchema } from '@llm/core';

/** The result of `toGeminiSchema`: the OpenAPI-subset schema and what could not be expressed in it. */
export interface GeminiSchemaResult {
  /** The schema for `responseSchema`; undefined when nothing expressible is left (an object with no properties). */
  schema: Schema | undefined;
  /** Human-readable notes, one per construct that was dropped or loosened, e.g. `format "email" at #/properties/mail`. */
  dropped: string[];
}

type Node = Record<string, unknown>;

interface Context {
  root: Node;
  dropped: Set<string>;
  refStack: string[];
}

const TYPES: Record<string, Type> = {
  string: Type.STRING, number: Type.NUMBER, integer: Type.INTEGER, boolean: Type.BOOLEAN, array: Type.ARRAY, object: Type.OBJECT,
};

/** Keywords copied unchanged: Gemini's Schema has the same field. */
const COPIED = ['description', 'title', 'default', 'example', 'minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minProperties', 'maxProperties'] as const;

/** Keywords handled by the converter itself, or metadata that carries no constraint. */
const HANDLED = new Set(['type', 'properties', 'required', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'nullable', 'format',
  '$ref', '$defs', 'definitions', '$schema', '$id', '$comment', '$anchor', 'additionalProperties', 'exclusiveMinimum', 'exclusiveMaximum', ...COPIED]);

/** The only `format` values Gemini accepts per type; others make the API answer 400. */
const FORMATS: Partial<Record<Type, string[]>> = {
  [Type.STRING]: ['enum', 'date-time'], [Type.NUMBER]: ['float', 'double'], [Type.INTEGER]: ['int32', 'int64'],
};

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function drop(ctx: Context, what: string, path: string): void {
  ctx.dropped.add(`${what} at ${path}`);
}

function resolveRef(ref: string, ctx: Context): Node | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match) {
    const defs = ctx.root[match[1]];
    const target = isNode(defs) ? defs[decodeURIComponent(match[2])] : undefined;
    return isNode(target) ? target : undefined;
  }
  return ref === '#' ? ctx.root : undefined;
}

/** `anyOf`/`oneOf`/type lists: null members become `nullable`, a single remaining member is inlined. */
function convertUnion(members: unknown[], node: Node, path: string, ctx: Context, out: Schema): Schema | undefined {
  const isNull = (m: unknown) => isNode(m) && m.type === 'null';
  if (members.some(isNull)) out.nullable = true;
  const rest = members.filter((m) => !isNull(m));
  const converted = rest.map((m, i) => convertNode(m, `${path}/anyOf/${i}`, ctx)).filter((s): s is Schema => s !== undefined);
  if (converted.length === 0) return undefined;
  if (converted.length === 1) return { ...converted[0], ...out, ...(node.description ? { description: node.description as string } : {}) };
  return { ...out, anyOf: converted };
}

function convertEnum(node: Node, path: string, ctx: Context, out: Schema): void {
  const values = node.const !== undefined ? [node.const] : (node.enum as unknown[]);
  const keyword = node.const !== undefined ? 'const' : 'enum';
  if (values.includes(null)) out.nullable = true;
  const rest = values.filter((v) => v !== null);
  if (rest.every((v) => typeof v === 'string')) {
    out.type ??= Type.STRING;
    if (out.type === Type.STRING) out.enum = rest as string[];
    else drop(ctx, `${keyword} on a non-string type`, path);
  } else {
    drop(ctx, `${keyword} with non-string values`, path);
  }
}

function convertObject(node: Node, path: string, ctx: Context, out: Schema): Schema | undefined {
  const properties: Record<string, Schema> = {};
  for (const [key, value] of Object.entries(isNode(node.properties) ? node.properties : {})) {
    const converted = convertNode(value, `${path}/properties/${key}`, ctx);
    if (converted) properties[key] = converted;
    else drop(ctx, `property "${key}"`, path);
  }
  if (node.additionalProperties !== undefined && node.additionalProperties !== false) drop(ctx, 'additionalProperties', path);
  const keys = Object.keys(properties);
  if (keys.length === 0) {
    drop(ctx, 'object without properties', path);
    return undefined;
  }
  out.properties = properties;
  out.propertyOrdering = keys;
  const required = Array.isArray(node.required) ? (node.required as string[]).filter((key) => key in properties) : [];
  if (required.length) out.required = required;
  return out;
}

function convertNode(input: unknown, path: string, ctx: Context): Schema | undefined {
  if (!isNode(input)) {
    drop(ctx, `schema ${JSON.stringify(input)}`, path);
    return undefined;
  }
  let node = input;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const target = resolveRef(ref, ctx);
    if (!target || ctx.refStack.includes(ref)) {
      drop(ctx, target ? `recursive $ref "${ref}"` : `unresolvable $ref "${ref}"`, path);
      return undefined;
    }
    const { $ref: _ref, ...siblings } = node;
    ctx.refStack.push(ref);
    try {
      return convertNode({ ...target, ...siblings }, path, ctx);
    } finally {
      ctx.refStack.pop();
    }
  }
  const out: Schema = {};
  for (const key of COPIED) if (node[key] !== undefined) (out as Record<string, unknown>)[key] = node[key];
  if (node.nullable === true) out.nullable = true;
  for (const key of Object.keys(node)) if (!HANDLED.has(key)) drop(ctx, key, path);
  if (typeof node.exclusiveMinimum === 'number') {
    out.minimum = node.exclusiveMinimum;
    drop(ctx, 'exclusiveMinimum (sent as an inclusive minimum)', path);
  }
  if (typeof node.exclusiveMaximum === 'number') {
    out.maximum = node.exclusiveMaximum;
    drop(ctx, 'exclusiveMaximum (sent as an inclusive maximum)', path);
  }

  if (Array.isArray(node.allOf)) {
    if (node.allOf.length !== 1) drop(ctx, 'allOf (members merged)', path);
    const merged = (node.allOf as unknown[]).filter(isNode).reduce<Node>((acc, member) => ({
      ...acc, ...member,
      properties: { ...(isNode(acc.properties) ? acc.properties : {}), ...(isNode(member.properties) ? member.properties : {}) },
      required: [...(Array.isArray(acc.required) ? acc.required : []), ...(Array.isArray(member.required) ? member.required : [])],
    }), {});
    const { allOf: _allOf, ...restOfNode } = node;
    node = { ...merged, ...restOfNode, properties: { ...(merged.properties as Node), ...(isNode(node.properties) ? node.properties : {}) } };
    if (Object.keys(node.properties as Node).length === 0) delete node.properties;
    if ((node.required as unknown[] | undefined)?.length === 0) delete node.required;
  }
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    if (node.oneOf !== undefined) drop(ctx, 'oneOf (sent as anyOf)', path);
    return convertUnion(union, node, path, ctx, out);
  }
  if (Array.isArray(node.type)) {
    const types = node.type as string[];
    if (types.length > 1 || types.includes('null')) {
      const { type: _type, ...rest } = node;
      return convertUnion(types.map((type) => ({ ...rest, type })), node, path, ctx, out);
    }
    node = { ...node, type: types[0] };
  }

  const jsonType = typeof node.type === 'string' ? node.type : isNode(node.properties) ? 'object' : node.items !== undefined ? 'array' : undefined;
  if (jsonType === 'null') {
    drop(ctx, 'type "null" on its own', path);
    return undefined;
  }
  if (jsonType !== undefined) {
    if (!(jsonType in TYPES)) {
      drop(ctx, `type "${jsonType}"`, path);
      return undefined;
    }
    out.type = TYPES[jsonType];
  }
  if (node.enum !== undefined || node.const !== undefined) convertEnum(node, path, ctx, out);
  if (out.type === undefined) {
    drop(ctx, 'schema without a type', path);
    return undefined;
  }
  if (typeof node.format === 'string') {
    if (FORMATS[out.type]?.includes(node.format)) out.format = node.format;
    else drop(ctx, `format "${node.format}"`, path);
  }
  if (out.type === Type.OBJECT) return convertObject(node, path, ctx, out);
  if (out.type === Type.ARRAY) {
    const items = isNode(node.items) ? convertNode(node.items, `${path}/items`, ctx) : undefined;
    if (!items) {
      drop(ctx, 'array without an expressible items schema', path);
      return undefined;
    }
    out.items = items;
  }
  return out;
}

/**
 * Converts a JSON Schema (as `z.toJSONSchema` produces) to the OpenAPI 3.0 subset Gemini's `responseSchema`
 * accepts: upper-case types, `nullable` instead of null unions, `$ref`s inlined, `const` as a one-value enum, and
 * `propertyOrdering` set. What cannot be expressed is dropped and listed in `dropped` (`additionalProperties: false`
 * is not listed: Gemini never adds properties anyway).
 * @example
 * const { schema, dropped } = toGeminiSchema({ type: 'object', properties: { name: { type: ['string', 'null'] } } });
 * // schema: { type: 'OBJECT', properties: { name: { type: 'STRING', nullable: true } }, propertyOrdering: ['name'] }
 */
export function toGeminiSchema(schema: JsonSchema): GeminiSchemaResult {
  const ctx: Context = { root: schema, dropped: new Set(), refStack: [] };
  const converted = convertNode(schema, '#', ctx);
  return { schema: converted, dropped: [...ctx.dropped] };
}
