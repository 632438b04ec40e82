import { Command } from 'commander';
import { ConfigurationError, LLM, LLMError, routeModel, type Reply } from '@llm/core';
import { writeOut, type CliIO } from '../cli-io.js';
import { stderrLogger } from '../model-options.js';
import { collect, numberInRange, positiveInteger } from '../option-parsers.js';
import { readPipedStdin } from '../stdin-text.js';
import { renderColumns } from '../text-table.js';
import { composePrompt } from './ask-command.js';
import { formatUsd } from '../usage-line.js';

interface CompareFlags {
  model?: string[];
  system?: string;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
  width?: number;
}

/** One model's result in a comparison. */
export interface ComparedAnswer {
  model: string;
  latencyMs: number;
  reply?: Reply;
  error?: string;
}

/** Asks every model the same prompt at the same time; a failing model is reported, not fatal. */
export async function compareModels(models: string[], prompt: string, flags: CompareFlags, io: CliIO): Promise<ComparedAnswer[]> {
  return Promise.all(models.map(async (model) => {
    const started = performance.now();
    try {
      const llm = LLM.create(model, { stateless: true, systemPrompt: flags.system, temperature: flags.temperature, maxTokens: flags.maxTokens, logger: stderrLogger(io) });
      const reply = await llm.ask(prompt, { signal: io.signal });
      return { model, latencyMs: performance.now() - started, reply };
    } catch (error) {
      if (io.signal.aborted) throw error;
      return { model, latencyMs: performance.now() - started, error: (error as Error).message };
    }
  }));
}

function table(answers: ComparedAnswer[], width: number): string {
  return renderColumns(answers.map((a) => a.model), [
    answers.map((a) => a.reply?.text ?? `error: ${a.error}`),
    null,
    answers.map((a) => `latency ${Math.round(a.latencyMs)} ms`),
    answers.map((a) => (a.reply ? `tokens ${a.reply.usage.input} in / ${a.reply.usage.output} out` : 'tokens -')),
    answers.map((a) => `cost ${a.reply ? formatUsd(a.reply.cost?.usd) : '-'}`),
  ], width);
}

/** `llm compare [prompt...] --model a --model b`: the same prompt to several models in parallel, side by side. */
export function compareCommand(io: CliIO): Command {
  return new Command('compare')
    .description('Ask several models the same prompt in parallel and print the answers side by side with latency and cost.')
    .argument('[prompt...]', 'the prompt (piped stdin is prepended as context)')
    .option('-m, --model <name>', 'a model to compare (repeat: --model mock --model mock:other)', collect)
    .option('-s, --system <prompt>', 'the system prompt for every model')
    .option('-t, --temperature <number>', 'sampling temperature, 0 to 2', numberInRange(0, 2))
    .option('--max-tokens <number>', 'the most tokens each answer may use', positiveInteger)
    .option('--width <columns>', 'table width (default: the terminal width, or 100 when piped)', positiveInteger)
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExample:\n  llm compare "파이썬의 장점 세 가지" --model gpt-4o-mini --model claude-3-5-haiku-latest')
    .action(async (words: string[], flags: CompareFlags) => {
      const models = flags.model ?? [];
      if (models.length < 2) throw new ConfigurationError('compare needs at least two models: --model a --model b.');
      models.forEach((model) => routeModel(model));
      const prompt = composePrompt(await readPipedStdin(io), words);
      const answers = await compareModels(models, prompt, flags, io);
      if (flags.json) {
        const json = answers.map((a) => ({ model: a.model, latencyMs: Math.round(a.latencyMs), ...(a.reply ? { reply: a.reply.toJSON() } : { error: a.error }) }));
        await writeOut(io.stdout, `${JSON.stringify(json, null, 2)}\n`);
      } else {
        await writeOut(io.stdout, `${table(answers, flags.width ?? io.stdout.columns ?? 100)}\n`);
      }
      const failed = answers.filter((a) => a.error);
      if (failed.length) throw new LLMError(`${failed.map((a) => a.model).join(', ')} failed: ${failed.map((a) => a.error).join('; ')}`);
    });
}
