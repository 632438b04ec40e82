import { ToolExecutionError, type Logger } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { createToolRegistry, demoSearchTool, demoWeatherTool } from './tool-registry.js';

const logger: Logger = { warn: () => undefined, error: () => undefined };

describe('the tool registry', () => {
  it('offers the calculator and the two demo tools', async () => {
    const registry = await createToolRegistry({ builtin: true, logger });
    expect(registry.describe()).toEqual([{ name: 'calculator', source: 'builtin' }, { name: 'get_weather', source: 'demo' }, { name: 'web_search', source: 'demo' }]);
    expect((await createToolRegistry({ builtin: false, logger })).tools).toEqual([]);
  });

  it('rejects duplicate tool names', async () => {
    await expect(createToolRegistry({ builtin: true, tools: [{ ...demoWeatherTool }], logger })).rejects.toThrow(/get_weather/);
  });

  it('computes with a real expression parser', async () => {
    const calculator = (await createToolRegistry({ builtin: true, logger })).tools[0];
    const run = (expression: string) => calculator.execute!({ expression }, { toolCallId: 't' });
    expect(run('25 * 17')).toBe(425);
    expect(run('(2 + 3) ^ 2 / sqrt(16)')).toBe(6.25);
  });

  it('rejects code injection payloads instead of evaluating them', async () => {
    const calculator = (await createToolRegistry({ builtin: true, logger })).tools[0];
    const payloads = [
      'constructor.constructor("return process")()', '(1).constructor.constructor("return this")()', 'process.exit(1)', 'process',
      '__proto__', '({}).__proto__', 'require("child_process").execSync("id")', 'require', 'globalThis', 'this', '1; process.exit()',
      'eval("1")', 'Function("return 1")()', '[].map.constructor("x")', '`${1}`', 'a=1',
    ];
    for (const expression of payloads) {
      let thrown: unknown;
      try {
        calculator.execute!({ expression }, { toolCallId: 't' });
      } catch (error) {
        thrown = error;
      }
      expect(ToolExecutionError.isInstance(thrown), expression).toBe(true);
    }
  });

  it('marks weather and search results as demo data', () => {
    const weather = demoWeatherTool.execute!({ location: '서울' }, { toolCallId: 't' }) as { demo: boolean; location: string; notice: string };
    expect(weather).toMatchObject({ demo: true, location: '서울' });
    expect(weather.notice).toContain('Demo data');
    // The same city (NFC or NFD) gives the same made-up weather.
    expect(demoWeatherTool.execute!({ location: '서울'.normalize('NFD') }, { toolCallId: 't' })).toMatchObject({ temperatureC: (weather as unknown as { temperatureC: number }).temperatureC });
    const search = demoSearchTool.execute!({ query: '타입스크립트' }, { toolCallId: 't' }) as { demo: boolean; results: { title: string }[] };
    expect(search.demo).toBe(true);
    expect(search.results[0].title).toContain('타입스크립트');
  });
});
