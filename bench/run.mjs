// `pnpm bench [--quick] [--only name]`: runs the benchmarks, writes BENCHMARKS.md and bench/results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { benchCoreMock } from './core-mock.mjs';
import { benchOpenAI } from './openai-overhead.mjs';
import { benchCaches } from './caches.mjs';
import { benchHistories } from './histories.mjs';
import { benchColdStart } from './cold-start.mjs';
import { benchServer } from './server.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const suites = { 'core-mock': benchCoreMock, openai: benchOpenAI, caches: benchCaches, histories: benchHistories, 'cold-start': benchColdStart, server: benchServer };

const results = [];
for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}\n`);
  results.push(await run({ quick }));
}

const table = (r) => [`| ${r.headers.join(' | ')} |`, `| ${r.headers.map(() => '---').join(' | ')} |`, ...r.rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const require = createRequire(import.meta.url);
const versionOf = (name) => {
  try { return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version; } catch { return require(`${name}/package.json`).version; }
};
const versions = ['@llm/core', '@llm/providers-openai', 'openai', 'ai', '@ai-sdk/openai', '@langchain/openai', 'fastify', 'ioredis', 'better-sqlite3', 'postgres'].map((n) => `${n} ${versionOf(n)}`).join(', ');
const env = `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${os.platform()} ${os.arch()}, ${new Date().toISOString().slice(0, 10)}${quick ? ', quick run' : ''}`;
const md = [
  '# Benchmarks', '',
  'Measured in one run on one machine; the ratios are the headline, absolute times are context. Regenerate with `pnpm bench` (`--quick` for a smoke run).', '',
  `Environment: ${env}`, '',
  `Versions: ${versions}`, '',
  ...results.flatMap((r) => [`## ${r.title}`, '', table(r), '', ...r.notes.map((n) => `- ${n}`), '']),
].join('\n');
if (!quick || args.includes('--write')) {
  writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), md);
  writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ env, versions, results: results.map(({ rows, headers, ...r }) => r) }, null, 2));
}
process.stdout.write(md + '\n');
