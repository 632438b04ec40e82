import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_BIN, cleanEnv, finished, waitForOutput } from './testing/cli-harness.js';

// util-linux `script` gives the built binary a real pseudo-terminal: isTTY, colours and raw-mode readline.
const SCRIPT = '/usr/bin/script';
const available = existsSync(SCRIPT);

function inTerminal(args: string[], cwd: string) {
  const command = [process.execPath, BUILT_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { cwd, env: cleanEnv({ TERM: 'xterm-256color', COLUMNS: '100', FORCE_COLOR: '1' }), stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, done: finished(child, 30_000) };
}

function needsScript(): boolean {
  if (available) return true;
  console.warn(`\n*** ${SCRIPT} (util-linux) is missing: the real-terminal tests did not run. Install util-linux (bsdutils). ***\n`);
  expect(process.env.CI, 'CI must run the real-terminal tests').toBeUndefined();
  return false;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-tty-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the built binary in a real terminal', () => {
  it('ask renders markdown with terminal styles', async () => {
    if (!needsScript()) return;
    const { done } = inTerminal(['ask', '--model', 'mock', '**굵게** 쓴 질문'], dir);
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\u001b[1m굵게\u001b[22m');
    expect(run.stdout).not.toContain('**굵게**');
  });

  it('chat prompts, answers a Korean line typed at the prompt, and ends on Ctrl-D with the totals', async () => {
    if (!needsScript()) return;
    const { child, done } = inTerminal(['chat', '--model', 'mock'], dir);
    await waitForOutput(child.stdout!, '> ');
    child.stdin!.write('안녕하세요\r');
    await waitForOutput(child.stdout!, '받았습니다');
    child.stdin!.write('\u0004');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Chatting with mock.');
    expect(run.stdout).toContain('질문 "안녕하세요"을(를) 받았습니다');
    expect(run.stdout).toMatch(/chat ended: 1 turn · tokens: \d+ in/);
  });

  it('embed batch draws a progress bar with rate and time left', async () => {
    if (!needsScript()) return;
    await writeFile(join(dir, 'lines.txt'), Array.from({ length: 40 }, (_, i) => `문장 ${i + 1}`).join('\n'));
    const { done } = inTerminal(['embed', 'batch', '--model', 'mock', '--batch-size', '10', 'lines.txt', '-o', 'out.jsonl'], dir);
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/embedding \[[^\]]*\] 100% \| 40\/40 \| [\d.]+\/s \| \S+ elapsed \| \S+ left/);
    expect(run.stdout).toContain('embedded 40 of 40 rows in 4 requests');
  });
});
