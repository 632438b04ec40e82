// Cold start: `import()` time of each package in a fresh process, and the installed size of the typical app
// profiles, installed from the packed tarballs with npm (the full run only: it reaches the registry).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { folderBytes, installApp, packPackages } from '../scripts/pack-install.mjs';
import { coldImportMs, fmt } from './measure.mjs';

const packagesDir = new URL('../packages/', import.meta.url).pathname;
const profiles = {
  'core + one provider (openai)': ['@llm/core', '@llm/providers-openai'],
  'core + openai + redis cache + postgres history': ['@llm/core', '@llm/providers-openai', '@llm/cache-redis', '@llm/history-postgres'],
};

export async function benchColdStart({ quick }) {
  const rows = [];
  const data = { importMs: {}, installedBytes: {} };
  for (const name of readdirSync(packagesDir).sort()) {
    const entry = join(packagesDir, name, 'dist/index.js');
    if (!existsSync(entry)) continue;
    const ms = coldImportMs(pathToFileURL(entry).href, { runs: quick ? 1 : 7 });
    data.importMs[`@llm/${name}`] = ms;
    rows.push([`\`import('@llm/${name}')\``, `${fmt(ms, 1)} ms`, name === 'core' ? 'target < 30 ms' : '']);
  }
  if (!quick) {
    for (const [profile, names] of Object.entries(profiles)) {
      const app = installApp(packPackages(names));
      const bytes = folderBytes(join(app, 'node_modules'));
      data.installedBytes[profile] = bytes;
      rows.push([`installed: ${profile}`, `${fmt(bytes / 1024 / 1024, 1)} MB`, 'node_modules, npm install --omit=dev']);
    }
  }
  return {
    name: 'cold-start', title: 'Cold start and install size', headers: ['what', 'measure', 'note'], rows,
    notes: [quick ? 'Quick run: one import per package, install sizes skipped (they need the npm registry).' : 'Median of 7 fresh processes per package.'],
    data,
  };
}
