import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderStreamEvent, ToolCall, Usage } from '@llm/core';
import { FakeAnthropicServer } from '@llm/testkit';
import { anthropic } from './anthropic-provider.js';

const FIXTURES = '/work/shared/fixtures/wire/anthropic';

/** Core's finish reason for each Anthropic stop_reason in the recordings (written out here, not taken from the code). */
const EXPECTED_FINISH: Record<string, string> = { end_turn: 'stop', tool_use: 'tool-calls', refusal: 'refusal', max_tokens: 'length' };

interface WireUsage { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number }

function expectedUsage(usage: WireUsage): Usage {
  const input = (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  return { input, output: usage.output_tokens ?? 0, total: input + (usage.output_tokens ?? 0) };
}

/** What a streamed recording contains: text deltas joined, tool calls with their JSON pieces joined, stop reason, final usage. */
function expectedFromChunks(lines: string[]) {
  const events = lines.map((line) => JSON.parse(line));
  const start = events.find((e) => e.type === 'message_start');
  const delta = events.find((e) => e.type === 'message_delta');
  const text = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'text_delta').map((e) => e.delta.text).join('');
  const toolCalls = events.filter((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use').map((e) => {
    const json = events.filter((d) => d.type === 'content_block_delta' && d.index === e.index).map((d) => d.delta.partial_json).join('');
    return { id: e.content_block.id, name: e.content_block.name, arguments: json === '' ? {} : JSON.parse(json) };
  });
  const usage = expectedUsage({ ...start.message.usage, ...delta.usage });
  return { text, toolCalls, finishReason: EXPECTED_FINISH[delta.delta.stop_reason], usage, model: start.message.model };
}

function expectedFromJson(body: { content: { type: string; text?: string; id?: string; name?: string; input?: unknown }[]; stop_reason: string; usage: WireUsage; model: string }) {
  return {
    text: body.content.filter((b) => b.type === 'text').map((b) => b.text).join(''),
    toolCalls: body.content.filter((b) => b.type === 'tool_use').map((b) => ({ id: b.id, name: b.name, arguments: b.input })),
    finishReason: EXPECTED_FINISH[body.stop_reason],
    usage: expectedUsage(body.usage),
    model: body.model,
  };
}

const server = new FakeAnthropicServer();
const model = () => anthropic.languageModel('claude-haiku-4-5', { baseURL: server.url, apiKey: 'sk-ant-test-fixtures' });
const request = { messages: [{ role: 'user' as const, content: '녹화된 응답을 재생합니다' }] };

beforeAll(async () => {
  await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const files = readdirSync(FIXTURES);
const streams = files.filter((f) => f.endsWith('.chunks.txt'));
const bodies = files.filter((f) => f.endsWith('.json'));

it('finds a streamed and a JSON recording of every case', () => {
  expect(streams.length).toBeGreaterThanOrEqual(4);
  expect(bodies.map((f) => f.slice(0, -'.json'.length))).toEqual(streams.map((f) => f.slice(0, -'.chunks.txt'.length)));
});

describe('replays every recorded Anthropic stream', () => {
  for (const file of streams) {
    it(file, async () => {
      const lines = readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
      const expected = expectedFromChunks(lines);
      server.enqueueFixture(lines);
      const events: ProviderStreamEvent[] = [];
      for await (const event of model().stream(request)) events.push(event);
      expect(events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('')).toBe(expected.text);
      const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : []));
      expect(calls.map(({ id, name, arguments: args }: ToolCall) => ({ id, name, arguments: args }))).toEqual(expected.toolCalls);
      expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
      const finish = events[events.length - 1];
      expect(finish).toEqual({ type: 'finish', finishReason: expected.finishReason, usage: expected.usage, model: expected.model });
      expect(server.lastRequest?.body.stream).toBe(true);
    });
  }
});

describe('replays every recorded Anthropic JSON response', () => {
  for (const file of bodies) {
    it(file, async () => {
      const raw = readFileSync(`${FIXTURES}/${file}`, 'utf8');
      const expected = expectedFromJson(JSON.parse(raw));
      server.enqueueFixture(raw);
      const response = await model().generate(request);
      expect({ ...response, raw: undefined }).toEqual({ ...expected, raw: undefined });
      expect(server.lastRequest?.body.stream).toBeUndefined();
    });
  }
});
