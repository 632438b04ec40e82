import type { CachedValue } from '@llm/core';

/** Korean text in NFC (precomposed syllables), the form keyboards produce. */
export const KOREAN_NFC = '안녕하세요, 캐시 테스트입니다. 한글 값어치 읊조리다 똠방각하 🚀👩‍💻';

/** The same text in NFD (conjoining jamo): a different string with different bytes. */
export const KOREAN_NFD = KOREAN_NFC.normalize('NFD');

/** A value shaped like a cached LLM reply, with Korean text and every JSON type. */
export function cacheSampleValue(text: string = KOREAN_NFC): CachedValue {
  return {
    text,
    model: 'mock-1',
    provider: 'mock',
    finishReason: 'stop',
    usage: { input: 12, output: 34, total: 46 },
    toolCalls: [{ id: 'call_1', name: '날씨', arguments: { 도시: '서울', days: 3, metric: true } }],
    structuredData: null,
    scores: [0.5, -1, 1e-7, 12345678901],
    nested: { a: { b: { c: ['깊은', '값'] } } },
  };
}

/**
 * A value of at least `bytes` UTF-8 bytes whose `body` carries its own checksum, so a torn or mixed write shows:
 * `isCacheValueIntact(value)` is false unless `body` is exactly what `writer` wrote.
 */
export function cacheSizedValue(writer: number, bytes: number): CachedValue {
  const unit = `작성자${writer}-🙂-`;
  const body = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
  return { writer, unit, body, length: body.length };
}

/** Whether a value made by {@link cacheSizedValue} came back whole. */
export function isCacheValueIntact(value: CachedValue | undefined): boolean {
  if (!value || typeof value.unit !== 'string' || typeof value.body !== 'string') return false;
  return value.body.length === value.length && value.body === value.unit.repeat(value.body.length / value.unit.length);
}

/** Keys that break naive backends: empty, path-like, glob characters, newlines, very long. */
export const CACHE_AWKWARD_KEYS: readonly string[] = [
  '',
  ' ',
  '../../etc/passwd',
  '..\\..\\windows\\system32',
  'key:with:colons',
  'glob*?[abc]\\x',
  'line\nbreak\ttab',
  'NUL\u0000inside',
  'k'.repeat(10_000),
];

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
