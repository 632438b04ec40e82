import { randomUUID } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import { ConfigurationError, StorageError, type Cache } from '@llm/core';
import { MemoryCache } from '@llm/cache-memory';
import { RedisCache } from '@llm/cache-redis';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { toApiError } from './api-errors.js';
import { errorSchema, healthBodySchema } from './api-schemas.js';
import { ChatConsumer } from './chat-consumer.js';
import { LanguageTutorChatConsumer } from './language-tutor-consumer.js';
import { ChatEngine } from './chat-engine.js';
import { chatRoutes } from './chat-routes.js';
import { ChatSessions } from './chat-sessions.js';
import { chatSocketRoutes, rateLimitKey } from './chat-socket-routes.js';
import { openHistoryBackend } from './history-backend.js';
import { MemorySessionStore } from './memory-session-store.js';
import { pageRoutes } from './page-routes.js';
import { RedisSessionStore } from './redis-session-store.js';
import { createLogger, registerRequestHooks } from './request-hooks.js';
import { resolveServerConfig, type ServerConfig } from './server-config.js';
import type { ServerContext } from './server-context.js';
import { ServerMetrics } from './server-metrics.js';
import type { ServerOptions } from './server-options.js';
import { StreamTracker } from './stream-tracker.js';
import { streamRoute } from './stream-route.js';
import { systemRoutes } from './system-routes.js';
import { createToolRegistry, type ToolRegistry } from './tool-registry.js';
import { UserAuthenticator } from './user-auth.js';

const BOT_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const RESERVED_NAMES = new Set(['api', 'assets', 'docs', 'health', 'metrics', 'ws']);

function openCache(config: ServerConfig, option: ServerOptions['cache'], redis: Redis | undefined): { cache?: Cache; owned: boolean } {
  if (option && typeof option === 'object') return { cache: option, owned: false };
  if (config.cacheKind === 'memory') return { cache: new MemoryCache({ ttl: 3600, maxSize: 1000 }), owned: true };
  if (config.cacheKind === 'redis') return { cache: new RedisCache({ client: redis, prefix: `${config.keyPrefix}cache:`, ttl: 3600 }), owned: true };
  return { owned: false };
}

/** Bots `LLM_SERVER_BOTS` can turn on by name. */
export const BUILTIN_BOTS: Record<string, typeof ChatConsumer> = { tutor: LanguageTutorChatConsumer };

function botsFromEnv(value: string | undefined): Record<string, typeof ChatConsumer> {
  const bots: Record<string, typeof ChatConsumer> = {};
  for (const name of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const bot = BUILTIN_BOTS[name];
    if (!bot) throw new ConfigurationError(`LLM_SERVER_BOTS: there is no built-in bot "${name}"; use one of ${Object.keys(BUILTIN_BOTS).join(', ')}.`);
    bots[name] = bot;
  }
  return bots;
}

function consumersOf(options: ServerOptions, env: Record<string, string | undefined>): Record<string, typeof ChatConsumer> {
  const extra = options.consumers ?? botsFromEnv(env.LLM_SERVER_BOTS);
  for (const name of Object.keys(extra)) {
    if (!BOT_NAME.test(name) || RESERVED_NAMES.has(name) || name === 'chat') {
      throw new ConfigurationError(`consumers: "${name}" cannot be a consumer name; use lowercase letters, digits and "-" (not api, assets, docs, health, metrics, ws or chat).`);
    }
  }
  return { chat: options.consumer ?? ChatConsumer, ...extra };
}

/**
 * Creates the chat server: a Fastify 5 app with the REST + SSE API, the WebSocket chat, the chat page, OpenAPI
 * docs at `/docs` and Prometheus metrics at `/metrics`. Call `listen()` on it (or use {@link startServer}), or
 * `inject()` in tests; `close()` drains open streams and closes the stores.
 * @example
 * const app = await createServer({ model: 'mock', history: { type: 'memory' } });
 * const res = await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '안녕하세요' } });
 * console.log(res.json().response);
 * await app.close();
 */
export async function createServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  const env = options.env ?? process.env;
  const config = resolveServerConfig(options, env);
  const consumers = consumersOf(options, env);
  const logger = createLogger(options.logger, env);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    // A logger that prints nothing needs no per-request child (pino builds one per request otherwise).
    ...(logger.level === 'silent' ? { childLoggerFactory: (root: FastifyBaseLogger) => root } : {}),
    trustProxy: env.TRUST_PROXY === 'true',
    ajv: { customOptions: { removeAdditional: false } },
  });

  const ownsRedis = !options.redis && !!config.redisUrl;
  const redis = options.redis ?? (config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true }) : undefined);
  let redisDown = false;
  if (ownsRedis) {
    // ioredis reconnects by itself; say once that it is down (commands fail meanwhile), and once that it is back.
    redis?.on('error', (error: Error) => {
      if (!redisDown) logger.warn({ error: error.message }, 'Redis is unreachable; sessions and rate limits fail until it is back');
      redisDown = true;
    });
    redis?.on('ready', () => {
      if (redisDown) logger.info('Redis is reachable again');
      redisDown = false;
    });
  }
  const store = redis
    ? new RedisSessionStore({ client: redis, ttlSeconds: config.sessionTtlSeconds, maxMessages: config.sessionMaxMessages, prefix: config.keyPrefix })
    : new MemorySessionStore({
      ttlSeconds: config.sessionTtlSeconds, maxMessages: config.sessionMaxMessages,
      // History in this process's memory already holds the context: keep each message once.
      keepContext: !('type' in config.history && config.history.type === 'memory'),
    });
  const sessions = new ChatSessions(store, openHistoryBackend(config.history), { maxMessages: config.sessionMaxMessages, logger });
  const { cache, owned: ownsCache } = openCache(config, options.cache, redis);
  let tools: ToolRegistry | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await Promise.allSettled([tools?.close(), sessions.close(), ownsCache ? cache?.close?.() : undefined]);
    if (ownsRedis && redis) {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    }
  };

  try {
    if (redis?.status === 'wait') {
      await redis.connect().catch((error: Error) => {
        const where = (config.redisUrl ?? 'the given client').replace(/\/\/([^/\s:@]*):[^@\s/]*@/, '//$1:[redacted]@');
        throw new StorageError(`Could not connect to Redis at ${where}: ${error.message.replace(/\.$/, '')}. Start Redis, or unset REDIS_URL to keep sessions in memory.`, { cause: error });
      });
    }
    // Open the history now (and apply its migrations), so a wrong path or an unreachable database fails the start.
    await sessions.history.forSession({ userId: '_server', sessionId: '_startup' }).loadHistory({ limit: 1 });
    tools = await createToolRegistry({ builtin: options.builtinTools !== false, tools: options.tools, mcpServers: config.mcpServers, logger });
    const metrics = new ServerMetrics();
    const ctx: ServerContext = {
      config, sessions, tools, metrics, logger, env, systemPrompt: options.systemPrompt, startedAt: Date.now(), closing: false,
      auth: new UserAuthenticator(config.tokens, config.anonymous),
      streams: new StreamTracker(metrics),
      engine: new ChatEngine({
        models: config.models, tools: tools.tools, cache, llmOptions: options.llmOptions, mockResponses: options.mockResponses, metrics, logger, secrets: config.secrets,
      }),
    };
    app.decorate('llm', ctx);
    registerRequestHooks(app);
    app.addSchema(errorSchema);
    app.addSchema(healthBodySchema);
    app.setErrorHandler((error, request, reply) => {
      const { body, headers, unexpected } = toApiError(error, config.secrets);
      if (unexpected) request.log.error({ err: error }, 'request failed');
      return reply.code(body.statusCode).headers(headers).send(body);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url.split('?')[0]}. The API is described at /docs.` }),
    );

    await app.register(fastifySwagger, {
      openapi: {
        info: { title: '@llm/server', description: 'The agent chat API: sessions, messages, streaming (SSE), history, models.', version: '0.1.0' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    if (config.rateLimit) {
      await app.register(fastifyRateLimit, {
        global: false,
        ...(redis ? { redis, nameSpace: `${config.keyPrefix}rate-limit:` } : {}),
        keyGenerator: rateLimitKey,
        skipOnError: true,
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429, error: 'Too Many Requests', message: `Rate limit exceeded: ${context.max} requests per ${context.after}. Retry after ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`,
        }),
      });
    }
    await app.register(fastifyWebsocket, {
      options: { maxPayload: config.bodyLimit },
      // Shutdown: finish (or, after the deadline, abort) open streams and sockets before the server stops.
      preClose: async () => {
        ctx.closing = true;
        await ctx.streams.drain(config.shutdownTimeoutMs);
        for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
        await new Promise<void>((resolve) => app.websocketServer.close(() => resolve()));
        // Requests still in flight get a second to finish; then connections left open (a client that never
        // sends FIN, a keep-alive socket with no request yet) are closed so shutdown cannot hang.
        setTimeout(() => app.server.closeAllConnections(), 1000).unref();
      },
    });
    await app.register(chatRoutes);
    await app.register(streamRoute);
    await app.register(systemRoutes);
    await app.register(chatSocketRoutes, { consumers });
    await app.register(pageRoutes, { bots: Object.keys(consumers).filter((name) => name !== 'chat') });
    app.addHook('onClose', cleanup);
    await app.ready();
    return app;
  } catch (error) {
    await cleanup();
    await app.close().catch(() => undefined);
    throw error;
  }
}
