import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, metricValue, tempDir, testServer } from '../test/fixtures.js';
import { LanguageTutorChatConsumer } from './language-tutor-consumer.js';
import { PAGE_CSP } from './page-routes.js';
import { bannerLines } from './start-server.js';

const dir = tempDir();
let app: FastifyInstance;
const user = asAnonymous(anonymousId());

beforeAll(async () => {
  app = await testServer(dir.path);
});
afterAll(async () => {
  await app.close();
  dir.cleanup();
});

describe('system routes', () => {
  it('GET /health reports the stores and the model', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', model: 'mock', sessions: { kind: 'memory', ok: true }, anonymous: true });
    expect(res.json().history).toMatch(/^sqlite .*history-.*\.sqlite$/);
  });

  it('GET /api/models lists the mock and the tools, demo ones marked', async () => {
    const body = (await app.inject({ url: '/api/models', headers: user })).json();
    expect(body).toMatchObject({ model: 'mock', fallbacks: [], mock: true });
    expect(body.models).toEqual([{ name: 'mock', provider: 'mock', role: 'primary', keySet: true, installed: true, status: 'ok' }]);
    expect(body.tools).toEqual([{ name: 'calculator', source: 'builtin' }, { name: 'get_weather', source: 'demo' }, { name: 'web_search', source: 'demo' }]);
  });

  it('GET /metrics counts requests by route, model and status, tokens and latency', async () => {
    await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '메트릭 테스트' }, headers: user });
    await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '' }, headers: user });
    const res = await app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(metricValue(text, 'llm_server_requests_total', { route: '/api/chat/message', model: 'mock', status: '200', method: 'POST' })).toBe(1);
    expect(metricValue(text, 'llm_server_requests_total', { route: '/api/chat/message', model: '', status: '400', method: 'POST' })).toBe(1);
    expect(metricValue(text, 'llm_server_tokens_total', { model: 'mock', kind: 'output' })).toBeGreaterThan(0);
    expect(metricValue(text, 'llm_server_request_duration_seconds_count', { route: '/api/chat/message', model: 'mock', status: '200' })).toBe(1);
    expect(metricValue(text, 'llm_server_chat_turns_total', { transport: 'rest', model: 'mock', outcome: 'ok' })).toBe(1);
    for (const name of ['llm_server_cost_usd_total', 'llm_server_cache_hits_total', 'llm_server_open_streams', 'llm_server_fallbacks_total']) expect(text).toContain(`# TYPE ${name}`);
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const spec = (await app.inject({ url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
      '/api/chat/session', '/api/chat/message', '/api/chat/message/stream', '/api/chat/history/{sessionId}', '/api/chat/sessions',
      '/api/chat/session/{sessionId}', '/api/models', '/health',
    ]));
    const message = spec.paths['/api/chat/message'].post;
    expect(message.requestBody.content['application/json'].schema.properties.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect(Object.keys(message.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '413', '429']));
    expect((await app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject({ url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('/docs');
  });
});

describe('the chat page', () => {
  it('is served at / and /chat/:id with a strict CSP and an anonymous-id cookie', async () => {
    for (const url of ['/', '/chat/123e4567-e89b-12d3-a456-426614174000']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(res.body).toContain('<script type="module" src="/assets/chat.js"></script>');
      expect(res.body).not.toMatch(/<script>[^<]/);
      expect(String(res.headers['set-cookie'])).toMatch(/^llm_anon=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Strict/);
    }
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
  });

  it('serves its assets and nothing else from the folder', async () => {
    const js = await app.inject({ url: '/assets/chat.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toContain('isComposing');
    expect(js.body).not.toContain('innerHTML');
    expect((await app.inject({ url: '/assets/markdown.js' })).body).not.toContain('innerHTML');
    expect((await app.inject({ url: '/assets/index.html' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/assets/..%2Fpackage.json' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('serves the built-in tutor bot when LLM_SERVER_BOTS names it, and rejects unknown bots', async () => {
    const bots = await testServer(dir.path, { env: { LLM_SERVER_BOTS: 'tutor' } });
    try {
      expect((await bots.inject({ url: '/tutor' })).statusCode).toBe(200);
      expect((await bots.inject({ url: '/tutor/123e4567-e89b-12d3-a456-426614174000' })).statusCode).toBe(200);
    } finally {
      await bots.close();
    }
    await expect(testServer(dir.path, { env: { LLM_SERVER_BOTS: 'pirate' } })).rejects.toThrow(/LLM_SERVER_BOTS: there is no built-in bot "pirate"/);
    await expect(testServer(dir.path, { consumers: { api: LanguageTutorChatConsumer } })).rejects.toThrow(/consumers: "api"/);
  });

  it('prints a banner that says the mock answers, where history goes and that anonymous access is on', () => {
    const lines = bannerLines(app.llm, 'http://localhost:3000').join('\n');
    expect(lines).toContain('listening on http://localhost:3000');
    expect(lines).toContain('Model: mock — the offline mock model answers (no API key is set)');
    expect(lines).toMatch(/History: sqlite .*\.sqlite/);
    expect(lines).toContain('Sessions: in memory');
    expect(lines).toContain('anonymous users are allowed');
    expect(lines).toContain('get_weather (demo data)');
  });
});
