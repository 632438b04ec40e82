import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against each package's source, so a change is tested without a rebuild.
    alias: [{ find: /^@llm\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One JSON report over all packages: .ci/run reads its counts.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
