import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, LLM, matchChoice, parseJsonText } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

const Company = z.object({ name: z.string(), founded: z.number().int(), headquarters: z.string() });
const ProductAnalysis = z.object({
  product_name: z.string().describe('제품명'),
  manufacturer: Company,
  pros: z.array(z.string()),
  cons: z.array(z.string()),
  rating: z.number().min(0).max(5),
  recommendation: z.boolean(),
  note: z.string().optional(),
  tier: z.enum(['budget', 'premium']),
});

describe('structured output', () => {
  it('turns the zod schema into JSON Schema with nesting, arrays, enums, optional fields and descriptions', async () => {
    const rec = recordingProvider('schema', [JSON.stringify({ product_name: 'iPhone 15 Pro', manufacturer: { name: 'Apple', founded: 1976, headquarters: 'Cupertino' }, pros: ['카메라'], cons: ['가격'], rating: 4.5, recommendation: true, tier: 'premium' })]);
    const reply = await LLM.create(rec.name).ask('iPhone 15 Pro에 대한 분석을 해주세요', { schema: ProductAnalysis });
    const schema = rec.requests[0].responseFormat!.schema as { properties: Record<string, any>; required: string[] };
    expect(schema.properties.manufacturer.properties.founded.type).toBe('integer');
    expect(schema.properties.pros).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.properties.tier.enum).toEqual(['budget', 'premium']);
    expect(schema.properties.product_name.description).toBe('제품명');
    expect(schema.required).not.toContain('note');
    expect(schema.properties.rating).toMatchObject({ minimum: 0, maximum: 5 });
    expect(reply.structuredData?.manufacturer.name).toBe('Apple');
    expect(reply.validationErrors).toBeUndefined();
  });

  it('the mock satisfies any schema with a valid object', async () => {
    const reply = await LLM.create('mock').ask('iPhone 15 Pro 분석', { schema: ProductAnalysis });
    expect(ProductAnalysis.safeParse(reply.structuredData).success).toBe(true);
  });

  it('strips code fences and surrounding prose', () => {
    expect(parseJsonText('다음과 같습니다:\n```json\n{"a": "한글"}\n```')).toEqual({ ok: true, value: { a: '한글' } });
    expect(parseJsonText('결과: {"a": 1} 입니다')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('adds JSON instructions only for providers without native structured output', async () => {
    const plain = recordingProvider('no-native', ['{"korean":"인공지능","english":"AI"}'], { structured: false });
    await LLM.create(plain.name, { systemPrompt: '다국어 번역 전문가' }).ask('번역', { schema: z.object({ korean: z.string(), english: z.string() }) });
    expect(plain.requests[0].system).toContain('다국어 번역 전문가');
    expect(plain.requests[0].system).toContain('JSON Schema');
    const native = recordingProvider('native', ['{"korean":"인공지능","english":"AI"}']);
    await LLM.create(native.name, { systemPrompt: '전문가' }).ask('번역', { schema: z.object({ korean: z.string(), english: z.string() }) });
    expect(native.requests[0].system).toBe('전문가');
  });

  it('sends the validation errors back once and uses the repaired answer', async () => {
    const rec = recordingProvider('repair', ['{"title": "해리 포터"}', '```json\n{"title": "해리 포터", "year": 1997}\n```']);
    const reply = await LLM.create(rec.name).ask('책', { schema: z.object({ title: z.string(), year: z.number() }) });
    expect(rec.requests).toHaveLength(2);
    const repairPrompt = rec.requests[1].messages[rec.requests[1].messages.length - 1].content as string;
    expect(repairPrompt).toContain('year');
    expect(reply.structuredData).toEqual({ title: '해리 포터', year: 1997 });
    expect(reply.validationErrors).toBeUndefined();
  });

  it('still invalid after the repair: validationErrors set, structuredData undefined, no throw', async () => {
    const rec = recordingProvider('hopeless', ['not json', '{"title": 5}']);
    const reply = await LLM.create(rec.name).ask('책', { schema: z.object({ title: z.string() }) });
    expect(reply.structuredData).toBeUndefined();
    expect(reply.validationErrors?.[0]).toMatch(/title/);
    expect(rec.requests).toHaveLength(2);
  });
});

describe('choices', () => {
  const emotions = ['기쁨', '슬픔', '분노', '공포', '놀람', '혐오'];
  it('classifies the guide examples on the mock', async () => {
    const llm = LLM.create('mock', { stateless: true });
    const reply = await llm.ask('오늘 승진했어요! 축하 파티도 했답니다.', { choices: emotions });
    expect(reply.choice).toBe('기쁨');
    expect(reply.choiceIndex).toBe(0);
    expect(reply.confidence).toBe(1);
    expect(String(reply)).toBe('기쁨');
    expect((await llm.ask('프로젝트가 실패했습니다.', { choices: emotions })).choice).toBe('슬픔');
    expect((await llm.ask('이 제품 환불 가능한가요?', { choices: ['질문', '요청', '불만', '칭찬', '정보제공', '기타'] })).choice).toBe('질문');
  });

  it('constrains the answer with an enum and lists the options in the instructions', async () => {
    const rec = recordingProvider('choices', ['{"choice":"긍정"}']);
    await LLM.create(rec.name).ask('좋아요', { choices: ['긍정', '부정'] });
    const schema = rec.requests[0].responseFormat!.schema as { properties: { choice: { enum: string[] } } };
    expect(schema.properties.choice.enum).toEqual(['긍정', '부정']);
    expect(rec.requests[0].system).toContain('- 부정');
  });

  it('scores exact 1.0, case-insensitive 0.9, substring 0.7', () => {
    expect(matchChoice('Positive', ['Positive', 'Negative'], false)).toEqual({ choice: 'Positive', choiceIndex: 0, confidence: 1 });
    expect(matchChoice('negative', ['Positive', 'Negative'], false)).toEqual({ choice: 'Negative', choiceIndex: 1, confidence: 0.9 });
    expect(matchChoice('제 생각에는 부정입니다', ['긍정', '부정'], false)).toEqual({ choice: '부정', choiceIndex: 1, confidence: 0.7 });
  });

  it('choicesOptional allows "none of these" → choice null', async () => {
    const rec = recordingProvider('optional', ['{"choice":"__none__"}']);
    const reply = await LLM.create(rec.name).ask('날씨가 어때요', { choices: ['스포츠', '정치'], choicesOptional: true });
    expect(reply.choice).toBeNull();
    expect(reply.choiceIndex).toBeNull();
    expect(String(reply)).toBe('{"choice":"__none__"}');
  });

  it('needs at least two choices', async () => {
    const error = await LLM.create('mock').ask('x', { choices: ['하나'] }).catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('at least two');
  });
});

describe('mock structured values', () => {
  it('picks numbers inside the schema bounds (zod int bounds are the safe-integer range)', async () => {
    const reply = await LLM.create('mock').ask('책', { schema: z.object({ year: z.number().int(), rating: z.number().min(3).max(5), count: z.number().max(0) }) });
    expect(reply.structuredData).toEqual({ year: 1, rating: 3, count: 0 });
  });
});

describe('JSON Schema options', () => {
  it('a JSON Schema `schema` is validated into structuredData, with the repair round', async () => {
    const rec = recordingProvider('json-schema', ['{"title": "해리 포터"}', '{"title": "해리 포터", "year": 1997}']);
    const schema = { type: 'object', properties: { title: { type: 'string' }, year: { type: 'integer', minimum: 1800 } }, required: ['title', 'year'] };
    const reply = await LLM.create(rec.name).ask('책', { schema });
    expect(rec.requests[0].responseFormat?.schema).toEqual(schema);
    expect(rec.requests).toHaveLength(2);
    expect(reply.structuredData).toEqual({ title: '해리 포터', year: 1997 });
  });

  it('JSON Schema tool arguments are validated (types, not only required keys)', async () => {
    const tool = { type: 'function' as const, function: { name: 'add', parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } }, handler: ({ a, b }: { a: number; b: number }) => a + b };
    const rec = recordingProvider('json-tool', [{ toolCalls: [{ name: 'add', arguments: { a: '1', b: 2 } }] }, { toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, '3']);
    const reply = await LLM.create(rec.name).ask('더하기', { tools: [tool] });
    expect(reply.toolInteractions[0].error).toMatch(/Invalid arguments for add: a/);
    expect(reply.toolInteractions[1].result).toBe(3);
  });
});
