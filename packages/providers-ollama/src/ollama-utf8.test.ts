import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllamaServer, KOREAN_STREAM_CHUNKS, offsetsBreakingText, streamedText } from '@llm/testkit';
import { ollama } from './ollama-provider.js';

const server = new FakeOllamaServer();
const model = () => ollama.languageModel('llama3.2', { baseURL: server.url });
const ask = { messages: [{ role: 'user' as const, content: '한국어로 인사해 주세요' }] };
const CHUNKS = [...KOREAN_STREAM_CHUNKS];
const TEXT = CHUNKS.join('');

// One model (one SDK client) for the whole loop: only the split offset changes between calls.
let shared: ReturnType<typeof model> | undefined;
const streamText = () => streamedText((shared ??= model()).stream(ask));

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('ollama: UTF-8 split across network reads (NDJSON)', () => {
  it('a Korean stream split at EVERY byte offset never yields U+FFFD and always equals the original', async () => {
    const { offsets, broken } = await offsetsBreakingText(server, { chunks: CHUNKS, usage: { input: 3, output: 9 } }, TEXT, streamText);
    expect(offsets).toBeGreaterThan(Buffer.byteLength(TEXT) * 2);
    expect(broken).toEqual([]);
  });

  it('one byte per network read, streamed and not', async () => {
    server.enqueue({ chunks: CHUNKS });
    server.injectFault({ splitEveryByte: true });
    const text = await streamText();
    expect(text).not.toContain('\uFFFD');
    expect(text).toBe(TEXT);
    server.enqueue({ text: TEXT });
    server.injectFault({ splitEveryByte: true });
    expect((await model().generate(ask)).text).toBe(TEXT);
  });
});
