import { LLM } from '@llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger, startEverythingHttp, type RunningHttpServer } from '../test/everything-server.js';
import { connectMcpServers } from './mcp-connection.js';

describe('server-everything over HTTP on a loopback port', () => {
  let streamable: RunningHttpServer;
  let sse: RunningHttpServer;

  beforeAll(async () => {
    [streamable, sse] = await Promise.all([startEverythingHttp('streamableHttp'), startEverythingHttp('sse')]);
  });
  afterAll(async () => {
    await Promise.all([streamable?.stop(), sse?.stop()]);
  });

  it('connects over Streamable HTTP from a URL string and calls get-sum and echo', async () => {
    await using mcp = await connectMcpServers(`http://127.0.0.1:${streamable.port}/mcp`, { logger: recordingLogger() });
    expect(mcp.servers[0]).toMatchObject({ name: 'mcp-servers/everything', transport: 'http', status: 'connected' });
    const byName = new Map(mcp.tools.map((t) => [t.name, t]));
    expect(await byName.get('get-sum')?.execute?.({ a: 20, b: 22 }, { toolCallId: '1' })).toBe('The sum of 20 and 22 is 42.');
    expect(await byName.get('echo')?.execute?.({ message: '스트리밍 HTTP 안녕' }, { toolCallId: '2' })).toBe('Echo: 스트리밍 HTTP 안녕');
  });

  it('runs get-sum and echo through the LLM tool loop over Streamable HTTP', async () => {
    await using llm = await LLM.createAsync('mock', {
      mcpServers: { url: `http://127.0.0.1:${streamable.port}/mcp`, policy: 'required' },
      responses: [{ toolCalls: [{ name: 'get-sum', arguments: { a: 7, b: 8 } }, { name: 'echo', arguments: { message: '반가워요' } }] }, { text: '끝' }],
      logger: recordingLogger(),
    });
    const reply = await llm.ask('7 더하기 8, 그리고 인사');
    expect(reply.text).toBe('끝');
    expect(reply.toolInteractions.map((i) => [i.tool, i.result])).toEqual([
      ['get-sum', 'The sum of 7 and 8 is 15.'],
      ['echo', 'Echo: 반가워요'],
    ]);
  });

  it('goes straight to SSE for a URL ending in /sse', async () => {
    await using mcp = await connectMcpServers({ url: `http://127.0.0.1:${sse.port}/sse`, filterTools: ['echo'], policy: 'required' });
    expect(mcp.servers[0]).toMatchObject({ transport: 'sse', status: 'connected', toolNames: ['echo'] });
    expect(await mcp.tools[0].execute?.({ message: 'SSE 한글' }, { toolCallId: '3' })).toBe('Echo: SSE 한글');
  });

  it('connects to several servers in parallel, over different transports', async () => {
    await using mcp = await connectMcpServers([
      { name: 'http', url: `http://127.0.0.1:${streamable.port}/mcp`, filterTools: ['get-sum'] },
      { name: 'sse', url: `http://127.0.0.1:${sse.port}/sse`, filterTools: ['get-sum'] },
    ]);
    expect(mcp.tools.map((t) => t.name)).toEqual(['http__get-sum', 'sse__get-sum']);
    const results = await Promise.all(mcp.tools.map((t, i) => t.execute?.({ a: i, b: 1 }, { toolCallId: `p${i}` })));
    expect(results).toEqual(['The sum of 0 and 1 is 1.', 'The sum of 1 and 1 is 2.']);
  });
});
