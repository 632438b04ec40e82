import type { JsonSchema } from './types.js';

/** Words that point to a label even when the label itself is not in the text (Korean and English). */
const LABEL_HINTS: Record<string, string[]> = {
  기쁨: ['축하', '승진', '당첨', '행복', '기뻐', '좋아', '최고', '신나'], 슬픔: ['실패', '슬퍼', '우울', '눈물', '야근', '힘들'],
  분노: ['화나', '짜증', '열받', '분노'], 공포: ['무서', '두려', '공포'], 놀람: ['깜짝', '놀라', '세상에'], 혐오: ['역겨', '싫어'],
  긍정: ['좋', '최고', '만족', '훌륭', '감사', '추천'], 부정: ['별로', '나쁘', '실망', '최악', '불만', '환불'], 중립: ['보통', '그냥'],
  질문: ['?', '가요', '나요', '까요', '어떻게', '무엇', '언제'], 요청: ['해주세요', '해줘', '부탁'], 불만: ['불만', '실망', '최악', '환불해'],
  칭찬: ['최고', '훌륭', '감사', '좋은 서비스'], positive: ['good', 'great', 'love', 'excellent', 'happy'], negative: ['bad', 'terrible', 'hate', 'awful', 'sad'],
  IT: ['AI', '기술', '소프트웨어', '컴퓨터'], 과학: ['연구', '과학', '진단'], 건강: ['의료', '암', '건강', '병원'],
};

function bigrams(text: string): Set<string> {
  const clean = text.toLowerCase().replace(/\s+/g, ' ');
  const out = new Set<string>();
  for (let i = 0; i < clean.length - 1; i++) out.add(clean.slice(i, i + 2));
  return out;
}

/** The option that best matches a text: the option itself, its hint words, then shared character pairs. */
export function bestKeywordMatch(text: string, options: string[]): string {
  const lower = text.toLowerCase();
  const grams = bigrams(text);
  let best = options[0];
  let bestScore = -1;
  for (const option of options) {
    let score = lower.includes(option.toLowerCase()) ? 10 : 0;
    for (const hint of LABEL_HINTS[option] ?? []) if (lower.includes(hint.toLowerCase())) score += 3;
    for (const gram of bigrams(option)) if (grams.has(gram)) score += 1;
    if (score > bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

function sampleString(schema: JsonSchema, key: string, prompt: string): string {
  if (schema.format === 'date') return '2024-01-01';
  if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
  if (schema.format === 'email') return 'mock@example.com';
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com';
  const base = `[mock] ${key || 'value'}${prompt ? `: ${prompt.slice(0, 20)}` : ''}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return base.padEnd(min, '.').slice(0, max);
}

function sampleNumber(schema: JsonSchema): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined;
  let value = 1;
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  return schema.type === 'integer' ? Math.ceil(value) : value;
}

/** A value that satisfies a JSON Schema (the subset zod emits), filled with marked placeholder content. */
export function sampleFromSchema(schema: JsonSchema, prompt = '', key = '', defs: Record<string, JsonSchema> = {}): unknown {
  const allDefs = { ...defs, ...((schema.$defs ?? schema.definitions ?? {}) as Record<string, JsonSchema>) };
  if (typeof schema.$ref === 'string') {
    const target = allDefs[schema.$ref.split('/').pop() ?? ''];
    return target ? sampleFromSchema(target, prompt, key, allDefs) : null;
  }
  if (Array.isArray(schema.enum)) {
    const options = schema.enum.filter((v) => typeof v === 'string') as string[];
    return options.length ? bestKeywordMatch(prompt, options) : schema.enum[0];
  }
  if ('const' in schema) return schema.const;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union?.length) return sampleFromSchema(union.find((s) => s.type !== 'null') ?? union[0], prompt, key, allDefs);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': return sampleString(schema, key, prompt);
    case 'number': case 'integer': return sampleNumber(schema);
    case 'boolean': return true;
    case 'null': return null;
    case 'array': {
      const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
      const items = (schema.items ?? {}) as JsonSchema;
      return Array.from({ length: count }, (_, i) => sampleFromSchema(items, prompt, `${key}[${i}]`, allDefs));
    }
    default: {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, sampleFromSchema(s, prompt, k, allDefs)]));
    }
  }
}

/** Deterministic embedding: hashed character n-grams, L2-normalized, so texts sharing words score higher. */
export function mockEmbedding(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const clean = ` ${text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()} `;
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= clean.length; i++) {
      const gram = clean.slice(i, i + n);
      if (gram.trim() === '' && n === 1) continue;
      let hash = 2166136261;
      for (let j = 0; j < gram.length; j++) hash = Math.imul(hash ^ gram.charCodeAt(j), 16777619);
      vector[(hash >>> 0) % dimensions] += n === 1 ? 0.5 : 1;
    }
  }
  const norm = Math.sqrt(vector.reduce((s, v) => s + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}
