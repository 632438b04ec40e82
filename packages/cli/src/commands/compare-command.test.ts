import { describe, expect, it } from 'vitest';
import { displayWidth } from '../text-table.js';
import { FakeOpenAIServer } from '@llm/testkit';
import { finished, runBuiltCli, spawnBuiltCli } from '../testing/cli-harness.js';

describe('llm compare (built binary, two mock models)', () => {
  it('prints the answers side by side with latency and cost, Korean aligned', async () => {
    const run = await runBuiltCli(['compare', '--model', 'mock', '--model', 'mock:other', '--width', '90', '파이썬의 장점 세 가지를 알려주세요']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ mock +│ mock:other +│$/);
    expect(new Set(lines.map(displayWidth))).toEqual(new Set([89]));
    const cells = (line: string) => line.split('│').slice(1, -1).map((cell) => cell.trim());
    const body = lines.slice(3, lines.findIndex((line, i) => i > 3 && line.startsWith('├')));
    const joined = [0, 1].map((column) => body.map((line) => cells(line)[column]).join(' '));
    for (const text of joined) expect(text).toBe('[mock] 오프라인 모의 모델의 응답입니다. 질문 "파이썬의 장점 세 가지를 알려주세요"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.');
    expect(lines.filter((line) => /│ latency \d+ ms +│ latency \d+ ms +│/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /│ cost \$0\.000000 +│ cost \$0\.000000 +│/.test(line))).toHaveLength(1);
    expect(run.stdout).toMatch(/tokens \d+ in \/ \d+ out/);
  });

  it('--json gives each model its reply and latency; piped stdin is context', async () => {
    const run = await runBuiltCli(['compare', '--model', 'mock', '--model', 'mock:b', '--json', '요약'], { input: '본문' });
    const results = JSON.parse(run.stdout);
    expect(results.map((r: { model: string }) => r.model)).toEqual(['mock', 'mock:b']);
    for (const result of results) {
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(result.reply.text).toContain('"본문\n\n요약"');
      expect(result.reply.model).toBe(result.model);
    }
  });

  it('runs the models in parallel: the second request starts before the first answer arrives', async () => {
    const fake = new FakeOpenAIServer();
    await fake.start();
    try {
      fake.injectFault({ delayMs: 1500 }).injectFault({ delayMs: 1500 });
      fake.enqueue({ text: '첫째 답' }).enqueue({ text: '둘째 답' });
      const env = { OPENAI_API_KEY: 'sk-test-parallel-1234', OPENAI_BASE_URL: `${fake.url}/v1` };
      const child = spawnBuiltCli(['compare', '--model', 'gpt-4o-mini', '--model', 'openai:gpt-4o', '--json', '동시에 물어봐요'], { env });
      const done = finished(child);
      child.stdin?.end();
      while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const first = Date.now();
      while (fake.requests.length < 2 && Date.now() - first < 3000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(fake.requests).toHaveLength(2);
      expect(Date.now() - first).toBeLessThan(1000);
      const run = await done;
      expect(run.code).toBe(0);
      const results: { model: string; latencyMs: number; reply: { text: string } }[] = JSON.parse(run.stdout);
      expect(results.map((r) => r.model)).toEqual(['gpt-4o-mini', 'openai:gpt-4o']);
      expect(results.map((r) => r.reply.text).sort()).toEqual(['둘째 답', '첫째 답']);
      for (const result of results) expect(result.latencyMs).toBeGreaterThanOrEqual(1400);
    } finally {
      await fake.close();
    }
  });

  it('needs two known models', async () => {
    const one = await runBuiltCli(['compare', '--model', 'mock', '안녕']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('at least two models');
    const unknown = await runBuiltCli(['compare', '--model', 'mock', '--model', 'nobody-knows-this', '안녕']);
    expect(unknown.code).toBe(2);
  });

  it('reports a failing model in its column and exits 1', async () => {
    const run = await runBuiltCli(['compare', '--model', 'mock', '--model', 'gpt-4o-mini', '--width', '100', '안녕'], { env: { OPENAI_API_KEY: 'sk-test-compare-1234', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('│ error: ');
    expect(run.stdout).toContain('[mock] 오프라인');
    expect(run.stderr).toContain('gpt-4o-mini failed');
    expect(run.stderr + run.stdout).not.toContain('sk-test-compare-1234');
  });
});
