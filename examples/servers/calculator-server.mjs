// The guide's `python calculator.py` MCP server in JavaScript: @llm/mcp's calculator (a real expression parser,
// no eval) served over stdio. Any MCP client can start it: `node examples/servers/calculator-server.mjs`.
import { calculatorTool, createMcpServer } from '@llm/mcp';

const server = createMcpServer({ name: 'calculator', tools: [calculatorTool] });
await server.listenStdio();
