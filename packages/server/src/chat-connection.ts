import { randomBytes, randomUUID } from 'node:crypto';
import { LLMError, trimHistory, type Chunk, type Message } from '@llm/core';
import type { WebSocket } from 'ws';
import { ApiError } from './api-errors.js';
import type { ChatConsumer, ChatContext } from './chat-consumer.js';
import type { ImageInput } from './chat-engine.js';
import { historyFrames } from './history-frames.js';
import type { ServerContext } from './server-context.js';
import type { TrackedStream } from './stream-tracker.js';
import { CLOSE_REFUSED, CLOSE_SERVER_ERROR, parseClientFrame, type ServerFrame } from './ws-protocol.js';

/** Checks a turn against the rate limit; resolves to the seconds to wait, or 0 when allowed. */
export type TurnLimiter = () => Promise<number>;

/**
 * One WebSocket chat connection: runs the consumer's hooks on connect (accept, conversation, previous messages,
 * first message), then answers `user_message` frames one at a time, streaming message, tool-call and usage blocks.
 */
export class ChatConnection {
  private context: Message[] = [];
  private busy = false;
  private ready = false;
  private closed = false;
  private readonly queue: string[] = [];
  private turnAbort?: AbortController;
  private tracked?: TrackedStream;
  private readonly openedAt = Date.now();
  private turns = 0;
  private tokens = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly consumer: ChatConsumer,
    private readonly ctx: ChatContext,
    private readonly server: ServerContext,
    private readonly limiter?: TurnLimiter,
  ) {
    // Listen at once: frames that arrive while the hooks run are queued, not lost.
    socket.on('message', (data, isBinary) => this.receive(isBinary ? '' : data.toString('utf8')));
    socket.on('close', () => this.onClose());
    socket.on('error', () => undefined);
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason);
  }

  /** Runs the connect hooks; closes with 4003 when refused, 4000 when a hook fails. */
  async start(): Promise<void> {
    const { consumer, ctx } = this;
    try {
      if (!(await consumer.canAccept(ctx))) return this.close(CLOSE_REFUSED, 'not allowed');
      // A consumer that accepts everyone still needs an owner for the conversation: a guest for this connection.
      ctx.user ??= { id: `guest-${randomBytes(12).toString('hex')}`, anonymous: true };
      ctx.conversationId = consumer.getConversationId(ctx);
      ctx.conversation = await consumer.getConversation(ctx);
      if (!ctx.conversation) return this.close(CLOSE_REFUSED, 'conversation not found');
      if (this.closed) return;
      this.tracked = this.server.streams.open('ws', () => this.shutdown(), () => !this.busy);
      this.send({ type: 'conversation', conversationId: ctx.conversation.sessionId });
      const previous = await consumer.getPreviousMessages(ctx);
      const first = consumer.getFirstUserMessage(ctx);
      for (const frame of historyFrames(previous, first)) this.send(frame);
      this.context = trimHistory(previous, consumer.contextMessages ?? this.server.config.sessionMaxMessages);
      this.ready = true;
      if (!previous.length && first) await this.turn(first, [], true);
      this.drainQueue();
    } catch (error) {
      this.fail(error);
    }
  }

  private receive(data: string): void {
    if (!this.ready || this.busy) {
      const frame = parseClientFrame(data);
      if (typeof frame !== 'string' && frame.type === 'ping') return this.send({ type: 'pong' });
      if (this.ready && typeof frame !== 'string') return this.sendError('The previous message is still being answered; send this one when it is done.');
      this.queue.push(data);
      return;
    }
    this.handle(data);
  }

  private drainQueue(): void {
    while (!this.busy && this.queue.length && !this.closed) this.handle(this.queue.shift()!);
  }

  private handle(data: string): void {
    const frame = parseClientFrame(data);
    if (typeof frame === 'string') return this.sendError(frame);
    if (frame.type === 'ping') return this.send({ type: 'pong' });
    void this.turn(frame.text, frame.images, false).catch((error) => this.fail(error)).finally(() => this.drainQueue());
  }

  private sendError(message: string): void {
    this.send({ type: 'error', id: `e-${randomUUID()}`, role: 'error', mode: 'overwrite', content: message });
  }

  /** One turn: the user block, thinking, streamed deltas and tool calls, the saved exchange, the usage block. */
  private async turn(text: string, images: ImageInput[], hidden: boolean): Promise<void> {
    this.busy = true;
    const answerId = `a-${randomUUID()}`;
    let answered = false;
    try {
      const wait = this.limiter ? await this.limiter() : 0;
      if (wait > 0) return this.sendError(`Too many messages: wait ${wait} s and send it again.`);
      if (!hidden) this.send({ type: 'message', id: `u-${randomUUID()}`, role: 'user', mode: 'overwrite', content: text });
      this.send({ type: 'message', id: answerId, role: 'assistant', mode: 'thinking-start', content: '' });
      this.turnAbort = new AbortController();
      const { consumer, ctx } = this;
      const turn = this.server.engine.startTurn({
        message: text, images, context: this.context, useTools: consumer.useTools, model: consumer.model, temperature: consumer.temperature,
        systemPrompt: consumer.getSystemPrompt(ctx), signal: this.turnAbort.signal, transport: 'ws',
      });
      for await (const chunk of turn.chunks()) answered = this.forward(chunk, answerId, answered);
      if (!answered) this.send({ type: 'message', id: answerId, role: 'assistant', mode: 'thinking-end', content: '' });
      const exchange = turn.exchange!;
      await consumer.onConversationComplete(exchange.user, exchange.assistant, exchange.toolMessages, exchange.reply);
      this.context = trimHistory([...this.context, exchange.user, ...exchange.toolMessages, exchange.assistant], consumer.contextMessages ?? this.server.config.sessionMaxMessages);
      const { usage, cost, model } = exchange.reply;
      this.turns++;
      this.tokens += usage.total;
      this.send({ type: 'usage', id: `usage-${answerId}`, role: 'system', mode: 'overwrite', content: { input: usage.input, output: usage.output, total: usage.total, costUsd: cost?.usd ?? null, model } });
    } catch (error) {
      if (!(LLMError.isInstance(error) || error instanceof ApiError) || this.closed) throw error;
      // A model failure ends this turn only: drop the half answer, say why, keep the connection.
      this.send({ type: 'message', id: answerId, role: 'assistant', mode: answered ? 'delete' : 'thinking-end', content: '' });
      this.sendError(this.server.engine.describeError(error));
    } finally {
      this.busy = false;
      this.turnAbort = undefined;
    }
  }

  /** Sends one chunk as blocks; returns whether answer text has started. */
  private forward(chunk: Chunk, answerId: string, answered: boolean): boolean {
    if (chunk.type === 'text' && chunk.text) {
      if (!answered) this.send({ type: 'message', id: answerId, role: 'assistant', mode: 'thinking-end', content: '' });
      this.send({ type: 'message', id: answerId, role: 'assistant', mode: 'append', content: chunk.text });
      return true;
    }
    if (chunk.type === 'tool-call') {
      const { id, name, arguments: args } = chunk.toolCall;
      this.send({ type: 'tool-call', id: `t-${answerId}-${id}`, role: 'tool', mode: 'overwrite', content: { name, arguments: args, status: 'running' } });
    } else if (chunk.type === 'tool-result') {
      const { toolCallId, tool, arguments: args, result, error, durationMs } = chunk.interaction;
      this.send({
        type: 'tool-call', id: `t-${answerId}-${toolCallId}`, role: 'tool', mode: 'overwrite',
        content: { name: tool, arguments: args, status: error ? 'error' : 'done', ...(error ? { error } : { result }), durationMs },
      });
    }
    return answered;
  }

  /** A server error: an error block, then close 4000. */
  private fail(error: unknown): void {
    if (this.closed) return;
    this.server.logger.error({ error: this.server.engine.describeError(error), conversation: this.ctx.conversation?.sessionId }, 'chat connection failed');
    this.sendError('Something went wrong on the server; the connection is closed. Reload to continue.');
    this.close(CLOSE_SERVER_ERROR, 'server error');
  }

  /** Shutdown: abort the running turn and say goodbye (1001 going away). */
  private shutdown(): void {
    this.turnAbort?.abort(new Error('The server is shutting down.'));
    this.close(1001, 'server shutting down');
  }

  private onClose(): void {
    this.closed = true;
    this.turnAbort?.abort(new Error('The client closed the connection.'));
    this.tracked?.close();
    this.server.logger.info?.(
      { route: this.ctx.request.routeOptions.url, session: this.ctx.conversation?.sessionId, user: this.ctx.user?.id, turns: this.turns, tokens: this.tokens, latencyMs: Date.now() - this.openedAt },
      'websocket closed',
    );
  }
}
