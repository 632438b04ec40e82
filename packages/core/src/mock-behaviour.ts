import { messageText } from './message-json.js';
import type { JsonSchema, Message, ProviderRequest, ToolCall, ToolSpec } from './types.js';

/** The prefix of every answer the mock writes itself, so nobody mistakes it for a real model. */
export const MOCK_MARK = '[mock]';

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/** Whether a text is mostly Korean. */
export function isKorean(text: string): boolean {
  return HANGUL.test(text);
}

/** A rough token count: about one token per 4 characters or per word, whichever is larger. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  // Words counted in one pass (no split/filter arrays: the mock answers every offline request of the server).
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0xfeff || (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return Math.max(1, Math.ceil(text.length / 4), words);
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messageText(messages[i]);
  return '';
}

const ARITHMETIC = /(-?\d+(?:\.\d+)?(?:\s*(?:[-+*/×÷^%]|곱하기|더하기|빼기|나누기|times|plus|minus|divided by)\s*-?\d+(?:\.\d+)?)+)/i;
const WORD_OPS: [RegExp, string][] = [[/곱하기|times|×/gi, '*'], [/더하기|plus/gi, '+'], [/빼기|minus/gi, '-'], [/나누기|divided by|÷/gi, '/']];
const CITIES = ['서울', '부산', '인천', '대구', '대전', '광주', '제주', '울산', '수원', '도쿄', '뉴욕', '런던', '파리', 'Seoul', 'Busan', 'Tokyo', 'New York', 'London', 'Paris'];

/** Finds an arithmetic expression in a prompt ("25 곱하기 17은?" → "25*17"). */
export function findExpression(text: string): string | undefined {
  const match = ARITHMETIC.exec(text);
  if (!match) return undefined;
  let expression = match[1];
  for (const [pattern, op] of WORD_OPS) expression = expression.replace(pattern, op);
  return expression.replace(/\s+/g, '');
}

function toolText(tool: ToolSpec): string {
  return `${tool.name} ${tool.description ?? ''}`.toLowerCase();
}

function stringParams(tool: ToolSpec): string[] {
  const props = (tool.parameters.properties ?? {}) as Record<string, JsonSchema>;
  return Object.keys(props).filter((k) => props[k]?.type === 'string' || props[k]?.type === undefined);
}

function numberParams(tool: ToolSpec): string[] {
  const props = (tool.parameters.properties ?? {}) as Record<string, JsonSchema>;
  return Object.keys(props).filter((k) => props[k]?.type === 'number' || props[k]?.type === 'integer');
}

function arithmeticCall(tool: ToolSpec, expression: string): Record<string, unknown> {
  const numbers = numberParams(tool);
  if (numbers.length >= 2) {
    const values = expression.match(/-?\d+(?:\.\d+)?/g)?.map(Number) ?? [];
    return Object.fromEntries(numbers.slice(0, values.length).map((k, i) => [k, values[i]]));
  }
  return { [stringParams(tool)[0] ?? 'expression']: expression };
}

/**
 * Picks the tool calls the mock makes for a prompt: arithmetic → a calculator-like tool, weather → a weather-like
 * tool (matched by name and description, as the agent-server seed's mock mode does).
 */
export function plannedToolCalls(request: ProviderRequest): ToolCall[] {
  const tools = request.tools ?? [];
  if (!tools.length || request.toolChoice === 'none') return [];
  const last = request.messages[request.messages.length - 1];
  if (!last || last.role !== 'user') return [];
  const text = lastUserText(request.messages);
  const calls: ToolCall[] = [];
  const expression = findExpression(text);
  const calculator = tools.find((t) => /calc|math|arith|sum|계산|add/.test(toolText(t)));
  if (expression && calculator) calls.push({ id: 'mock_call_1', name: calculator.name, arguments: arithmeticCall(calculator, expression) });
  const weather = tools.find((t) => /weather|날씨|기온/.test(toolText(t)));
  if (weather && /날씨|weather|기온|temperature/i.test(text)) {
    const city = CITIES.find((c) => text.includes(c)) ?? (isKorean(text) ? '서울' : 'Seoul');
    calls.push({ id: `mock_call_${calls.length + 1}`, name: weather.name, arguments: { [stringParams(weather)[0] ?? 'location']: city } });
  }
  const forced = typeof request.toolChoice === 'object' ? tools.find((t) => t.name === (request.toolChoice as { name: string }).name) : undefined;
  if (!calls.length && (forced || request.toolChoice === 'required')) {
    const tool = forced ?? tools[0];
    calls.push({ id: 'mock_call_1', name: tool.name, arguments: Object.fromEntries(stringParams(tool).map((k) => [k, text])) });
  }
  return calls;
}

/** The mock's answer after tool results came back: it reports them. */
export function answerFromToolResults(messages: Message[]): string | undefined {
  const tail: Message[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) tail.unshift(messages[i]);
  if (!tail.length) return undefined;
  const korean = isKorean(lastUserText(messages));
  const parts = tail.map((m) => `${m.toolName ?? 'tool'} → ${messageText(m)}`);
  return korean ? `${MOCK_MARK} 도구 결과: ${parts.join(', ')}` : `${MOCK_MARK} Tool results: ${parts.join(', ')}`;
}

/** The mock's plain answer, in the prompt's language. */
export function plainAnswer(request: ProviderRequest): string {
  const text = lastUserText(request.messages).trim();
  const preview = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (isKorean(text)) return `${MOCK_MARK} 오프라인 모의 모델의 응답입니다. 질문 "${preview}"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.`;
  return `${MOCK_MARK} This is the offline mock model. You asked: "${preview}". Set an API key to get a real answer.`;
}
