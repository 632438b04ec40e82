import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger as PinoLogger } from 'pino';
import { ApiError } from './api-errors.js';
import type { ChatLogFields } from './server-context.js';
import type { LoggerOption } from './server-options.js';
import { ANONYMOUS_HEADER, anonymousCookie, type ChatUser, type UserAuthenticator } from './user-auth.js';

/** Log paths that may carry secrets: pino replaces them with `[redacted]`. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', `req.headers["${ANONYMOUS_HEADER}"]`,
  'headers.authorization', 'headers["x-api-key"]', 'headers.cookie', 'apiKey', '*.apiKey', 'token', '*.token',
];

/** Routes that never need a user (probes, docs, static assets). */
const PUBLIC_ROUTE = /^\/(?:health|metrics|docs|assets)(?:\/|$)/;

/**
 * The server's pino logger: JSON lines, secrets redacted, the URL without its query string (a WebSocket's
 * `access_token` never reaches the log).
 */
export function createLogger(option: LoggerOption | undefined, env: Record<string, string | undefined>): PinoLogger {
  const level = typeof option === 'object' && option.level ? option.level : (env.LOG_LEVEL ?? 'info');
  const enabled = option !== false && level !== 'silent';
  const options = {
    level: enabled ? level : 'silent',
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url?.split('?')[0] }),
    },
  };
  return typeof option === 'object' && option.stream ? pino(options, option.stream) : pino(options);
}

/** The user of a request, or a 401 ApiError saying how to authenticate. */
export function requireUser(request: FastifyRequest): ChatUser {
  if (request.chatUser) return request.chatUser;
  throw new ApiError(401, authMessage.get(request) ?? 'Authentication is required.');
}

const authMessage = new WeakMap<FastifyRequest, string>();

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function authenticate(request: FastifyRequest, reply: FastifyReply, auth: UserAuthenticator): void {
  // Read from the header: the websocket plugin marks `request.ws` in a hook that runs after this one.
  const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
  const query = request.query as Record<string, string | undefined> | undefined;
  const result = auth.authenticate({
    authorization: request.headers.authorization,
    apiKey: headerValue(request.headers['x-api-key']),
    queryToken: upgrade ? query?.access_token : undefined,
    anonymousHeader: headerValue(request.headers[ANONYMOUS_HEADER]),
    cookie: request.headers.cookie,
  });
  if (!result.ok) {
    authMessage.set(request, result.message);
    return;
  }
  request.chatUser = result.user;
  request.chatLog.user = result.user.id;
  if (result.newAnonymousId && !upgrade) reply.header('set-cookie', anonymousCookie(result.newAnonymousId));
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'not-found';
}

/**
 * Adds the per-request hooks: who the user is (token or anonymous id), and one structured log line plus the
 * request metrics when the response is done (route, status, session, model, tokens, latency).
 */
export function registerRequestHooks(app: FastifyInstance): void {
  const { auth, metrics } = app.llm;
  app.decorateRequest('chatUser', undefined);
  // Set per request in the first hook (a decorated object would be shared by every request).
  app.decorateRequest('chatLog', null as unknown as ChatLogFields);
  app.addHook('onRequest', (request, reply, done) => {
    request.chatLog = {};
    if (!PUBLIC_ROUTE.test(request.url)) authenticate(request, reply, auth);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeLabel(request);
    // WebSocket connections log when they close.
    if (!request.ws) {
      const status = String(reply.statusCode);
      const log = request.chatLog ?? {};
      const model = log.model ?? '';
      metrics.requests.inc([route, request.method, model, status]);
      metrics.latency.observe([route, model, status], reply.elapsedTime / 1000);
      if (route !== '/metrics' && route !== '/health' && (request.log as PinoLogger).isLevelEnabled('info')) {
        request.log.info({ route, method: request.method, status: reply.statusCode, ...log, latencyMs: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
      }
    }
    done();
  });
}
