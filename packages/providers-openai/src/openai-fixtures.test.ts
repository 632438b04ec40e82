import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderStreamEvent, ToolCall } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { openai, openaiCompatible } from './openai-provider.js';

// Replays every recording in /work/shared/fixtures/wire/openai-chat through the real SDK. Expected values are
// computed from the files (concatenated deltas, usage fields), never pasted from this package's output.
const DIR = '/work/shared/fixtures/wire/openai-chat';
const readLines = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8').split('\n').filter((l) => l.trim());
const readJson = (name: string) => JSON.parse(readFileSync(`${DIR}/${name}`, 'utf8'));
type Json = Record<string, any>;

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const chat = (id: string) => openaiCompatible.languageModel(id, { baseURL: `${fake.url}/v1`, apiKey: 'test-key' });
const request = { messages: [{ role: 'user' as const, content: 'San Francisco weather?' }] };

async function collect(stream: AsyncIterable<ProviderStreamEvent>) {
  const events: ProviderStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const finish = events.at(-1);
  if (finish?.type !== 'finish') throw new Error('the stream did not end with finish');
  return {
    events,
    text: events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join(''),
    reasoning: events.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : [])).join(''),
    toolCalls: events.flatMap((e) => (e.type === 'tool-call' ? [e.toolCall] : [])),
    finish,
  };
}

/** Usage in core's terms from a wire usage object: reasoning counted in output (xAI reports it outside completion_tokens). */
function expectedUsage(usage: Json) {
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const separate = reasoning > 0 && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens + reasoning;
  const output = usage.completion_tokens + (separate ? reasoning : 0);
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input: usage.prompt_tokens, output, total: usage.prompt_tokens + output,
    cachedInput: cached > 0 ? cached : undefined, reasoning: reasoning > 0 ? reasoning : undefined,
  };
}

function expectedToolCalls(wireCalls: Json[]): ToolCall[] {
  return wireCalls.map((c) => ({ id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments || '{}') }));
}

/** Rebuilds the tool calls of a chunk file by index, the way the wire defines them. */
function streamedToolCalls(chunks: Json[]): Json[] {
  const calls: Json[] = [];
  for (const chunk of chunks) {
    for (const delta of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
      calls[delta.index] ??= { id: delta.id, function: { name: delta.function?.name, arguments: '' } };
      calls[delta.index].function.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

const FINISH: Record<string, string> = { stop: 'stop', tool_calls: 'tool-calls', length: 'length' };

describe.each(['openai-text', 'groq-tool-call', 'xai-tool-call'])('streamed recording %s', (name) => {
  it('replays text, reasoning, tool calls, finish reason and usage', async () => {
    const lines = readLines(`${name}.chunks.txt`);
    const chunks = lines.map((l) => JSON.parse(l) as Json);
    fake.enqueueFixture(lines);
    const model = chunks[0].model.startsWith('gpt-') ? openai.languageModel(chunks[0].model, { baseURL: `${fake.url}/v1`, apiKey: 'test-key' }) : chat(chunks[0].model);
    const result = await collect(model.stream(request));
    const deltas = chunks.map((c) => c.choices?.[0]?.delta ?? {});
    expect(result.text).toBe(deltas.map((d) => d.content ?? '').join(''));
    expect(result.reasoning).toBe(deltas.map((d) => d.reasoning_content ?? '').join(''));
    expect(result.toolCalls).toEqual(expectedToolCalls(streamedToolCalls(chunks)));
    const wireFinish = chunks.map((c) => c.choices?.[0]?.finish_reason).find(Boolean);
    expect(result.finish.type === 'finish' && result.finish.finishReason).toBe(FINISH[wireFinish]);
    const usage = chunks.map((c) => c.usage).filter(Boolean).at(-1);
    expect(result.finish.type === 'finish' && result.finish.usage).toEqual(JSON.parse(JSON.stringify(expectedUsage(usage))));
    expect(result.finish.type === 'finish' && result.finish.model).toBe(chunks.at(-1)!.model);
    expect(result.events.filter((e) => e.type === 'finish')).toHaveLength(1);
    expect(fake.lastRequest?.body.stream_options).toEqual({ include_usage: true });
  });
});

describe.each(['openai-text', 'groq-tool-call', 'xai-tool-call', 'deepseek-json'])('JSON recording %s', (name) => {
  it('replays text, reasoning, tool calls, finish reason and usage', async () => {
    const body = readJson(`${name}.json`);
    fake.enqueueFixture(body);
    const message = body.choices[0].message;
    const response = await chat(body.model).generate(
      name === 'deepseek-json' ? { ...request, responseFormat: { type: 'json' } } : request,
    );
    expect(response.text).toBe(message.content ?? '');
    expect(response.reasoning).toBe(message.reasoning_content ?? undefined);
    expect(response.toolCalls).toEqual(expectedToolCalls(message.tool_calls ?? []));
    expect(response.finishReason).toBe(FINISH[body.choices[0].finish_reason]);
    expect(response.usage).toEqual(JSON.parse(JSON.stringify(expectedUsage(body.usage))));
    expect(response.model).toBe(body.model);
    if (name === 'deepseek-json') {
      expect(JSON.parse(response.text)).toEqual(JSON.parse(message.content));
      expect(fake.lastRequest?.body.response_format).toEqual({ type: 'json_object' });
    }
  });
});

describe('embedding recording', () => {
  it('replays the vectors (sent as base64 float32 as OpenAI does) in index order, with usage', async () => {
    const body = readJson('openai-embedding.json');
    fake.enqueueFixture(body);
    const model = openai.embeddingModel!(body.model, { baseURL: `${fake.url}/v1`, apiKey: 'test-key' });
    const result = await model.embed(['sunny day at the beach', 'rainy afternoon in the city'], {});
    const expected = [...body.data].sort((a: Json, b: Json) => a.index - b.index).map((d: Json) => d.embedding.map(Math.fround));
    expect(result.embeddings).toEqual(expected);
    expect(result.usage).toEqual({ input: body.usage.prompt_tokens, output: 0, total: body.usage.total_tokens });
    expect(fake.lastRequest?.body.encoding_format).toBe('base64');
  });
});
