import { AbortError, TimeoutError, type Tool } from '@llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingServerScript, isAlive, recordingLogger, waitUntilGone } from '../test/everything-server.js';
import { trackedChildProcesses } from './child-process-registry.js';
import { connectMcpServers, type McpConnection } from './mcp-connection.js';

function tool(connection: McpConnection, name: string): Tool {
  const found = connection.tools.find((t) => t.name === name);
  if (!found?.execute) throw new Error(`no tool ${name} among ${connection.tools.map((t) => t.name).join(', ')}`);
  return found;
}

const call = (connection: McpConnection, name: string, args: Record<string, unknown>, signal?: AbortSignal) =>
  tool(connection, name).execute?.(args, { toolCallId: `call-${name}`, signal });

describe('server-everything over stdio', () => {
  let mcp: McpConnection;
  const mark = `stdio-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    mcp = await connectMcpServers(
      { command: process.execPath, args: [everythingServerScript, 'stdio'], env: { LLM_MCP_TEST_MARK: mark }, policy: 'required' },
      { logger: recordingLogger() },
    );
  });
  afterAll(() => mcp?.close());

  it('connects, names the server from its serverInfo and lists its tools with JSON schemas', () => {
    expect(mcp.servers).toHaveLength(1);
    const [server] = mcp.servers;
    expect(server).toMatchObject({ name: 'mcp-servers/everything', transport: 'stdio', status: 'connected' });
    expect(server.toolNames).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env', 'get-tiny-image', 'get-structured-content']));
    expect(mcp.tools.map((t) => t.name)).toEqual(server.toolNames);
    expect(tool(mcp, 'get-sum').parameters).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });
    expect(tool(mcp, 'get-sum').description).toBe('Returns the sum of two numbers');
  });

  it('calls get-sum and echo; Korean text (NFC and NFD) makes the round trip unchanged', async () => {
    expect(await call(mcp, 'get-sum', { a: 2, b: 3 })).toBe('The sum of 2 and 3 is 5.');
    expect(await call(mcp, 'echo', { message: '안녕하세요, MCP!' })).toBe('Echo: 안녕하세요, MCP!');
    const nfd = '한글 자모'.normalize('NFD');
    const echoed = await call(mcp, 'echo', { message: nfd });
    expect(echoed).toBe(`Echo: ${nfd}`);
    expect(echoed).not.toBe(`Echo: ${nfd.normalize('NFC')}`);
  });

  it('returns structuredContent as an object and images as parts', async () => {
    expect(await call(mcp, 'get-structured-content', { location: 'Chicago' })).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
    const image = (await call(mcp, 'get-tiny-image', {})) as { type: string; mediaType?: string; base64?: string }[];
    const png = image.find((p) => p.type === 'image');
    expect(png?.mediaType).toBe('image/png');
    expect(Buffer.from(png?.base64 ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('passes env to the child, merged over the default environment', async () => {
    const env = JSON.parse(String(await call(mcp, 'get-env', {}))) as Record<string, string>;
    expect(env.LLM_MCP_TEST_MARK).toBe(mark);
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('turns invalid arguments into a ToolExecutionError the tool loop can report', async () => {
    await expect(call(mcp, 'get-sum', { a: 'two', b: 3 })).rejects.toMatchObject({ name: 'ToolExecutionError' });
  });

  it('applies timeoutMs to every tool call', async () => {
    await using slow = await connectMcpServers({
      command: process.execPath,
      args: [everythingServerScript, 'stdio'],
      filterTools: ['trigger-long-running-operation'],
      timeoutMs: 3000,
      policy: 'required',
    });
    const started = Date.now();
    const error = await Promise.resolve(call(slow, 'trigger-long-running-operation', { duration: 20, steps: 4 })).catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/did not answer within 3000 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('honours the AbortSignal of the tool context', async () => {
    const controller = new AbortController();
    const pending = Promise.resolve(call(mcp, 'trigger-long-running-operation', { duration: 5, steps: 5 }, controller.signal)).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    expect(AbortError.isInstance(await pending)).toBe(true);
  });
});

describe('tool selection and naming across servers', () => {
  const server = { command: process.execPath, args: [everythingServerScript, 'stdio'], policy: 'required' as const };

  it('keeps a subset with filterTools (names or a predicate)', async () => {
    await using byName = await connectMcpServers({ ...server, filterTools: ['echo', 'get-sum'] });
    expect(byName.tools.map((t) => t.name).sort()).toEqual(['echo', 'get-sum']);
    await using byPredicate = await connectMcpServers({ ...server, filterTools: (t) => t.name.startsWith('get-s') });
    expect(byPredicate.tools.map((t) => t.name).sort()).toEqual(['get-structured-content', 'get-sum']);
  });

  it('prefixes colliding names as server__tool, and every name with prefix: true', async () => {
    await using mcp = await connectMcpServers([
      { ...server, name: 'first', filterTools: ['echo', 'get-sum'] },
      { ...server, name: 'second', filterTools: ['echo'] },
      { ...server, name: '세 번째', filterTools: ['get-env'], prefix: true },
      { ...server, filterTools: ['get-tiny-image'], prefix: 'img' },
    ]);
    expect(mcp.tools.map((t) => t.name)).toEqual(['first__echo', 'get-sum', 'second__echo', 'server3__get-env', 'img__get-tiny-image']);
    expect(mcp.servers.map((s) => s.name)).toEqual(['first', 'second', '세 번째', 'mcp-servers/everything']);
    expect(mcp.servers[2].toolNames).toEqual(['server3__get-env']);
    expect(await tool(mcp, 'second__echo').execute?.({ message: '둘째' }, { toolCallId: 'x' })).toBe('Echo: 둘째');
  });

  it('leaves no child process running after close(), and removes the exit handler', async () => {
    const exitListeners = process.listenerCount('exit');
    const mcp = await connectMcpServers([server, server]);
    const pids = mcp.servers.map((s) => s.pid as number);
    expect(pids.every((pid) => typeof pid === 'number' && isAlive(pid))).toBe(true);
    expect(trackedChildProcesses()).toEqual(expect.arrayContaining(pids));
    expect(process.listenerCount('exit')).toBe(exitListeners + 1);
    await mcp.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(trackedChildProcesses()).not.toEqual(expect.arrayContaining([pids[0]]));
    expect(process.listenerCount('exit')).toBe(exitListeners);
    await mcp.close(); // idempotent
    expect(await waitUntilGone(pids[1], 10)).toBe(true);
  });
});
