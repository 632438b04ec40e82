export { createProgram, runCli } from './program.js';
export { processIO, writeOut, type CliIO, type CliOutput } from './cli-io.js';
export { ExitCode, exitCodeFor, type ExitCodeValue } from './exit-codes.js';
export { validateJsonSchema } from './json-schema-check.js';
export { displayWidth, wrapText, renderColumns } from './text-table.js';
export { createTextSink, completeBlockEnd, type TextSink } from './text-output.js';
export { runEmbedJob, readInputRows, workFileFor, type EmbedJob, type EmbedJobResult, type InputRows, type Row } from './embed-rows.js';
export { builtinTools, BUILTIN_TOOL_NAMES } from './builtin-tools.js';
