import { ToolExecutionError, type Tool } from '@llm/core';

type Token = { kind: 'number'; value: number; at: number } | { kind: 'name'; value: string; at: number } | { kind: 'op'; value: string; at: number };

const FUNCTIONS: Record<string, { arity: [number, number]; run: (...xs: number[]) => number }> = {
  sqrt: { arity: [1, 1], run: Math.sqrt },
  abs: { arity: [1, 1], run: Math.abs },
  sin: { arity: [1, 1], run: Math.sin },
  cos: { arity: [1, 1], run: Math.cos },
  tan: { arity: [1, 1], run: Math.tan },
  asin: { arity: [1, 1], run: Math.asin },
  acos: { arity: [1, 1], run: Math.acos },
  atan: { arity: [1, 1], run: Math.atan },
  exp: { arity: [1, 1], run: Math.exp },
  ln: { arity: [1, 1], run: Math.log },
  log: { arity: [1, 1], run: Math.log },
  log10: { arity: [1, 1], run: Math.log10 },
  log2: { arity: [1, 1], run: Math.log2 },
  floor: { arity: [1, 1], run: Math.floor },
  ceil: { arity: [1, 1], run: Math.ceil },
  round: { arity: [1, 1], run: Math.round },
  min: { arity: [1, 64], run: Math.min },
  max: { arity: [1, 64], run: Math.max },
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const MAX_LENGTH = 1000;
const MAX_DEPTH = 100;

function fail(expression: string, why: string): ToolExecutionError {
  return new ToolExecutionError(
    `Cannot evaluate ${JSON.stringify(expression)}: ${why}. Use numbers, + - * / % ^, parentheses and ${Object.keys(FUNCTIONS).join(', ')}, pi, e.`,
    { toolName: 'calculator' },
  );
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),×÷])/y;
  let at = 0;
  while (at < expression.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) throw fail(expression, `unexpected character ${JSON.stringify(String.fromCodePoint(expression.codePointAt(at) ?? 0))} at position ${at}`);
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', value: match[2].toLowerCase(), at });
    else if (match[3] !== undefined) tokens.push({ kind: 'op', value: ({ '**': '^', '×': '*', '÷': '/' } as Record<string, string>)[match[3]] ?? match[3], at });
    at = pattern.lastIndex;
  }
  return tokens;
}

/**
 * Evaluates an arithmetic expression without `eval`: numbers, `+ - * / %`, `^` (or `**`, right-associative),
 * parentheses, unary minus, `pi`, `e` and a few Math functions (sqrt, abs, sin, cos, tan, ln/log, log10, log2, exp,
 * floor, ceil, round, min, max). Anything else, division by zero and non-finite results throw a ToolExecutionError.
 * @example
 * evaluateExpression('25 * 17'); // 425
 * evaluateExpression('-2^2 + sqrt(16)'); // 0
 */
export function evaluateExpression(expression: string): number {
  if (typeof expression !== 'string') throw fail(String(expression), `the expression must be a string, got ${typeof expression}`);
  if (expression.trim() === '') throw fail(expression, 'the expression is empty');
  if (expression.length > MAX_LENGTH) throw fail(expression.slice(0, 40) + '…', `it is longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(expression);
  let pos = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => peek()?.kind === 'op' && peek()?.value === value;
  const expect = (value: string): void => {
    if (!isOp(value)) throw fail(expression, `expected '${value}' ${peek() ? `at position ${peek()?.at}` : 'at the end'}`);
    pos++;
  };
  const nested = <T>(run: () => T): T => {
    if (++depth > MAX_DEPTH) throw fail(expression, 'it is nested too deeply');
    try {
      return run();
    } finally {
      depth--;
    }
  };

  const sum = (): number =>
    nested(() => {
      let value = product();
      while (isOp('+') || isOp('-')) value = tokens[pos++].value === '+' ? value + product() : value - product();
      return value;
    });
  const product = (): number => {
    let value = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = tokens[pos++].value;
      const right = unary();
      if (op !== '*' && right === 0) throw fail(expression, op === '/' ? 'division by zero' : 'modulo by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  };
  const unary = (): number =>
    nested(() => {
      if (isOp('-')) return pos++, -unary();
      if (isOp('+')) return pos++, unary();
      const base = primary();
      if (!isOp('^')) return base;
      pos++;
      return base ** unary();
    });
  const primary = (): number => {
    const token = peek();
    if (!token) throw fail(expression, 'it ends too early');
    pos++;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'op' && token.value === '(') {
      const value = sum();
      expect(')');
      return value;
    }
    if (token.kind === 'name' && Object.hasOwn(CONSTANTS, token.value) && !isOp('(')) return CONSTANTS[token.value];
    if (token.kind === 'name' && Object.hasOwn(FUNCTIONS, token.value)) {
      const fn = FUNCTIONS[token.value];
      expect('(');
      const args = [sum()];
      while (isOp(',')) {
        pos++;
        args.push(sum());
      }
      expect(')');
      if (args.length < fn.arity[0] || args.length > fn.arity[1]) throw fail(expression, `${token.value}() takes ${fn.arity[0] === fn.arity[1] ? fn.arity[0] : `${fn.arity[0]} or more`} argument(s)`);
      return fn.run(...args);
    }
    throw fail(expression, `unexpected ${JSON.stringify(String(token.value))} at position ${token.at}`);
  };

  const value = sum();
  if (pos < tokens.length) throw fail(expression, `unexpected ${JSON.stringify(String(tokens[pos].value))} at position ${tokens[pos].at}`);
  if (!Number.isFinite(value)) throw fail(expression, 'the result is not a finite number');
  return value;
}

/**
 * A ready calculator tool (the guide's `calculator.py`): `{ expression }` → the number. Serve it over MCP with
 * `createMcpServer({ name: 'calculator', tools: [calculatorTool] })` or pass it to `llm.ask(..., { tools })`.
 */
export const calculatorTool: Tool<{ expression: string }, number> = {
  name: 'calculator',
  description: 'Evaluates an arithmetic expression such as "25 * 17" or "(2 + 3) ^ 2 / sqrt(16)" and returns the number.',
  parameters: {
    type: 'object',
    properties: {
      expression: { type: 'string', description: 'The expression: numbers, + - * / % ^, parentheses, sqrt, abs, sin, cos, tan, ln, log10, exp, floor, ceil, round, min, max, pi, e.' },
    },
    required: ['expression'],
    additionalProperties: false,
  },
  execute: ({ expression }) => evaluateExpression(expression),
};
