import { PassThrough } from 'node:stream';
import { LLMError, RateLimitError, StorageError, TimeoutError, type Chunk } from '@llm/core';
import type { FastifyInstance } from 'fastify';
import { chatStreamSchema } from './api-schemas.js';
import { prepareChatTurn, rateLimitConfig, toolsUsed } from './chat-routes.js';
import type { ChatTurn } from './chat-engine.js';

/** The `reason` of an SSE `error` event. */
export type StreamErrorReason = 'rate_limited' | 'timeout' | 'provider_error' | 'storage_error' | 'shutdown' | 'internal';

/** Why a turn failed, as a short machine-readable reason. */
export function errorReason(error: unknown): StreamErrorReason {
  if (RateLimitError.isInstance(error)) return 'rate_limited';
  if (TimeoutError.isInstance(error)) return 'timeout';
  if (StorageError.isInstance(error)) return 'storage_error';
  if (LLMError.isInstance(error)) return 'provider_error';
  return 'internal';
}

const HEARTBEAT_MS = 15_000;

/** One SSE event as text (`data` is JSON on one line, so it never needs splitting). */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `POST /api/chat/message/stream`: the answer as Server-Sent Events. The session and body are checked first (a
 * normal JSON 4xx); then `metadata`, `message` deltas, `tool` results, `usage`, `done` — or `error` with a reason.
 * A client that disconnects aborts the model call; shutdown ends open streams with `error` reason `shutdown`.
 */
export async function streamRoute(app: FastifyInstance): Promise<void> {
  const { engine, sessions, streams } = app.llm;

  app.post('/api/chat/message/stream', { schema: chatStreamSchema, config: rateLimitConfig(app) }, async (request, reply) => {
    const controller = new AbortController();
    let shutdown = false;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new Error('The client closed the connection.'));
    });
    const { record, turn: turnRequest } = await prepareChatTurn(app, request, 'sse', controller.signal);
    const out = new PassThrough();
    out.on('error', () => undefined);
    const write = (event: string, data: unknown) => {
      if (!out.destroyed && !out.writableEnded) out.write(sseEvent(event, data));
    };
    const tracked = streams.open('sse', () => {
      shutdown = true;
      controller.abort(new Error('The server is shutting down.'));
    });
    const heartbeat = setInterval(() => !out.destroyed && out.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();

    const turn: ChatTurn = engine.startTurn(turnRequest);
    const model = turnRequest.model ?? engine.defaultModel;
    request.chatLog.model = model;
    const run = async () => {
      write('metadata', { sessionId: record.sessionId, model });
      try {
        for await (const chunk of turn.chunks()) writeChunk(write, chunk);
        const exchange = turn.exchange!;
        await sessions.saveExchange(record, exchange);
        const { reply: answer } = exchange;
        Object.assign(request.chatLog, { model: answer.model, tokens: answer.usage.total });
        write('usage', { input: answer.usage.input, output: answer.usage.output, total: answer.usage.total, costUsd: answer.cost?.usd ?? null });
        write('done', { sessionId: record.sessionId, model: answer.model, toolsUsed: toolsUsed(answer), finishReason: answer.finishReason });
      } catch (error) {
        if (controller.signal.aborted && !shutdown) {
          request.log.info({ session: record.sessionId }, 'client disconnected; model call aborted');
          return;
        }
        const reason = shutdown ? 'shutdown' : errorReason(error);
        if (reason === 'internal') request.log.error({ err: error }, 'stream failed');
        const message = shutdown ? 'The server is shutting down; send the message again.' : reason === 'internal' ? 'Something went wrong on the server.' : engine.describeError(error);
        write('error', { reason, message });
      }
    };
    void run().finally(() => {
      clearInterval(heartbeat);
      tracked.close();
      out.end();
    });
    reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache, no-transform').header('x-accel-buffering', 'no');
    return reply.send(out);
  });
}

function writeChunk(write: (event: string, data: unknown) => void, chunk: Chunk): void {
  if (chunk.type === 'text' && chunk.text) write('message', { content: chunk.text });
  else if (chunk.type === 'tool-result') {
    const { tool, arguments: args, result, error, durationMs, toolCallId } = chunk.interaction;
    write('tool', { id: toolCallId ?? null, name: tool, arguments: args, result: result ?? null, error: error ?? null, durationMs });
  }
}
