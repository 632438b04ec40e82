import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, LLM, Reply, setModelPrice, type Message } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

describe('LLM.ask', () => {
  it('returns a Reply whose String() is the text, with usage, model, provider and cost', async () => {
    const reply = await LLM.create('mock', { responses: [{ text: '안녕하세요', usage: { input: 10, output: 5 } }] }).ask('안녕?');
    expect(reply).toBeInstanceOf(Reply);
    expect(String(reply)).toBe('안녕하세요');
    expect(`${reply}`).toBe('안녕하세요');
    expect(reply.usage).toEqual({ input: 10, output: 5, total: 15 });
    expect(reply.model).toBe('mock');
    expect(reply.provider).toBe('mock');
    expect(reply.finishReason).toBe('stop');
    expect(reply.cacheHit).toBe(false);
    expect(reply.cost).toEqual({ inputUsd: 0, outputUsd: 0, usd: 0 });
  });

  it('keeps the conversation in memory and sends it with the next ask', async () => {
    const llm = LLM.create('mock', { responses: ['하나', '둘'] });
    await llm.ask('첫 질문');
    await llm.ask('두 번째 질문');
    expect(llm.history.map((m) => [m.role, m.content])).toEqual([
      ['user', '첫 질문'], ['assistant', '하나'], ['user', '두 번째 질문'], ['assistant', '둘'],
    ]);
    llm.clear();
    expect(llm.history).toEqual([]);
  });

  it('never stores the system prompt, renders it per call with context', async () => {
    const rec = recordingProvider('system', ['a', 'b']);
    const llm = LLM.create(rec.name, { systemPrompt: '당신은 {언어} 선생님입니다.' });
    await llm.ask('안녕', { context: { 언어: '영어' } });
    await llm.ask('다시', { context: { 언어: '일본어' } });
    expect(rec.requests[0].system).toBe('당신은 영어 선생님입니다.');
    expect(rec.requests[1].system).toBe('당신은 일본어 선생님입니다.');
    expect(rec.requests[1].messages.every((m) => m.role !== 'system')).toBe(true);
    expect(rec.requests[1].messages.map((m) => m.content)).toEqual(['안녕', 'a', '다시']);
    expect(llm.history.every((m) => m.role !== 'system')).toBe(true);
  });

  it('stateless: never stores, clear() is a no-op', async () => {
    const llm = LLM.create('mock', { stateless: true, initialMessages: [{ role: 'user', content: '시작' }] });
    await llm.ask('하나');
    await llm.ask('둘');
    expect(llm.history).toEqual([{ role: 'user', content: '시작' }]);
    llm.clear();
    expect(llm.history).toHaveLength(1);
  });

  it('useHistory: false neither reads nor writes the history', async () => {
    const llm = LLM.create('mock', { responses: ['a', 'b'] });
    await llm.ask('기억해');
    await llm.ask('독립 질문', { useHistory: false });
    expect(llm.history).toHaveLength(2);
  });

  it('starts from initialMessages', async () => {
    const llm = LLM.create('mock', { initialMessages: [{ role: 'user', content: '이전' }, { role: 'assistant', content: '응답' }], responses: ['새 답'] });
    await llm.ask('새 질문');
    expect(llm.history.map((m) => m.content)).toEqual(['이전', '응답', '새 질문', '새 답']);
  });

  it('renders {name} and {{ name }} placeholders from context, leaving unknown ones as written', async () => {
    const llm = LLM.create('mock', { responses: ['ok'] });
    await llm.ask('{언어}로 {상황}에서 {{ 레벨 }} 수준으로, 코드 {x} 유지', { context: { 언어: '영어', 상황: '카페', 레벨: '초급' } });
    expect(llm.history[0].content).toBe('영어로 카페에서 초급 수준으로, 코드 {x} 유지');
  });

  it('renders an object input with the prompt template', async () => {
    const llm = LLM.create('mock', { prompt: '{item}의 영양 성분을 요약하세요', responses: ['ok'] });
    await llm.ask({ item: '사과' });
    expect(llm.history[0].content).toBe('사과의 영양 성분을 요약하세요');
    const template = { render: (vars: Record<string, unknown>) => `T:${String(vars.item)}` };
    await llm.ask({ item: '배' }, { prompt: template });
    expect(llm.history[2].content).toBe('T:배');
  });

  it('rejects an object input without a prompt with a ConfigurationError', async () => {
    const error = await LLM.create('mock').ask({ a: 1 }).catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('prompt');
  });

  it('attaches files: a PNG path becomes an image part, a text file a text part, bytes are sniffed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'files-'));
    const png = join(dir, 'pixel.png');
    await writeFile(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
    const txt = join(dir, '메모.txt');
    await writeFile(txt, '한글 메모 내용');
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);
    const llm = LLM.create('mock', { responses: ['ok'] });
    await llm.ask('이 파일들을 보세요', { files: [png, txt, pdf, 'https://example.com/cat.jpg'] });
    const content = llm.history[0].content as Exclude<Message['content'], string>;
    expect(content[0]).toEqual({ type: 'text', text: '이 파일들을 보세요' });
    expect(content[1]).toMatchObject({ type: 'image', mediaType: 'image/png', filename: 'pixel.png' });
    expect(content[2]).toEqual({ type: 'text', text: '[메모.txt]\n한글 메모 내용' });
    expect(content[3]).toMatchObject({ type: 'file', mediaType: 'application/pdf' });
    expect(content[4]).toMatchObject({ type: 'image', mediaType: 'image/jpeg' });
    expect((content[4] as { data: URL }).data.href).toBe('https://example.com/cat.jpg');
  });

  it('a missing file path is a ConfigurationError naming the path', async () => {
    const error = await LLM.create('mock').ask('x', { files: ['/nope/없는파일.png'] }).catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('없는파일.png');
  });

  it('keeps NFC and NFD text exactly as given', async () => {
    const nfd = '한글'.normalize('NFD');
    const llm = LLM.create('mock', { responses: [nfd] });
    const reply = await llm.ask(nfd);
    expect(reply.text).toBe(nfd);
    expect(llm.history[0].content).toBe(nfd);
    expect(reply.text).not.toBe('한글'.normalize('NFC'));
  });

  it('accumulates usage over the instance', async () => {
    const llm = LLM.create('mock', { responses: [{ text: 'a', usage: { input: 1, output: 2 } }, { text: 'b', usage: { input: 3, output: 4 } }] });
    await llm.ask('1');
    await llm.ask('2');
    expect(llm.usage).toMatchObject({ input: 4, output: 6, total: 10 });
  });

  it('adds each reply\'s cost to the instance usage, next to the summed token counts', async () => {
    setModelPrice('mock:summed', { input: 1_000_000, output: 2_000_000 });
    const llm = LLM.create('mock:summed', { responses: [{ text: 'a', usage: { input: 1, output: 2 } }, { text: 'b', usage: { input: 3, output: 4 } }] });
    const first = await llm.ask('1');
    expect(llm.usage).toEqual({ input: 1, output: 2, total: 3, costUsd: 5 });
    const second = await llm.ask('2');
    expect(first.cost?.usd).toBe(5);
    expect(second.cost?.usd).toBe(11);
    expect(llm.usage).toEqual({ input: 4, output: 6, total: 10, costUsd: 16 });
    expect(second.usage).toEqual({ input: 3, output: 4, total: 7 });
  });

  it('ask({ stream: true }) returns the chunk stream; breaking out aborts the request and stores nothing', async () => {
    const llm = LLM.create('mock', { chunkDelayMs: 5 });
    let count = 0;
    for await (const chunk of llm.ask('긴 답변을 스트리밍해 주세요 아주 길게', { stream: true })) {
      expect(typeof chunk.text).toBe('string');
      if (++count === 3) break;
    }
    expect(count).toBe(3);
    expect(llm.history).toEqual([]);
  });

  it('the last stream chunk carries the full reply with usage', async () => {
    const chunks = [];
    for await (const chunk of LLM.create('mock', { responses: [{ chunks: ['가', '나', '다'], usage: { input: 2, output: 3 } }] }).stream('x')) chunks.push(chunk);
    const last = chunks[chunks.length - 1];
    expect(last.type).toBe('finish');
    if (last.type !== 'finish') return;
    expect(last.reply.text).toBe('가나다');
    expect(last.reply.usage.total).toBe(5);
    expect(chunks.slice(0, -1).map((c) => c.text)).toEqual(['가', '나', '다']);
  });
});

describe('ask({ messages })', () => {
  it('answers in the given conversation without touching the LLM history or its backup, and returns the new messages', async () => {
    const rec = recordingProvider('messages-override', ['첫 답', '둘째 답']);
    const saved: unknown[] = [];
    const llm = LLM.create(rec.name, { historyBackup: { saveExchange: async (u) => void saved.push(u), loadHistory: async () => [], getUsageSummary: async () => ({ input: 0, output: 0, total: 0 }), clear: async () => 0 } });
    const context: Message[] = [{ role: 'user', content: '세션 A의 이전 질문' }, { role: 'assistant', content: '세션 A의 이전 답' }];
    const reply = await llm.ask('세션 A의 새 질문', { messages: context });
    expect(rec.requests[0].messages.map((m) => m.content)).toEqual(['세션 A의 이전 질문', '세션 A의 이전 답', '세션 A의 새 질문']);
    expect(reply.messages.map((m) => [m.role, m.content])).toEqual([['user', '세션 A의 새 질문'], ['assistant', '첫 답']]);
    expect(llm.history).toEqual([]);
    expect(saved).toEqual([]);
    await llm.ask('세션 B', { messages: [] });
    expect(rec.requests[1].messages.map((m) => m.content)).toEqual(['세션 B']);
  });
});
