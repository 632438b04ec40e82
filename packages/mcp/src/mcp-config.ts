import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@llm/core';
import { parseCommandLine } from './command-line.js';

/** How the client talks to a server: a child process over stdio, Streamable HTTP, or the older HTTP+SSE. */
export type McpTransportKind = 'stdio' | 'http' | 'sse';

/** What `filterTools` predicates see of a tool. */
export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** One MCP server. Give `command` (stdio) or `url` (HTTP). */
export interface McpServerConfig {
  /** The server's name: tool prefixes and messages use it. Default: the server's own `serverInfo.name`. */
  name?: string;
  /** The program to start (stdio). Without `args` it is parsed as a command line: `node "my server.js" --flag`. */
  command?: string;
  /** Arguments of `command`, passed as given. */
  args?: string[];
  /** Environment of the child, merged over the SDK's safe defaults (HOME, PATH, USER…). */
  env?: Record<string, string>;
  /** Working directory of the child. */
  cwd?: string;
  /** The server's URL (Streamable HTTP, falling back to SSE; a URL ending in `/sse` uses SSE directly). */
  url?: string;
  /** HTTP headers sent with every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** The transport. Default: 'stdio' with `command`, 'http' with `url` ('sse' when it ends in `/sse`). */
  transport?: McpTransportKind;
  /** Limit for connecting and for every tool call, in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Keep only these tools: a list of names or a predicate. */
  filterTools?: string[] | ((tool: McpToolInfo) => boolean);
  /** `true`: always name tools `server__tool`; a string: use it as the prefix. Default: prefix only on collisions. */
  prefix?: boolean | string;
  /** 'optional' (default): a failure is logged and skipped. 'required': a failure throws `MCPConnectionError`. */
  policy?: 'optional' | 'required';
}

/** The JSON desktop MCP clients use: `{ "mcpServers": { "name": { "command": ..., "args": [...] } } }`. */
export interface McpDesktopConfig {
  mcpServers: Record<string, Omit<McpServerConfig, 'name'> & { type?: string; disabled?: boolean }>;
}

/**
 * What `connectMcpServers` (and core's `mcpServers` option) accepts: a command line (stdio), an `http(s)://` URL,
 * a path to a desktop-client `.json` file, a config object, the desktop JSON object, or an array of these.
 */
export type McpServersInput = string | McpServerConfig | McpDesktopConfig | (string | McpServerConfig)[];

/** A validated server config with its transport settled. */
export interface ResolvedServerConfig extends McpServerConfig {
  transport: McpTransportKind;
  /** A name to report before the server says its own (config name, else derived from the command or URL). */
  label: string;
  timeoutMs: number;
  policy: 'optional' | 'required';
}

/** Connect and call limit when a config gives none (the MCP SDK's own default). */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/** Turns any accepted input into validated configs. Reads `.json` files. Throws ConfigurationError on bad input. */
export async function resolveMcpServers(input: McpServersInput): Promise<ResolvedServerConfig[]> {
  const configs: McpServerConfig[] = [];
  for (const item of Array.isArray(input) ? input : [input]) configs.push(...(await expand(item)));
  if (configs.length === 0) throw new ConfigurationError('No MCP servers were given. Pass a command, a URL, a config object or { mcpServers: {...} }.');
  return configs.map(resolveOne);
}

async function expand(item: unknown): Promise<McpServerConfig[]> {
  if (typeof item === 'string') return expandString(item.trim());
  if (typeof item !== 'object' || item === null) {
    throw new ConfigurationError(`An MCP server must be a command string, a URL or a config object, got ${item === null ? 'null' : typeof item}.`);
  }
  if ('mcpServers' in item) return fromDesktopConfig(item as McpDesktopConfig);
  return [item as McpServerConfig];
}

async function expandString(text: string): Promise<McpServerConfig[]> {
  if (text === '') throw new ConfigurationError('The MCP server string is empty. Pass a command such as "node server.js" or a URL.');
  if (/^https?:\/\//i.test(text)) return [{ url: text }];
  if (text.startsWith('{')) return fromDesktopConfig(parseJson(text, 'the mcpServers string'));
  const words = parseCommandLine(text);
  if (words.length === 1 && words[0].toLowerCase().endsWith('.json')) {
    let content: string;
    try {
      content = await readFile(words[0], 'utf8');
    } catch (error) {
      throw new ConfigurationError(`Cannot read the MCP config file ${words[0]}: ${(error as Error).message}. Check the path.`, { cause: error });
    }
    return fromDesktopConfig(parseJson(content, words[0]), path.dirname(path.resolve(words[0])));
  }
  return [{ command: words[0], args: words.slice(1) }];
}

function parseJson(text: string, where: string): McpDesktopConfig {
  try {
    return JSON.parse(text) as McpDesktopConfig;
  } catch (error) {
    throw new ConfigurationError(`${where} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
}

/** Maps `{ mcpServers: { name: {...} } }`, skipping `disabled` entries; `type` is read as `transport`. */
function fromDesktopConfig(config: McpDesktopConfig, baseDir?: string): McpServerConfig[] {
  const servers = config?.mcpServers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new ConfigurationError('The MCP config needs an "mcpServers" object: { "mcpServers": { "name": { "command": "...", "args": [] } } }.');
  }
  return Object.entries(servers)
    .filter(([, entry]) => !entry?.disabled)
    .map(([name, entry]) => {
      const { type, disabled: _disabled, ...rest } = entry ?? {};
      const transport = rest.transport ?? transportFromType(type, name);
      const cwd = rest.cwd && baseDir ? path.resolve(baseDir, rest.cwd) : rest.cwd;
      return { ...rest, name, ...(transport ? { transport } : {}), ...(cwd ? { cwd } : {}) };
    });
}

function transportFromType(type: string | undefined, name: string): McpTransportKind | undefined {
  if (type === undefined) return undefined;
  const normalized = type.toLowerCase().replace(/[-_]/g, '');
  if (normalized === 'stdio') return 'stdio';
  if (normalized === 'sse') return 'sse';
  if (normalized === 'http' || normalized === 'streamablehttp') return 'http';
  throw new ConfigurationError(`The MCP server "${name}" has an unknown type ${JSON.stringify(type)}. Use "stdio", "http" or "sse".`);
}

function resolveOne(config: McpServerConfig): ResolvedServerConfig {
  const label = config.name ?? guessName(config);
  const fail = (what: string) => new ConfigurationError(`The MCP server "${label}" ${what}.`);
  if (config.command !== undefined && config.url !== undefined) throw fail('has both `command` and `url`; give one');
  if (config.transport !== undefined && !['stdio', 'http', 'sse'].includes(config.transport)) {
    throw fail(`has an unknown transport ${JSON.stringify(config.transport)}; use 'stdio', 'http' or 'sse'`);
  }
  if (config.timeoutMs !== undefined && !(Number.isFinite(config.timeoutMs) && config.timeoutMs > 0)) throw fail('needs a positive `timeoutMs`');
  if (config.policy !== undefined && config.policy !== 'optional' && config.policy !== 'required') {
    throw fail(`has an unknown policy ${JSON.stringify(config.policy)}; use 'optional' or 'required'`);
  }
  if (config.filterTools !== undefined && typeof config.filterTools !== 'function' && !isStringArray(config.filterTools)) {
    throw fail('needs `filterTools` to be a list of tool names or a function');
  }
  const base = { ...config, label, timeoutMs: config.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS, policy: config.policy ?? 'optional' } as const;
  if (config.url !== undefined) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw fail(`has an invalid url ${JSON.stringify(config.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('needs an http:// or https:// url');
    if (config.transport === 'stdio') throw fail("has a url but transport 'stdio'; give `command` for stdio");
    return { ...base, transport: config.transport ?? (url.pathname.replace(/\/+$/, '').endsWith('/sse') ? 'sse' : 'http') };
  }
  if (typeof config.command !== 'string' || config.command.trim() === '') throw fail('needs `command` (stdio) or `url` (HTTP)');
  if (config.transport !== undefined && config.transport !== 'stdio') throw fail(`has a command but transport '${config.transport}'; give \`url\` for HTTP`);
  if (config.args !== undefined && !isStringArray(config.args)) throw fail('needs `args` to be a list of strings');
  const words = config.args === undefined ? parseCommandLine(config.command) : [config.command, ...config.args];
  return { ...base, transport: 'stdio', command: words[0], args: words.slice(1) };
}

function guessName(config: McpServerConfig): string {
  if (config.url) {
    try {
      return new URL(config.url).host;
    } catch {
      return config.url;
    }
  }
  const words = config.command ? (config.args ? [config.command, ...config.args] : safeWords(config.command)) : [];
  const script = words.slice(1).find((w) => !w.startsWith('-')) ?? words[0] ?? 'mcp-server';
  return path.basename(script).replace(/\.(m?js|cjs|ts|py)$/, '');
}

function safeWords(command: string): string[] {
  try {
    return parseCommandLine(command);
  } catch {
    return [command];
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
