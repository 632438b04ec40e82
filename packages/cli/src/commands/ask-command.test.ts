import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer } from '@llm/testkit';
import { Reply, StructuredOutputError } from '@llm/core';
import { memoryIO, runBuiltCli } from '../testing/cli-harness.js';
import { runCli } from '../program.js';
import { composePrompt, structuredAnswer } from './ask-command.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-ask-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOOK_SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, author: { type: 'string' }, year: { type: 'integer' }, genres: { type: 'array', items: { type: 'string' } } },
  required: ['title', 'author', 'year', 'genres'],
};

describe('llm ask (built binary, mock model)', () => {
  it('streams the answer to a Korean prompt and exits 0', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock', '파이썬의 장점은 무엇인가요?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('[mock] 오프라인 모의 모델의 응답입니다. 질문 "파이썬의 장점은 무엇인가요?"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.\n');
    expect(run.stderr).toBe('');
  });

  it('keeps a decomposed (NFD) Korean prompt exactly as given', async () => {
    const nfd = '한글'.normalize('NFD');
    const run = await runBuiltCli(['ask', '--model', 'mock', nfd]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`"${nfd}"`);
    expect(run.stdout).not.toContain('"한글"');
  });

  it('joins the words of an unquoted prompt', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock', '--no-stream', '안녕', '하세요']);
    expect(run.stdout).toContain('"안녕 하세요"');
  });

  it('prepends piped stdin as context, or uses it as the prompt', async () => {
    const withPrompt = await runBuiltCli(['ask', '--model', 'mock', '요약해줘'], { input: '회의록: 예산 승인\n' });
    expect(withPrompt.stdout).toContain('"회의록: 예산 승인\n\n요약해줘"');
    const stdinOnly = await runBuiltCli(['ask', '--model', 'mock'], { input: '서울의 인구는?' });
    expect(stdinOnly.code).toBe(0);
    expect(stdinOnly.stdout).toContain('"서울의 인구는?"');
  });

  it('exits 2 when there is nothing to ask', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Nothing to ask');
  });

  it('--json prints the whole reply', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock', '--json', '자바스크립트란?']);
    expect(run.code).toBe(0);
    const reply = JSON.parse(run.stdout);
    expect(reply).toMatchObject({ model: 'mock', provider: 'mock', finishReason: 'stop', cacheHit: false, toolCalls: [], toolInteractions: [] });
    expect(reply.text).toContain('자바스크립트란?');
    expect(reply.usage.total).toBe(reply.usage.input + reply.usage.output);
    expect(reply.usage.output).toBeGreaterThan(0);
    expect(reply.cost).toEqual({ inputUsd: 0, outputUsd: 0, usd: 0 });
    expect(reply.raw).toBeUndefined();
  });

  it('--choices prints exactly one choice', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock', '--choices', '기쁨,슬픔,분노', '오늘 승진했어요! 축하 파티도 했답니다.']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('기쁨\n');
    const json = JSON.parse((await runBuiltCli(['ask', '--model', 'mock', '--choices', '기쁨,슬픔', '--json', '프로젝트가 실패했습니다.'])).stdout);
    expect(json).toMatchObject({ choice: '슬픔', choiceIndex: 1 });
  });

  it('--choices with one choice is a usage error', async () => {
    const run = await runBuiltCli(['ask', '--model', 'mock', '--choices', '기쁨', '안녕']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('at least two');
  });

  it('--schema prints JSON that matches the schema', async () => {
    const schemaFile = join(dir, 'book.json');
    await writeFile(schemaFile, JSON.stringify(BOOK_SCHEMA));
    const run = await runBuiltCli(['ask', '--model', 'mock', '--schema', schemaFile, '해리포터와 마법사의 돌에 대해 알려주세요']);
    expect(run.code).toBe(0);
    const book = JSON.parse(run.stdout);
    expect(Object.keys(book).sort()).toEqual(['author', 'genres', 'title', 'year']);
    expect(Number.isInteger(book.year)).toBe(true);
    expect(Array.isArray(book.genres)).toBe(true);
    const json = JSON.parse((await runBuiltCli(['ask', '--model', 'mock', '--schema', schemaFile, '--json', '책'])).stdout);
    expect(json.structuredData).toMatchObject({ title: expect.any(String), year: expect.any(Number) });
  });

  it('--schema with a missing or broken file is a usage error', async () => {
    const missing = await runBuiltCli(['ask', '--model', 'mock', '--schema', join(dir, 'nope.json'), '책']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the schema file');
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"type": ');
    const run = await runBuiltCli(['ask', '--model', 'mock', '--schema', broken, '책']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not valid JSON');
  });

  it('--no-stream prints the same answer as streaming', async () => {
    const streamed = await runBuiltCli(['ask', '--model', 'mock', '비동기 프로그래밍을 설명해주세요']);
    const whole = await runBuiltCli(['ask', '--model', 'mock', '--no-stream', '비동기 프로그래밍을 설명해주세요']);
    expect(whole.stdout).toBe(streamed.stdout);
  });

  it('--cost prints usage and cost on stderr, --cache answers the second time from files', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await runBuiltCli(['ask', '--model', 'mock', '--cache', cacheDir, '--cost', '파이썬의 창시자는 누구인가요?']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^tokens: \d+ in, \d+ out, \d+ total · cost \$0\.000000\n$/);
    expect((await readdir(cacheDir)).length).toBeGreaterThan(0);
    const second = await runBuiltCli(['ask', '--model', 'mock', '--cache', cacheDir, '--cost', '파이썬의 창시자는 누구인가요?']);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toContain('(cache hit)');
  });

  it('--file attaches a text file (its tokens count) and a missing file is a usage error', async () => {
    const notes = join(dir, '메모.txt');
    await writeFile(notes, '첫째, 예산을 승인했다. 둘째, 일정을 2주 미뤘다. 셋째, 다음 회의는 금요일이다.');
    const without = JSON.parse((await runBuiltCli(['ask', '--model', 'mock', '--json', '요약해줘'])).stdout);
    const withFile = JSON.parse((await runBuiltCli(['ask', '--model', 'mock', '--json', '--file', notes, '요약해줘'])).stdout);
    expect(withFile.usage.input).toBeGreaterThan(without.usage.input);
    const missing = await runBuiltCli(['ask', '--model', 'mock', '--file', join(dir, 'none.png'), '설명해줘']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the file');
  });

  it('rejects bad option values and unknown models with exit code 2', async () => {
    const temperature = await runBuiltCli(['ask', '--model', 'mock', '--temperature', '3', '안녕']);
    expect(temperature.code).toBe(2);
    expect(temperature.stderr).toContain('from 0 to 2');
    const model = await runBuiltCli(['ask', '--model', 'no-such-model-xyz', '안녕']);
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('No provider serves the model "no-such-model-xyz"');
  });

  it('uses LLM_MODEL, else the mock model and says so', async () => {
    const fromEnv = JSON.parse((await runBuiltCli(['ask', '--json', '안녕'], { env: { LLM_MODEL: 'mock:env' } })).stdout);
    expect(fromEnv.model).toBe('mock:env');
    const fallback = await runBuiltCli(['ask', '안녕']);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toContain('offline: the mock model answers');
  });

  it('exits 1 on a provider error and never prints the API key', async () => {
    const fake = new FakeOpenAIServer();
    await fake.start();
    try {
      fake.injectFault({ status: 401 });
      const key = 'sk-test-secret-key-123456789';
      const run = await runBuiltCli(['ask', '--model', 'gpt-4o-mini', '안녕하세요'], { env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${fake.url}/v1` } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: /);
      expect(run.stderr).not.toContain(key);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0].body.messages.at(-1).content).toBe('안녕하세요');
    } finally {
      await fake.close();
    }
  });

  it('streams a real provider answer through the CLI (fake OpenAI server)', async () => {
    const fake = new FakeOpenAIServer();
    await fake.start();
    try {
      fake.enqueue({ text: '안녕하세요! 반갑습니다.' });
      const run = await runBuiltCli(['ask', '--model', 'gpt-4o-mini', '인사해줘'], { env: { OPENAI_API_KEY: 'sk-test-abcdefgh', OPENAI_BASE_URL: `${fake.url}/v1` } });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('안녕하세요! 반갑습니다.\n');
      expect(fake.requests[0].body.stream).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('exits 130 on Ctrl-C', async () => {
    const { spawnBuiltCli, finished } = await import('../testing/cli-harness.js');
    const child = spawnBuiltCli(['ask', '--model', 'mock', '요약해줘']);
    const done = finished(child);
    // stdin stays open: the command waits for the piped context when the signal arrives.
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted');
  });
});

describe('ask in-process', () => {
  it('renders markdown for a terminal and leaves it plain when piped', async () => {
    const tty = memoryIO({ tty: true });
    expect(await runCli(['ask', '--model', 'mock', '**굵게** 써줘'], tty.io)).toBe(0);
    expect(tty.stdout()).toContain('굵게');
    expect(tty.stdout()).not.toContain('**굵게**');
    const piped = memoryIO();
    expect(await runCli(['ask', '--model', 'mock', '**굵게** 써줘'], piped.io)).toBe(0);
    expect(piped.stdout()).toContain('**굵게**');
    expect(piped.stdout()).not.toMatch(/\u001b\[/);
  });

  it('composePrompt joins context and prompt and refuses nothing', () => {
    expect(composePrompt('문맥\n\n', ['질문'])).toBe('문맥\n\n질문');
    expect(composePrompt('', ['질문', '둘'])).toBe('질문 둘');
    expect(() => composePrompt('  \n', [])).toThrow(/Nothing to ask/);
  });

  it('structuredAnswer validates a JSON Schema answer and reports each problem', () => {
    const reply = (text: string) => new Reply({ text, usage: { input: 1, output: 1, total: 2 }, model: 'mock', provider: 'mock', finishReason: 'stop' });
    expect(structuredAnswer(reply('{"title":"해리포터","author":"롤링","year":1997,"genres":["판타지"]}'), BOOK_SCHEMA)).toEqual({ title: '해리포터', author: '롤링', year: 1997, genres: ['판타지'] });
    try {
      structuredAnswer(reply('```json\n{"title":"해리포터","year":"1997","genres":[1]}\n```'), BOOK_SCHEMA);
      expect.unreachable();
    } catch (error) {
      expect(StructuredOutputError.isInstance(error)).toBe(true);
      expect((error as StructuredOutputError).issues).toEqual(['(root).author: required', '(root).year: expected integer, got string', '(root).genres[0]: expected string, got integer']);
    }
    expect(() => structuredAnswer(reply('그냥 텍스트'), BOOK_SCHEMA)).toThrow(/not valid JSON/);
  });
});
