import { ConfigurationError } from '@llm/core';

/**
 * Splits a command line into words the way a POSIX shell would, without running one: whitespace separates words,
 * single quotes keep everything literally, double quotes keep spaces (backslash escapes `"`, `\`, `$` and `` ` ``),
 * and a backslash outside quotes escapes the next character. Variables, globs and pipes are not expanded.
 * @example
 * parseCommandLine('node "my server.js" --flag'); // ['node', 'my server.js', '--flag']
 */
export function parseCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new ConfigurationError(`The MCP server command ${JSON.stringify(line)} has an unclosed ${quote} quote. Close it.`);
  if (inWord) words.push(word);
  return words;
}
