import { ConfigurationError, type JsonSchema, type Logger, type Tool } from '@llm/core';
import { calculatorTool, connectMcpServers, type McpConnection, type McpServersInput } from '@llm/mcp';

/** A tool result that is made up: the model and the page both see `demo: true`. */
export interface DemoResult {
  demo: true;
  notice: string;
}

/** The result of the demo weather tool. */
export interface DemoWeather extends DemoResult {
  location: string;
  temperatureC: number;
  condition: string;
  humidity: number;
}

/** The result of the demo search tool. */
export interface DemoSearch extends DemoResult {
  query: string;
  results: { title: string; url: string; snippet: string }[];
}

const CONDITIONS = ['맑음', '구름 조금', '흐림', '비', '눈'];

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  return h;
}

/** The JSON Schema of a tool that takes one required string. */
function oneStringParameter(name: string, description: string): JsonSchema {
  return { type: 'object', properties: { [name]: { type: 'string', description } }, required: [name], additionalProperties: false };
}

/** A weather tool with made-up (but stable) data, marked as demo data. */
export const demoWeatherTool: Tool<{ location: string }, DemoWeather> = {
  name: 'get_weather',
  description: 'Gets the current weather (날씨) for a city. DEMO DATA: the values are made up, not a real forecast.',
  parameters: oneStringParameter('location', 'The city, e.g. 서울 or Seoul.'),
  execute: ({ location }) => {
    const h = hash(location.normalize('NFC'));
    return {
      location, temperatureC: (h % 35) - 5, condition: CONDITIONS[h % CONDITIONS.length], humidity: 30 + (h % 60),
      demo: true, notice: 'Demo data: not a real forecast. Connect a weather MCP server for real data.',
    };
  },
};

/** A search tool that returns made-up results, marked as demo data. */
export const demoSearchTool: Tool<{ query: string }, DemoSearch> = {
  name: 'web_search',
  description: 'Searches the web for a query. DEMO DATA: the results are made up placeholders, not real pages.',
  parameters: oneStringParameter('query', 'What to search for.'),
  execute: ({ query }) => ({
    query,
    results: [1, 2, 3].map((n) => ({
      title: `${query} — 예시 결과 ${n}`,
      url: `https://example.com/search/${n}?q=${encodeURIComponent(query)}`,
      snippet: `"${query}"에 대한 데모 검색 결과 ${n}입니다 (실제 웹 페이지가 아닙니다).`,
    })),
    demo: true,
    notice: 'Demo data: not real search results. Connect a search MCP server for real results.',
  }),
};

/** The tools the server offers, and the MCP servers they came from. */
export interface ToolRegistry {
  tools: Tool[];
  /** Names and origins, for `/api/models` and the banner. */
  describe(): { name: string; source: 'builtin' | 'demo' | 'mcp' | 'custom' }[];
  close(): Promise<void>;
}

/**
 * Builds the tool list: the calculator (a real expression parser, never `eval`), the demo weather and search
 * tools, the given tools, then the tools of the MCP servers. Tool names must be unique.
 */
export async function createToolRegistry(options: { builtin: boolean; tools?: Tool[]; mcpServers?: McpServersInput; logger: Logger }): Promise<ToolRegistry> {
  const sources = new Map<string, 'builtin' | 'demo' | 'mcp' | 'custom'>();
  const tools: Tool[] = [];
  const add = (tool: Tool, source: 'builtin' | 'demo' | 'mcp' | 'custom') => {
    if (sources.has(tool.name)) throw new ConfigurationError(`Two tools are named "${tool.name}"; rename one (MCP tools can be prefixed with the server's "prefix" option).`);
    sources.set(tool.name, source);
    tools.push(tool);
  };
  if (options.builtin) {
    add(calculatorTool, 'builtin');
    add(demoWeatherTool, 'demo');
    add(demoSearchTool, 'demo');
  }
  for (const tool of options.tools ?? []) add(tool, 'custom');
  let mcp: McpConnection | undefined;
  if (options.mcpServers !== undefined) {
    mcp = await connectMcpServers(options.mcpServers, { logger: options.logger });
    try {
      for (const tool of mcp.tools) add(tool, 'mcp');
    } catch (error) {
      await mcp.close();
      throw error;
    }
  }
  return {
    tools,
    describe: () => tools.map((t) => ({ name: t.name, source: sources.get(t.name)! })),
    close: async () => mcp?.close(),
  };
}
