import type { Logger } from '@llm/core';
import type { ChatEngine } from './chat-engine.js';
import type { ChatSessions } from './chat-sessions.js';
import type { ServerConfig } from './server-config.js';
import type { ServerMetrics } from './server-metrics.js';
import type { StreamTracker } from './stream-tracker.js';
import type { ToolRegistry } from './tool-registry.js';
import type { ChatUser, UserAuthenticator } from './user-auth.js';

/** Everything routes and chat consumers share: available as `app.llm`. */
export interface ServerContext {
  config: ServerConfig;
  engine: ChatEngine;
  sessions: ChatSessions;
  tools: ToolRegistry;
  metrics: ServerMetrics;
  auth: UserAuthenticator;
  streams: StreamTracker;
  logger: Logger;
  /** The system prompt of the REST/SSE API and the default consumer. */
  systemPrompt?: string;
  /** The environment the server was configured from (for `/api/models` key checks). */
  env: Record<string, string | undefined>;
  startedAt: number;
  /** True once shutdown began. */
  closing: boolean;
}

/** What one request's log line says besides route, status and latency. */
export interface ChatLogFields {
  session?: string;
  model?: string;
  tokens?: number;
  user?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The chat server's shared services. */
    llm: ServerContext;
  }
  interface FastifyRequest {
    /** The authenticated user (set by the auth hook on API, page and WebSocket routes). */
    chatUser?: ChatUser;
    /** Fields of this request's log line. */
    chatLog: ChatLogFields;
  }
}
