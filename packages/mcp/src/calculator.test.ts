import { ToolExecutionError } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { calculatorTool, evaluateExpression } from './calculator.js';

describe('evaluateExpression', () => {
  it('computes with precedence, associativity, unary minus and parentheses', () => {
    const cases: [string, number][] = [
      ['25 * 17', 425],
      ['25 곱하기 17'.replace('곱하기', '*'), 425],
      ['1 + 2 * 3', 7],
      ['(1 + 2) * 3', 9],
      ['10 - 4 - 3', 3],
      ['2 ^ 3 ^ 2', 512],
      ['2 ** 10', 1024],
      ['-2 ^ 2', -4],
      ['2 ^ -1', 0.5],
      ['--3', 3],
      ['7 % 3', 1],
      ['1.5e3 / .5', 3000],
      ['12 × 3 ÷ 4', 9],
      ['sqrt(16) + abs(-2)', 6],
      ['max(1, 7, 3) - min(4, 2)', 5],
      ['round(pi * 100) / 100', 3.14],
      ['floor(2.7) + ceil(2.1) + log10(1000)', 8],
      ['ln(e)', 1],
    ];
    for (const [expression, expected] of cases) expect(evaluateExpression(expression), expression).toBeCloseTo(expected, 10);
  });

  it('rejects anything that is not arithmetic, with a ToolExecutionError', () => {
    const cases: [unknown, RegExp][] = [
      ['process.exit(1)', /unexpected character "\."/],
      ['process', /unexpected "process"/],
      ['constructor', /unexpected "constructor"/],
      ['alert("x")', /unexpected character "\\""/],
      ['25 곱하기 17', /unexpected character "곱"/],
      ['1 / 0', /division by zero/],
      ['5 % 0', /modulo by zero/],
      ['(1 + 2', /expected '\)' at the end/],
      ['1 +', /ends too early/],
      ['1 2', /unexpected "2"/],
      ['sqrt(1, 2)', /sqrt\(\) takes 1 argument/],
      ['sqrt(-1)', /not a finite number/],
      ['10 ^ 400', /not a finite number/],
      ['', /empty/],
      [42, /must be a string/],
      ['('.repeat(200) + '1' + ')'.repeat(200), /nested too deeply/],
      ['1+'.repeat(600) + '1', /longer than 1000/],
    ];
    for (const [expression, pattern] of cases) {
      let caught: unknown;
      try {
        evaluateExpression(expression as string);
      } catch (error) {
        caught = error;
      }
      expect(ToolExecutionError.isInstance(caught), String(expression).slice(0, 30)).toBe(true);
      expect((caught as Error).message).toMatch(pattern);
    }
  });

  it('is a ready tool with a JSON Schema', async () => {
    expect(calculatorTool.name).toBe('calculator');
    expect(calculatorTool.parameters).toMatchObject({ type: 'object', required: ['expression'] });
    expect(await calculatorTool.execute?.({ expression: '(2 + 3) ^ 2 / sqrt(16)' }, { toolCallId: 't1' })).toBe(6.25);
  });
});
