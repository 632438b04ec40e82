import { describe, expect, it } from 'vitest';
import { readNdjsonLines } from './ndjson-stream.js';

function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> & { cancelled: boolean } {
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const state = Object.assign(stream, { cancelled: false });
  return state;
}

async function lines(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readNdjsonLines(stream)) out.push(line);
  return out;
}

const BODY = ['{"content":"안녕 👋"}', '', '{"content":"값어치"}', '{"content":"' + '한글'.normalize('NFD') + '"}'].join('\n');

describe('readNdjsonLines', () => {
  it('yields whole lines for every two-piece split of the bytes (no U+FFFD), skipping blank lines', async () => {
    const bytes = new TextEncoder().encode(BODY);
    const expected = BODY.split('\n').filter(Boolean);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await lines(streamOf([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(expected);
    }
  });

  it('yields whole lines when every byte is its own read, with CRLF endings and a final line without newline', async () => {
    const body = new TextEncoder().encode('{"a":"가"}\r\n{"b":"나"}');
    const pieces = Array.from(body, (byte) => new Uint8Array([byte]));
    expect(await lines(streamOf(pieces))).toEqual(['{"a":"가"}', '{"b":"나"}']);
  });

  it('cancels the body when the consumer stops early', async () => {
    const stream = streamOf([new TextEncoder().encode('{"a":1}\n{"b":2}\n'), new TextEncoder().encode('{"c":3}\n')]);
    for await (const line of readNdjsonLines(stream)) {
      expect(line).toBe('{"a":1}');
      break;
    }
    expect(stream.cancelled).toBe(true);
  });
});
