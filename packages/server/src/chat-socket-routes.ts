import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ChatConsumerClass, ChatContext } from './chat-consumer.js';
import { ChatConnection, type TurnLimiter } from './chat-connection.js';
import { CLOSE_REFUSED } from './ws-protocol.js';

/** The rate-limit key of a request: the user for token users, the client IP for anonymous ones (ids are free to mint). */
export function rateLimitKey(request: FastifyRequest): string {
  const user = request.chatUser;
  return user && !user.anonymous ? `user:${user.id}` : `ip:${request.ip}`;
}

/**
 * Whether a WebSocket upgrade may come from its page: no Origin (not a browser), the server's own origin, or one of
 * `LLM_SERVER_ALLOWED_ORIGINS`. Stops another site from opening a chat in the user's name.
 */
export function originAllowed(request: FastifyRequest, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * The WebSocket chat routes: `/ws/<name>` and `/ws/<name>/:conversationId` for each consumer (`chat` is the
 * default consumer). Each connection gets its own consumer instance; each turn counts against the rate limit.
 */
export async function chatSocketRoutes(app: FastifyInstance, options: { consumers: Record<string, ChatConsumerClass> }): Promise<void> {
  const limit = app.llm.config.rateLimit;
  const check = limit ? app.createRateLimit({ max: limit.max, timeWindow: limit.timeWindowMs, keyGenerator: rateLimitKey }) : undefined;

  for (const [name, Consumer] of Object.entries(options.consumers)) {
    const handler = (socket: WebSocket, request: FastifyRequest) => {
      if (!originAllowed(request, app.llm.config.allowedOrigins)) {
        socket.close(CLOSE_REFUSED, 'origin not allowed');
        return;
      }
      const { access_token: _token, ...query } = (request.query ?? {}) as Record<string, string | undefined>;
      const ctx: ChatContext = { user: request.chatUser, params: { ...(request.params as Record<string, string>) }, query, request };
      const limiter: TurnLimiter | undefined = check && (async () => {
        const result = await check(request);
        return result.isAllowed || !result.isExceeded ? 0 : Math.max(1, result.ttlInSeconds);
      });
      void new ChatConnection(socket, new Consumer(app.llm, ctx), ctx, app.llm, limiter).start();
    };
    app.get(`/ws/${name}`, { websocket: true, schema: { hide: true } }, handler);
    app.get(`/ws/${name}/:conversationId`, { websocket: true, schema: { hide: true } }, handler);
  }
}
