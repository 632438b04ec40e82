import { describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, listen, openSocket, readSse, tempDir, testServer, type SseEvent } from '../test/fixtures.js';

const user = asAnonymous(anonymousId());

function stream(url: string): Promise<Response> {
  return fetch(`${url}/api/chat/message/stream`, { method: 'POST', headers: { 'content-type': 'application/json', ...user }, body: JSON.stringify({ message: '천천히 답해 주세요' }) });
}

describe('graceful shutdown', () => {
  it('lets an open stream finish before the server stops, refuses new requests meanwhile, and closes idle sockets with 1001', async () => {
    const dir = tempDir();
    const words = Array.from({ length: 10 }, (_, i) => `조각${i} `);
    const app = await testServer(dir.path, { mockResponses: [{ chunks: words }], llmOptions: { chunkDelayMs: 60 }, shutdownTimeoutMs: 5000 });
    const url = await listen(app);
    const socket = await openSocket(`${url.replace('http', 'ws')}/ws/chat`, user);
    await socket.next((f) => f.type === 'conversation');
    const events: SseEvent[] = [];
    const reading = readSse(await stream(url), (e) => void events.push(e));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const closing = app.close();
    expect((await socket.closed).code).toBe(1001);
    const during = await fetch(`${url}/health`);
    expect(during.status).toBe(503);
    await closing;
    await reading;
    expect(events.at(-1)!.event).toBe('done');
    expect(events.filter((e) => e.event === 'message')).toHaveLength(10);
    dir.cleanup();
  });

  it('aborts streams still open at the deadline with an error event, reason shutdown', async () => {
    const dir = tempDir();
    const words = Array.from({ length: 100 }, (_, i) => `조각${i} `);
    const app = await testServer(dir.path, { mockResponses: [{ chunks: words }], llmOptions: { chunkDelayMs: 50 }, shutdownTimeoutMs: 300 });
    const url = await listen(app);
    const reading = readSse(await stream(url));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await app.close();
    const events = await reading;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { reason: 'shutdown' } });
    expect(events.filter((e) => e.event === 'message').length).toBeLessThan(100);
    dir.cleanup();
  });
});
