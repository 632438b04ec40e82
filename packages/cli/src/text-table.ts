const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Whether a code point takes two terminal columns (East Asian Wide and Fullwidth: Hangul, CJK, emoji...). */
function isWide(codePoint: number): boolean {
  return (codePoint >= 0x1100 && codePoint <= 0x115f) || (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) || (codePoint >= 0xf900 && codePoint <= 0xfaff) || (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) || (codePoint >= 0xffe0 && codePoint <= 0xffe6) || (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) || (codePoint >= 0x20000 && codePoint <= 0x3fffd);
}

function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0) ?? 0;
  if (first < 0x20 || (first >= 0x300 && first <= 0x36f) || (first >= 0x1160 && first <= 0x11ff)) return 0;
  return isWide(first) ? 2 : 1;
}

/** The graphemes of a text (a decomposed Hangul syllable stays one grapheme). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The terminal columns a text takes: Hangul and CJK count two, combining marks and NFD jamo vowels zero.
 * @example displayWidth('한글 ok') // 7
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const grapheme of graphemes(text)) width += graphemeWidth(grapheme);
  return width;
}

/** Wraps text to `width` columns at spaces, breaking longer words between graphemes (never inside a character). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/(\s+)/).filter(Boolean)) {
      const space = /^\s+$/.test(word);
      const wordWidth = displayWidth(word);
      if (lineWidth + wordWidth <= width) {
        line += word;
        lineWidth += wordWidth;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
      if (space) continue;
      for (const grapheme of graphemes(word)) {
        const w = graphemeWidth(grapheme);
        if (lineWidth + w > width) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += grapheme;
        lineWidth += w;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * A side-by-side table with box borders: one column per header, each row's cells wrapped to the column width;
 * `null` rows draw a separator.
 * @example renderColumns(['mock', 'mock:other'], [['답 1', '답 2'], null, ['12 ms', '9 ms']], 80)
 */
export function renderColumns(headers: string[], rows: (string[] | null)[], totalWidth: number): string {
  const columns = headers.length;
  const width = Math.max(10, Math.floor((totalWidth - 1) / columns) - 3);
  const rule = (left: string, mid: string, right: string) => `${left}${Array(columns).fill('─'.repeat(width + 2)).join(mid)}${right}`;
  const body = (cells: string[]) => {
    const wrapped = cells.map((cell) => wrapText(cell, width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, i) => `│ ${wrapped.map((lines) => pad(lines[i] ?? '', width)).join(' │ ')} │`);
  };
  const out = [rule('┌', '┬', '┐'), ...body(headers), rule('├', '┼', '┤')];
  for (const row of rows) out.push(...(row ? body(row) : [rule('├', '┼', '┤')]));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
