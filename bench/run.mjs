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
const section = (r) => [`## ${r.title}`, '', table(r), '', ...r.notes.map((n) => `- ${n}`), ''].join('\n');
const mdURL = new URL('../BENCHMARKS.md', import.meta.url);
const jsonURL = new URL('./results.json', import.meta.url);
const stored = (r) => { const { rows: _rows, headers: _headers, ...rest } = r; return rest; };
let md;
let json;
if (only) {
  // One suite re-run: its section and its results.json entry are replaced, the other suites' stay as measured.
  md = readFileSync(mdURL, 'utf8');
  json = JSON.parse(readFileSync(jsonURL, 'utf8'));
  for (const r of results) {
    const at = json.results.findIndex((e) => e.name === r.name);
    const start = at >= 0 ? md.indexOf(`## ${json.results[at].title}\n`) : -1;
    if (start < 0) throw new Error(`BENCHMARKS.md has no section for ${r.name}: run the whole bench once.`);
    const next = md.indexOf('\n## ', start + 3);
    md = md.slice(0, start) + section({ ...r, notes: [...r.notes, `Re-run on its own (\`--only ${r.name}\`): ${env}.`] }) + (next < 0 ? '' : md.slice(next + 1));
    json.results[at] = { ...stored(r), env };
  }
} else {
  md = [
    '# Benchmarks', '',
    'Measured in one run on one machine; the ratios are the headline, absolute times are context. Regenerate with `pnpm bench` (`--quick` for a smoke run, `--only NAME` to re-run one suite, which notes its own environment line).', '',
    `Environment: ${env}`, '',
    `Versions: ${versions}`, '',
    ...results.map(section),
  ].join('\n');
  json = { env, versions, results: results.map(stored) };
}
if (!quick || args.includes('--write')) {
  writeFileSync(mdURL, md);
  writeFileSync(jsonURL, JSON.stringify(json, null, 2));
}
process.stdout.write(md + '\n');
