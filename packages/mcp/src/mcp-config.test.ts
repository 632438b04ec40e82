import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@llm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MCP_TIMEOUT_MS, resolveMcpServers } from './mcp-config.js';

describe('resolveMcpServers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-mcp-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a command string as stdio, parsed like a shell', async () => {
    const [server] = await resolveMcpServers('node "my server.js" --flag');
    expect(server).toMatchObject({ transport: 'stdio', command: 'node', args: ['my server.js', '--flag'], label: 'my server', policy: 'optional', timeoutMs: DEFAULT_MCP_TIMEOUT_MS });
  });

  it('reads URLs as Streamable HTTP, and /sse URLs as SSE', async () => {
    const servers = await resolveMcpServers(['http://127.0.0.1:3001/mcp', 'https://example.test/sse', 'http://127.0.0.1:9/sse/']);
    expect(servers.map((s) => s.transport)).toEqual(['http', 'sse', 'sse']);
    expect(servers[0].label).toBe('127.0.0.1:3001');
  });

  it('takes config objects and arrays; a command without args is parsed, with args it is kept whole', async () => {
    const servers = await resolveMcpServers([
      { name: '계산기', command: 'node calc.js --x', timeoutMs: 500, policy: 'required', prefix: true },
      { command: '/opt/My Server/bin', args: [] },
      { url: 'http://127.0.0.1:1/events', transport: 'sse', headers: { Authorization: 'Bearer t' } },
    ]);
    expect(servers[0]).toMatchObject({ name: '계산기', label: '계산기', command: 'node', args: ['calc.js', '--x'], timeoutMs: 500, policy: 'required', prefix: true });
    expect(servers[1]).toMatchObject({ command: '/opt/My Server/bin', args: [], label: 'bin' });
    expect(servers[2]).toMatchObject({ transport: 'sse', headers: { Authorization: 'Bearer t' } });
  });

  it('takes the desktop-client JSON as an object, a JSON string or a .json file path', async () => {
    const desktop = {
      mcpServers: {
        calculator: { command: 'node', args: ['calc.js'], env: { KEY: '값' }, cwd: 'servers' },
        remote: { url: 'http://127.0.0.1:3001/mcp', type: 'streamable-http' },
        legacy: { url: 'http://127.0.0.1:3002/events', type: 'sse' },
        off: { command: 'never', disabled: true },
      },
    };
    const fromObject = await resolveMcpServers(desktop);
    expect(fromObject.map((s) => [s.name, s.transport])).toEqual([
      ['calculator', 'stdio'],
      ['remote', 'http'],
      ['legacy', 'sse'],
    ]);
    expect(fromObject[0]).toMatchObject({ env: { KEY: '값' }, cwd: 'servers' });
    expect((await resolveMcpServers(JSON.stringify(desktop))).length).toBe(3);
    const file = path.join(dir, 'mcp 설정.json');
    writeFileSync(file, JSON.stringify(desktop));
    const fromFile = await resolveMcpServers(`"${file}"`);
    expect(fromFile.map((s) => s.name)).toEqual(['calculator', 'remote', 'legacy']);
    expect(fromFile[0].cwd).toBe(path.join(dir, 'servers'));
  });

  it('rejects bad input with ConfigurationErrors that say what to fix', async () => {
    const cases: [unknown, RegExp][] = [
      ['', /empty/],
      [[], /No MCP servers/],
      [42, /command string, a URL or a config object/],
      [{ name: 'x' }, /needs `command` \(stdio\) or `url`/],
      [{ command: 'a', url: 'http://127.0.0.1/' }, /both `command` and `url`/],
      [{ url: 'ftp://host/x' }, /http:\/\/ or https:\/\//],
      [{ url: 'http://127.0.0.1/', transport: 'stdio' }, /give `command` for stdio/],
      [{ command: 'a', transport: 'http' }, /give `url` for HTTP/],
      [{ command: 'a', transport: 'ws' }, /unknown transport/],
      [{ command: 'a', timeoutMs: 0 }, /positive `timeoutMs`/],
      [{ command: 'a', policy: 'maybe' }, /unknown policy/],
      [{ command: 'a', filterTools: 'echo' }, /filterTools/],
      [{ mcpServers: [] }, /"mcpServers" object/],
      [{ mcpServers: { x: { url: 'http://127.0.0.1/', type: 'websocket' } } }, /unknown type/],
      ['node "unclosed', /unclosed " quote/],
      [path.join(dir, 'missing.json'), /Cannot read the MCP config file/],
      ['{not json', /not valid JSON/],
    ];
    for (const [input, pattern] of cases) {
      const error = await resolveMcpServers(input as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(ConfigurationError.isInstance(error), JSON.stringify(input)).toBe(true);
      expect((error as Error).message, JSON.stringify(input)).toMatch(pattern);
    }
  });
});
