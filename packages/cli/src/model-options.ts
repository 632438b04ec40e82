import type { Command } from 'commander';
import { LLM, routeModel, type LLMOptions } from '@llm/core';
import { writeOut, type CliIO } from './cli-io.js';
import { numberInRange, positiveInteger } from './option-parsers.js';

/** The model flags several commands share. */
export interface ModelFlags {
  model?: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  /** `--cache` without a folder is `true` (./.llm-cache). */
  cache?: string | boolean;
}

/** Where `--cache` without a folder keeps its files. */
export const DEFAULT_CACHE_DIR = './.llm-cache';

/** Adds `--model`, `--system`, `--temperature`, `--max-tokens` to a command. */
export function addModelOptions(command: Command): Command {
  return command
    .option('-m, --model <name>', 'the model (default: $LLM_MODEL, else the offline mock)')
    .option('-s, --system <prompt>', 'the system prompt')
    .option('-t, --temperature <number>', 'sampling temperature, 0 to 2', numberInRange(0, 2))
    .option('--max-tokens <number>', 'the most tokens the answer may use', positiveInteger);
}

/** Adds `--cache [dir]`: answers cached in files (a @llm/cache-file FileCache). */
export function addCacheOption(command: Command): Command {
  return command.option('--cache [dir]', `cache answers in files (default ${DEFAULT_CACHE_DIR})`);
}

/** The model to use: `--model`, else `$LLM_MODEL`, else `mock` (saying so on stderr, once). */
export async function pickModel(flags: { model?: string }, io: CliIO, envName = 'LLM_MODEL'): Promise<string> {
  const model = flags.model ?? io.env[envName];
  if (model) {
    routeModel(model);
    return model;
  }
  await writeOut(io.stderr, `(offline: the mock model answers; pass --model or set ${envName} and an API key for a real one)\n`);
  return 'mock';
}

/** Creates the LLM the flags describe: model, system prompt, sampling, and a file cache with `--cache`. */
export async function createLLM(flags: ModelFlags, io: CliIO, extra: LLMOptions = {}): Promise<LLM> {
  const model = await pickModel(flags, io);
  const options: LLMOptions = { ...extra };
  if (flags.system !== undefined) options.systemPrompt = flags.system;
  if (flags.temperature !== undefined) options.temperature = flags.temperature;
  if (flags.maxTokens !== undefined) options.maxTokens = flags.maxTokens;
  if (flags.cache) {
    const { FileCache } = await import('@llm/cache-file');
    options.cache = new FileCache({ cacheDir: typeof flags.cache === 'string' ? flags.cache : DEFAULT_CACHE_DIR });
  }
  options.logger ??= stderrLogger(io);
  return LLM.create(model, options);
}

/** A logger that writes warnings and errors to stderr as one line each. */
export function stderrLogger(io: CliIO): NonNullable<LLMOptions['logger']> {
  const line = (level: string) => (obj: unknown, msg?: string) => {
    const detail = obj && typeof obj === 'object' && Object.keys(obj).length ? ` ${JSON.stringify(obj)}` : '';
    io.stderr.write(`${level}: ${msg ?? ''}${detail}\n`);
  };
  return { warn: line('warning'), error: line('error') };
}
