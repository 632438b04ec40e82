import { createReadStream } from 'node:fs';
import { appendFile, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigurationError } from '@llm/core';

/** A JSONL row. */
export type Row = Record<string, unknown>;

/** Rows of an input file and the text of each. */
export interface InputRows {
  rows: Row[];
  texts: string[];
  /** True when the file was JSONL (else each non-empty line is one text). */
  jsonl: boolean;
}

function parseObject(line: string): Row | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads an input file: JSONL (`.jsonl`/`.ndjson`, or a first line that is a JSON object) with the text in
 * `textField`, or plain text with one item per non-empty line.
 */
export async function readInputRows(path: string, textField: string, requireJsonl = false): Promise<InputRows> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Cannot read ${JSON.stringify(path)}: ${(error as Error).message}.`, { cause: error });
  }
  const lines = content.split(/\r?\n/);
  const firstLine = lines.find((line) => line.trim()) ?? '';
  const jsonl = requireJsonl || ['.jsonl', '.ndjson'].includes(extname(path).toLowerCase()) || parseObject(firstLine) !== undefined;
  const rows: Row[] = [];
  const texts: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    if (!jsonl) {
      rows.push({ text: line });
      texts.push(line);
      return;
    }
    const row = parseObject(line);
    if (!row) throw new ConfigurationError(`${path}:${i + 1} is not a JSON object. Every line of a JSONL file must be one object.`);
    const text = row[textField];
    if (typeof text !== 'string') {
      throw new ConfigurationError(`${path}:${i + 1} has no string "${textField}" field. Name the text field with --text-field.`);
    }
    rows.push(row);
    texts.push(text);
  });
  return { rows, texts, jsonl };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Reads the complete rows of a JSONL work file; a line cut by an interruption is dropped (and cut off the file). */
async function readCompleteRows(path: string): Promise<Row[]> {
  if (!(await exists(path))) return [];
  const rows: Row[] = [];
  const kept: string[] = [];
  let cut = false;
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    const row = cut ? undefined : parseObject(line);
    if (!row) {
      cut = true;
      continue;
    }
    rows.push(row);
    kept.push(line);
  }
  if (cut) await writeFile(path, kept.map((line) => `${line}\n`).join(''));
  return rows;
}

/** What an embedding job did. */
export interface EmbedJobResult {
  total: number;
  /** Rows that already had an embedding in the input. */
  alreadyEmbedded: number;
  /** Rows finished by an earlier, interrupted run. */
  resumed: number;
  /** Rows embedded by this run. */
  embedded: number;
  /** Embedding requests this run sent. */
  requests: number;
}

/** A resumable embedding job. */
export interface EmbedJob extends InputRows {
  /** The finished JSONL file (written only when every row is done). */
  outPath: string;
  /** An existing `outPath` holds finished rows of an earlier run (true unless the output is the input file). */
  resumeFromOutput: boolean;
  /** The field that receives the vector. */
  field: string;
  batchSize: number;
  /** Embeds texts; calls `onRequest` once per request it sends. */
  embed(texts: string[], onRequest: () => void): Promise<number[][]>;
  /** Called after each batch with the rows finished so far. */
  onProgress?(done: number): void | Promise<void>;
}

/** The work file where a job's finished rows go, in input order, until the whole output is renamed into place. */
export function workFileFor(outPath: string): string {
  return `${outPath}.partial`;
}

/**
 * Embeds every row that has no `field` yet, a batch at a time, appending finished rows to `<out>.partial` after each
 * batch; when all are done the work file becomes `outPath`. Rerun after an interruption: rows in the work file are
 * kept and only the missing ones are requested. Rows that already carry a vector are never sent.
 */
export async function runEmbedJob(job: EmbedJob): Promise<EmbedJobResult> {
  const work = workFileFor(job.outPath);
  if (job.resumeFromOutput && !(await exists(work)) && (await exists(job.outPath))) await rename(job.outPath, work);
  const finished = await readCompleteRows(work);
  if (finished.length > job.rows.length) {
    throw new ConfigurationError(`${work} has more rows than the input: it belongs to another input. Delete it to start over.`);
  }
  finished.forEach((row, i) => {
    if (row[job.field] === undefined || JSON.stringify({ ...row, [job.field]: undefined }) !== JSON.stringify({ ...job.rows[i], [job.field]: undefined })) {
      throw new ConfigurationError(`${work} row ${i + 1} does not match the input: it belongs to another input. Delete it to start over.`);
    }
  });
  const has = (row: Row) => Array.isArray(row[job.field]);
  const resumed = finished.filter((_, i) => !has(job.rows[i])).length;
  const result: EmbedJobResult = { total: job.rows.length, alreadyEmbedded: job.rows.filter(has).length, resumed, embedded: 0, requests: 0 };
  let next = finished.length;
  await job.onProgress?.(next);
  while (next < job.rows.length) {
    const chunk: number[] = [];
    let end = next;
    for (let pending = 0; end < job.rows.length && pending < job.batchSize; end++) {
      if (!has(job.rows[end])) {
        chunk.push(end);
        pending++;
      }
    }
    const vectors = chunk.length ? await job.embed(chunk.map((i) => job.texts[i]), () => result.requests++) : [];
    const out = job.rows.slice(next, end).map((row) => ({ ...row }));
    chunk.forEach((i, j) => (out[i - next][job.field] = vectors[j]));
    await appendFile(work, out.map((row) => `${JSON.stringify(row)}\n`).join(''));
    result.embedded += chunk.length;
    next = end;
    await job.onProgress?.(next);
  }
  if (await exists(work)) await rename(work, job.outPath);
  else await writeFile(job.outPath, '');
  return result;
}
