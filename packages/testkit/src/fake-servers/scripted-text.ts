/**
 * Splits a text into about three stream deltas on code point boundaries: a server never cuts a character inside
 * one JSON event (network writes may, which is what `splitAt` tests).
 */
export function splitIntoDeltas(text: string): string[] {
  const chars = Array.from(text);
  if (chars.length < 3) return chars.length ? [text] : [];
  const size = Math.ceil(chars.length / 3);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** A deterministic vector for a text, so embedding tests can compare results across calls. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const out = new Array<number>(dimensions).fill(0);
  const bytes = Buffer.from(text, 'utf8');
  bytes.forEach((byte, i) => {
    out[i % dimensions] += byte / 255;
  });
  return out.map((v) => Math.round((v / Math.max(1, bytes.length)) * 1e6) / 1e6);
}

/** A rough token count (4 UTF-8 bytes per token, at least 1) for replies scripted without usage. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));
}
