// The message and usage columns of the SQL history stores (@llm/history-sqlite and @llm/history-postgres).
import type { SerializedMessage } from './history-helpers.js';
import { messageFromJSON, type JsonMessage } from './message-json.js';
import type { Message, Role, ToolCall, ToolInteraction, Usage } from './types.js';

/** The message columns of a `messages` row, as drizzle reads and writes them. */
export interface MessageColumns {
  role: Role;
  content: JsonMessage['content'];
  toolCalls: ToolCall[] | null;
  toolCallId: string | null;
  toolName: string | null;
  isError: boolean;
  toolInteractions: ToolInteraction[] | null;
  createdAt: Date;
}

/** The usage columns, filled on the final assistant row of an exchange. */
export interface UsageColumns {
  usageInput: number | null;
  usageOutput: number | null;
  usageTotal: number | null;
  costUsd: number | null;
  model: string | null;
}

/** The rows of an exchange: its messages in order, the last one carrying the exchange's usage, cost and model. */
export function exchangeRows(messages: SerializedMessage[], usage: Usage | undefined, model: string | undefined): (MessageColumns & UsageColumns)[] {
  return messages.map(({ json }, i) => {
    const last = i === messages.length - 1;
    return {
      role: json.role,
      content: json.content,
      toolCalls: json.toolCalls ?? null,
      toolCallId: json.toolCallId ?? null,
      toolName: json.toolName ?? null,
      isError: json.isError ?? false,
      toolInteractions: json.toolInteractions ?? null,
      createdAt: new Date(json.createdAt ?? Date.now()),
      usageInput: last ? (usage?.input ?? null) : null,
      usageOutput: last ? (usage?.output ?? null) : null,
      usageTotal: last ? (usage?.total ?? null) : null,
      costUsd: last ? (usage?.costUsd ?? null) : null,
      model: last ? (model ?? null) : null,
    };
  });
}

/** A stored row back as a message. */
export function rowToMessage(row: MessageColumns): Message {
  return messageFromJSON({
    role: row.role,
    content: row.content,
    toolCalls: row.toolCalls ?? undefined,
    toolCallId: row.toolCallId ?? undefined,
    toolName: row.toolName ?? undefined,
    isError: row.isError,
    toolInteractions: row.toolInteractions ?? undefined,
    createdAt: row.createdAt.toISOString(),
  });
}

/** A usage summary from SQL sums (`null` sums of an empty session count as 0; a `null` cost stays unknown). */
export function usageFromSums(sums: { input: unknown; output: unknown; total: unknown; costUsd: unknown }): Usage {
  const usage: Usage = { input: Number(sums.input ?? 0), output: Number(sums.output ?? 0), total: Number(sums.total ?? 0) };
  if (sums.costUsd !== null && sums.costUsd !== undefined) usage.costUsd = Number(sums.costUsd);
  return usage;
}
