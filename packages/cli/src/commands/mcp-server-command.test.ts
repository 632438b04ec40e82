import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_BIN, cleanEnv, finished, runBuiltCli, spawnBuiltCli, waitForOutput } from '../testing/cli-harness.js';

// The CLI has no direct dependency on the MCP SDK, so the test resolves the SDK @llm/mcp depends on.
const sdk = createRequire(new URL('../../../mcp/package.json', import.meta.url));
const load = (path: string) => import(pathToFileURL(sdk.resolve(`@modelcontextprotocol/sdk/${path}`)).href);

interface ToolResult {
  content: { type: string; text?: string }[];
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}
interface McpClient {
  connect(transport: unknown): Promise<void>;
  listTools(): Promise<{ tools: { name: string; description?: string; inputSchema: Record<string, unknown> }[] }>;
  callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<ToolResult>;
  getServerVersion(): { name: string } | undefined;
  close(): Promise<void>;
}

async function newClient(): Promise<McpClient> {
  const { Client } = await load('client/index.js');
  return new Client({ name: 'llm-cli-test', version: '1.0.0' });
}

const text = (result: ToolResult) => result.content.map((c) => c.text ?? '').join('');

let client: McpClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('llm mcp-server run (built binary) answered by the MCP SDK client', () => {
  it('serves the calculator over stdio', async () => {
    const { StdioClientTransport } = await load('client/stdio.js');
    client = await newClient();
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BUILT_BIN, 'mcp-server', 'run', 'calculator'], env: cleanEnv() as Record<string, string>, stderr: 'pipe' }));
    expect(client.getServerVersion()?.name).toBe('calculator');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['calculator']);
    expect(tools[0].inputSchema).toMatchObject({ type: 'object', required: ['expression'] });
    expect(text(await client.callTool({ name: 'calculator', arguments: { expression: '25 * 17' } }))).toBe('425');
    expect(text(await client.callTool({ name: 'calculator', arguments: { expression: '(2 + 3) ^ 2 / sqrt(16)' } }))).toBe('6.25');
    const attack = await client.callTool({ name: 'calculator', arguments: { expression: 'constructor.constructor("return process")()' } });
    expect(attack.isError).toBe(true);
    expect(text(attack)).toContain('Cannot evaluate');
  });

  it('serves several tools; the demo weather tool answers in Korean', async () => {
    const { StdioClientTransport } = await load('client/stdio.js');
    client = await newClient();
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BUILT_BIN, 'mcp-server', 'run', 'calculator', 'weather', 'search'], env: cleanEnv() as Record<string, string>, stderr: 'pipe' }));
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['calculator', 'get_weather', 'web_search']);
    const weather = await client.callTool({ name: 'get_weather', arguments: { location: '서울' } });
    expect(weather.isError).toBeFalsy();
    expect(JSON.parse(text(weather))).toMatchObject({ location: '서울', demo: true });
  });

  it('serves Streamable HTTP with --http and stops on Ctrl-C', async () => {
    const child = spawnBuiltCli(['mcp-server', 'run', 'calculator', '--http', '--port', '0']);
    const done = finished(child);
    try {
      const banner = await waitForOutput(child.stderr!, /at (http:\/\/\S+)/);
      const url = /at (http:\/\/\S+);/.exec(banner)![1];
      const { StreamableHTTPClientTransport } = await load('client/streamableHttp.js');
      client = await newClient();
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      expect(text(await client.callTool({ name: 'calculator', arguments: { expression: '7*6' } }))).toBe('42');
      await client.close();
      client = undefined;
    } finally {
      child.kill('SIGINT');
    }
    expect((await done).code).toBe(130);
  });

  it('refuses an unknown tool with exit code 2', async () => {
    const run = await runBuiltCli(['mcp-server', 'run', 'teleport']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown tool "teleport". The built-in tools are calculator, weather, search');
  });
});
