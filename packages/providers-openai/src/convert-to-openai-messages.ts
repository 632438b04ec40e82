import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { ConfigurationError, bytesToBase64, messageText, type ContentPart, type Message } from '@llm/core';

function dataOrUrl(data: Uint8Array | URL, mediaType: string): string {
  return data instanceof URL ? data.href : `data:${mediaType};base64,${bytesToBase64(data)}`;
}

const AUDIO_FORMATS: Record<string, 'wav' | 'mp3'> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3' };

/** One content part in Chat Completions form: text, `image_url`, `file` (PDF) or `input_audio`. */
function convertPart(part: ContentPart, index: number): ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const mediaType = part.mediaType.toLowerCase();
  if (mediaType.startsWith('image/')) return { type: 'image_url', image_url: { url: dataOrUrl(part.data, mediaType) } };
  if (mediaType === 'application/pdf') {
    if (part.data instanceof URL) {
      throw new ConfigurationError(
        `OpenAI Chat Completions cannot read a PDF from a URL (${part.data.href}). Download it and pass the bytes instead.`,
      );
    }
    return { type: 'file', file: { filename: part.filename ?? `document-${index + 1}.pdf`, file_data: dataOrUrl(part.data, mediaType) } };
  }
  const audioFormat = AUDIO_FORMATS[mediaType];
  if (audioFormat && !(part.data instanceof URL)) {
    return { type: 'input_audio', input_audio: { data: bytesToBase64(part.data), format: audioFormat } };
  }
  throw new ConfigurationError(
    `OpenAI Chat Completions accepts images, PDFs and wav/mp3 audio bytes, not "${part.mediaType}"${part.filename ? ` (${part.filename})` : ''}. Convert the file or send its text as a text part.`,
  );
}

function convertAssistant(message: Message): ChatCompletionAssistantMessageParam {
  const text = messageText(message);
  if (!message.toolCalls?.length) return { role: 'assistant', content: text };
  return {
    role: 'assistant',
    // OpenAI: content may be null when the message only carries tool calls.
    content: text || null,
    tool_calls: message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
    })),
  };
}

/**
 * Converts core's messages to Chat Completions messages: the system prompt first as a `system` message, user
 * content parts (text, images as `image_url`, PDFs as `file` with a data URL), assistant tool calls with
 * JSON-string arguments, and tool results as `tool` messages with their `tool_call_id`. Text is sent unchanged.
 */
export function convertToOpenAIMessages(system: string | undefined, messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system) out.push({ role: 'system', content: system });
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: messageText(message) });
        break;
      case 'user':
        out.push({ role: 'user', content: typeof message.content === 'string' ? message.content : message.content.map(convertPart) });
        break;
      case 'assistant':
        out.push(convertAssistant(message));
        break;
      case 'tool':
        if (!message.toolCallId) {
          throw new ConfigurationError('A tool result message needs the toolCallId of the call it answers.');
        }
        out.push({ role: 'tool', tool_call_id: message.toolCallId, content: messageText(message) });
        break;
      default:
        throw new ConfigurationError(`Unknown message role "${String(message.role)}": use user, assistant or tool.`);
    }
  }
  return out;
}
