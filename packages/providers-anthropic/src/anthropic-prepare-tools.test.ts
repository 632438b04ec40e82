import { describe, expect, it } from 'vitest';
import type { ResponseFormat, ToolSpec } from '@llm/core';
import { JSON_OUTPUT_TOOL_NAME, prepareAnthropicTools } from './anthropic-prepare-tools.js';

const search: ToolSpec = { name: 'search', description: '웹 검색', parameters: { properties: { query: { type: 'string' } } } };
const format: ResponseFormat = { type: 'json', schema: { type: 'object', properties: { answer: { type: 'string' } } } };

describe('prepareAnthropicTools', () => {
  it('sends nothing without tools, even with a tool choice', () => {
    expect(prepareAnthropicTools({ toolChoice: 'required' })).toEqual({});
  });

  it('gives a schema without type the object type input_schema needs', () => {
    expect(prepareAnthropicTools({ tools: [search] }).tools).toEqual([{ name: 'search', description: '웹 검색', input_schema: { type: 'object', properties: { query: { type: 'string' } } } }]);
  });

  it('forces json_output when toolChoice is none, keeping the user tools for the history', () => {
    const prepared = prepareAnthropicTools({ tools: [search], toolChoice: 'none', responseFormat: format });
    expect(prepared.tools?.map((t) => t.name)).toEqual(['search', JSON_OUTPUT_TOOL_NAME]);
    expect(prepared.toolChoice).toEqual({ type: 'tool', name: JSON_OUTPUT_TOOL_NAME });
    expect(prepared.systemInstruction).toBeUndefined();
  });

  it('does not force a tool under extended thinking (the API forbids it): instruction and auto instead', () => {
    const prepared = prepareAnthropicTools({ responseFormat: format }, { thinking: true });
    expect(prepared.toolChoice).toEqual({ type: 'auto' });
    expect(prepared.systemInstruction).toContain(JSON_OUTPUT_TOOL_NAME);
    expect(prepared.jsonTool).toEqual({ name: JSON_OUTPUT_TOOL_NAME, wrapped: false });
  });

  it('keeps a required tool choice (any) next to json_output when user tools are in play', () => {
    const prepared = prepareAnthropicTools({ tools: [search], toolChoice: 'required', responseFormat: format });
    expect(prepared.toolChoice).toEqual({ type: 'any' });
    expect(prepared.tools?.[1]).toMatchObject({ name: JSON_OUTPUT_TOOL_NAME, input_schema: format.schema });
  });

  it('accepts any JSON object when the response format has no schema', () => {
    const prepared = prepareAnthropicTools({ responseFormat: { type: 'json' } });
    expect(prepared.tools?.[0].input_schema).toEqual({ type: 'object', additionalProperties: true });
    expect(prepared.jsonTool?.wrapped).toBe(false);
  });
});
