import type { Readable, Writable } from 'node:stream';

/** A terminal output stream: stdout or stderr, with the TTY facts when it is one. */
export type CliOutput = Writable & { isTTY?: boolean; columns?: number };

/** Where a command reads and writes: the process's own streams, or test doubles for in-process runs. */
export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C (SIGINT): long work stops and the command exits with 130. */
  signal: AbortSignal;
}

/**
 * The process's own streams, environment and a signal aborted on the first Ctrl-C (a second one exits at once).
 * @example const io = processIO(); io.stdout.write('안녕하세요\n');
 */
export function processIO(): CliIO {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.exitCode = 130;
    controller.abort();
    // Work that cannot be aborted (a child process, a stuck socket) must not keep the process alive for long.
    setTimeout(() => process.exit(130), 2000).unref();
  });
  // `llm ask ... | head -1`: a reader that stops early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal };
}

/** Writes a string to an output stream as UTF-8 and waits until it is flushed (so exit codes never cut output). */
export function writeOut(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, 'utf8', (error) => (error ? reject(error) : resolve()));
  });
}
