// Selective installs: an app that installs only the packed @llm/core and @llm/providers-openai gets no Anthropic,
// Google, Redis or SQLite code, and runs an ask against a local fake server (issue 9).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installApp, packPackages } from '../pack-install.mjs';

const root = new URL('../..', import.meta.url).pathname;
let stopServer: (() => void) | undefined;
afterAll(() => stopServer?.());

async function startFakeOpenAI(): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'bench/fake-openai-process.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  stopServer = () => child.kill();
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /READY (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return `http://127.0.0.1:${port}/v1`;
}

describe('selective install from packed tarballs', () => {
  it('core + providers-openai only: no other backend code, and an ask works', async () => {
    const tarballs = packPackages(['@llm/core', '@llm/providers-openai']);
    const app = installApp(tarballs);
    const modules = readdirSync(join(app, 'node_modules'));
    const scoped = readdirSync(join(app, 'node_modules/@llm'));
    expect(scoped.sort()).toEqual(['core', 'providers-openai']);
    for (const unwanted of ['@anthropic-ai', '@google', 'ioredis', 'better-sqlite3', 'postgres', 'drizzle-orm', 'nunjucks', '@modelcontextprotocol', 'fastify']) {
      expect(modules, unwanted).not.toContain(unwanted);
    }
    expect(existsSync(join(app, 'node_modules/openai'))).toBe(true);
    const baseURL = await startFakeOpenAI();
    // core finds the provider by itself (dynamic import, no registerProvider) in an npm-installed app
    const script = `import { LLM } from '@llm/core';
const reply = await LLM.create('gpt-4o-mini', { apiKey: 'test', baseURL: ${JSON.stringify(baseURL)} }).ask('안녕하세요');
console.log(JSON.stringify({ text: reply.text, provider: reply.provider, usage: reply.usage }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result).toEqual({ text: '안녕하세요! 무엇을 도와드릴까요?', provider: 'openai', usage: { input: 12, output: 8, total: 20 } });
    // and a model whose package is not installed says which package to add
    const missing = execFileSync(process.execPath, ['--input-type=module', '-e', `import { LLM } from '@llm/core';
try { await LLM.create('claude-3-5-haiku-latest', { apiKey: 'x' }).ask('hi'); } catch (e) { console.log(e.name + ': ' + e.message); }`], { cwd: app, encoding: 'utf8' });
    expect(missing).toContain('ProviderNotInstalledError');
    expect(missing).toContain('pnpm add @llm/providers-anthropic');
  }, 240_000);
});
