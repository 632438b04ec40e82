import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGeminiServer, KOREAN_STREAM_CHUNKS, offsetsBreakingText, streamedText } from '@llm/testkit';
import { google } from './google-provider.js';

const server = new FakeGeminiServer();
const model = () => google.languageModel('gemini-2.5-flash', { baseURL: server.url, apiKey: 'utf8-test-key' });
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

describe('google: UTF-8 split across network reads', () => {
  it('a Korean stream split at EVERY byte offset never yields U+FFFD and always equals the original', async () => {
    const { offsets, broken } = await offsetsBreakingText(server, { chunks: CHUNKS, usage: { input: 3, output: 9 } }, TEXT, streamText);
    expect(offsets).toBeGreaterThan(Buffer.byteLength(TEXT) * 2);
    expect(broken).toEqual([]);
    expect(server.requests.length).toBe(offsets + 1);
  });

  it('one byte per network read', async () => {
    server.enqueue({ chunks: CHUNKS });
    server.injectFault({ splitEveryByte: true });
    const text = await streamText();
    expect(text).not.toContain('\uFFFD');
    expect(text).toBe(TEXT);
    expect(text.includes('한글'.normalize('NFD'))).toBe(true);
  });

  it('a non-streamed Korean answer split every byte is intact too', async () => {
    server.enqueue({ text: TEXT });
    server.injectFault({ splitEveryByte: true });
    expect((await model().generate(ask)).text).toBe(TEXT);
  });
});
