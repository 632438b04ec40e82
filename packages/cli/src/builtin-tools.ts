import { ConfigurationError, type Tool } from '@llm/core';

/** The names `--tool` and `mcp-server run` accept. */
export const BUILTIN_TOOL_NAMES = ['calculator', 'weather', 'search'] as const;

/** Loads one built-in tool (each from the package that owns it, imported only when asked for). */
async function loadTool(name: (typeof BUILTIN_TOOL_NAMES)[number]): Promise<Tool> {
  if (name === 'calculator') return (await import('@llm/mcp')).calculatorTool;
  const { demoWeatherTool, demoSearchTool } = await import('@llm/server');
  return name === 'weather' ? demoWeatherTool : demoSearchTool;
}

/**
 * The built-in tools by name: `calculator` (@llm/mcp's expression parser, no eval), `weather` and `search`
 * (@llm/server's demo-data tools). Throws ConfigurationError naming the known tools for anything else.
 * @example const [calculator] = await builtinTools(['calculator']);
 */
export async function builtinTools(names: string[]): Promise<Tool[]> {
  const isBuiltin = (name: string): name is (typeof BUILTIN_TOOL_NAMES)[number] => (BUILTIN_TOOL_NAMES as readonly string[]).includes(name);
  const unknown = names.filter((name) => !isBuiltin(name));
  if (unknown.length) {
    throw new ConfigurationError(`Unknown tool ${unknown.map((n) => JSON.stringify(n)).join(', ')}. The built-in tools are ${BUILTIN_TOOL_NAMES.join(', ')}; add others with --mcp.`);
  }
  return Promise.all([...new Set(names)].filter(isBuiltin).map(loadTool));
}
