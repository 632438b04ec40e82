import { AbortError } from './errors.js';
import { validateToolArguments } from './tools.js';
import type { Message, Tool, ToolCall, ToolInteraction } from './types.js';

/** The outcome of running one round of tool calls. */
export interface ToolRound {
  /** `role: 'tool'` result messages, one per call, in call order. */
  messages: Message[];
  interactions: ToolInteraction[];
}

/** Serializes a tool result for the model: strings as they are, everything else as JSON. */
export function serializeToolResult(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return 'null';
  try {
    return JSON.stringify(result);
  } catch {
    return String(result);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runOne(call: ToolCall, tools: Map<string, Tool>, signal: AbortSignal | undefined, limitReached: boolean): Promise<ToolInteraction> {
  const started = performance.now();
  const done = (fields: Partial<ToolInteraction>): ToolInteraction => ({
    tool: call.name, arguments: call.arguments, toolCallId: call.id, durationMs: performance.now() - started, ...fields,
  });
  if (limitReached) return done({ error: 'Tool call limit reached: answer with the information you already have.' });
  const tool = tools.get(call.name);
  if (!tool) return done({ error: `Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ') || 'none'}.` });
  if (!tool.execute) return done({ error: `Tool "${call.name}" has no execute function.` });
  const validated = validateToolArguments(tool, call.arguments);
  if (!validated.ok) return done({ error: validated.error });
  try {
    const result = await tool.execute(validated.value, { toolCallId: call.id, signal });
    return done({ result });
  } catch (error) {
    if (signal?.aborted) throw new AbortError('The request was aborted during tool execution.', { cause: error });
    return done({ error: `Tool "${call.name}" failed: ${errorMessage(error)}` });
  }
}

/**
 * Runs a round of tool calls in parallel. Validation failures, unknown tools and thrown errors become error results
 * the model can read; calls past `remaining` are answered with a limit error. An abort stops the round.
 */
export async function runToolCalls(calls: ToolCall[], tools: Tool[], options: { signal?: AbortSignal; remaining: number; onInteraction?: (i: ToolInteraction) => void }): Promise<ToolRound> {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const interactions = await Promise.all(calls.map(async (call, i) => {
    const interaction = await runOne(call, byName, options.signal, i >= options.remaining);
    options.onInteraction?.(interaction);
    return interaction;
  }));
  if (options.signal?.aborted) throw new AbortError('The request was aborted during tool execution.');
  const messages = interactions.map((interaction, i): Message => ({
    role: 'tool',
    toolCallId: calls[i].id,
    toolName: calls[i].name,
    content: interaction.error !== undefined ? JSON.stringify({ error: interaction.error }) : serializeToolResult(interaction.result),
    ...(interaction.error !== undefined ? { isError: true } : {}),
  }));
  return { messages, interactions };
}
