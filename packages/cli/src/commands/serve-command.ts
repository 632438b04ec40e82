import { Command } from 'commander';
import { writeOut, type CliIO } from '../cli-io.js';
import { port } from '../option-parsers.js';

interface ServeFlags {
  port?: number;
  host?: string;
  model?: string;
}

/** Resolves on Ctrl-C or SIGTERM (how `docker stop` and process managers ask a server to stop). */
function untilStopped(io: CliIO): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      io.signal.removeEventListener('abort', stop);
      resolve();
    };
    if (io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', stop, { once: true });
    process.once('SIGTERM', stop);
  });
}

/** `llm serve`: starts the @llm/server chat server (REST + SSE API, WebSocket chat, the chat page). */
export function serveCommand(io: CliIO): Command {
  return new Command('serve')
    .description('Start the chat server (@llm/server): the chat page, REST + SSE API and WebSocket chat.')
    .option('-p, --port <port>', 'the port (default: $PORT, else 3000; 0 picks a free one)', port)
    .option('--host <host>', 'the host to listen on (default: $HOST, else 127.0.0.1)')
    .option('-m, --model <name>', 'the model (default: $LLM_MODEL, else the first provider with a key, else the mock)')
    .addHelpText('after', '\nThe server reads REDIS_URL, DATABASE_URL, LLM_FALLBACKS, LLM_SERVER_TOKENS, ... (see the @llm/server README).\n\nExamples:\n  llm serve\n  LLM_MODEL=gpt-4o-mini llm serve --port 8080')
    .action(async (flags: ServeFlags) => {
      const { startServer } = await import('@llm/server');
      const server = await startServer({
        port: flags.port, host: flags.host, model: flags.model, env: io.env, handleSignals: false,
        print: (line) => void io.stderr.write(`${line}\n`),
      });
      try {
        await untilStopped(io);
        await writeOut(io.stderr, 'stopping: finishing open streams and closing the stores…\n');
      } finally {
        await server.close();
      }
    });
}
