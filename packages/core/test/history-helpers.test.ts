import { describe, expect, it } from 'vitest';
import { TITLE_LENGTH, exchangeUsage, sessionTitle } from '../src/history-helpers.js';
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
