// ask() on the mock model next to calling the mock model directly: the difference is the library's own overhead.
import { readFileSync } from 'node:fs';
import { CooldownTracker, DEFAULT_RETRY_POLICY, LLM, mockProvider, runWithFallbacks } from '@llm/core';
import { coldImportMs, fmt, timeLoop } from './measure.mjs';

export async function benchCoreMock({ quick }) {
  const iterations = quick ? 2_000 : 50_000;
  const raw = mockProvider.languageModel('mock', {});
  const request = { messages: [{ role: 'user', content: '안녕하세요, 간단히 답해주세요' }] };
  const direct = await timeLoop(() => raw.generate(request), { iterations });
  const llm = LLM.create('mock', { stateless: true });
  const ours = await timeLoop(() => llm.ask('안녕하세요, 간단히 답해주세요'), { iterations });
  // The retry/fallback machinery on the happy path: a resolved call through runWithFallbacks (two candidates and a
  // cool-down tracker, as `fallbacks` configures it) next to the same call made directly.
  const answer = Promise.resolve({ text: 'ok' });
  const call = () => answer;
  const candidates = [{ name: 'a', resolve: async () => ({ provider: 'x' }) }, { name: 'b', resolve: async () => ({ provider: 'y' }) }];
  const cooldown = new CooldownTracker({ cooldownMs: 30_000, failures: 3, windowMs: 60_000 });
  const bare = await timeLoop(() => call(), { iterations: iterations * 5 });
  const chained = await timeLoop(() => runWithFallbacks(candidates, call, { policy: DEFAULT_RETRY_POLICY, cooldown, attempts: [], describe: (m) => m }), { iterations: iterations * 5 });
  const coreDir = new URL('../packages/core/', import.meta.url);
  const importMs = coldImportMs('@llm/core', { runs: quick ? 3 : 9, cwd: new URL('.', import.meta.url).pathname });
  const deps = Object.keys(JSON.parse(readFileSync(new URL('package.json', coreDir), 'utf8')).dependencies ?? {});
  const overheadUs = ours.usPerCall - direct.usPerCall;
  return {
    name: 'core-mock',
    title: '`ask()` on the mock model (library overhead)',
    rows: [
      ['mock model `generate()` directly', `${fmt(direct.usPerCall)} µs/call`, `${fmt(direct.callsPerSecond, 0)} calls/s`, '1.00×'],
      ['`llm.ask()` (stateless)', `${fmt(ours.usPerCall)} µs/call`, `${fmt(ours.callsPerSecond, 0)} calls/s`, `${fmt(ours.usPerCall / direct.usPerCall)}×`],
    ],
    headers: ['client', 'time', 'throughput', 'ratio'],
    notes: [
      `Library overhead per ask: **${fmt(overheadUs)} µs** (target < 20 µs).`,
      `Cold \`import('@llm/core')\`: **${fmt(importMs, 1)} ms** (target < 30 ms).`,
      `Retry/fallback machinery on the happy path: **${fmt(chained.usPerCall - bare.usPerCall, 3)} µs** per call (target < 2 µs).`,
      `@llm/core runtime dependencies: ${deps.join(', ') || 'none'} (target: zod only).`,
    ],
    data: { direct, ours, overheadUs, importMs, deps, retryMachineryUs: chained.usPerCall - bare.usPerCall },
  };
}
