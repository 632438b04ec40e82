import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheSizedValue, isCacheValueIntact } from '@llm/testkit';
import { FileCache } from './file-cache.js';

const run = promisify(execFile);
const srcDir = fileURLToPath(new URL('.', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'llm-cache-file-processes-'));
const SHARED_KEYS = 5;

interface EsbuildPlugin {
  name: string;
  setup(build: { onResolve(options: { filter: RegExp }, resolve: (args: { path: string }) => { path: string }): void }): void;
}
interface Esbuild {
  build(options: {
    stdin: { contents: string; resolveDir: string; loader: 'ts'; sourcefile: string };
    bundle: true;
    platform: 'node';
    format: 'esm';
    target: string;
    outfile: string;
    logLevel: 'error';
    plugins: EsbuildPlugin[];
  }): Promise<unknown>;
}

/** What the child process runs: the real FileCache source, bundled, writing while the parent writes. */
const CHILD_SOURCE = `
import { FileCache } from './file-cache.js';
import { cacheSizedValue, isCacheValueIntact } from '@llm/testkit/cache-fixtures';
const [cacheDir, label, count] = process.argv.slice(2);
const cache = new FileCache({ cacheDir });
const writes = [];
for (let i = 0; i < Number(count); i += 1) {
  writes.push(cache.set(label + '-' + i, cacheSizedValue(i, 3000)));
  writes.push(cache.set('공유-' + (i % ${SHARED_KEYS}), cacheSizedValue(1000 + i, 40000)));
  // The parent wrote every shared key before starting us: a read that finds none saw a half-written file.
  writes.push(cache.get('공유-' + (i % ${SHARED_KEYS})).then((v) => { if (!isCacheValueIntact(v)) throw new Error('torn or missing read'); }));
}
await Promise.all(writes);
process.stdout.write(JSON.stringify({ pid: process.pid, sets: (await cache.stats()).sets }));
`;

/** Bundles the child with esbuild (tsup's own), mapping @llm/* to the sources like vitest.config.ts does. */
async function bundleChild(outfile: string): Promise<void> {
  const fromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = fromTsup('esbuild') as Esbuild;
  await esbuild.build({
    stdin: { contents: CHILD_SOURCE, resolveDir: srcDir, loader: 'ts', sourcefile: 'file-cache-child.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    plugins: [
      {
        name: 'llm-sources',
        setup(build) {
          build.onResolve({ filter: /^@llm\/testkit\/cache-fixtures$/ }, () => ({ path: join(packagesDir, 'testkit/src/cache-fixtures.ts') }));
          build.onResolve({ filter: /^@llm\/[a-z0-9-]+$/ }, (args) => ({ path: join(packagesDir, args.path.slice(5), 'src/index.ts') }));
        },
      },
    ],
  });
}

async function leftoverTemps(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.tmp'));
}

describe('FileCache shared by several writers', () => {
  const childScript = join(root, 'file-cache-child.mjs');
  beforeAll(() => bundleChild(childScript));
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('two instances on one folder writing concurrently see each other and never a torn value', async () => {
    const cacheDir = join(root, 'two-instances');
    const [left, right] = [new FileCache({ cacheDir }), new FileCache({ cacheDir })];
    const writes = Array.from({ length: 50 }, (_, i) => [
      left.set(`왼쪽-${i}`, cacheSizedValue(i, 2000)),
      right.set(`오른쪽-${i}`, cacheSizedValue(i, 2000)),
      (i % 2 ? left : right).set('같은-키', cacheSizedValue(i, 30_000 + i)),
    ]);
    await Promise.all(writes.flat());
    for (let i = 0; i < 50; i += 1) {
      expect(await right.get(`왼쪽-${i}`)).toEqual(cacheSizedValue(i, 2000));
      expect(await left.get(`오른쪽-${i}`)).toEqual(cacheSizedValue(i, 2000));
    }
    const shared = await left.get('같은-키');
    expect(isCacheValueIntact(shared)).toBe(true);
    expect(shared).toEqual(cacheSizedValue(Number(shared?.writer), 30_000 + Number(shared?.writer)));
    expect(await right.get('같은-키')).toEqual(shared);
    expect((await left.stats()).size).toBe(101);
    expect(await right.stats()).toMatchObject({ size: 101, hits: 51, misses: 0, sets: 75 });
    expect(await leftoverTemps(cacheDir)).toEqual([]);
  });

  it('a child process and this process writing the same folder at once leave whole entries only', async () => {
    const cacheDir = join(root, 'child-process');
    const parent = new FileCache({ cacheDir });
    for (let k = 0; k < SHARED_KEYS; k += 1) await parent.set(`공유-${k}`, cacheSizedValue(k, 40_000));
    let childrenDone = false;
    const children = Promise.all(['child-a', 'child-b'].map((label) => run(process.execPath, [childScript, cacheDir, label, '40'])));
    void children.finally(() => (childrenDone = true)).catch(() => undefined);
    // Keep writing until both children have exited, so the writes overlap whatever the start-up time.
    let rounds = 0;
    while (!childrenDone || rounds === 0) {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => [
          parent.set(`parent-${i}`, cacheSizedValue(i, 3000)),
          parent.set(`공유-${i % SHARED_KEYS}`, cacheSizedValue(2000 + i, 40_000)),
          parent.get(`공유-${i % SHARED_KEYS}`).then((value) => expect(isCacheValueIntact(value)).toBe(true)),
        ]).flat(),
      );
      rounds += 1;
    }
    const reports = (await children).map((result) => JSON.parse(result.stdout) as { pid: number; sets: number });
    expect(rounds).toBeGreaterThan(1);
    expect(reports.map((report) => report.sets)).toEqual([80, 80]);
    expect(new Set(reports.map((report) => report.pid)).has(process.pid)).toBe(false);
    for (const label of ['child-a', 'child-b', 'parent']) {
      for (let i = 0; i < 40; i += 1) expect(await parent.get(`${label}-${i}`)).toEqual(cacheSizedValue(i, 3000));
    }
    for (let k = 0; k < SHARED_KEYS; k += 1) {
      const value = await parent.get(`공유-${k}`);
      expect(isCacheValueIntact(value)).toBe(true);
      expect(Number(value?.writer) % SHARED_KEYS).toBe(k);
    }
    expect((await parent.stats()).size).toBe(3 * 40 + SHARED_KEYS);
    expect(await leftoverTemps(cacheDir)).toEqual([]);
  });
});
