// The release flow works from a clean checkout: changesets see the first-release changeset, and a publish dry run
// packs every public package with only its `files` (issue 9).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const publicPackages = readdirSync(join(root, 'packages')).map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; private?: boolean; files?: string[] }).filter((p) => !p.private);

describe('release flow', () => {
  it('every public package has its own version, files, engines and a README', () => {
    for (const dir of readdirSync(join(root, 'packages'))) {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
      expect(pkg.version, dir).toMatch(/^\d+\.\d+\.\d+/);
      expect(pkg.files, dir).toContain('dist');
      expect(pkg.engines?.node, dir).toBe('>=20.19');
      expect(pkg.sideEffects, dir).toBe(false);
      expect(readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8'), dir).toMatch(/pnpm add (-g |-D )?@llm\//);
    }
  });

  it('pnpm changeset status lists every package for its first release', () => {
    const out = execFileSync('pnpm', ['changeset', 'status'], { cwd: root, encoding: 'utf8' });
    for (const pkg of publicPackages) expect(out).toContain(pkg.name);
  }, 120_000);

  it('pnpm -r publish --dry-run packs every public package with only its files', () => {
    const out = execFileSync('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    for (const pkg of publicPackages) expect(out).toContain(`+ ${pkg.name}@`);
    const err = execFileSync('pnpm', ['--filter', '@llm/core', 'pack', '--dry-run'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(err).not.toMatch(/src\/|test\/|tsconfig/);
  }, 300_000);
});
