import type { ExchangeMeta, Message } from '@llm/core';

/** The messages of one exchange as a store receives them. */
export interface HistoryExchange {
  user: Message;
  assistant: Message;
  meta: ExchangeMeta;
}

/** Korean (NFC, precomposed), emoji with modifiers and joiners: the form most input arrives in. */
export const HISTORY_TEXT_NFC = '서울의 날씨와 현재 시간을 알려주세요 👍🏽 👨‍👩‍👧 한글 똠방각하';

/** The same text decomposed into conjoining jamo: another string with other bytes, which must stay as it is. */
export const HISTORY_TEXT_NFD = HISTORY_TEXT_NFC.normalize('NFD');

/** A plain question and answer. */
export function plainExchange(question: string, answer: string, meta: ExchangeMeta = {}): HistoryExchange {
  return { user: { role: 'user', content: question }, assistant: { role: 'assistant', content: answer }, meta };
}

/**
 * An exchange with two tool calls: user, assistant asking for both tools, the two `tool` results (the second an
 * error), and the final assistant carrying `toolInteractions`. `tag` makes the call ids unique.
 */
export function toolExchange(tag: string, text: string = HISTORY_TEXT_NFC): HistoryExchange {
  const weatherId = `call_${tag}_weather`;
  const timeId = `call_${tag}_time`;
  const weatherArgs = { city: '서울', units: 'metric', days: 3, exact: true, 메모: text };
  const timeArgs = { timezone: 'Asia/Seoul' };
  return {
    user: { role: 'user', content: text },
    meta: {
      usage: { input: 120, output: 45, total: 165 },
      model: 'mock-1',
      costUsd: 0.0015,
      toolMessages: [
        {
          role: 'assistant',
          content: '도구를 호출합니다.',
          toolCalls: [
            { id: weatherId, name: 'get_weather', arguments: weatherArgs },
            { id: timeId, name: 'get_time', arguments: timeArgs, providerMetadata: { thoughtSignature: 'c2lnbmF0dXJl' } },
          ],
        },
        { role: 'tool', content: '서울의 날씨는 맑음, 25°C입니다.', toolCallId: weatherId, toolName: 'get_weather' },
        { role: 'tool', content: '시간대를 찾을 수 없습니다', toolCallId: timeId, toolName: 'get_time', isError: true },
      ],
    },
    assistant: {
      role: 'assistant',
      content: `서울은 맑고 25°C입니다. ${text}`,
      toolInteractions: [
        { tool: 'get_weather', arguments: weatherArgs, result: { text: '맑음', temperature: 25 }, durationMs: 12, toolCallId: weatherId },
        { tool: 'get_time', arguments: timeArgs, error: '시간대를 찾을 수 없습니다', durationMs: 3, toolCallId: timeId },
      ],
    },
  };
}

/** A user message with every kind of content part: text, image bytes, image URL, and a file. */
export function multipartUser(): Message {
  return {
    role: 'user',
    content: [
      { type: 'text', text: '이 사진과 문서를 설명해 주세요' },
      { type: 'image', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 254, 255]), mediaType: 'image/png', filename: '고양이.png' },
      { type: 'image', data: new URL('https://example.com/사진/고양이.jpg?size=큰'), mediaType: 'image/jpeg' },
      { type: 'file', data: new TextEncoder().encode('%PDF-1.7 한글'), mediaType: 'application/pdf', filename: '보고서.pdf' },
    ],
  };
}

/** The messages `saveExchange` stores, in order. */
export function exchangeMessages(exchange: HistoryExchange): Message[] {
  return [exchange.user, ...(exchange.meta.toolMessages ?? []), exchange.assistant];
}

/**
 * A message in a form `toEqual` compares exactly: no `createdAt`, bytes as number arrays, URLs as their href.
 * Stores must give back what they were given, so both sides go through this before comparing.
 */
export function comparableMessage(message: Message): Record<string, unknown> {
  const { createdAt: _createdAt, content, ...rest } = message;
  const parts =
    typeof content === 'string'
      ? content
      : content.map((part) => {
          if (part.type === 'text') return part;
          const data = part.data instanceof URL ? { url: part.data.href } : { bytes: Array.from(part.data) };
          return { ...part, data };
        });
  return { ...rest, content: parts };
}
