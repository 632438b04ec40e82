import { getEventListeners } from 'node:events';
import { messageText, type Message, type Reply } from '@llm/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-errors.js';
import {
  chatMessageSchema, createSessionSchema, deleteSessionSchema, historySchema, sessionsSchema, type ChatMessageBody,
} from './api-schemas.js';
import type { TurnRequest } from './chat-engine.js';
import { requireUser } from './request-hooks.js';
import type { SessionRecord } from './session-store.js';
import type { ChatUser } from './user-auth.js';

/** The 404 for a session that does not exist or is someone else's (the two are indistinguishable on purpose). */
export function sessionNotFound(sessionId: string): ApiError {
  return new ApiError(404, `Session "${sessionId}" was not found. Start one with POST /api/chat/session.`);
}

/** A stored message as the history API returns it. */
export function storedMessageJson(message: Message): Record<string, unknown> {
  return {
    role: message.role,
    content: messageText(message),
    ...(message.createdAt ? { createdAt: message.createdAt } : {}),
    ...(message.toolCalls?.length ? { toolCalls: message.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })) } : {}),
    ...(message.toolCallId ? { toolCallId: message.toolCallId } : {}),
    ...(message.toolName ? { toolName: message.toolName } : {}),
    ...(message.isError ? { isError: true } : {}),
  };
}

/** The names of the tools a reply used, each once. */
export function toolsUsed(reply: Reply): string[] {
  return [...new Set(reply.toolInteractions.map((i) => i.tool))];
}

interface ConnectionAbort {
  controller: AbortController;
  /** Requests on this connection still running. */
  inFlight: number;
}

const connectionAborts = new WeakMap<object, ConnectionAbort>();

/**
 * An AbortSignal that fires when the client's connection closes while a request on it is still running; call
 * `release()` when the request is done. Requests that follow on a keep-alive connection reuse its controller as
 * long as nothing is left listening on the signal (Node takes microseconds to make one, a good share of a mock
 * answer): a provider that leaves a listener behind gets a fresh controller for the next request.
 */
export function clientGoneSignal(reply: FastifyReply): { signal: AbortSignal; release(): void } {
  const socket = reply.raw.socket;
  if (!socket) {
    const controller = new AbortController();
    return { signal: controller.signal, release: () => undefined };
  }
  let entry = connectionAborts.get(socket);
  if (!entry || entry.controller.signal.aborted) {
    const created: ConnectionAbort = { controller: new AbortController(), inFlight: 0 };
    entry = created;
    connectionAborts.set(socket, entry);
    socket.once('close', () => {
      if (created.inFlight > 0) created.controller.abort(new Error('The client closed the connection.'));
    });
  }
  const current = entry;
  current.inFlight += 1;
  return {
    signal: current.controller.signal,
    release() {
      current.inFlight -= 1;
      if (current.inFlight === 0 && connectionAborts.get(socket) === current && getEventListeners(current.controller.signal, 'abort').length > 0) {
        connectionAborts.delete(socket);
      }
    },
  };
}

/** The user's session for a request: the given one (404 unless theirs), or a new one. */
export function sessionForRequest(app: FastifyInstance, user: ChatUser, sessionId: string | undefined): Promise<SessionRecord> {
  if (sessionId === undefined) return app.llm.sessions.create(user.id);
  return app.llm.sessions.resolve(user.id, sessionId).then((record) => {
    if (!record) throw sessionNotFound(sessionId);
    return record;
  });
}

/** Everything a chat request needs before its turn starts: the user, the session, the turn request. */
export async function prepareChatTurn(app: FastifyInstance, request: FastifyRequest, transport: string, signal: AbortSignal): Promise<{ record: SessionRecord; turn: TurnRequest }> {
  const user = requireUser(request);
  const body = request.body as ChatMessageBody;
  app.llm.engine.checkModel(body.model);
  const record = await sessionForRequest(app, user, body.sessionId);
  request.chatLog.session = record.sessionId;
  // A session made for this request has nothing to load yet.
  const context = body.sessionId === undefined ? [] : await app.llm.sessions.context(record);
  return {
    record,
    turn: {
      message: body.message, context, useTools: body.useTools, model: body.model, temperature: body.temperature, maxTokens: body.maxTokens,
      systemPrompt: app.llm.systemPrompt, signal, transport,
    },
  };
}

/** The rate-limit route config, when the limit is on. */
export function rateLimitConfig(app: FastifyInstance): { rateLimit?: { max: number; timeWindow: number } } {
  const limit = app.llm.config.rateLimit;
  return limit ? { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } : {};
}

/** The chat REST routes: sessions, messages (whole answers), history. */
export async function chatRoutes(app: FastifyInstance): Promise<void> {
  const { sessions, engine } = app.llm;
  const config = rateLimitConfig(app);

  app.post('/api/chat/session', { schema: createSessionSchema, config }, async (request, reply) => {
    const record = await sessions.create(requireUser(request).id);
    request.chatLog.session = record.sessionId;
    return reply.code(201).send({ sessionId: record.sessionId });
  });

  app.post('/api/chat/message', { schema: chatMessageSchema, config }, async (request, reply) => {
    const gone = clientGoneSignal(reply);
    // Tracked like a stream, so shutdown lets the answer finish before the server stops.
    const tracked = app.llm.streams.open('rest', () => undefined);
    try {
      const { record, turn } = await prepareChatTurn(app, request, 'rest', gone.signal);
      request.chatLog.model = turn.model ?? engine.defaultModel;
      const exchange = await engine.startTurn(turn).run();
      tracked.close();
      await sessions.saveExchange(record, exchange);
      const { reply: answer } = exchange;
      request.chatLog.model = answer.model;
      request.chatLog.tokens = answer.usage.total;
      return {
        response: answer.text, sessionId: record.sessionId, model: answer.model, toolsUsed: toolsUsed(answer),
        usage: { input: answer.usage.input, output: answer.usage.output, total: answer.usage.total }, cost: answer.cost ?? null,
      };
    } finally {
      tracked.close();
      gone.release();
    }
  });

  app.get('/api/chat/history/:sessionId', { schema: historySchema, config }, async (request) => {
    const { sessionId } = request.params as { sessionId: string };
    const record = await app.llm.sessions.resolve(requireUser(request).id, sessionId);
    if (!record) throw sessionNotFound(sessionId);
    request.chatLog.session = sessionId;
    const messages = await sessions.previousMessages(record);
    return { sessionId, messages: messages.map(storedMessageJson) };
  });

  app.get('/api/chat/sessions', { schema: sessionsSchema, config }, async (request) => ({ sessions: await sessions.list(requireUser(request).id) }));

  app.delete('/api/chat/session/:sessionId', { schema: deleteSessionSchema, config }, async (request) => {
    const { sessionId } = request.params as { sessionId: string };
    const record = await app.llm.sessions.resolve(requireUser(request).id, sessionId);
    if (!record) throw sessionNotFound(sessionId);
    request.chatLog.session = sessionId;
    return { deleted: true, messages: await sessions.delete(record) };
  });
}
