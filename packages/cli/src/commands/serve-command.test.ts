import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, runBuiltCli, spawnBuiltCli, waitForOutput } from '../testing/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Offline defaults: sessions in memory, history in ./data under the test's folder, no request logs.
const env = { REDIS_URL: undefined, DATABASE_URL: undefined, LOG_LEVEL: 'silent', PORT: undefined, HOST: undefined };

async function startServe(args: string[]) {
  const child = spawnBuiltCli(['serve', '--port', '0', ...args], { cwd: dir, env });
  const done = finished(child, 30_000);
  const banner = await waitForOutput(child.stderr!, /History: .*\n/);
  const url = /listening on (http:\/\/localhost:\d+)/.exec(banner)![1];
  return { child, done, banner, url };
}

describe('llm serve (built binary)', () => {
  it('starts @llm/server on the mock model, answers a Korean message, stops on SIGTERM with 0', async () => {
    const { child, done, banner, url } = await startServe([]);
    try {
      expect(banner).toContain('Model: mock — the offline mock model answers');
      expect(banner).toContain(`History: sqlite ${join(dir, 'data', 'llm.sqlite')}`);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', model: 'mock' });
      const res = await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '서버에서 안녕하세요' }) });
      expect(res.status).toBe(200);
      expect((await res.json()).response).toContain('"서버에서 안녕하세요"');
      expect(existsSync(join(dir, 'data', 'llm.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('stopping: finishing open streams');
  });

  it('--model picks the model; Ctrl-C stops it with 130', async () => {
    const { child, done, url } = await startServe(['--model', 'mock:served', '--host', '127.0.0.1']);
    const res = await fetch(`${url}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '모델?' }) });
    expect((await res.json()).model).toBe('mock:served');
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
  });

  it('a bad port is a usage error', async () => {
    const run = await runBuiltCli(['serve', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('port from 0 to 65535');
  });
});
