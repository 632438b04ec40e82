import { describe, expect, it } from 'vitest';
import { LLM, ConfigurationError } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

describe('batch', () => {
  it('independent: parallel, no history, replies in input order', async () => {
    const llm = LLM.create('mock');
    const replies = await llm.batch(['Python의 장점은?', 'JavaScript의 장점은?', 'Rust의 장점은?'], { maxParallel: 2 });
    expect(replies.map((r) => r.text.includes('Rust'))).toEqual([false, false, true]);
    expect(llm.history).toEqual([]);
  });

  it('sequential: each prompt sees the previous exchanges', async () => {
    const rec = recordingProvider('seq', ['하나', '둘']);
    const llm = LLM.create(rec.name);
    await llm.batch(['첫째', '둘째'], { historyMode: 'sequential' });
    expect(rec.requests[1].messages.map((m) => m.content)).toEqual(['첫째', '하나', '둘째']);
    expect(llm.history).toHaveLength(4);
  });

  it('shared: all prompts see the current history, the exchanges are appended in order', async () => {
    const rec = recordingProvider('shared', ['기억', 'a', 'b']);
    const llm = LLM.create(rec.name);
    await llm.ask('이 이름을 기억하세요: 민수');
    await llm.batch(['질문1', '질문2'], { historyMode: 'shared', maxParallel: 2 });
    expect(rec.requests.slice(1).every((r) => r.messages[0].content === '이 이름을 기억하세요: 민수')).toBe(true);
    expect(llm.history.map((m) => m.content).slice(2)).toEqual(['질문1', expect.any(String), '질문2', expect.any(String)]);
  });
});

describe('pipe', () => {
  it('chains steps with per-step templates and output keys, like the Python | chain', async () => {
    const outline = recordingProvider('outline', ['1. 소개 2. 본문']);
    const draft = recordingProvider('draft', ['초안 본문']);
    const polish = recordingProvider('polish', ['완성된 글']);
    const chain = LLM.create(outline.name)
      .pipe(LLM.create(draft.name), { prompt: '다음 개요를 바탕으로 초안을 작성하세요:\n{step1}', outputKey: 'draft' })
      .pipe(LLM.create(polish.name), { prompt: '다듬으세요:\n{draft} (원래 주제: {topic})', outputKey: 'polish' });
    const result = await chain.ask('파이썬으로 웹 스크래핑하기', { context: { topic: '웹 스크래핑' } });
    expect(draft.requests[0].messages[0].content).toBe('다음 개요를 바탕으로 초안을 작성하세요:\n1. 소개 2. 본문');
    expect(polish.requests[0].messages[0].content).toBe('다듬으세요:\n초안 본문 (원래 주제: 웹 스크래핑)');
    expect(result.text).toBe('완성된 글');
    expect(result.values).toMatchObject({ input: '파이썬으로 웹 스크래핑하기', step1: '1. 소개 2. 본문', draft: '초안 본문', polish: '완성된 글' });
    expect(result.replies).toHaveLength(3);
    expect(String(result)).toBe('완성된 글');
  });
});

describe('embeddings and images', () => {
  it('embedMany keeps input order across batches and reports progress', async () => {
    const llm = LLM.create('mock');
    const texts = Array.from({ length: 7 }, (_, i) => `문장 ${i}`);
    const progress: number[] = [];
    const vectors = await llm.embedMany(texts, { batchSize: 3, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([3, 6, 7]);
    for (const [i, text] of texts.entries()) expect(vectors[i]).toEqual(await llm.embed(text));
  });

  it('embed rejects a non-string with a ConfigurationError', async () => {
    await expect(LLM.create('mock').embed(['a'] as never)).rejects.toSatisfy((e) => ConfigurationError.isInstance(e));
  });

  it('describeImages runs in parallel with at most maxParallel and keeps order', async () => {
    const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
    const rec = recordingProvider('vision', ['첫 이미지', '둘째 이미지', '셋째 이미지']);
    const replies = await LLM.create(rec.name).describeImages([png, png, png], { maxParallel: 2, prompt: '이미지를 설명하세요' });
    expect(replies.map((r) => r.text).sort()).toEqual(['둘째 이미지', '셋째 이미지', '첫 이미지']);
    const content = rec.requests[0].messages[0].content as { type: string }[];
    expect(content.map((p) => p.type)).toEqual(['text', 'image']);
  });
});
