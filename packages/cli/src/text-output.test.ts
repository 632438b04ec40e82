import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { completeBlockEnd, createTextSink } from './text-output.js';

function capture() {
  const stream = Object.assign(new PassThrough(), { isTTY: false, columns: 80 });
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { stream, text: () => text };
}

describe('completeBlockEnd', () => {
  it('finds a blank line outside code fences only', () => {
    expect(completeBlockEnd('첫 문단\n\n둘째')).toBe(4);
    expect(completeBlockEnd('```\ncode\n\nmore')).toBe(-1);
    expect(completeBlockEnd('```\ncode\n\nmore\n```\n\n끝')).toBe('```\ncode\n\nmore\n```'.length);
    expect(completeBlockEnd('한 줄')).toBe(-1);
  });
});

describe('createTextSink', () => {
  it('plain: passes text through and ends with one newline', async () => {
    const out = capture();
    const sink = await createTextSink(out.stream);
    for (const piece of ['안', '녕', '하세요']) await sink.write(piece);
    await sink.end();
    expect(out.text()).toBe('안녕하세요\n');
  });

  it('markdown: renders each block once it is complete, code fences kept whole', async () => {
    const out = capture();
    const sink = await createTextSink(out.stream, { markdown: true });
    await sink.write('# 제목\n\n**굵은** 글');
    const afterFirstBlock = out.text();
    expect(afterFirstBlock).toContain('제목');
    expect(afterFirstBlock).not.toContain('굵은');
    await sink.write('씨\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n');
    await sink.end();
    const text = out.text();
    expect(text).toContain('굵은');
    expect(text).not.toContain('**');
    expect(text).toContain('const a = 1;');
    expect(text).toContain('const b = 2;');
    expect(text).not.toContain('```');
  });
});
