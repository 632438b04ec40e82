import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer, fakeEmbedding } from '@llm/testkit';
import { mockEmbedding } from '@llm/core';
import { runCli } from '../program.js';
import { finished, memoryIO, runBuiltCli, spawnBuiltCli } from '../testing/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-embed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SENTENCES = ['강아지는 귀여운 동물입니다', '고양이는 독립적인 동물입니다', '파이썬은 프로그래밍 언어입니다', '김치는 발효 식품입니다', '축구는 인기 스포츠입니다', '한글'.normalize('NFD')];

async function jsonl(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('llm embed (built binary)', () => {
  it('text prints the vector as a JSON array', async () => {
    const run = await runBuiltCli(['embed', 'text', '--model', 'mock', '안녕하세요']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(mockEmbedding('안녕하세요'));
  });

  it('similarity scores similar Korean texts higher than unrelated ones', async () => {
    const similar = await runBuiltCli(['embed', 'similarity', '--model', 'mock', '파이썬은 간결한 프로그래밍 언어입니다', '파이썬은 읽기 쉬운 프로그래밍 언어입니다']);
    const unrelated = await runBuiltCli(['embed', 'similarity', '--model', 'mock', '파이썬은 간결한 프로그래밍 언어입니다', '김치찌개는 맵다']);
    expect(similar.stdout).toMatch(/^\d\.\d{4}\n$/);
    expect(Number(similar.stdout)).toBeGreaterThan(Number(unrelated.stdout));
    const json = JSON.parse((await runBuiltCli(['embed', 'similarity', '--model', 'mock', '--json', '개', '개'])).stdout);
    expect(json).toMatchObject({ a: '개', b: '개' });
    expect(json.similarity).toBeCloseTo(1, 6);
  });

  it('batch embeds every line of a text file into JSONL, Korean kept byte for byte', async () => {
    const input = join(dir, 'sentences.txt');
    await writeFile(input, `${SENTENCES.join('\n')}\n\n`);
    const run = await runBuiltCli(['embed', 'batch', '--model', 'mock', '--batch-size', '4', input]);
    expect(run.code).toBe(0);
    const out = join(dir, 'sentences.embeddings.jsonl');
    expect(run.stderr).toContain(`embedded 6 of 6 rows in 2 requests → ${out}`);
    const rows = await jsonl(out);
    expect(rows.map((r) => r.text)).toEqual(SENTENCES);
    rows.forEach((row) => expect(row.embedding).toEqual(mockEmbedding(row.text as string)));
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('batch resumes from an interrupted run: only the missing rows are requested', async () => {
    const input = join(dir, 'resume.txt');
    const out = join(dir, 'resume.jsonl');
    await writeFile(input, SENTENCES.join('\n'));
    // What an interrupted run leaves: two finished rows and a third cut mid-write.
    const done = SENTENCES.slice(0, 2).map((text) => JSON.stringify({ text, embedding: mockEmbedding(text) }));
    await writeFile(`${out}.partial`, `${done.join('\n')}\n{"text":"파이썬은 프로그`);
    const run = await runBuiltCli(['embed', 'batch', '--model', 'mock', '--batch-size', '2', input, '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('embedded 4 of 6 rows in 2 requests (2 done by an earlier run)');
    expect((await jsonl(out)).map((r) => r.text)).toEqual(SENTENCES);
    const again = await runBuiltCli(['embed', 'batch', '--model', 'mock', input, '-o', out]);
    expect(again.stderr).toContain('embedded 0 of 6 rows in 0 requests (6 done by an earlier run)');
    await writeFile(input, [...SENTENCES, '새로 추가한 문장'].join('\n'));
    const grown = await runBuiltCli(['embed', 'batch', '--model', 'mock', input, '-o', out]);
    expect(grown.stderr).toContain('embedded 1 of 7 rows in 1 request (6 done by an earlier run)');
  });

  it('batch refuses a work file that belongs to another input', async () => {
    const input = join(dir, 'other.txt');
    const out = join(dir, 'other.jsonl');
    await writeFile(input, '하나\n둘\n');
    await writeFile(`${out}.partial`, `${JSON.stringify({ text: '다른 문장', embedding: [1] })}\n`);
    const run = await runBuiltCli(['embed', 'batch', '--model', 'mock', input, '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('does not match the input');
  });

  it('fill-jsonl adds an embedding to rows without one and keeps every other field', async () => {
    const file = join(dir, 'docs.jsonl');
    const keep = [0.5, 0.5];
    const rows = [
      { id: 1, body: '서울은 한국의 수도입니다', tags: ['도시'] },
      { id: 2, body: '이미 임베딩이 있는 행', embedding: keep },
      { id: 3, body: '부산은 항구 도시입니다' },
    ];
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const run = await runBuiltCli(['embed', 'fill-jsonl', '--model', 'mock', '--text-field', 'body', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('embedded 2 of 3 rows in 1 request (1 already had one)');
    const filled = await jsonl(file);
    expect(filled).toEqual([
      { ...rows[0], embedding: mockEmbedding(rows[0].body) },
      rows[1],
      { ...rows[2], embedding: mockEmbedding(rows[2].body) },
    ]);
    const rerun = await runBuiltCli(['embed', 'fill-jsonl', '--model', 'mock', '--text-field', 'body', file]);
    expect(rerun.stderr).toContain('embedded 0 of 3 rows in 0 requests (3 already had one)');
  });

  it('fill-jsonl names the line that is not JSON or lacks the text field', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"text":"좋아요"}\n{"body":"텍스트 없음"}\n');
    const run = await runBuiltCli(['embed', 'fill-jsonl', '--model', 'mock', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:2 has no string "text" field`);
  });

  it('resumes after a real Ctrl-C: the provider only gets the rows it never answered', async () => {
    const fake = new FakeOpenAIServer();
    await fake.start();
    const env = { OPENAI_API_KEY: 'sk-test-embed-123456', OPENAI_BASE_URL: `${fake.url}/v1` };
    const input = join(dir, 'interrupt.txt');
    const out = join(dir, 'interrupt.jsonl');
    await writeFile(input, SENTENCES.join('\n'));
    try {
      fake.injectFault({}).injectFault({ delayMs: 5000 });
      const child = spawnBuiltCli(['embed', 'batch', '--model', 'text-embedding-3-small', '--batch-size', '2', input, '-o', out], { env });
      const done = finished(child);
      child.stdin?.end();
      for (let i = 0; i < 200 && fake.requests.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(fake.requests).toHaveLength(2);
      child.kill('SIGINT');
      const interrupted = await done;
      expect(interrupted.code).toBe(130);
      expect((await jsonl(`${out}.partial`)).map((r) => r.text)).toEqual(SENTENCES.slice(0, 2));
      fake.reset();
      const resumed = await runBuiltCli(['embed', 'batch', '--model', 'text-embedding-3-small', '--batch-size', '2', input, '-o', out], { env });
      expect(resumed.code).toBe(0);
      expect(fake.requests.map((r) => r.body.input)).toEqual([SENTENCES.slice(2, 4), SENTENCES.slice(4, 6)]);
      const rows = await jsonl(out);
      expect(rows.map((r) => r.text)).toEqual(SENTENCES);
      rows.forEach((row) => expect(row.embedding).toEqual(fakeEmbedding(row.text as string)));
    } finally {
      await fake.close();
    }
  });
});

describe('llm embed progress (in-process, a TTY stderr)', () => {
  it('shows a progress bar with rate and time left on a terminal, nothing of it when piped', async () => {
    const input = join(dir, 'progress.txt');
    await writeFile(input, SENTENCES.join('\n'));
    const tty = memoryIO({ tty: true });
    expect(await runCli(['embed', 'batch', '--model', 'mock', '--batch-size', '2', input, '-o', join(dir, 'p1.jsonl')], tty.io)).toBe(0);
    expect(tty.stderr()).toMatch(/embedding \[.*\] 100% \| 6\/6 \| [\d.]+\/s \| \S+ elapsed \| \S+ left/);
    const piped = memoryIO();
    expect(await runCli(['embed', 'batch', '--model', 'mock', input, '-o', join(dir, 'p2.jsonl')], piped.io)).toBe(0);
    expect(piped.stderr()).not.toContain('%');
    expect(piped.stderr()).toContain('embedded 6 of 6 rows');
  });
});
