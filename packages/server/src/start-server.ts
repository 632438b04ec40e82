import { ConfigurationError } from '@llm/core';
import type { FastifyInstance } from 'fastify';
import { createServer } from './create-server.js';
import type { ServerContext } from './server-context.js';
import type { ServerOptions } from './server-options.js';

/** Options of {@link startServer}: the server's options plus where to listen. */
export interface StartServerOptions extends ServerOptions {
  /** Default `PORT`, else 3000. 0 picks a free port. */
  port?: number;
  /** Default `HOST`, else `127.0.0.1` (this machine only; use `0.0.0.0` to serve the network). */
  host?: string;
  /** Stop on SIGINT/SIGTERM (drain streams, close stores, exit). Default true. */
  handleSignals?: boolean;
  /** Where the banner goes. Default: stdout. */
  print?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  /** `http://localhost:3000` */
  url: string;
  /** Graceful stop: stop accepting, finish open streams (with a deadline), close the stores. */
  close(): Promise<void>;
}

/** The lines the server prints on start: where it listens, which model answers, where history goes, who may use it. */
export function bannerLines(ctx: ServerContext, url: string): string[] {
  const { models, anonymous, tokens } = ctx.config;
  const lines = [`@llm/server is listening on ${url}  (chat page: ${url}/  ·  API docs: ${url}/docs)`];
  if (models.source === 'mock') {
    lines.push('Model: mock — the offline mock model answers (no API key is set). Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY, ... or LLM_MODEL for real answers.');
  } else {
    const why = models.source === 'provider key' ? `chosen because ${models.keyVariable} is set` : `from ${models.source === 'option' ? 'the model option' : 'LLM_MODEL'}`;
    lines.push(`Model: ${models.model} (${why}); fallbacks: ${models.fallbacks.join(' → ') || 'none'}`);
  }
  lines.push(`Sessions: ${ctx.sessions.store.kind === 'redis' ? 'Redis (REDIS_URL)' : 'in memory (set REDIS_URL to share them between instances)'}`);
  lines.push(`History: ${ctx.sessions.history.description}`);
  const tokenCount = Object.keys(tokens).length;
  lines.push(
    anonymous
      ? `Access: anonymous users are allowed (each browser gets its own id)${tokenCount ? `; ${tokenCount} token(s) also accepted` : ''}. Set LLM_SERVER_ANONYMOUS=false and LLM_SERVER_TOKENS to require tokens.`
      : `Access: a token is required (${tokenCount} configured in LLM_SERVER_TOKENS); anonymous access is off.`,
  );
  const tools = ctx.tools.describe();
  lines.push(`Tools: ${tools.map((t) => (t.source === 'demo' ? `${t.name} (demo data)` : t.name)).join(', ') || 'none'}`);
  return lines;
}

/**
 * Creates the server, listens, prints the banner and (by default) stops gracefully on SIGINT/SIGTERM.
 * @example const { url, close } = await startServer({ port: 0 }); // then: await close();
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const port = options.port ?? (env.PORT ? Number(env.PORT) : 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError(`PORT must be a port number 0-65535 (got ${JSON.stringify(options.port ?? env.PORT)}).`);
  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const app = await createServer(options);
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' || host === '::1' ? 'localhost' : host;
  const url = `http://${shownHost}:${actualPort}`;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  for (const line of bannerLines(app.llm, url)) print(line);

  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    print(`${signal}: finishing open streams (up to ${app.llm.config.shutdownTimeoutMs} ms) and closing the stores…`);
    close().then(() => process.exit(0), () => process.exit(1));
  };
  const close = () =>
    (closing ??= app.close().finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }));
  if (options.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { app, url, close };
}
