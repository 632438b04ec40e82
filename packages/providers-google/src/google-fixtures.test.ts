import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitError } from '@llm/core';
import { collectStream, FakeGeminiServer } from '@llm/testkit';
import { google } from './google-provider.js';

const DIR = '/work/shared/fixtures/wire/google';
const server = new FakeGeminiServer();

interface WirePart { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: { name: string; args: unknown } }
interface WireResponse {
  candidates?: { content?: { parts?: WirePart[] }; finishReason?: string }[];
  usageMetadata?: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number; totalTokenCount: number };
  modelVersion?: string;
}

const readLines = (name: string): string[] => readFileSync(`${DIR}/${name}`, 'utf8').split('\n').filter((line) => line.trim());
const readJson = (name: string): WireResponse => JSON.parse(readFileSync(`${DIR}/${name}`, 'utf8'));

/** What a recording says, computed from the recording itself. */
function expectedFrom(responses: WireResponse[]) {
  const parts = responses.flatMap((r) => r.candidates?.[0]?.content?.parts ?? []);
  const finish = responses.map((r) => r.candidates?.[0]?.finishReason).filter(Boolean).pop();
  const usage = responses.map((r) => r.usageMetadata).filter(Boolean).pop()!;
  const calls = parts.filter((p) => p.functionCall);
  return {
    text: parts.filter((p) => !p.thought && p.text).map((p) => p.text).join(''),
    calls: calls.map((p) => ({ name: p.functionCall!.name, arguments: p.functionCall!.args, signature: p.thoughtSignature })),
    finishReason: finish === 'STOP' ? (calls.length ? 'tool-calls' : 'stop') : finish,
    usage: {
      input: usage.promptTokenCount,
      output: usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0),
      total: usage.totalTokenCount,
      reasoning: usage.thoughtsTokenCount,
    },
    model: responses[responses.length - 1].modelVersion,
  };
}

const model = () => google.languageModel('gemini-3-pro-preview', { baseURL: server.url, apiKey: 'fixture-key-000' });
const ask = { messages: [{ role: 'user' as const, content: 'How many r\'s are in strawberry?' }] };

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('google: replay of the recorded Gemini responses', () => {
  for (const name of ['google-text', 'google-tool-call']) {
    it(`${name}.json (generateContent)`, async () => {
      const body = readJson(`${name}.json`);
      const expected = expectedFrom([body]);
      server.enqueueFixture(body);
      const response = await model().generate(ask);
      expect(response.text).toBe(expected.text);
      expect(response.finishReason).toBe(expected.finishReason);
      expect(response.usage).toEqual(expected.usage);
      expect(response.usage.total).toBe(response.usage.input + response.usage.output);
      expect(response.model).toBe(expected.model);
      expect(response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, signature: (c.providerMetadata?.google as { thoughtSignature?: string } | undefined)?.thoughtSignature })))
        .toEqual(expected.calls);
    });

    it(`${name}.chunks.txt (streamGenerateContent, framed data: L\\r\\n\\r\\n)`, async () => {
      const lines = readLines(`${name}.chunks.txt`);
      const expected = expectedFrom(lines.map((line) => JSON.parse(line) as WireResponse));
      server.enqueueFixture(lines);
      const events = await collectStream(model().stream(ask));
      expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')).toBe(expected.text);
      const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
      expect(calls.map((c) => ({ name: c.name, arguments: c.arguments, signature: (c.providerMetadata?.google as { thoughtSignature?: string } | undefined)?.thoughtSignature })))
        .toEqual(expected.calls);
      const finishes = events.filter((e) => e.type === 'finish');
      expect(finishes).toHaveLength(1);
      expect(events[events.length - 1]).toMatchObject({ type: 'finish', finishReason: expected.finishReason, usage: expected.usage, model: expected.model });
    });
  }

  it('google-tool-call: the thoughtSignature goes back byte for byte on the next request', async () => {
    const lines = readLines('google-tool-call.chunks.txt');
    const recorded = (JSON.parse(lines[0]) as WireResponse).candidates![0].content!.parts![0];
    server.enqueueFixture(lines);
    const events = await collectStream(model().stream(ask));
    const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
    server.enqueue({ text: 'It is sunny in San Francisco.' });
    await model().generate({
      messages: [
        ...ask.messages,
        { role: 'assistant', content: '', toolCalls: calls },
        { role: 'tool', toolCallId: calls[0].id, toolName: calls[0].name, content: '{"weather":"sunny"}' },
      ],
    });
    const sent = server.lastRequest!.body.contents[1].parts[0];
    expect(sent).toEqual({ functionCall: recorded.functionCall, thoughtSignature: recorded.thoughtSignature });
  });

  it('google-429-retry-info.json: RetryInfo.retryDelay becomes RateLimitError.retryAfterMs (generate and stream)', async () => {
    const body = JSON.parse(readFileSync(`${DIR}/google-429-retry-info.json`, 'utf8'));
    const delay = body.error.details.find((d: { '@type': string }) => d['@type'].endsWith('RetryInfo')).retryDelay as string;
    const expectedMs = Math.round(Number(delay.replace(/s$/, '')) * 1000);
    server.injectFault({ status: 429, errorBody: body });
    const error = await model().generate(ask).then(() => undefined, (e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(expectedMs);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as Error).message).toContain(body.error.message);

    server.injectFault({ status: 429, errorBody: body });
    const streamError = await collectStream(model().stream(ask)).then(() => undefined, (e: unknown) => e);
    expect(RateLimitError.isInstance(streamError)).toBe(true);
    expect((streamError as RateLimitError).retryAfterMs).toBe(expectedMs);
  });
});
