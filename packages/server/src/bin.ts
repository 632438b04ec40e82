#!/usr/bin/env node
import { startServer } from './start-server.js';

// `llm-server` (and the root `pnpm start`): every setting comes from the environment (see the README).
startServer().catch((error: unknown) => {
  console.error(`llm-server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
