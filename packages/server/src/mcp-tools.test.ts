import { createMcpServer, type McpHttpListener, type McpServerHandle } from '@llm/mcp';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, tempDir, testServer } from '../test/fixtures.js';

const dir = tempDir();
let mcp: McpServerHandle;
let listener: McpHttpListener;
let app: FastifyInstance;
const user = asAnonymous(anonymousId());

beforeAll(async () => {
  mcp = createMcpServer({
    name: 'korea-weather',
    tools: [{
      name: 'korea_weather',
      description: 'Current weather (날씨) of a Korean city.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: ({ city }: { city: string }) => `${city}: 맑음, 21도`,
    }],
  });
  listener = await mcp.listenHttp();
  app = await testServer(dir.path, { env: { MCP_SERVERS: JSON.stringify({ url: listener.url, name: 'korea-weather' }) }, builtinTools: false });
});
afterAll(async () => {
  await app?.close();
  await listener?.close();
  await mcp?.close();
  dir.cleanup();
});

describe('tools from MCP servers (MCP_SERVERS)', () => {
  it('lists them and lets the model call them', async () => {
    const { tools } = (await app.inject({ url: '/api/models', headers: user })).json();
    expect(tools).toEqual([{ name: 'korea_weather', source: 'mcp' }]);
    const body = (await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '부산 날씨 어때?' }, headers: user })).json();
    expect(body.toolsUsed).toEqual(['korea_weather']);
    expect(body.response).toContain('부산: 맑음, 21도');
  });
});

describe('the response cache (LLM_CACHE=memory)', () => {
  it('answers a repeated question from the cache and counts the hit', async () => {
    const cached = await testServer(dir.path, { env: { LLM_CACHE: 'memory' } });
    try {
      const ask = () => cached.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '캐시된 질문', useTools: false }, headers: user });
      const first = (await ask()).json();
      const second = (await ask()).json();
      expect(second.response).toBe(first.response);
      expect(second.usage.total).toBe(0);
      expect((await cached.inject({ url: '/metrics' })).body).toMatch(/^llm_server_cache_hits_total 1$/m);
    } finally {
      await cached.close();
    }
  });
});
