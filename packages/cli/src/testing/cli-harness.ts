import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../cli-io.js';

/** The built `llm` binary the tests run (`pnpm --filter @llm/cli build` makes it; the root `pnpm test` builds first). */
export const BUILT_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What a finished run printed and how it exited. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of a run of the built binary. */
export interface BuiltRunOptions {
  /** Written to stdin, which is then closed (default: nothing, closed at once). */
  input?: string;
  cwd?: string;
  /** Added to a clean environment (no LLM_MODEL, no provider keys). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

const PROVIDER_ENV = /^(LLM_MODEL|LLM_EMBEDDING_MODEL|OPENAI_|ANTHROPIC_|GOOGLE_|GEMINI_|UPSTAGE_|OPENROUTER_|OLLAMA_)/;

/** The environment a test run gets: the current one without models or provider keys, plus `extra`. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!PROVIDER_ENV.test(key)) env[key] = value;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Starts the built binary with piped stdio (stdin left open: write to it, then end it). */
export function spawnBuiltCli(args: string[], options: Omit<BuiltRunOptions, 'input' | 'timeoutMs'> = {}): ChildProcess {
  if (!existsSync(BUILT_BIN)) throw new Error(`${BUILT_BIN} is missing: run \`pnpm --filter @llm/cli build\` (the root \`pnpm test\` builds first).`);
  return spawn(process.execPath, [BUILT_BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Collects a child's output until it exits (killing it after `timeoutMs`). */
export function finished(child: ChildProcess, timeoutMs = 20_000): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`llm did not exit within ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs the built `llm` binary (`node packages/cli/dist/bin.js ...args`) to completion.
 * @example const { code, stdout } = await runBuiltCli(['ask', '--model', 'mock', '안녕']);
 */
export function runBuiltCli(args: string[], options: BuiltRunOptions = {}): Promise<CliRun> {
  const child = spawnBuiltCli(args, options);
  const done = finished(child, options.timeoutMs);
  child.stdin?.end(options.input ?? '');
  return done;
}

/** Waits until `text` (a string or a pattern) appears in a stream; resolves with everything read so far. */
export function waitForOutput(stream: NodeJS.ReadableStream, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${String(text)}; saw: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(seen);
      }
    };
    stream.on('data', onData);
  });
}

/** An in-process CLIIO with captured output: for what a child process cannot fake (a TTY). */
export interface MemoryIO {
  io: CliIO;
  stdout(): string;
  stderr(): string;
  abort(): void;
}

/** Captured streams for `runCli(argv, io)` in-process; `tty` makes stdout/stderr claim to be terminals. */
export function memoryIO(options: { input?: string; tty?: boolean; columns?: number; env?: Record<string, string | undefined> } = {}): MemoryIO {
  const controller = new AbortController();
  const capture = () => {
    const stream = Object.assign(new PassThrough(), { isTTY: options.tty, columns: options.columns ?? 80 });
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(options.input ?? '');
  return {
    io: { stdin, stdout: out.stream, stderr: err.stream, env: cleanEnv(options.env), signal: controller.signal },
    stdout: out.text,
    stderr: err.text,
    abort: () => controller.abort(),
  };
}
