import { ToolExecutionError } from '@llm/core';
import { describe, expect, it } from 'vitest';
import { readMcpToolResult } from './mcp-tool-result.js';

describe('readMcpToolResult', () => {
  it('joins text parts with newlines, keeping Korean (NFC and NFD) as given', () => {
    const nfd = '한글'.normalize('NFD');
    expect(readMcpToolResult({ content: [{ type: 'text', text: '첫째' }, { type: 'text', text: nfd }] }, 't', 's')).toBe(`첫째\n${nfd}`);
    expect(readMcpToolResult({ content: [] }, 't', 's')).toBe('');
  });

  it('returns structuredContent when present', () => {
    const result = readMcpToolResult({ content: [{ type: 'text', text: '{"온도":20}' }], structuredContent: { 온도: 20 } }, 't', 's');
    expect(result).toEqual({ 온도: 20 });
  });

  it('returns parts when there are images, audio or resources', () => {
    const result = readMcpToolResult(
      {
        content: [
          { type: 'text', text: '그림:' },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
          { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'file:///a.txt', mimeType: 'text/plain', text: '내용' } },
          { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAE=' } },
          { type: 'resource_link', uri: 'file:///c', name: 'c' },
        ],
      },
      't',
      's',
    );
    expect(result).toEqual([
      { type: 'text', text: '그림:' },
      { type: 'image', mediaType: 'image/png', base64: 'iVBORw0KGgo=' },
      { type: 'audio', mediaType: 'audio/wav', base64: 'UklGRg==' },
      { type: 'resource', uri: 'file:///a.txt', mediaType: 'text/plain', text: '내용' },
      { type: 'resource', uri: 'file:///b.bin', mediaType: undefined, base64: 'AAE=' },
      { type: 'resource-link', uri: 'file:///c', name: 'c', mediaType: undefined, description: undefined },
    ]);
  });

  it('throws a ToolExecutionError with the text when isError is set', () => {
    let caught: unknown;
    try {
      readMcpToolResult({ content: [{ type: 'text', text: '0으로 나눌 수 없습니다' }], isError: true }, 'divide', 'calc');
    } catch (error) {
      caught = error;
    }
    expect(ToolExecutionError.isInstance(caught)).toBe(true);
    expect((caught as ToolExecutionError).toolName).toBe('divide');
    expect((caught as Error).message).toBe('The MCP tool "divide" on server "calc" reported an error: 0으로 나눌 수 없습니다');
  });

  it('passes old-protocol toolResult through', () => {
    expect(readMcpToolResult({ toolResult: { ok: true } }, 't', 's')).toEqual({ ok: true });
  });
});
