import { describe, expect, it } from 'vitest';
import { BUILT_BIN, runBuiltCli } from '../testing/cli-harness.js';

describe('llm agent run (built binary, mock model)', () => {
  it('answers with the calculator tool and traces the call on stderr', async () => {
    const run = await runBuiltCli(['agent', 'run', '--model', 'mock', '--tool', 'calculator', '25 곱하기 17은?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('[mock] 도구 결과: calculator → 425\n');
    expect(run.stderr).toBe('tool calculator {"expression":"25*17"} → 425\n');
  });

  it('uses the demo weather tool for a Korean weather question', async () => {
    const run = await runBuiltCli(['agent', 'run', '--model', 'mock', '--tool', 'weather', '부산 날씨 어때?']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^tool get_weather \{"location":"부산"\} → \{"location":"부산",.*"demo":true,.*\}\n$/);
    expect(run.stdout).toContain('도구 결과: get_weather →');
  });

  it('uses tools from an MCP server: our own `llm mcp-server run calculator`', async () => {
    const run = await runBuiltCli(['agent', 'run', '--model', 'mock', '--mcp', `"${process.execPath}" "${BUILT_BIN}" mcp-server run calculator`, '12 더하기 30은?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('[mock] 도구 결과: calculator → 42\n');
    expect(run.stderr).toContain('tool calculator {"expression":"12+30"} → 42');
  });

  it('--json prints the reply with its tool interactions', async () => {
    const run = await runBuiltCli(['agent', 'run', '--model', 'mock', '--tool', 'calculator', '--json', '6 곱하기 7은?']);
    const reply = JSON.parse(run.stdout);
    expect(reply.toolInteractions).toEqual([expect.objectContaining({ tool: 'calculator', arguments: { expression: '6*7' }, result: 42 })]);
    expect(reply.text).toContain('42');
  });

  it('an unknown tool is a usage error; an MCP server that will not start is a failure', async () => {
    const unknown = await runBuiltCli(['agent', 'run', '--model', 'mock', '--tool', 'teleport', '안녕']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown tool "teleport"');
    const broken = await runBuiltCli(['agent', 'run', '--model', 'mock', '--mcp', `"${process.execPath}" /nonexistent/server.js`, '안녕']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Could not connect to the MCP server');
  });
});
