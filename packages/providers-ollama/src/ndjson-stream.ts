/**
 * Reads an NDJSON body (one JSON value per line) and yields each line's text. Lines are cut on the newline BYTE
 * and decoded whole, so a multi-byte character split across network reads is never damaged (a 0x0A byte never
 * occurs inside a UTF-8 sequence).
 */
export async function* readNdjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const reader = body.getReader();
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  const takeLine = (tail: Uint8Array): string => {
    const bytes = new Uint8Array(pendingLength + tail.length);
    let offset = 0;
    for (const piece of pending) {
      bytes.set(piece, offset);
      offset += piece.length;
    }
    bytes.set(tail, offset);
    pending = [];
    pendingLength = 0;
    return decoder.decode(bytes);
  };
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      let start = 0;
      for (let newline = value.indexOf(0x0a); newline !== -1; newline = value.indexOf(0x0a, start)) {
        const line = takeLine(value.subarray(start, newline)).trim();
        start = newline + 1;
        if (line) yield line;
      }
      if (start < value.length) {
        pending.push(value.subarray(start));
        pendingLength += value.length - start;
      }
    }
    const last = takeLine(new Uint8Array(0)).trim();
    if (last) yield last;
  } finally {
    // A consumer that stops early must not leave the HTTP response open.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
