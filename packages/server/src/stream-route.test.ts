import { RateLimitError } from '@llm/core';
import { FakeOpenAIServer } from '@llm/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, listeningServers, logCapture, metricValue, readSse, waitFor } from '../test/fixtures.js';

const { start } = listeningServers(afterAll);
const user = asAnonymous(anonymousId());

function stream(url: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/api/chat/message/stream`, { method: 'POST', headers: { 'content-type': 'application/json', ...user }, body: JSON.stringify(body), signal });
}

describe('POST /api/chat/message/stream', () => {
  it('streams metadata, message deltas, usage and done; Korean split into many writes arrives intact', async () => {
    const nfd = '한글'.normalize('NFD');
    const chunks = ['안', '녕', '하세요 ', ...Array.from(nfd), ' 🇰🇷', ' 끝.'];
    const { url } = await start({ mockResponses: [{ chunks }] });
    const response = await stream(url, { message: '인사해 주세요' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readSse(response);
    expect(events.map((e) => e.event)).toEqual(['metadata', ...chunks.map(() => 'message'), 'usage', 'done']);
    expect(events[0].data).toMatchObject({ model: 'mock' });
    const text = events.filter((e) => e.event === 'message').map((e) => e.data.content).join('');
    expect(text).toBe(`안녕하세요 ${nfd} 🇰🇷 끝.`);
    expect(text.includes(nfd)).toBe(true);
    const usage = events.find((e) => e.event === 'usage')!.data;
    expect(usage.total).toBe(Number(usage.input) + Number(usage.output));
    const done = events[events.length - 1].data;
    expect(done).toMatchObject({ sessionId: events[0].data.sessionId, model: 'mock', toolsUsed: [], finishReason: 'stop' });
  });

  it('sends a tool event with the demo weather result, and saves the stream in the history', async () => {
    const { app, url } = await start();
    const events = await readSse(await stream(url, { message: '서울 날씨 어때?' }));
    const tool = events.find((e) => e.event === 'tool')!.data;
    expect(tool).toMatchObject({ name: 'get_weather', arguments: { location: '서울' }, error: null });
    expect(tool.result).toMatchObject({ location: '서울', demo: true });
    const done = events.find((e) => e.event === 'done')!.data;
    expect(done.toolsUsed).toEqual(['get_weather']);
    const history = (await app.inject({ url: `/api/chat/history/${done.sessionId}`, headers: user })).json();
    expect(history.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(history.messages[3].content).toBe(events.filter((e) => e.event === 'message').map((e) => e.data.content).join(''));
  });

  it('aborts the model call when the client disconnects, and saves nothing', async () => {
    const words = Array.from({ length: 200 }, (_, i) => `단어${i} `);
    const { app, url } = await start({ mockResponses: [{ chunks: words }], llmOptions: { chunkDelayMs: 50 } });
    const controller = new AbortController();
    const started = Date.now();
    let sessionId = '';
    const response = await stream(url, { message: '아주 긴 답을 해 주세요' }, controller.signal);
    await readSse(response, (event) => {
      if (event.event === 'metadata') sessionId = String(event.data.sessionId);
      if (event.event === 'message') return 'stop';
    }).catch(() => undefined);
    controller.abort();
    const metrics = async () => (await app.inject({ url: '/metrics' })).body;
    await waitFor(async () => metricValue(await metrics(), 'llm_server_chat_turns_total', { transport: 'sse', outcome: 'aborted' }) === 1, 5000, 'the aborted turn');
    // 200 chunks × 50 ms would take 10 s: the model call stopped long before.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(metricValue(await metrics(), 'llm_server_open_streams', { kind: 'sse' })).toBe(0);
    expect(metricValue(await metrics(), 'llm_server_chat_turns_total', { transport: 'sse', outcome: 'ok' })).toBeUndefined();
    const history = (await app.inject({ url: `/api/chat/history/${sessionId}`, headers: user })).json();
    expect(history.messages).toEqual([]);
  });

  it('ends with an error event and a reason when the model fails', async () => {
    const { url } = await start({
      mockResponses: [{ error: new RateLimitError('mock is rate limited', { retryAfterMs: 1000 }) }, { error: new Error('connection reset') }],
      llmOptions: { maxRetries: 0 },
    });
    const limited = await readSse(await stream(url, { message: '첫 번째' }));
    expect(limited.map((e) => e.event)).toEqual(['metadata', 'error']);
    expect(limited[1].data).toMatchObject({ reason: 'rate_limited' });
    expect(String(limited[1].data.message)).toContain('rate limited');
    const failed = await readSse(await stream(url, { message: '두 번째' }));
    expect(failed[1]).toMatchObject({ event: 'error', data: { reason: 'provider_error' } });
  });

  it('falls back from a rate-limited provider to the mock, and never shows or logs the key', async () => {
    const fake = new FakeOpenAIServer();
    const base = await fake.start();
    const key = 'sk-test-NEVER-LOG-THIS-0123456789';
    const logs = logCapture();
    try {
      fake.injectFault({ status: 429, headers: { 'retry-after': '1' } });
      const { app, url } = await start({
        model: 'gpt-4o-mini', env: { OPENAI_API_KEY: key }, llmOptions: { apiKey: key, baseURL: `${base}/v1`, maxRetries: 0 }, logger: { stream: logs.stream },
      });
      const response = await stream(url, { message: '안녕하세요' });
      const raw = await response.clone().text();
      const events = await readSse(response);
      expect(events[0].data.model).toBe('gpt-4o-mini');
      expect(events[events.length - 1]).toMatchObject({ event: 'done', data: { model: 'mock' } });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0].headers.authorization).toBe(`Bearer ${key}`);
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(metricValue(metrics, 'llm_server_fallbacks_total', { from: 'gpt-4o-mini', to: 'mock' })).toBe(1);
      const models = (await app.inject({ url: '/api/models', headers: user })).body;
      expect(JSON.parse(models).models[0]).toMatchObject({ name: 'gpt-4o-mini', keySet: true, status: 'failing' });
      for (const text of [raw, metrics, models, logs.text()]) expect(text).not.toContain(key);
      expect(logs.text()).toContain('"route":"/api/chat/message/stream"');
    } finally {
      await fake.close();
    }
  });
});
