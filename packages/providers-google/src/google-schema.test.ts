import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toGeminiSchema } from './google-schema.js';

describe('toGeminiSchema', () => {
  it('converts a zod-generated schema: types upper-cased, optional fields not required, nullable unions, enums', () => {
    const Book = z.object({
      제목: z.string().describe('책 제목'),
      year: z.number().int().min(1000).max(2100),
      rating: z.number().nullable(),
      genres: z.array(z.enum(['판타지', 'SF'])).min(1),
      subtitle: z.string().optional(),
      kind: z.literal('book'),
    });
    const { schema, dropped } = toGeminiSchema(z.toJSONSchema(Book) as Record<string, unknown>);
    expect(schema).toEqual({
      type: 'OBJECT',
      properties: {
        제목: { type: 'STRING', description: '책 제목' },
        year: { type: 'INTEGER', minimum: 1000, maximum: 2100 },
        rating: { type: 'NUMBER', nullable: true },
        genres: { type: 'ARRAY', minItems: 1, items: { type: 'STRING', enum: ['판타지', 'SF'] } },
        subtitle: { type: 'STRING' },
        kind: { type: 'STRING', enum: ['book'] },
      },
      propertyOrdering: ['제목', 'year', 'rating', 'genres', 'subtitle', 'kind'],
      required: ['제목', 'year', 'rating', 'genres', 'kind'],
    });
    // additionalProperties: false and $schema say nothing Gemini does not already do: not reported.
    expect(dropped).toEqual([]);
  });

  it('inlines $ref / $defs, unrolls a recursive $ref once and reports where it stopped', () => {
    const { schema, dropped } = toGeminiSchema({
      type: 'object',
      properties: { home: { $ref: '#/$defs/Address' }, parent: { $ref: '#' } },
      required: ['home', 'parent'],
      $defs: { Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    });
    const address = { type: 'OBJECT', properties: { city: { type: 'STRING' } }, propertyOrdering: ['city'], required: ['city'] };
    expect(schema).toEqual({
      type: 'OBJECT',
      properties: { home: address, parent: { type: 'OBJECT', properties: { home: address }, propertyOrdering: ['home'], required: ['home'] } },
      propertyOrdering: ['home', 'parent'],
      required: ['home', 'parent'],
    });
    expect(dropped).toEqual(['recursive $ref "#" at #/properties/parent/properties/parent', 'property "parent" at #/properties/parent']);
    expect(toGeminiSchema({ $ref: '#/$defs/Missing' }).dropped).toEqual(['unresolvable $ref "#/$defs/Missing" at #']);
  });

  it('keeps null-union semantics in every spelling: type lists, anyOf and enum with null', () => {
    const { schema, dropped } = toGeminiSchema({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'integer' } }], description: '목록' },
        c: { enum: ['예', '아니오', null] },
        d: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        e: { type: ['string', 'integer', 'null'] },
      },
    });
    expect(schema!.properties).toEqual({
      a: { type: 'STRING', nullable: true },
      b: { type: 'ARRAY', items: { type: 'INTEGER' }, nullable: true, description: '목록' },
      c: { type: 'STRING', enum: ['예', '아니오'], nullable: true },
      d: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
      e: { nullable: true, anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
    });
    expect(dropped).toEqual([]);
  });

  it('lists every construct it drops or loosens, with where it was', () => {
    const { schema, dropped } = toGeminiSchema({
      type: 'object',
      properties: {
        mail: { type: 'string', format: 'email' },
        when: { type: 'string', format: 'date-time' },
        count: { type: 'integer', exclusiveMinimum: 0, multipleOf: 2 },
        level: { type: 'integer', enum: [1, 2, 3] },
        tags: { type: 'object', additionalProperties: { type: 'string' } },
        choice: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        anything: {},
        pair: { type: 'array', prefixItems: [{ type: 'string' }] },
      },
      required: ['mail', 'tags'],
      additionalProperties: true,
    });
    expect(schema!.properties).toEqual({
      mail: { type: 'STRING' },
      when: { type: 'STRING', format: 'date-time' },
      count: { type: 'INTEGER', minimum: 0 },
      level: { type: 'INTEGER' },
      choice: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
    });
    expect(schema!.required).toEqual(['mail']);
    expect(dropped.sort()).toEqual([
      'additionalProperties at #',
      'additionalProperties at #/properties/tags',
      'array without an expressible items schema at #/properties/pair',
      'enum with non-string values at #/properties/level',
      'exclusiveMinimum (sent as an inclusive minimum) at #/properties/count',
      'format "email" at #/properties/mail',
      'multipleOf at #/properties/count',
      'object without properties at #/properties/tags',
      'oneOf (sent as anyOf) at #/properties/choice',
      'prefixItems at #/properties/pair',
      'property "anything" at #',
      'property "pair" at #',
      'property "tags" at #',
      'schema without a type at #/properties/anything',
    ]);
  });

  it('merges allOf members and reports it', () => {
    const { schema, dropped } = toGeminiSchema({
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { type: 'object', properties: { b: { type: 'boolean' } }, required: ['b'] },
      ],
    });
    expect(schema).toEqual({ type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } }, propertyOrdering: ['a', 'b'], required: ['a', 'b'] });
    expect(dropped).toEqual(['allOf (members merged) at #']);
  });

  it('an object with no properties at the root leaves no schema (JSON mode only)', () => {
    expect(toGeminiSchema({ type: 'object' })).toEqual({ schema: undefined, dropped: ['object without properties at #'] });
  });

  it('keeps Korean keys and texts byte for byte (NFD stays NFD)', () => {
    const key = '한글'.normalize('NFD');
    const { schema } = toGeminiSchema({ type: 'object', properties: { [key]: { type: 'string', description: key } } });
    expect(Object.keys(schema!.properties!)).toEqual([key]);
    expect(schema!.properties![key].description).toBe(key);
    expect(Object.keys(schema!.properties!)[0]).not.toBe('한글');
  });
});
