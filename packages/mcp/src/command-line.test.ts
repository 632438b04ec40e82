import { ConfigurationError } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './command-line.js';

describe('parseCommandLine', () => {
  it('splits on whitespace and keeps quoted words whole', () => {
    expect(parseCommandLine('node "my server.js" --flag')).toEqual(['node', 'my server.js', '--flag']);
    expect(parseCommandLine("  python   'calc server.py'\t-v  ")).toEqual(['python', 'calc server.py', '-v']);
  });

  it('handles escapes like a POSIX shell, without expanding anything', () => {
    expect(parseCommandLine('a\\ b "c\\"d" \'e\\f\' $HOME *.js')).toEqual(['a b', 'c"d', 'e\\f', '$HOME', '*.js']);
    expect(parseCommandLine('x "" y')).toEqual(['x', '', 'y']);
    expect(parseCommandLine('--name="서버 이름" 한글.js')).toEqual(['--name=서버 이름', '한글.js']);
  });

  it('keeps NFD text as given', () => {
    const nfd = '한글'.normalize('NFD');
    expect(parseCommandLine(`node "${nfd}.js"`)[1]).toBe(`${nfd}.js`);
  });

  it('throws a ConfigurationError on an unclosed quote', () => {
    expect(() => parseCommandLine('node "server.js')).toThrow(ConfigurationError);
    expect(() => parseCommandLine("node 'server.js")).toThrow(/unclosed ' quote/);
  });
});
