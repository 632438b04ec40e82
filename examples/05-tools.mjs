// 도구/함수 호출 (중급 가이드): tools by hand (the model asks, you run the function) and automatic (the tool loop
// runs them), a class that registers tools, and async tools.
// Run: node examples/05-tools.mjs
import { z } from 'zod';
import { LLM, defineTool } from '@llm/core';
import { evaluateExpression } from '@llm/mcp';

const model = process.env.LLM_MODEL ?? 'mock';
const llm = LLM.create(model, { stateless: true });

// 함수 정의: plain functions, and the guide's OpenAI-style JSON tool definitions.
function getWeather({ location, unit = 'celsius' }) {
  return { location, temperature: 25, unit, condition: '맑음' };
}
function calculate({ expression }) {
  return evaluateExpression(expression); // a real expression parser, never eval
}
const tools = [
  { type: 'function', function: { name: 'get_weather', description: '특정 위치의 현재 날씨 정보를 가져옵니다', parameters: { type: 'object', properties: { location: { type: 'string', description: '도시 이름 (예: 서울, 뉴욕)' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] } } },
  { type: 'function', function: { name: 'calculate', description: '수학 표현식을 계산합니다', parameters: { type: 'object', properties: { expression: { type: 'string', description: '계산할 수학 표현식 (예: 2+2)' } }, required: ['expression'] } } },
];

// 1) 직접 처리: executeTools: false returns the calls; we run them ourselves.
const response = await llm.ask('서울의 현재 날씨는 어때? 그리고 25 곱하기 17은?', { tools, executeTools: false });
const functions = { get_weather: getWeather, calculate };
for (const call of response.toolCalls) {
  const result = functions[call.name](call.arguments);
  console.log(`함수 ${call.name} 호출: ${JSON.stringify(call.arguments)}`);
  console.log(`결과: ${JSON.stringify(result)}`);
}

// 2) 자동 실행: tools with execute run inside the tool loop; every step is in reply.toolInteractions.
const weather = defineTool({ name: 'get_weather', description: '도시의 날씨 정보를 가져옵니다', parameters: z.object({ location: z.string() }), execute: getWeather });
const calculator = defineTool({ name: 'calculate', description: '수학 표현식을 계산합니다', parameters: z.object({ expression: z.string() }), execute: calculate });
const auto = await llm.ask('부산 날씨 알려주고 25 곱하기 17도 계산해줘', { tools: [weather, calculator] });
for (const step of auto.toolInteractions) console.log(`자동 실행 ${step.tool}(${JSON.stringify(step.arguments)}) = ${JSON.stringify(step.result)}`);
console.log(`최종 답변: ${auto.text}`);

// 3) 클래스 기반 도구: a registry that turns functions into tools.
class ToolHandler {
  constructor() {
    this.tools = [];
  }
  register(name, description, parameters, fn) {
    this.tools.push({ type: 'function', function: { name, description, parameters }, handler: fn });
    return fn;
  }
}
const handler = new ToolHandler();
handler.register('add', '두 숫자를 더합니다', { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] }, ({ a, b }) => a + b);
handler.register('translate', '텍스트를 번역합니다', { type: 'object', properties: { text: { type: 'string' }, target_lang: { type: 'string' } }, required: ['text', 'target_lang'] },
  ({ text, target_lang }) => ({ ko: { Hello: '안녕하세요' }, ja: { Hello: 'こんにちは' } })[target_lang]?.[text] ?? text);
const classBased = await llm.ask('5 더하기 3은 얼마인지 계산해줘', { tools: handler.tools });
for (const step of classBased.toolInteractions) console.log(`${step.tool}: ${step.result}`);

// 4) 비동기 도구: execute may return a Promise (a network call, a database query...).
const pageTitle = defineTool({
  name: 'get_page_title', description: '웹페이지의 제목을 가져옵니다', parameters: z.object({ url: z.string() }),
  execute: async ({ url }) => {
    await new Promise((resolve) => setTimeout(resolve, 20)); // stands in for fetch(url)
    return url.includes('python.org') ? 'Welcome to Python.org' : '제목을 찾을 수 없습니다';
  },
});
const asyncReply = await llm.ask('Python 공식 웹사이트의 제목을 알려줘', { tools: [pageTitle], toolChoice: { name: 'get_page_title' }, executeTools: false });
for (const call of asyncReply.toolCalls) console.log(`비동기 결과: ${await pageTitle.execute({ url: 'https://www.python.org' }, { toolCallId: call.id })}`);
