// CI runs the quick benchmark so the benchmark code never rots. No thresholds: these machines are noisy.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('pnpm bench --quick', () => {
  it('runs every benchmark and prints a table for each', () => {
    const out = execFileSync(process.execPath, [new URL('./run.mjs', import.meta.url).pathname, '--quick'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    for (const title of ['library overhead', 'direct `openai` SDK', 'Cache hits per backend', 'History stores', 'Cold start', 'Chat server']) {
      expect(out).toContain(title);
    }
    expect(out).toMatch(/Library overhead per ask: \*\*\d+\.\d+ µs\*\*/);
    expect(out).toMatch(/\| @llm\/core \+ providers-openai \| 1 \| \d+\.\d+/);
    expect(out).not.toMatch(/NaN|undefined/);
  }, 320_000);
});
