import { describe, expect, it } from 'vitest';
import { validateJsonSchema } from './json-schema-check.js';

describe('validateJsonSchema', () => {
  const product = {
    type: 'object',
    properties: {
      product_name: { type: 'string', minLength: 1 },
      manufacturer: { $ref: '#/$defs/company' },
      pros: { type: 'array', items: { type: 'string' }, minItems: 1 },
      rating: { type: 'number', minimum: 0, maximum: 5 },
      recommendation: { type: 'boolean' },
      grade: { enum: ['상', '중', '하'] },
    },
    required: ['product_name', 'manufacturer', 'rating'],
    additionalProperties: false,
    $defs: { company: { type: 'object', properties: { name: { type: 'string' }, founded: { type: 'integer' } }, required: ['name'] } },
  };

  it('accepts a valid nested value with Korean strings', () => {
    expect(validateJsonSchema({ product_name: '아이폰', manufacturer: { name: '애플', founded: 1976 }, pros: ['카메라'], rating: 4.5, recommendation: true, grade: '상' }, product)).toEqual([]);
  });

  it('reports every problem with its path', () => {
    expect(validateJsonSchema({ product_name: '', manufacturer: { founded: 1976.5 }, pros: [], rating: 7, grade: '최상', extra: 1 }, product)).toEqual([
      '(root).product_name: shorter than 1 characters',
      '(root).manufacturer.name: required',
      '(root).manufacturer.founded: expected integer, got number',
      '(root).pros: fewer than 1 items',
      '(root).rating: more than 5',
      '(root).grade: must be one of "상", "중", "하"',
      '(root).extra: no value is allowed here',
    ]);
  });

  it('counts characters, not bytes or UTF-16 units, for string lengths', () => {
    expect(validateJsonSchema('한글', { type: 'string', maxLength: 2 })).toEqual([]);
    expect(validateJsonSchema('😀😀', { type: 'string', maxLength: 2 })).toEqual([]);
    expect(validateJsonSchema('한글a', { type: 'string', maxLength: 2 })).toEqual(['(root): longer than 2 characters']);
  });

  it('handles anyOf, oneOf, allOf, const, pattern and type lists', () => {
    expect(validateJsonSchema(null, { type: ['string', 'null'] })).toEqual([]);
    expect(validateJsonSchema(3, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual([]);
    expect(validateJsonSchema(3, { oneOf: [{ type: 'number' }, { type: 'integer' }] })).toEqual(['(root): matches 2 of the oneOf schemas']);
    expect(validateJsonSchema('b', { allOf: [{ type: 'string' }, { const: 'a' }] })).toEqual(['(root): must be "a"']);
    expect(validateJsonSchema('abc', { type: 'string', pattern: '^\\d+$' })).toEqual(['(root): does not match /^\\d+$/']);
  });
});
