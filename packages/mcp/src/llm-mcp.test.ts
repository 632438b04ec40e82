import { spawn } from 'node:child_process';
import path from 'node:path';
import { LLM } from '@llm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { childProcesses, everythingServerScript, fixturesDir, recordingLogger, requireBuiltPackage } from '../test/everything-server.js';

const serverChildren = (script: string) => childProcesses().filter((c) => c.command.includes(script));

describe('MCP tools in the LLM tool loop (scripted mock model)', () => {
  beforeAll(() => requireBuiltPackage());

  it('calls get-sum and echo on server-everything and records them in reply.toolInteractions', async () => {
    const llm = LLM.create('mock', {
      responses: [
        {
          toolCalls: [
            { name: 'get-sum', arguments: { a: 2, b: 3 } },
            { name: 'echo', arguments: { message: '안녕하세요' } },
          ],
        },
        { text: 'done' },
      ],
      mcpServers: { command: process.execPath, args: [everythingServerScript, 'stdio'], filterTools: ['get-sum', 'echo'], policy: 'required' },
      logger: recordingLogger(),
    });
    expect(serverChildren(everythingServerScript)).toEqual([]);
    const reply = await llm.ask('2 더하기 3은? 그리고 인사해줘');
    expect(reply.text).toBe('done');
    expect(reply.toolInteractions.map(({ tool, arguments: args, result, error }) => ({ tool, args, result, error }))).toEqual([
      { tool: 'get-sum', args: { a: 2, b: 3 }, result: 'The sum of 2 and 3 is 5.', error: undefined },
      { tool: 'echo', args: { message: '안녕하세요' }, result: 'Echo: 안녕하세요', error: undefined },
    ]);
    expect(serverChildren(everythingServerScript)).toHaveLength(1);
    await llm.closeMcp();
    expect(serverChildren(everythingServerScript)).toEqual([]);
  });

  it('runs the guide flow: createAsync with a command string, ask, then dispose closes the server', async () => {
    const fixture = path.join(fixturesDir, 'calculator-server.mjs');
    {
      await using llm = await LLM.createAsync('mock', {
        mcpServers: `"${process.execPath}" "${fixture}"`,
        responses: [{ toolCalls: [{ name: 'calculator', arguments: { expression: '25 * 17' } }] }, { text: '25 곱하기 17은 425입니다.' }],
        logger: recordingLogger(),
      });
      expect(serverChildren(fixture)).toHaveLength(1);
      const reply = await llm.ask('25 곱하기 17은?');
      expect(reply.text).toBe('25 곱하기 17은 425입니다.');
      expect(reply.toolInteractions[0]).toMatchObject({ tool: 'calculator', arguments: { expression: '25 * 17' }, result: '425' });
    }
    expect(serverChildren(fixture)).toEqual([]);
  });

  it('turns an MCP isError result into an error the model reads', async () => {
    const fixture = path.join(fixturesDir, 'calculator-server.mjs');
    await using llm = await LLM.createAsync('mock', {
      mcpServers: { command: process.execPath, args: [fixture] },
      responses: [{ toolCalls: [{ name: 'calculator', arguments: { expression: '1 / 0' } }] }, { text: '0으로 나눌 수 없어요.' }],
      logger: recordingLogger(),
    });
    const reply = await llm.ask('1을 0으로 나누면?');
    expect(reply.toolInteractions[0].result).toBeUndefined();
    expect(reply.toolInteractions[0].error).toMatch(/reported an error: Cannot evaluate "1 \/ 0": division by zero/);
  });
});

describe('process exit', () => {
  const stubborn = path.join(fixturesDir, 'stubborn-server.mjs');
  beforeAll(() => requireBuiltPackage());

  async function exitsWithin(pid: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
      }
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('control: the stubborn fixture server outlives the end of its stdin', async () => {
    const child = spawn(process.execPath, [stubborn], { stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      expect(await exitsWithin(child.pid as number, 1000)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('kills the stdio servers of a process that dies on an uncaught error', async () => {
    const child = spawn(process.execPath, [path.join(fixturesDir, 'crash-after-connect.mjs'), stubborn], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('crash on purpose');
    const { pid } = JSON.parse(stdout.trim()) as { pid: number };
    try {
      expect(await exitsWithin(pid, 3000)).toBe(true);
    } finally {
      if (!(await exitsWithin(pid, 0))) process.kill(pid, 'SIGKILL');
    }
  });
});
