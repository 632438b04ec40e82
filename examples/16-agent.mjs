// 에이전트 패턴 (고급 가이드): the guide's ToolAgent — pick a tool (choices), get its arguments (a forced tool
// call), run it, answer from the result — and the same job done by core's automatic tool loop.
// Run: node examples/16-agent.mjs
import { LLM, defineTool } from '@llm/core';
import { calculatorTool } from '@llm/mcp';
import { z } from 'zod';

const model = process.env.LLM_MODEL ?? 'mock';

// 도구: a real calculator (expression parser, no eval) and a search stand-in marked as demo data.
const webSearch = defineTool({
  name: 'web_search', description: '인터넷에서 정보를 검색합니다', parameters: z.object({ query: z.string() }),
  execute: ({ query }) => `검색 결과 (데모 데이터): ${query}에 대한 최신 정보...`,
});

class ToolAgent {
  tools = {};
  constructor(name = model) {
    this.model = name;
  }
  registerTool(label, tool, description) {
    this.tools[label] = { tool, description };
  }
  async run(task) {
    const toolList = Object.entries(this.tools).map(([label, t]) => `- ${label}: ${t.description}`).join('\n');
    const llm = LLM.create(this.model, { stateless: true, systemPrompt: `사용 가능한 도구:\n${toolList}\n어떤 도구를 사용해야 할까요? 도구 이름만 답하세요.` });
    // 1. 사용할 도구 결정
    const choice = (await llm.ask(task, { choices: [...Object.keys(this.tools), '없음'] })).choice;
    console.log(`선택된 도구: ${choice}`);
    if (choice === '없음') return (await LLM.create(this.model).ask(task)).text;
    // 2. 도구 파라미터 추출: a tool call forced to the chosen tool gives schema-checked arguments
    const { tool } = this.tools[choice];
    const call = (await LLM.create(this.model, { stateless: true }).ask(task, { tools: [tool], toolChoice: { name: tool.name }, executeTools: false })).toolCalls[0];
    console.log(`파라미터: ${JSON.stringify(call.arguments)}`);
    // 3. 도구 실행
    const result = await tool.execute(call.arguments, { toolCallId: call.id });
    console.log(`도구 실행 결과: ${result}`);
    // 4. 결과 정리
    return (await LLM.create(this.model, { stateless: true }).ask(`작업: ${task}\n도구 실행 결과: ${result}\n\n이 결과를 바탕으로 사용자에게 답변하세요.`)).text;
  }
}

const agent = new ToolAgent();
agent.registerTool('계산기', calculatorTool, '수학 계산을 수행합니다');
agent.registerTool('웹검색', webSearch, '인터넷에서 정보를 검색합니다');
console.log(`답변: ${(await agent.run('123 곱하기 4는 얼마야? 계산해 줘')).replace(/\s+/g, " ").slice(0, 60)}`);
console.log(`답변: ${(await agent.run('웹에서 파이썬 최신 버전을 검색해 주세요')).replace(/\s+/g, " ").slice(0, 60)}`);

// The same job with the automatic tool loop: the model picks, core runs and feeds back the results.
const auto = await LLM.create(model, { tools: [calculatorTool, webSearch] }).ask('123 곱하기 4는 얼마야?');
for (const step of auto.toolInteractions) console.log(`자동: ${step.tool}(${JSON.stringify(step.arguments)}) = ${step.result} (${Math.round(step.durationMs)} ms)`);
console.log(`자동 답변: ${auto.text}`);
