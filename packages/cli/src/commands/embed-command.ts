import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { cosineSimilarity, LLM, type LLMOptions } from '@llm/core';
import { writeOut, type CliIO } from '../cli-io.js';
import { runEmbedJob, readInputRows, type EmbedJobResult } from '../embed-rows.js';
import { pickModel, stderrLogger } from '../model-options.js';
import { positiveInteger } from '../option-parsers.js';
import { createProgress } from '../progress-bar.js';

interface EmbedFlags {
  model?: string;
}

interface BatchFlags extends EmbedFlags {
  output?: string;
  textField: string;
  field: string;
  batchSize: number;
}

async function embeddingLLM(flags: EmbedFlags, io: CliIO, options: LLMOptions = {}): Promise<LLM> {
  const model = await pickModel(flags, io, 'LLM_EMBEDDING_MODEL');
  return LLM.create(model, { logger: stderrLogger(io), ...options });
}

async function runJob(input: string, outPath: string, flags: BatchFlags, io: CliIO, requireJsonl: boolean): Promise<void> {
  const rows = await readInputRows(input, flags.textField, requireJsonl);
  const llm = await embeddingLLM(flags, io);
  let progress: Awaited<ReturnType<typeof createProgress>> | undefined;
  const result: EmbedJobResult = await runEmbedJob({
    ...rows,
    outPath,
    resumeFromOutput: resolve(outPath) !== resolve(input),
    field: flags.field,
    batchSize: flags.batchSize,
    embed: (texts, onRequest) => llm.embedMany(texts, { batchSize: flags.batchSize, signal: io.signal, onProgress: onRequest }),
    async onProgress(done) {
      progress ??= await createProgress(io.stderr, 'embedding', rows.rows.length, done);
      progress.update(done);
    },
  }).finally(() => progress?.stop());
  const skipped = [result.alreadyEmbedded && `${result.alreadyEmbedded} already had one`, result.resumed && `${result.resumed} done by an earlier run`]
    .filter(Boolean).join(', ');
  await writeOut(io.stderr, `embedded ${result.embedded} of ${result.total} rows in ${result.requests} ${result.requests === 1 ? 'request' : 'requests'}${skipped ? ` (${skipped})` : ''} → ${outPath}\n`);
}

function defaultBatchOutput(input: string): string {
  return join(dirname(input), `${basename(input, extname(input))}.embeddings.jsonl`);
}

function addBatchOptions(command: Command, fieldHelp: string): Command {
  return command
    .option('-m, --model <name>', 'the embedding model (default: $LLM_EMBEDDING_MODEL, else the offline mock)')
    .option('--text-field <name>', 'the field of a JSONL row that holds the text', 'text')
    .option('--field <name>', fieldHelp, 'embedding')
    .option('--batch-size <n>', 'texts per request', positiveInteger, 100);
}

/** `llm embed text|similarity|batch|fill-jsonl`: embeddings, one-off or over files (resumable, with progress). */
export function embedCommand(io: CliIO): Command {
  const embed = new Command('embed').description('Embed texts: one text, a similarity, or whole files (resumable, with a progress bar).');
  embed
    .command('text')
    .description('Print the embedding of one text as a JSON array.')
    .argument('<text...>', 'the text (words are joined with spaces)')
    .option('-m, --model <name>', 'the embedding model (default: $LLM_EMBEDDING_MODEL, else the offline mock)')
    .action(async (words: string[], flags: EmbedFlags) => {
      const llm = await embeddingLLM(flags, io);
      await writeOut(io.stdout, `${JSON.stringify(await llm.embed(words.join(' '), { signal: io.signal }))}\n`);
    });
  embed
    .command('similarity')
    .description('Print the cosine similarity of two texts (1 = same meaning).')
    .argument('<a>', 'the first text')
    .argument('<b>', 'the second text')
    .option('-m, --model <name>', 'the embedding model (default: $LLM_EMBEDDING_MODEL, else the offline mock)')
    .option('--json', 'print {"a", "b", "similarity"}')
    .action(async (a: string, b: string, flags: EmbedFlags & { json?: boolean }) => {
      const llm = await embeddingLLM(flags, io);
      const [va, vb] = await llm.embedMany([a, b], { signal: io.signal });
      const similarity = cosineSimilarity(va, vb);
      await writeOut(io.stdout, flags.json ? `${JSON.stringify({ a, b, similarity })}\n` : `${similarity.toFixed(4)}\n`);
    });
  addBatchOptions(
    embed
      .command('batch')
      .description('Embed every line of a text file (or every row of a JSONL file) into a JSONL file. Rerun to resume.')
      .argument('<input>', 'a text file (one text per line) or a JSONL file')
      .option('-o, --output <file>', 'the JSONL output (default: <input>.embeddings.jsonl)'),
    'the output field that receives the vector',
  ).action((input: string, flags: BatchFlags) => runJob(input, flags.output ?? defaultBatchOutput(input), flags, io, false));
  addBatchOptions(
    embed
      .command('fill-jsonl')
      .description('Add an embedding to every row of a JSONL file that has none (in place, or into --output). Rerun to resume.')
      .argument('<file>', 'the JSONL file')
      .option('-o, --output <file>', 'write here instead of replacing the input'),
    'the field that receives the vector (rows that have it are skipped)',
  ).action((file: string, flags: BatchFlags) => runJob(file, flags.output ?? file, flags, io, true));
  embed.addHelpText('after', '\nExamples:\n  llm embed similarity "강아지" "개"\n  llm embed batch sentences.txt -o vectors.jsonl\n  llm embed fill-jsonl docs.jsonl --text-field body');
  return embed;
}
