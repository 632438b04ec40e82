import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './ws-protocol.js';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('parseClientFrame', () => {
  it('reads user messages (NFD Korean unchanged) with data: URL images, and pings', () => {
    const nfd = '한글'.normalize('NFD');
    const frame = parseClientFrame(JSON.stringify({ type: 'user_message', text: nfd, images: [`data:image/png;base64,${PIXEL}`] }));
    expect(frame).toMatchObject({ type: 'user_message', text: nfd, images: [{ mediaType: 'image/png' }] });
    if (typeof frame === 'string' || frame.type !== 'user_message') throw new Error('not a message');
    expect(Buffer.from(frame.images[0].data).toString('base64')).toBe(PIXEL);
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ type: 'ping' });
  });

  it('says what is wrong with a bad frame', () => {
    expect(parseClientFrame('안녕')).toMatch(/JSON/);
    expect(parseClientFrame('[1]')).toMatch(/Unknown frame type/);
    expect(parseClientFrame('{"type":"shout"}')).toMatch(/Unknown frame type "shout"/);
    expect(parseClientFrame('{"type":"user_message","text":"  "}')).toMatch(/non-empty "text"/);
    expect(parseClientFrame(JSON.stringify({ type: 'user_message', text: '가'.repeat(32_001) }))).toMatch(/longer than/);
    expect(parseClientFrame(JSON.stringify({ type: 'user_message', text: '사진', images: ['/etc/passwd'] }))).toMatch(/images\[0\]/);
    expect(parseClientFrame(JSON.stringify({ type: 'user_message', text: '사진', images: ['https://example.com/a.png'] }))).toMatch(/images\[0\]/);
    expect(parseClientFrame(JSON.stringify({ type: 'user_message', text: '사진', images: Array(5).fill(`data:image/png;base64,${PIXEL}`) }))).toMatch(/at most 4/);
  });
});
