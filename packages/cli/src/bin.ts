#!/usr/bin/env node
import { processIO } from './cli-io.js';

// Ctrl-C is handled from the first moment; the commands (and their dependencies) load after.
const io = processIO();
const { runCli } = await import('./program.js');
const code = await runCli(process.argv.slice(2), io);
// Servers (`serve`, `mcp-server run`) resolve only when they stop, so exiting here never cuts a running command.
process.exit(code);
