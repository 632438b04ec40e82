import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ConfigurationError, LLMError, parseJsonText, StructuredOutputError, type AskOptions, type JsonSchema, type LLM, type Reply } from '@llm/core';
import { writeOut, type CliIO } from '../cli-io.js';
import { validateJsonSchema } from '../json-schema-check.js';
import { addCacheOption, addModelOptions, createLLM, type ModelFlags } from '../model-options.js';
import { collect, commaList } from '../option-parsers.js';
import { readPipedStdin } from '../stdin-text.js';
import { createTextSink } from '../text-output.js';
import { usageLine } from '../usage-line.js';

interface AskFlags extends ModelFlags {
  file?: string[];
  schema?: string;
  choices?: string[];
  json?: boolean;
  stream: boolean;
  cost?: boolean;
}

/** Reads a JSON Schema file, or says what is wrong with it. */
export async function readSchemaFile(path: string): Promise<JsonSchema> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Cannot read the schema file ${JSON.stringify(path)}: ${(error as Error).message}. Pass a JSON Schema file.`, { cause: error });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`The schema file ${JSON.stringify(path)} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ConfigurationError(`The schema file ${JSON.stringify(path)} must hold a JSON Schema object such as {"type":"object","properties":{...}}.`);
  }
  return schema as JsonSchema;
}

/** The validated structured answer of a JSON Schema ask (core validates zod schemas; JSON Schema is checked here). */
export function structuredAnswer(reply: Reply, schema: JsonSchema): unknown {
  const parsed = reply.structuredData !== undefined ? { ok: true as const, value: reply.structuredData } : parseJsonText(reply.text);
  const issues = parsed.ok ? validateJsonSchema(parsed.value, schema) : [parsed.error];
  if (issues.length) {
    throw new StructuredOutputError(`The answer does not match the schema:\n  ${issues.join('\n  ')}`, { rawText: reply.text, issues, model: reply.model });
  }
  return parsed.ok ? parsed.value : undefined;
}

/** Joins piped stdin (context) and the prompt words; one of them must be there. */
export function composePrompt(stdinText: string, words: string[]): string {
  const prompt = words.join(' ').trim();
  const context = stdinText.replace(/\s+$/, '');
  const text = [context, prompt].filter(Boolean).join('\n\n');
  if (!text) throw new ConfigurationError('Nothing to ask: give a prompt (llm ask "질문") or pipe text into llm ask.');
  return text;
}

async function streamAnswer(llm: LLM, prompt: string, options: AskOptions, io: CliIO): Promise<Reply> {
  const sink = await createTextSink(io.stdout);
  let reply: Reply | undefined;
  for await (const chunk of llm.stream(prompt, options)) {
    if (chunk.type === 'text') await sink.write(chunk.text);
    else if (chunk.type === 'finish') reply = chunk.reply;
  }
  await sink.end();
  if (!reply) throw new LLMError('The stream ended without a reply.');
  return reply;
}

async function runAsk(words: string[], flags: AskFlags, io: CliIO): Promise<void> {
  const schema = flags.schema ? await readSchemaFile(flags.schema) : undefined;
  const prompt = composePrompt(await readPipedStdin(io), words);
  const llm = await createLLM(flags, io);
  const options: AskOptions = { signal: io.signal, files: flags.file, schema, choices: flags.choices };
  const wholeReply = flags.json || schema || flags.choices || !flags.stream;
  const reply = wholeReply ? await llm.ask(prompt, options) : await streamAnswer(llm, prompt, options, io);
  const structured = schema ? structuredAnswer(reply, schema) : undefined;
  if (flags.choices && reply.choice == null) {
    throw new StructuredOutputError(`The answer matched none of the choices (${flags.choices.join(', ')}): ${reply.text}`, { rawText: reply.text, issues: ['no choice matched'] });
  }
  if (flags.json) await writeOut(io.stdout, `${JSON.stringify({ ...reply.toJSON(), ...(schema ? { structuredData: structured } : {}) }, null, 2)}\n`);
  else if (schema) await writeOut(io.stdout, `${JSON.stringify(structured, null, 2)}\n`);
  else if (flags.choices) await writeOut(io.stdout, `${reply.choice}\n`);
  else if (wholeReply) {
    const sink = await createTextSink(io.stdout);
    await sink.write(reply.text);
    await sink.end();
  }
  if (flags.cost) await writeOut(io.stderr, `${usageLine(reply.usage, reply.cost?.usd)}${reply.cacheHit ? ' (cache hit)' : ''}\n`);
}

/** `llm ask [prompt...]`: one question, streamed by default. */
export function askCommand(io: CliIO): Command {
  const command = new Command('ask')
    .description('Ask a model one question. Piped stdin becomes context (or the prompt when none is given).')
    .argument('[prompt...]', 'the question (words are joined with spaces)');
  addCacheOption(addModelOptions(command))
    .option('-f, --file <path>', 'attach a file: an image, a PDF or a text file (repeatable)', collect)
    .option('--schema <file.json>', 'answer as JSON matching this JSON Schema; prints the validated JSON')
    .option('--choices <a,b,c>', 'answer with exactly one of these comma-separated choices', commaList)
    .option('--json', 'print the whole reply as JSON (text, usage, cost, model, ...)')
    .option('--no-stream', 'wait for the whole answer instead of streaming it')
    .option('--cost', 'print token usage and cost on stderr')
    .addHelpText('after', '\nExamples:\n  llm ask "파이썬의 장점은?"\n  cat notes.txt | llm ask "이 메모를 요약해줘"\n  llm ask --choices 긍정,부정,중립 "정말 최고예요!"\n  llm ask --schema book.json "해리포터 책 정보" --json')
    .action((words: string[], flags: AskFlags) => runAsk(words, flags, io));
  return command;
}
