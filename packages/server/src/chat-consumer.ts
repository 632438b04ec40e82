import { renderTemplate, type Message, type Reply } from '@llm/core';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from './server-context.js';
import type { SessionRecord } from './session-store.js';
import type { ChatUser } from './user-auth.js';

/** A conversation: a session owned by one user (the seed's `Conversation` model). */
export type Conversation = SessionRecord;

/** What the hooks of a consumer see about the connection (the seed's `self.scope`). */
export interface ChatContext {
  /** The authenticated user (a token, or an anonymous browser when the server allows it); undefined otherwise. */
  user?: ChatUser;
  /** Route parameters (`/ws/chat/:conversationId` → `{ conversationId }`). */
  params: Record<string, string | undefined>;
  /** Query parameters (the `access_token` is removed). */
  query: Record<string, string | undefined>;
  /** The id `getConversationId` found. */
  conversationId?: string;
  /** The conversation `getConversation` returned. */
  conversation?: Conversation | null;
  /** The upgrade request. */
  request: FastifyRequest;
}

/** A consumer class, as `createServer({ consumer })` takes it. */
export type ChatConsumerClass = new (server: ServerContext, ctx: ChatContext) => ChatConsumer;

/** The names a conversation id may have in the URL, in the order they are looked up. */
export const CONVERSATION_ID_KEYS = ['conversationId', 'conversation_id', 'pk', 'id'] as const;

/**
 * The WebSocket chat consumer (django-pyhub-ai's `AgentChatConsumer`): one instance per connection. Subclass it
 * to make a bot: set `model`, `temperature`, `systemPromptTemplate` (with `{name}` placeholders filled from
 * `getPromptContext()`), `firstUserMessageTemplate`, and override the hooks.
 * @example
 * class TutorConsumer extends ChatConsumer {
 *   override systemPromptTemplate = '{언어}로만 대화하는 튜터입니다.';
 *   override getPromptContext() { return { 언어: '영어' }; }
 *   override canAccept() { return true; } // anyone, signed in or not
 * }
 * await createServer({ consumers: { tutor: TutorConsumer } }); // ws://host/ws/tutor, page at /tutor
 */
export class ChatConsumer {
  /** The model (default: the server's model). The server's fallbacks, ending with the mock, still apply. */
  model?: string;
  /** Sampling temperature (default: the model's). */
  temperature?: number;
  /** The system prompt; `{name}` placeholders come from `getPromptContext()`. Default: the server's system prompt. */
  systemPromptTemplate?: string;
  /** Sent (hidden) as the first user message of an empty conversation, so the assistant opens it. */
  firstUserMessageTemplate?: string;
  /** Offer the server's tools. */
  useTools = true;
  /** How many previous messages the model sees (default: the server's `sessionMaxMessages`). */
  contextMessages?: number;

  constructor(protected readonly server: ServerContext, protected readonly ctx: ChatContext) {}

  /** Whether to accept the connection. Default: authenticated users only (refused → close 4003). */
  canAccept(ctx: ChatContext): boolean | Promise<boolean> {
    return ctx.user !== undefined;
  }

  /** The conversation id from the URL: route params, then the query, each in the order conversationId, conversation_id, pk, id. */
  getConversationId(ctx: ChatContext): string | undefined {
    for (const source of [ctx.params, ctx.query]) {
      for (const key of CONVERSATION_ID_KEYS) {
        const value = source[key];
        if (typeof value === 'string' && value !== '') return value;
      }
    }
    return undefined;
  }

  /**
   * The conversation: the user's conversation with `ctx.conversationId` (null when it does not exist or belongs
   * to someone else → close 4003), or a new one when the URL names none.
   */
  async getConversation(ctx: ChatContext): Promise<Conversation | null> {
    if (!ctx.user) return null;
    if (ctx.conversationId === undefined) return this.server.sessions.create(ctx.user.id);
    return (await this.server.sessions.resolve(ctx.user.id, ctx.conversationId)) ?? null;
  }

  /** The conversation's stored messages, oldest first (only this user's, only this conversation's). */
  async getPreviousMessages(ctx: ChatContext): Promise<Message[]> {
    if (!ctx.conversation) return [];
    return this.server.sessions.previousMessages(ctx.conversation);
  }

  /** Called after every answered turn: saves the exchange in the session and the history. */
  async onConversationComplete(human: Message, ai: Message, toolOutputs: Message[], reply: Reply): Promise<void> {
    if (!this.ctx.conversation) return;
    await this.server.sessions.saveExchange(this.ctx.conversation, { user: human, assistant: ai, toolMessages: toolOutputs, reply });
  }

  /** Values for the system prompt's (and the first message's) `{name}` placeholders. */
  getPromptContext(_ctx: ChatContext): Record<string, unknown> {
    return {};
  }

  /** The rendered system prompt. */
  getSystemPrompt(ctx: ChatContext): string | undefined {
    const template = this.systemPromptTemplate ?? this.server.systemPrompt;
    return template ? renderTemplate(template.trim(), this.getPromptContext(ctx)) : undefined;
  }

  /** The rendered first user message, or undefined when the consumer has none. */
  getFirstUserMessage(ctx: ChatContext): string | undefined {
    return this.firstUserMessageTemplate ? renderTemplate(this.firstUserMessageTemplate, this.getPromptContext(ctx)) : undefined;
  }
}
