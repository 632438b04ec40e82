import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { restoreOptionalFields, toOpenAIStrictSchema } from './openai-strict-schema.js';

describe('toOpenAIStrictSchema', () => {
  it('requires every property, closes every object and makes optional ones nullable in each form', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1 },
        genre: { type: 'string', enum: ['판타지', '역사'] },
        rating: { type: ['integer', 'number'] },
        kind: { const: '책' },
        author: { $ref: '#/$defs/person' },
        alias: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        pick: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
        tags: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } }, uniqueItems: true, minItems: 1 },
      },
      required: ['title'],
      $defs: { person: { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' } }, required: ['name'] } },
    };
    const copy = structuredClone(schema);
    const result = toOpenAIStrictSchema(schema);
    expect(schema).toEqual(copy); // the caller's schema is not mutated
    expect(result).toMatchObject({ strict: true, madeNullable: true });
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1 },
        genre: { type: ['string', 'null'], enum: ['판타지', '역사', null] },
        rating: { type: ['integer', 'number', 'null'] },
        kind: { anyOf: [{ const: '책' }, { type: 'null' }] },
        author: { anyOf: [{ $ref: '#/$defs/person' }, { type: 'null' }] },
        alias: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
        pick: { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }] },
        tags: {
          type: ['array', 'null'], minItems: 1,
          items: { type: 'object', properties: { label: { type: ['string', 'null'] } }, required: ['label'], additionalProperties: false },
        },
      },
      required: ['title', 'genre', 'rating', 'kind', 'author', 'alias', 'pick', 'tags'],
      additionalProperties: false,
      $defs: { person: { type: 'object', properties: { name: { type: 'string' }, born: { type: ['integer', 'null'] } }, required: ['name', 'born'], additionalProperties: false } },
    });
  });

  it('reports madeNullable false when every property is required', () => {
    const result = toOpenAIStrictSchema({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    expect(result).toEqual({ strict: true, madeNullable: false, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } });
  });

  it.each([
    ['a map (z.record)', { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'number' } } }, required: ['m'] }],
    ['allOf', { type: 'object', properties: { a: { allOf: [{ type: 'string' }, { minLength: 2 }] } }, required: ['a'] }],
    ['a free-form object', { type: 'object', properties: { meta: { type: 'object' } }, required: ['meta'] }],
    ['a non-object root', { type: 'array', items: { type: 'string' } }],
  ])('sends %s unchanged without strict', (_name, schema) => {
    expect(toOpenAIStrictSchema(schema)).toEqual({ schema, strict: false, madeNullable: false });
  });
});

describe('restoreOptionalFields', () => {
  it('removes nulls of optional fields that do not accept null, at every depth and through $ref and anyOf', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        nickname: { type: 'string' },
        spouse: { type: ['string', 'null'] },
        address: { $ref: '#/$defs/address' },
        items: { type: 'array', items: { anyOf: [{ type: 'object', properties: { sku: { type: 'string' }, note: { type: 'string' } }, required: ['sku'] }, { type: 'string' }] } },
        required_null: { type: 'string' },
      },
      required: ['name', 'required_null'],
      $defs: { address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } }, required: ['city'] } },
    };
    const text = JSON.stringify({
      name: '이영희', nickname: null, spouse: null, address: { city: '부산', zip: null },
      items: [{ sku: 'A-1', note: null }, '메모'], required_null: null,
    });
    expect(JSON.parse(restoreOptionalFields(text, schema))).toEqual({
      name: '이영희', spouse: null, address: { city: '부산' }, items: [{ sku: 'A-1' }, '메모'], required_null: null,
    });
  });

  it('leaves text that is not JSON unchanged', () => {
    expect(restoreOptionalFields('죄송합니다, JSON이 아닙니다', { type: 'object' })).toBe('죄송합니다, JSON이 아닙니다');
  });

  it('round-trips a zod schema: the restored answer parses with the original zod schema', () => {
    const Book = z.object({ title: z.string(), subtitle: z.string().optional(), pages: z.number().int().default(100), tags: z.array(z.string()).optional() });
    const json = z.toJSONSchema(Book, { io: 'input' }) as Record<string, unknown>;
    const { schema, strict } = toOpenAIStrictSchema(json);
    expect(strict).toBe(true);
    expect((schema as { required: string[] }).required).toEqual(['title', 'subtitle', 'pages', 'tags']);
    const restored = restoreOptionalFields('{"title":"토지","subtitle":null,"pages":null,"tags":["대하소설"]}', json);
    expect(Book.parse(JSON.parse(restored))).toEqual({ title: '토지', pages: 100, tags: ['대하소설'] });
  });
});
