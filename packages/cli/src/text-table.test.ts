import { describe, expect, it } from 'vitest';
import { displayWidth, graphemes, renderColumns, wrapText } from './text-table.js';

describe('displayWidth and wrapText', () => {
  it('counts Hangul as two columns, NFC and NFD alike', () => {
    expect(displayWidth('한글 ok')).toBe(7);
    expect(displayWidth('한글'.normalize('NFD'))).toBe(4);
    expect(graphemes('한글'.normalize('NFD'))).toEqual(['한'.normalize('NFD'), '글'.normalize('NFD')]);
  });

  it('wraps at spaces within the width and never splits a character', () => {
    const text = '파이썬은 간결하고 읽기 쉬운 프로그래밍 언어입니다';
    const lines = wrapText(text, 12);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(12);
    expect(lines.join(' ')).toBe(text);
    const nfd = '가나다라마바사아'.normalize('NFD');
    const broken = wrapText(nfd, 5);
    expect(broken.join('')).toBe(nfd);
    for (const line of broken) expect(line.normalize('NFC')).toMatch(/^[가-힣]+$/);
  });
});

describe('renderColumns', () => {
  it('draws equal-width bordered columns with a separator row', () => {
    const table = renderColumns(['모델 A', 'model-b'], [['짧은 답', 'a much longer answer that wraps'], null, ['1 ms', '2 ms']], 41);
    const lines = table.split('\n');
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(lines[0]).toMatch(/^┌─+┬─+┐$/);
    expect(lines[1]).toMatch(/^│ 모델 A +│ model-b +│$/);
    expect(lines.filter((line) => line.startsWith('├'))).toHaveLength(2);
    expect(table).toContain('│ 1 ms');
  });
});
