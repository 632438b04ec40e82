// Small measurement helpers shared by every benchmark: timing loops, percentiles, child-process cold starts.
import { execFileSync } from 'node:child_process';

/** Runs `fn` `iterations` times (after a warm-up) and returns per-call microseconds and calls per second. */
export async function timeLoop(fn, { iterations, warmup = Math.min(200, iterations) }) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - started);
  return { usPerCall: ns / iterations / 1000, callsPerSecond: iterations / (ns / 1e9) };
}

/** Latencies (ms) of `total` calls with `concurrency` in flight; returns p50/p95/p99, the mean and requests per second. */
export async function latencyRun(fn, { total, concurrency }) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const t = performance.now();
      await fn();
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const mean = latencies.reduce((sum, l) => sum + l, 0) / latencies.length;
  return { p50: pct(50), p95: pct(95), p99: pct(99), mean, rps: total / (elapsed / 1000) };
}

/** Median wall time (ms) of a cold `import()` of a module, each in a fresh Node process. */
export function coldImportMs(specifier, { runs = 5, cwd } = {}) {
  const code = `const t=performance.now();await import(${JSON.stringify(specifier)});process.stdout.write(String(performance.now()-t))`;
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8' })));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Starts a benchmark server script in its own process; resolves with its base URL and a stop function. */
export async function startServerProcess(script) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /READY (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
