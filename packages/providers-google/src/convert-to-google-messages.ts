import type { Content, Part } from '@google/genai';
import { ConfigurationError, bytesToBase64, messageText, type ContentPart, type Message, type ToolCall } from '@llm/core';

/** What Gemini needs from our messages: the contents and the system instruction. */
export interface GoogleMessages {
  contents: Content[];
  /** The system prompt plus any stray system messages, or undefined when there is none. */
  systemInstruction?: string;
}

/** What a tool call keeps in `providerMetadata.google`, so the next request can send it back unchanged. */
export interface GoogleToolCallMetadata {
  /** Gemini 3's signature over its reasoning, required back on the function call part. */
  thoughtSignature?: string;
  /** The id Gemini gave the call, when it gave one (then sent back on the function response). */
  functionCallId?: string;
}

/** Reads `providerMetadata.google` of a tool call. */
export function googleToolCallMetadata(call: Pick<ToolCall, 'providerMetadata'>): GoogleToolCallMetadata {
  const google = call.providerMetadata?.google;
  if (typeof google !== 'object' || google === null) return {};
  const { thoughtSignature, functionCallId } = google as Record<string, unknown>;
  return {
    ...(typeof thoughtSignature === 'string' ? { thoughtSignature } : {}),
    ...(typeof functionCallId === 'string' ? { functionCallId } : {}),
  };
}

function convertPart(part: ContentPart): Part {
  if (part.type === 'text') return { text: part.text };
  // Gemini takes URLs as fileData (gs://, https:// for public files, Files API uris) and bytes inline.
  if (part.data instanceof URL) return { fileData: { mimeType: part.mediaType, fileUri: part.data.href } };
  return { inlineData: { mimeType: part.mediaType, data: bytesToBase64(part.data) } };
}

function convertContent(content: Message['content']): Part[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.map(convertPart);
}

/** A tool result's JSON text as the object Gemini wants: `{ output }`, or `{ error }` for a failed tool. */
function functionResponseBody(message: Message): Record<string, unknown> {
  const text = messageText(message);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the tool returned plain text, which is sent as is.
  }
  return message.isError ? { error: value } : { output: value };
}

function assistantParts(message: Message): Part[] {
  const parts: Part[] = [];
  const text = messageText(message);
  if (typeof message.content !== 'string') parts.push(...message.content.filter((p) => p.type !== 'text').map(convertPart));
  if (text) parts.unshift({ text });
  for (const call of message.toolCalls ?? []) {
    const meta = googleToolCallMetadata(call);
    const args = typeof call.arguments === 'object' && call.arguments !== null ? (call.arguments as Record<string, unknown>) : {};
    parts.push({
      functionCall: { name: call.name, args, ...(meta.functionCallId ? { id: meta.functionCallId } : {}) },
      ...(meta.thoughtSignature ? { thoughtSignature: meta.thoughtSignature } : {}),
    });
  }
  return parts;
}

/**
 * Converts core messages to Gemini contents: roles `user`/`model`, images and PDFs as `inlineData` (bytes) or
 * `fileData` (URLs), tool calls as `functionCall` parts with their `thoughtSignature`, and tool results as
 * `functionResponse` parts named after the tool — consecutive results merged into one user content.
 */
export function convertToGoogleMessages(messages: Message[], system?: string): GoogleMessages {
  const contents: Content[] = [];
  const systemTexts = system ? [system] : [];
  const toolNames = new Map<string, { name: string; id?: string }>();
  let pendingResults: Part[] | undefined;
  for (const message of messages) {
    if (message.role !== 'tool') pendingResults = undefined;
    switch (message.role) {
      case 'system':
        systemTexts.push(messageText(message));
        break;
      case 'user':
        contents.push({ role: 'user', parts: convertContent(message.content) });
        break;
      case 'assistant': {
        for (const call of message.toolCalls ?? []) toolNames.set(call.id, { name: call.name, id: googleToolCallMetadata(call).functionCallId });
        const parts = assistantParts(message);
        if (parts.length) contents.push({ role: 'model', parts });
        break;
      }
      case 'tool': {
        const known = message.toolCallId ? toolNames.get(message.toolCallId) : undefined;
        const name = message.toolName ?? known?.name;
        if (!name) {
          throw new ConfigurationError(
            `Gemini needs the tool name of every tool result, but the result for call "${message.toolCallId ?? '?'}" has none and no earlier assistant message made that call. Set toolName on tool messages.`,
            { provider: 'google' },
          );
        }
        const part: Part = { functionResponse: { name, response: functionResponseBody(message), ...(known?.id ? { id: known.id } : {}) } };
        if (pendingResults) pendingResults.push(part);
        else {
          pendingResults = [part];
          contents.push({ role: 'user', parts: pendingResults });
        }
        break;
      }
    }
  }
  return { contents, systemInstruction: systemTexts.length ? systemTexts.join('\n\n') : undefined };
}
