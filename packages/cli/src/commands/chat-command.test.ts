import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, runBuiltCli, spawnBuiltCli, waitForOutput } from '../testing/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-chat-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const answer = (question: string) => `[mock] 오프라인 모의 모델의 응답입니다. 질문 "${question}"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.`;

describe('llm chat driven through stdin (built binary, mock model)', () => {
  it('answers each line, keeps the history, and prints cost totals at the end', async () => {
    const run = await runBuiltCli(['chat', '--model', 'mock'], { input: '안녕하세요\n\n내 이름은 민수야\n/history\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      answer('안녕하세요'),
      answer('내 이름은 민수야'),
      'user: 안녕하세요', `assistant: ${answer('안녕하세요')}`,
      'user: 내 이름은 민수야', `assistant: ${answer('내 이름은 민수야')}`,
      '',
    ].join('\n'));
    expect(run.stderr).toMatch(/chat ended: 2 turns · tokens: \d+ in, \d+ out, \d+ total · cost \$0\.000000\n$/);
  });

  it('/model switches the model, /clear forgets, /exit ends before the rest of the input', async () => {
    const run = await runBuiltCli(['chat', '--model', 'mock'], {
      input: '/model\n/model mock:other\n첫 질문\n/clear\n/history\n/model no-such-model-xyz\n/nope\n/exit\n이건 보내지 않아요\n',
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 5)).toEqual(['(model: mock)', '(model: mock:other)', answer('첫 질문'), '(conversation cleared)', '(no messages yet)']);
    expect(run.stdout).toContain('(unknown command /nope; /help lists the commands)');
    expect(run.stdout).not.toContain('이건 보내지 않아요');
    expect(run.stderr).toContain('error: No provider serves the model "no-such-model-xyz"');
    expect(run.stderr).toContain('chat ended: 1 turn ·');
  });

  it('--history continues the conversation in a SQLite file, per --session', async () => {
    const file = join(dir, 'chat.sqlite');
    const first = await runBuiltCli(['chat', '--model', 'mock', '--history', file], { input: '제 취미는 등산이에요\n' });
    expect(first.code).toBe(0);
    const second = await runBuiltCli(['chat', '--model', 'mock', '--history', file], { input: '/history\n' });
    expect(second.stderr).toContain(`(restored 2 messages from ${file}, session default)`);
    expect(second.stdout).toBe(`user: 제 취미는 등산이에요\nassistant: ${answer('제 취미는 등산이에요')}\n`);
    const other = await runBuiltCli(['chat', '--model', 'mock', '--history', file, '--session', '두번째'], { input: '/history\n' });
    expect(other.stdout).toBe('(no messages yet)\n');
    const cleared = await runBuiltCli(['chat', '--model', 'mock', '--history', file], { input: '/clear\n' });
    expect(cleared.code).toBe(0);
    const after = await runBuiltCli(['chat', '--model', 'mock', '--history', file], { input: '/history\n' });
    expect(after.stdout).toBe('(no messages yet)\n');
  });

  it('exits 130 on Ctrl-C, still printing the totals', async () => {
    const child = spawnBuiltCli(['chat', '--model', 'mock']);
    const done = finished(child);
    child.stdin?.write('한 번 물어볼게요\n');
    await waitForOutput(child.stdout!, '한 번 물어볼게요');
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('chat ended: 1 turn ·');
  });
});
