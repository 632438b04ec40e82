import { describe, expect, it } from 'vitest';
import { runProviderConformance } from '@llm/testkit';
import { LLM, cosineSimilarity, mockProvider, type LanguageModel, type MockResponse } from '@llm/core';

let script: MockResponse[] = [];
runProviderConformance({
  name: 'mock',
  // The conformance suite scripts after creating the model, so each call builds a mock from the current script.
  createModel: (): LanguageModel => {
    const next = () => {
      const responses = script;
      script = [];
      return mockProvider.languageModel('mock', { responses });
    };
    return { provider: 'mock', modelId: 'mock', generate: (r) => next().generate(r), stream: (r) => next().stream(r) };
  },
  script: (reply) => {
    script = [{ text: reply.text, chunks: reply.chunks, toolCalls: reply.toolCalls, usage: reply.usage, finishReason: reply.finishReason }];
  },
});

describe('mock model behaviour', () => {
  it('answers in Korean for a Korean prompt and in English otherwise, plainly marked as the mock', async () => {
    const llm = LLM.create('mock', { stateless: true });
    const ko = await llm.ask('비동기 프로그래밍의 장점은?');
    const en = await llm.ask('What is async programming?');
    expect(ko.text.startsWith('[mock]')).toBe(true);
    expect(ko.text).toMatch(/[가-힣]/);
    expect(ko.text).toContain('비동기 프로그래밍의 장점은?');
    expect(en.text).toContain('offline mock');
    expect(ko.provider).toBe('mock');
    expect(ko.isMock).toBe(true);
  });

  it('is deterministic', async () => {
    const a = await LLM.create('mock').ask('같은 질문');
    const b = await LLM.create('mock').ask('같은 질문');
    expect(a.text).toBe(b.text);
    expect(a.usage).toEqual(b.usage);
  });

  it('reports token usage that grows with the prompt', async () => {
    const short = await LLM.create('mock').ask('짧은 질문');
    const long = await LLM.create('mock').ask('아주 긴 질문입니다 '.repeat(50));
    expect(short.usage.input).toBeGreaterThan(0);
    expect(long.usage.input).toBeGreaterThan(short.usage.input);
    expect(short.usage.total).toBe(short.usage.input + short.usage.output);
  });

  it('streams word by word', async () => {
    const pieces: string[] = [];
    let final = '';
    for await (const chunk of LLM.create('mock').stream('한 문장 이상의 긴 설명을 해주세요')) {
      if (chunk.type === 'text') pieces.push(chunk.text);
      if (chunk.type === 'finish') final = chunk.reply.text;
    }
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(final);
  });

  it('makes embeddings where similar texts score higher than unrelated ones', async () => {
    const llm = LLM.create('mock');
    const [q, near, far] = await llm.embedMany(['프로그래밍 언어 문법', '파이썬은 간결하고 읽기 쉬운 문법을 가진 프로그래밍 언어입니다.', '김치는 한국의 전통 발효 식품입니다']);
    expect(q).toHaveLength(256);
    expect(cosineSimilarity(q, near)).toBeGreaterThan(cosineSimilarity(q, far));
    expect(await llm.embed('같은 문장')).toEqual(await llm.embed('같은 문장'));
  });

  it('scripts exact replies, tool calls and errors', async () => {
    const llm = LLM.create('mock', { responses: ['첫 번째', { text: '두 번째', usage: { input: 3, output: 4 } }], stateless: true });
    expect((await llm.ask('a')).text).toBe('첫 번째');
    const second = await llm.ask('b');
    expect(second.text).toBe('두 번째');
    expect(second.usage).toEqual({ input: 3, output: 4, total: 7 });
    expect((await llm.ask('c')).text.startsWith('[mock]')).toBe(true);
  });

  it('generates a real PNG with save()', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const [image] = await LLM.create('mock').generateImage('고양이 그림', { n: 1 });
    expect(image.revisedPrompt).toContain('고양이 그림');
    const path = await image.save(join(await mkdtemp(join(tmpdir(), 'img-')), 'cat.png'));
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('mock token estimate', () => {
  it('counts words exactly as a split on /\\s+/ would, for every kind of Unicode space', async () => {
    const { estimateTokens } = await import('../src/mock-behaviour.js');
    const reference = (t: string) => (t ? Math.max(1, Math.ceil(t.length / 4), t.split(/\s+/).filter(Boolean).length) : 0);
    const spaces = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const words = ['가', '안녕', 'a', 'hello', '😀', '한국어NFD\u1100\u1161', 'x'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let k = next(40); k > 0; k--) text += next(2) ? words[next(words.length)] : spaces[next(spaces.length)].repeat(1 + next(3));
      expect(estimateTokens(text), JSON.stringify(text)).toBe(reference(text));
    }
    expect(estimateTokens('a b c d e f g h i j')).toBe(10);
  });
});
