import { ConfigurationError, bytesToBase64, messageText, type ContentPart, type Message } from '@llm/core';
import type { OllamaMessage } from './ollama-api-types.js';

function imageOf(part: Exclude<ContentPart, { type: 'text' }>): string {
  if (part.data instanceof URL) {
    throw new ConfigurationError(
      `Ollama needs image bytes, not a URL (${part.data.href}). Download the image and pass its bytes (a Uint8Array or a file path).`,
      { provider: 'ollama' },
    );
  }
  if (!part.mediaType.startsWith('image/')) {
    throw new ConfigurationError(
      `Ollama accepts images only, not ${part.mediaType}${part.filename ? ` (${part.filename})` : ''}. Extract the text of the file and send it as text.`,
      { provider: 'ollama' },
    );
  }
  return bytesToBase64(part.data);
}

function userMessage(role: 'user' | 'system', content: Message['content']): OllamaMessage {
  if (typeof content === 'string') return { role, content };
  const images = content.filter((p) => p.type !== 'text').map(imageOf);
  return { role, content: messageText({ content }), ...(images.length ? { images } : {}) };
}

/**
 * Converts core messages to Ollama's `/api/chat` messages: the system prompt first, images as base64 strings in
 * `images` (URLs and non-image files are refused with a ConfigurationError), tool calls with object arguments, and
 * tool results as `role: 'tool'` messages naming the tool in `tool_name`.
 */
export function convertToOllamaMessages(messages: Message[], system?: string): OllamaMessage[] {
  const out: OllamaMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'user') {
      out.push(userMessage(message.role, message.content));
    } else if (message.role === 'assistant') {
      const calls = message.toolCalls ?? [];
      out.push({
        ...userMessage('user', message.content),
        role: 'assistant',
        ...(calls.length ? {
          tool_calls: calls.map((call) => ({
            function: { name: call.name, arguments: typeof call.arguments === 'object' && call.arguments !== null ? (call.arguments as Record<string, unknown>) : {} },
          })),
        } : {}),
      });
    } else {
      out.push({ role: 'tool', content: messageText(message), ...(message.toolName ? { tool_name: message.toolName } : {}) });
    }
  }
  return out;
}
