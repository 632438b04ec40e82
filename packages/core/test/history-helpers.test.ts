import { describe, expect, it } from 'vitest';
import { TITLE_LENGTH, exchangeUsage, jsonMessageText, serializeExchange, sessionTitle } from '../src/history-helpers.js';
import type { Message } from '../src/types.js';
import { messageToJSON } from '../src/message-json.js';

describe('history helpers', () => {
  it('sessionTitle cuts at 60 code points, never inside a surrogate pair, and keeps NFC/NFD as given', () => {
    expect(TITLE_LENGTH).toBe(60);
    const emoji30 = '😀'.repeat(30); // 60 UTF-16 units, 30 code points
    expect(sessionTitle({ role: 'user', content: emoji30 })).toBe(emoji30);
    const emoji70 = '🇰'.repeat(70);
    expect(sessionTitle({ role: 'user', content: emoji70 })).toBe('🇰'.repeat(60));
    const nfd = '가나다라'.normalize('NFD').repeat(10); // 120 code points
    const title = sessionTitle({ role: 'user', content: `  ${nfd}  ` })!;
    expect(Array.from(title)).toHaveLength(60);
    expect(nfd.startsWith(title)).toBe(true);
    expect(sessionTitle({ role: 'user', content: '   ' })).toBeUndefined();
    expect(sessionTitle({ role: 'user', content: [{ type: 'text', text: ' 안녕 ' }] })).toBe('안녕');
  });

  it('exchangeUsage copies the usage and adds the cost; the caller\'s object is never changed', () => {
    const usage = { input: 3, output: 4, total: 7, cachedInput: 1 };
    const out = exchangeUsage({ usage, costUsd: 0.5 });
    expect(out).toEqual({ input: 3, output: 4, total: 7, cachedInput: 1, costUsd: 0.5 });
    expect(usage).toEqual({ input: 3, output: 4, total: 7, cachedInput: 1 });
    expect(exchangeUsage({ costUsd: 0.25 })).toEqual({ input: 0, output: 0, total: 0, costUsd: 0.25 });
    expect(exchangeUsage({})).toBeUndefined();
  });

  it('messageToJSON uses the given createdAt only when the message has none', () => {
    const at = new Date('2026-12-03T00:00:00Z');
    expect(messageToJSON({ role: 'user', content: '안녕' }, at).createdAt).toBe('2026-12-03T00:00:00.000Z');
    expect(messageToJSON({ role: 'user', content: '안녕', createdAt: new Date('2020-01-01T00:00:00Z') }, at).createdAt).toBe('2020-01-01T00:00:00.000Z');
    expect(messageToJSON({ role: 'user', content: '안녕' }).createdAt).toBeUndefined();
  });
});

describe('jsonMessageText', () => {
  it('is exactly JSON.stringify for random messages, plain or not (Korean, NFD, emoji, lone surrogates, quotes)', () => {
    const pieces = ['안녕', '한글'.normalize('NFD'), '😀', '\ud800', '"', '\\', '\n', '\u0000', '<script>', 'plain ', '\u2028'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const text = () => Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const message: Message = { role: (['user', 'assistant', 'system', 'tool'] as const)[i % 4], content: i % 7 === 0 ? [{ type: 'text', text: text() }] : text() };
      if (i % 3 === 0) message.createdAt = new Date(1_700_000_000_000 + i);
      if (i % 11 === 0) message.toolCalls = [{ id: `c${i}`, name: 'calc', arguments: { q: text() } }];
      if (i % 13 === 0) message.toolCallId = `c${i}`;
      if (i % 17 === 0) message.isError = true;
      const json = messageToJSON(message);
      expect(jsonMessageText(json)).toBe(JSON.stringify(json));
      expect(JSON.parse(jsonMessageText(json))).toEqual(json);
    }
  });

  it('serializeExchange keeps storage order with tool messages and stamps createdAt', () => {
    const now = new Date('2026-12-03T01:02:03Z');
    const tool: Message = { role: 'tool', content: '425', toolCallId: 'c1', toolName: 'calc' };
    const out = serializeExchange('Test', { role: 'user', content: '25×17?' }, { role: 'assistant', content: '425입니다' }, { toolMessages: [tool] }, now);
    expect(out.map((m) => JSON.parse(m.text))).toEqual([
      { role: 'user', content: '25×17?', createdAt: '2026-12-03T01:02:03.000Z' },
      { role: 'tool', content: '425', toolCallId: 'c1', toolName: 'calc', createdAt: '2026-12-03T01:02:03.000Z' },
      { role: 'assistant', content: '425입니다', createdAt: '2026-12-03T01:02:03.000Z' },
    ]);
    expect(out.map((m) => m.text)).toEqual(out.map((m) => JSON.stringify(m.json)));
  });
});
