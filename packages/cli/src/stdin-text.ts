import { AbortError } from '@llm/core';
import type { CliIO } from './cli-io.js';

/**
 * Reads all of stdin as UTF-8 when it is piped (a TTY gives ''). Multi-byte characters split across reads are
 * decoded whole. Ctrl-C while waiting rejects with AbortError.
 */
export function readPipedStdin(io: CliIO): Promise<string> {
  const { stdin, signal } = io;
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: string) => (text += chunk);
    const onEnd = () => {
      cleanup();
      resolve(text);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      stdin.pause();
      reject(new AbortError('Interrupted while reading stdin.'));
    };
    if (signal.aborted) return onAbort();
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
