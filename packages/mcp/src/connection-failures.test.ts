import path from 'node:path';
import { MCPConnectionError } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { childProcesses, everythingServerScript, fixturesDir, freePort, recordingLogger } from '../test/everything-server.js';
import { trackedChildProcesses } from './child-process-registry.js';
import { connectMcpServers } from './mcp-connection.js';

const good = { name: 'good', command: process.execPath, args: [everythingServerScript, 'stdio'], filterTools: ['echo'] };
const missingCommand = { name: 'missing', command: 'llm-mcp-no-such-command-7f3a' };
const exits = { name: 'exits', command: process.execPath, args: [path.join(fixturesDir, 'no-such-script.mjs')] };
const silent = { name: 'silent', command: process.execPath, args: [path.join(fixturesDir, 'silent-server.mjs')], timeoutMs: 700 };

describe('failing servers', () => {
  it("'optional' (the default): logs a warning per failed server and goes on with the rest", async () => {
    const logger = recordingLogger();
    await using mcp = await connectMcpServers([good, missingCommand, exits], { logger });
    expect(mcp.tools.map((t) => t.name)).toEqual(['echo']);
    expect(mcp.servers.map((s) => [s.name, s.status])).toEqual([
      ['good', 'connected'],
      ['missing', 'failed'],
      ['exits', 'failed'],
    ]);
    expect(mcp.servers[1].error).toMatch(/was not found: install it or fix `command`/);
    expect(mcp.servers[2].error).toMatch(/Connection closed.*Its stderr ended with: .*no-such-script\.mjs/s);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toMatch(/MCP server "missing" failed to connect and is skipped/);
  });

  it("'required': throws MCPConnectionError listing every failed server and why, after closing the ones that connected", async () => {
    const before = new Set(trackedChildProcesses());
    const error = await connectMcpServers([good, { ...missingCommand, policy: 'required' }, exits], { logger: recordingLogger() }).catch((e: unknown) => e);
    expect(MCPConnectionError.isInstance(error)).toBe(true);
    const e = error as MCPConnectionError;
    expect(e.failures.map((f) => f.server)).toEqual(['missing', 'exits']);
    expect(e.message).toMatch(/Could not connect to 2 MCP servers: "missing" \(.*not found.*\); "exits" \(/);
    expect(trackedChildProcesses().filter((pid) => !before.has(pid))).toEqual([]);
    expect(childProcesses().filter((c) => c.command.includes(everythingServerScript))).toEqual([]);
  });

  it('times out a server that never answers initialize, and kills it', async () => {
    const started = Date.now();
    const error = await connectMcpServers({ ...silent, policy: 'required' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(MCPConnectionError.isInstance(error)).toBe(true);
    expect((error as MCPConnectionError).failures[0].reason).toMatch(/timed out\. It did not answer within 700 ms/);
    expect(childProcesses().filter((c) => c.command.includes('silent-server'))).toEqual([]);
  });

  it('reports a refused HTTP connection with the URL to check', async () => {
    const port = await freePort();
    const logger = recordingLogger();
    await using mcp = await connectMcpServers(`http://127.0.0.1:${port}/mcp`, { logger });
    expect(mcp.tools).toEqual([]);
    expect(mcp.servers[0]).toMatchObject({ name: `127.0.0.1:${port}`, transport: 'http', status: 'failed' });
    expect(mcp.servers[0].error).toMatch(/Check the URL, that the server is running/);
  });

  it('an aborted signal stops connecting and closes what connected', async () => {
    const controller = new AbortController();
    const pending = connectMcpServers([good, silent], { signal: controller.signal, logger: recordingLogger() }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 150);
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(childProcesses()).toEqual([]);
  });
});
