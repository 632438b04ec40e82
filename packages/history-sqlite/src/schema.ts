import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import type { JsonMessage, Role, ToolCall, ToolInteraction } from '@llm/core';

/** One conversation of a user. `(user_id, session_id)` is unique. Times are Unix milliseconds. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    sessionId: text('session_id').notNull(),
    title: text('title'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  (t) => [
    uniqueIndex('conversations_user_session_unique').on(t.userId, t.sessionId),
    index('conversations_user_activity_idx').on(t.userId, t.updatedAt),
  ],
);

/** The messages of the conversations, in `id` order. The final assistant message of an exchange carries its usage. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    content: text('content', { mode: 'json' }).$type<JsonMessage['content']>().notNull(),
    toolCalls: text('tool_calls', { mode: 'json' }).$type<ToolCall[]>(),
    toolCallId: text('tool_call_id'),
    toolName: text('tool_name'),
    isError: integer('is_error', { mode: 'boolean' }).notNull().default(false),
    toolInteractions: text('tool_interactions', { mode: 'json' }).$type<ToolInteraction[]>(),
    usageInput: integer('usage_input'),
    usageOutput: integer('usage_output'),
    usageTotal: integer('usage_total'),
    costUsd: real('cost_usd'),
    model: text('model'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('messages_conversation_id_idx').on(t.conversationId, t.id)],
);
