import type Anthropic from '@anthropic-ai/sdk';
import { ConfigurationError, bytesToBase64, type ContentPart, type Message, type ToolCall } from '@llm/core';

/**
 * The `providerMetadata` key under which a tool call carries the thinking blocks that preceded it: Anthropic
 * requires them back unchanged (with their signatures) when a conversation with extended thinking uses tools.
 */
export const ANTHROPIC_THINKING_METADATA_KEY = 'anthropicThinking';

/** A thinking block as it is sent back to the API. */
export type AnthropicThinkingBlock = Anthropic.ThinkingBlockParam | Anthropic.RedactedThinkingBlockParam;

type UserBlock = Anthropic.ContentBlockParam;
type FilePart = Extract<ContentPart, { type: 'image' | 'file' }>;

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

function isImageMediaType(mediaType: string): mediaType is ImageMediaType {
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType);
}

function convertImage(part: FilePart): Anthropic.ImageBlockParam {
  const mediaType = part.mediaType.toLowerCase();
  if (part.data instanceof URL) return { type: 'image', source: { type: 'url', url: part.data.href } };
  if (!isImageMediaType(mediaType)) {
    throw new ConfigurationError(
      `Anthropic accepts images of type ${IMAGE_MEDIA_TYPES.join(', ')}, not ${part.mediaType}${part.filename ? ` (${part.filename})` : ''}. Convert the image to PNG or JPEG first.`,
      { provider: 'anthropic' },
    );
  }
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: bytesToBase64(part.data) } };
}

function convertDocument(part: FilePart): Anthropic.DocumentBlockParam {
  const mediaType = part.mediaType.toLowerCase();
  const title = part.filename ? { title: part.filename } : {};
  if (mediaType === 'application/pdf') {
    const source: Anthropic.DocumentBlockParam['source'] = part.data instanceof URL
      ? { type: 'url', url: part.data.href }
      : { type: 'base64', media_type: 'application/pdf', data: bytesToBase64(part.data) };
    return { type: 'document', source, ...title };
  }
  if (mediaType.startsWith('text/') && !(part.data instanceof URL)) {
    const data = new TextDecoder('utf-8').decode(part.data);
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data }, ...title };
  }
  throw new ConfigurationError(
    `Anthropic accepts files as PDF (bytes or URL) or plain text (bytes), not ${part.mediaType}${part.data instanceof URL ? ' by URL' : ''}${part.filename ? ` (${part.filename})` : ''}. Convert the file to PDF or pass its text.`,
    { provider: 'anthropic' },
  );
}

/** Converts one content part to an Anthropic block: text, `image` (base64 or url source) or `document` (PDF or text). */
export function convertContentPart(part: ContentPart): Anthropic.TextBlockParam | Anthropic.ImageBlockParam | Anthropic.DocumentBlockParam {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image' || part.mediaType.toLowerCase().startsWith('image/')) return convertImage(part);
  return convertDocument(part);
}

function convertUserContent(content: Message['content']): UserBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  // The API rejects empty text blocks.
  return content.filter((part) => part.type !== 'text' || part.text !== '').map(convertContentPart);
}

/** Anthropic wants `tool_use.input` as an object; core passes parsed arguments, but tolerate a JSON string. */
function toolInput(args: unknown): unknown {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    throw new ConfigurationError(`A tool call's arguments must be an object or JSON text, got: ${args.slice(0, 100)}`, { provider: 'anthropic' });
  }
}

function thinkingBlocksOf(toolCalls: ToolCall[]): AnthropicThinkingBlock[] {
  return toolCalls.flatMap((call) => {
    const blocks = call.providerMetadata?.[ANTHROPIC_THINKING_METADATA_KEY];
    return Array.isArray(blocks) ? (blocks as AnthropicThinkingBlock[]) : [];
  });
}

function convertAssistant(message: Message): Anthropic.ContentBlockParam[] {
  const toolCalls = message.toolCalls ?? [];
  const blocks: Anthropic.ContentBlockParam[] = [...thinkingBlocksOf(toolCalls)];
  blocks.push(...convertUserContent(message.content));
  for (const call of toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments) });
  return blocks;
}

function convertToolResult(message: Message): Anthropic.ToolResultBlockParam {
  if (!message.toolCallId) {
    throw new ConfigurationError('A tool message needs the toolCallId of the tool_use it answers.', { provider: 'anthropic' });
  }
  const content = typeof message.content === 'string'
    ? message.content
    : message.content.map((part) => {
      const block = convertContentPart(part);
      if (block.type === 'document' && block.source.type === 'text') return { type: 'text' as const, text: block.source.data };
      return block;
    });
  return { type: 'tool_result', tool_use_id: message.toolCallId, content, ...(message.isError ? { is_error: true } : {}) };
}

/**
 * Converts core messages to Anthropic's: tool results become `tool_result` blocks in a user message (consecutive
 * results merged into one), assistant tool calls become `tool_use` blocks, images and PDFs become `image` and
 * `document` blocks, and consecutive messages of one role are merged as the API expects alternating turns.
 * System messages (core never sends them, but a caller might) are returned apart as `system`.
 */
export function convertToAnthropicMessages(messages: Message[]): { messages: Anthropic.MessageParam[]; system?: string } {
  const out: { role: 'user' | 'assistant'; content: Anthropic.ContentBlockParam[] }[] = [];
  const system: string[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(typeof message.content === 'string' ? message.content : convertUserContent(message.content).map((b) => (b.type === 'text' ? b.text : '')).join(''));
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = message.role === 'assistant' ? convertAssistant(message)
      : message.role === 'tool' ? [convertToolResult(message)]
        : convertUserContent(message.content);
    if (blocks.length === 0) continue;
    const last = out[out.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return { messages: out, ...(system.length ? { system: system.join('\n\n') } : {}) };
}
