import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@llm/core';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

describe('convertToAnthropicMessages', () => {
  it('drops empty assistant text and merges the turns around a skipped message', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'user', content: '첫 질문' },
      { role: 'assistant', content: '' },
      { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: '두 번째 질문' }] },
    ]);
    expect(messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '첫 질문' }, { type: 'text', text: '두 번째 질문' }] }]);
  });

  it('moves stray system messages to the system prompt', () => {
    const converted = convertToAnthropicMessages([{ role: 'system', content: '존댓말을 쓰세요.' }, { role: 'user', content: '안녕' }]);
    expect(converted.system).toBe('존댓말을 쓰세요.');
    expect(converted.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: '안녕' }] }]);
  });

  it('sends text files as plain-text documents, decoded as UTF-8', () => {
    const { messages } = convertToAnthropicMessages([{ role: 'user', content: [
      { type: 'file', data: new TextEncoder().encode('# 회의록\n참석: 김철수'), mediaType: 'text/markdown', filename: '회의록.md' },
    ] }]);
    expect(messages[0].content).toEqual([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# 회의록\n참석: 김철수' }, title: '회의록.md' }]);
  });

  it('treats an image given as a file part as an image', () => {
    const { messages } = convertToAnthropicMessages([{ role: 'user', content: [{ type: 'file', data: new Uint8Array([1, 2, 3]), mediaType: 'image/webp' }] }]);
    expect(messages[0].content).toEqual([{ type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'AQID' } }]);
  });

  it('refuses media types Anthropic cannot read, saying what it accepts', () => {
    const bmp = () => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'image', data: new Uint8Array([1]), mediaType: 'image/bmp', filename: '그림.bmp' }] }]);
    expect(bmp).toThrow(ConfigurationError);
    expect(bmp).toThrow(/image\/png.*image\/bmp.*그림\.bmp/);
    const docx = () => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'file', data: new URL('https://example.com/a.docx'), mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }] }]);
    expect(docx).toThrow(/PDF/);
  });

  it('sends tool results with image parts as tool_result content blocks', () => {
    const { messages } = convertToAnthropicMessages([
      { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'screenshot', arguments: undefined }] },
      { role: 'tool', toolCallId: 'toolu_1', toolName: 'screenshot', content: [{ type: 'text', text: '화면' }, { type: 'image', data: new Uint8Array([9]), mediaType: 'image/png' }] },
    ]);
    expect(messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '화면' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'CQ==' } }] }] },
    ]);
  });

  it('parses tool arguments given as JSON text and refuses a tool result without toolCallId', () => {
    const { messages } = convertToAnthropicMessages([{ role: 'assistant', content: '', toolCalls: [{ id: 't', name: 'f', arguments: '{"도시":"서울"}' }] }]);
    expect(messages[0].content).toEqual([{ type: 'tool_use', id: 't', name: 'f', input: { 도시: '서울' } }]);
    expect(() => convertToAnthropicMessages([{ role: 'tool', content: '결과' }])).toThrow(/toolCallId/);
  });
});
