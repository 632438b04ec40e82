// MCP와 함께 비동기 사용 (중급 가이드): tools from a Model Context Protocol server — here the calculator server in
// examples/servers, started as a child process over stdio — join the tool loop like any other tool.
// Run: node examples/10-mcp.mjs
import { fileURLToPath } from 'node:url';
import { LLM } from '@llm/core';
import { connectMcpServers } from '@llm/mcp';

const model = process.env.LLM_MODEL ?? 'mock';
const serverScript = fileURLToPath(new URL('./servers/calculator-server.mjs', import.meta.url));

// 간편한 문자열 설정: a command line (quotes kept, no shell) — or a URL, a config object, or the
// { "mcpServers": {...} } JSON desktop clients use.
const mcp = await connectMcpServers(`"${process.execPath}" "${serverScript}"`);
console.log(`연결된 서버: ${mcp.servers.map((s) => `${s.name} (${s.transport}, ${s.status})`).join(', ')}`);
console.log(`MCP 도구: ${mcp.tools.map((t) => t.name).join(', ')}`);

try {
  const llm = LLM.create(model, { tools: mcp.tools });
  const reply = await llm.ask('25 곱하기 17은?');
  for (const step of reply.toolInteractions) console.log(`MCP 호출: ${step.tool}(${JSON.stringify(step.arguments)}) = ${step.result}`);
  console.log(reply.text);

  // 상세한 설정: a config object with a name, a timeout, a tool filter and a required policy
  const detailed = await connectMcpServers({ name: 'my-calc', command: process.execPath, args: [serverScript], timeoutMs: 10_000, filterTools: ['calculator'], policy: 'required' });
  try {
    const result = await detailed.tools[0].execute({ expression: '(2 + 3) ^ 2 / sqrt(16)' }, { toolCallId: 'direct' });
    console.log(`직접 호출 my-calc: ${result}`);
  } finally {
    await detailed.close();
  }
} finally {
  // 정리: the child processes end with the connection
  await mcp.close();
}
console.log('MCP 연결 종료');
