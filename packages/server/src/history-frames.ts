import { messageText, type Message } from '@llm/core';
import type { ServerFrame } from './ws-protocol.js';

function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The frames that redraw a stored conversation: user and assistant messages as `overwrite` blocks, each tool
 * call as a tool-call block with its result. `hiddenFirstMessage` (the consumer's first user message, which the
 * user never typed) is left out when the conversation starts with it.
 */
export function historyFrames(messages: Message[], hiddenFirstMessage?: string): ServerFrame[] {
  const results = new Map<string, Message>();
  for (const m of messages) if (m.role === 'tool' && m.toolCallId) results.set(m.toolCallId, m);
  const frames: ServerFrame[] = [];
  messages.forEach((m, i) => {
    const text = messageText(m);
    if (i === 0 && m.role === 'user' && hiddenFirstMessage !== undefined && text === hiddenFirstMessage) return;
    if ((m.role === 'user' || m.role === 'assistant') && text) {
      frames.push({ type: 'message', id: `h${i}`, role: m.role, mode: 'overwrite', content: text });
    }
    for (const call of m.toolCalls ?? []) {
      const result = results.get(call.id);
      const output = result ? parseResult(messageText(result)) : undefined;
      frames.push({
        type: 'tool-call', id: `h${i}-${call.id}`, role: 'tool', mode: 'overwrite',
        content: { name: call.name, arguments: call.arguments, status: result?.isError ? 'error' : 'done', ...(result?.isError ? { error: String(output) } : { result: output }) },
      });
    }
  });
  return frames;
}
