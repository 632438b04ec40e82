import { bigint, boolean, doublePrecision, index, integer, jsonb, pgSchema, pgTable, text, timestamp, uniqueIndex, type PgTableFn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { JsonMessage, Role, ToolCall, ToolInteraction } from '@llm/core';

/**
 * The history tables in a Postgres schema (`public` by default). The shipped migrations create them unqualified,
 * inside whichever schema the store is given.
 * @example
 * const { conversations, messages } = historyTables('chat');
 */
export function historyTables(schema = 'public') {
  // drizzle refuses pgSchema('public'); pgTable is the public schema's builder.
  return schema === 'public' ? defineTables(pgTable) : defineTables(pgSchema(schema).table);
}

function defineTables<Schema extends string | undefined>(table: PgTableFn<Schema>) {
  const conversations = table(
    'conversations',
    {
      id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
      userId: text('user_id').notNull(),
      sessionId: text('session_id').notNull(),
      title: text('title'),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
      metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    },
    (t) => [
      uniqueIndex('conversations_user_session_unique').on(t.userId, t.sessionId),
      index('conversations_user_activity_idx').on(t.userId, t.updatedAt),
    ],
  );
  // No foreign key: drizzle-kit would qualify its target as "public".conversations, which breaks other schemas.
  // The store deletes a conversation and its messages in one transaction instead.
  const messages = table(
    'messages',
    {
      id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
      conversationId: integer('conversation_id').notNull(),
      role: text('role').$type<Role>().notNull(),
      content: jsonb('content').$type<JsonMessage['content']>().notNull(),
      toolCalls: jsonb('tool_calls').$type<ToolCall[]>(),
      toolCallId: text('tool_call_id'),
      toolName: text('tool_name'),
      isError: boolean('is_error').notNull().default(false),
      toolInteractions: jsonb('tool_interactions').$type<ToolInteraction[]>(),
      usageInput: integer('usage_input'),
      usageOutput: integer('usage_output'),
      usageTotal: integer('usage_total'),
      costUsd: doublePrecision('cost_usd'),
      model: text('model'),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    },
    (t) => [index('messages_conversation_id_idx').on(t.conversationId, t.id)],
  );
  return { conversations, messages };
}

/** The history tables in the `public` schema (what drizzle-kit generates the migrations from). */
export const { conversations, messages } = historyTables();
