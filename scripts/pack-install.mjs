// Packs workspace packages (as `pnpm publish` would: only their `files`, workspace: ranges replaced) and installs
// the tarballs into a throwaway app with npm, as a user would. Used by the selective-install test and the
// installed-size benchmark.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Packs `@llm/<name>` packages into a folder and returns the tarball paths by package name. */
export function packPackages(names, outDir = mkdtempSync(join(tmpdir(), 'llm-pack-'))) {
  const tarballs = {};
  for (const name of names) {
    const dir = join(root, 'packages', name.replace('@llm/', ''));
    const before = new Set(readdirSync(outDir));
    execFileSync('pnpm', ['pack', '--pack-destination', outDir], { cwd: dir, stdio: 'pipe' });
    const created = readdirSync(outDir).find((f) => !before.has(f) && f.endsWith('.tgz'));
    if (!created) throw new Error(`pnpm pack produced no tarball for ${name}`);
    tarballs[name] = join(outDir, created);
  }
  return tarballs;
}

/** Creates an app that depends on the given tarballs, installs it with npm, and returns its folder. */
export function installApp(tarballs, { appDir = mkdtempSync(join(tmpdir(), 'llm-app-')) } = {}) {
  mkdirSync(appDir, { recursive: true });
  const dependencies = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'throwaway-app', private: true, type: 'module', dependencies }, null, 2));
  execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, stdio: 'pipe', env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' } });
  return appDir;
}

/** Bytes on disk of a folder (du -sb). */
export function folderBytes(dir) {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split(/\s/)[0]);
}
