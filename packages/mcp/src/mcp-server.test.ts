import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ConfigurationError, ToolExecutionError, defineTool, type Tool } from '@llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixturesDir, recordingLogger, requireBuiltPackage } from '../test/everything-server.js';
import { calculatorTool } from './calculator.js';
import { connectMcpServers, type McpConnection } from './mcp-connection.js';
import { createMcpServer, type McpHttpListener, type McpServerHandle } from './mcp-server.js';

const greet = defineTool({
  name: 'greet',
  description: '인사말을 만듭니다',
  parameters: z.object({ name: z.string().describe('이름'), times: z.number().int().min(1).default(1) }),
  execute: ({ name, times }) => Array.from({ length: times }, () => `안녕하세요, ${name}님!`).join(' '),
});
const weather = defineTool({
  name: 'weather',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, 기온: 21, 맑음: true }),
});
const failing = defineTool({
  name: 'fails',
  parameters: z.object({}),
  execute: () => {
    throw new Error('데이터베이스에 연결할 수 없습니다');
  },
});

async function callTool(mcp: McpConnection, name: string, args: Record<string, unknown>): Promise<unknown> {
  const tool = mcp.tools.find((t) => t.name === name);
  if (!tool?.execute) throw new Error(`no tool ${name}`);
  return tool.execute(args, { toolCallId: `c-${name}` });
}

describe('createMcpServer over Streamable HTTP (in-process)', () => {
  let server: McpServerHandle;
  let listener: McpHttpListener;
  let mcp: McpConnection;

  beforeAll(async () => {
    server = createMcpServer({ name: 'our-tools', version: '1.2.3', tools: [calculatorTool, greet, weather, failing] as Tool[] });
    listener = await server.listenHttp({ port: 0 });
    mcp = await connectMcpServers(listener.url, { logger: recordingLogger() });
  });
  afterAll(async () => {
    await mcp?.close();
    await server?.close();
  });

  it('listens on loopback and lists the tools with zod parameters turned into JSON Schema', () => {
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(mcp.servers[0]).toMatchObject({ name: 'our-tools', transport: 'http', status: 'connected' });
    expect(mcp.tools.map((t) => t.name)).toEqual(['calculator', 'greet', 'weather', 'fails']);
    const params = mcp.tools[1].parameters as { type: string; properties: Record<string, { type: string; description?: string }>; required: string[]; $schema?: string };
    expect(params.type).toBe('object');
    expect(params.properties.name).toMatchObject({ type: 'string', description: '이름' });
    expect(params.properties.times.type).toBe('integer');
    expect(params.required).toEqual(['name']);
    expect(params.$schema).toBeUndefined();
    expect(mcp.tools[1].description).toBe('인사말을 만듭니다');
  });

  it('runs the calculator (the guide: 25 곱하기 17)', async () => {
    expect(await callTool(mcp, 'calculator', { expression: '25 * 17' })).toBe('425');
  });

  it('validates arguments with the zod schema (defaults applied) and JSON Schema tools with ajv', async () => {
    expect(await callTool(mcp, 'greet', { name: '김철수' })).toBe('안녕하세요, 김철수님!');
    expect(await callTool(mcp, 'greet', { name: '영희', times: 2 })).toBe('안녕하세요, 영희님! 안녕하세요, 영희님!');
    await expect(callTool(mcp, 'greet', { name: '영희', times: 0 })).rejects.toThrow(/Invalid arguments for greet: times:/);
    await expect(callTool(mcp, 'calculator', { expression: 5 })).rejects.toThrow(/Invalid arguments for calculator/);
  });

  it('returns objects as structuredContent, and thrown errors as isError results', async () => {
    expect(await callTool(mcp, 'weather', { city: '서울' })).toEqual({ city: '서울', 기온: 21, 맑음: true });
    const error = await callTool(mcp, 'fails', {}).catch((e: unknown) => e);
    expect(ToolExecutionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('The MCP tool "fails" on server "our-tools" reported an error: 데이터베이스에 연결할 수 없습니다');
    const bad = await callTool(mcp, 'calculator', { expression: '1 / 0' }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/division by zero/);
  });

  it('answers other paths with 404 and GET with 405', async () => {
    const base = new URL(listener.url);
    expect((await fetch(new URL('/other', base))).status).toBe(404);
    expect((await fetch(listener.url)).status).toBe(405);
  });

  it('stops listening on close()', async () => {
    const extra = await server.listenHttp();
    await extra.close();
    const error = await fetch(extra.url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('createMcpServer over SSE, reached through the Streamable HTTP → SSE fallback', () => {
  let http: HttpServer;
  let url: string;
  const server = createMcpServer({ name: 'sse-only', tools: [calculatorTool] });

  beforeAll(async () => {
    const transports = new Map<string, SSEServerTransport>();
    http = createServer((req, res) => {
      const { pathname, searchParams } = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && pathname === '/events') {
        const transport = new SSEServerTransport('/messages', res);
        transports.set(transport.sessionId, transport);
        void server.connect(transport);
      } else if (req.method === 'POST' && pathname === '/messages') {
        void transports.get(searchParams.get('sessionId') ?? '')?.handlePostMessage(req, res);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}/events`;
  });
  afterAll(async () => {
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it('falls back to SSE when the server answers 404 to Streamable HTTP', async () => {
    await using mcp = await connectMcpServers({ url, policy: 'required' });
    expect(mcp.servers[0]).toMatchObject({ name: 'sse-only', transport: 'sse', status: 'connected' });
    expect(await callTool(mcp, 'calculator', { expression: '(1 + 2) ^ 2' })).toBe('9');
  });
});

describe('createMcpServer over stdio (the guide’s calculator server as a node script)', () => {
  const fixture = path.join(fixturesDir, 'calculator-server.mjs');
  const workDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'llm-mcp-cwd-')));
  beforeAll(() => requireBuiltPackage());
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('connects from a quoted command string, like mcpServers: "node calculator-server.js"', async () => {
    await using mcp = await connectMcpServers(`"${process.execPath}" "${fixture}"`, { logger: recordingLogger() });
    expect(mcp.servers[0]).toMatchObject({ name: 'calculator', transport: 'stdio', status: 'connected', toolNames: ['calculator', 'about'] });
    expect(await callTool(mcp, 'calculator', { expression: '25 * 17' })).toBe('425');
  });

  it('starts the child in `cwd` with `env`', async () => {
    const mark = `표시-${process.pid}`;
    await using mcp = await connectMcpServers({ command: process.execPath, args: [fixture], cwd: workDir, env: { LLM_MCP_TEST_MARK: mark } });
    const about = (await callTool(mcp, 'about', {})) as { cwd: string; mark: string; pid: number };
    expect(about.cwd).toBe(workDir);
    expect(about.mark).toBe(mark);
    expect(about.pid).toBe(mcp.servers[0].pid);
  });
});

describe('createMcpServer input checks', () => {
  it('throws ConfigurationErrors for tools it cannot serve', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => createMcpServer({ name: '', tools: [] }), /needs a `name`/],
      [() => createMcpServer({ name: 'x', tools: [{ name: 'a', parameters: { type: 'object' } }] }), /has no `execute`/],
      [() => createMcpServer({ name: 'x', tools: [calculatorTool, calculatorTool] as Tool[] }), /two tools named "calculator"/],
      [() => createMcpServer({ name: 'x', tools: [{ name: 'a', parameters: z.string(), execute: () => 1 }] }), /needs type "object"/],
    ];
    for (const [run, pattern] of cases) {
      let caught: unknown;
      try {
        run();
      } catch (error) {
        caught = error;
      }
      expect(ConfigurationError.isInstance(caught)).toBe(true);
      expect((caught as Error).message).toMatch(pattern);
    }
  });
});
