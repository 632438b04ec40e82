import { describe, expect, it } from 'vitest';
import { builtinPrompts, getBuiltinPrompt, type BuiltinPromptName } from './builtin-prompts.js';
import { PromptTemplate } from './prompt-template.js';
import { TemplateError } from './template-error.js';

describe('built-in prompts', () => {
  it('are PromptTemplates available by name with the documented inputs', () => {
    const inputs: Record<BuiltinPromptName, { required: string[]; optional: string[] }> = {
      rag: { required: ['context', 'question'], optional: [] },
      react: { required: ['tools', 'question'], optional: ['scratchpad'] },
      summarize: { required: ['text'], optional: ['maxWords', 'language'] },
      translate: { required: ['targetLanguage', 'text'], optional: ['sourceLanguage'] },
      classify: { required: ['categories', 'text'], optional: ['instructions'] },
    };
    expect(Object.keys(builtinPrompts).sort()).toEqual(Object.keys(inputs).sort());
    for (const [name, expected] of Object.entries(inputs)) {
      const prompt = getBuiltinPrompt(name as BuiltinPromptName);
      expect(prompt).toBeInstanceOf(PromptTemplate);
      expect(prompt).toBe(builtinPrompts[name as BuiltinPromptName]);
      expect([...prompt.inputVariables].sort(), name).toEqual(expected.required.sort());
      expect([...prompt.optionalVariables].sort(), name).toEqual(expected.optional.sort());
    }
  });

  it('rag: renders a string context or numbered documents with sources', () => {
    const fromString = builtinPrompts.rag.render({ context: '서울의 인구는 약 940만 명이다.', question: '서울 인구는?' });
    expect(fromString).toContain('Context:\n서울의 인구는 약 940만 명이다.\n');
    expect(fromString).toContain('Question: 서울 인구는?\nAnswer:');
    const fromDocs = builtinPrompts.rag.render({
      context: [{ content: '한글은 1443년에 창제되었다.', source: '위키' }, '훈민정음은 28자였다.'],
      question: '한글은 언제?',
    });
    expect(fromDocs).toContain('[1] (위키) 한글은 1443년에 창제되었다.\n');
    expect(fromDocs).toContain('[2] 훈민정음은 28자였다.\n');
  });

  it('react: lists the tools and carries the scratchpad', () => {
    const tools = [
      { name: 'calculator', description: '수식을 계산합니다' },
      { name: 'search', description: '웹을 검색합니다' },
    ];
    const first = builtinPrompts.react.render({ tools, question: '25 곱하기 17은?' });
    expect(first).toContain('- calculator: 수식을 계산합니다\n- search: 웹을 검색합니다\n');
    expect(first).toContain('one of [calculator, search]');
    expect(first.endsWith('Question: 25 곱하기 17은?\nThought:')).toBe(true);
    const later = builtinPrompts.react.render({ tools, question: 'q', scratchpad: 'Thought: 계산\nObservation: 425' });
    expect(later.endsWith('Observation: 425\nThought:')).toBe(true);
  });

  it('summarize, translate and classify render their options', () => {
    expect(builtinPrompts.summarize.render({ text: '긴 글', maxWords: 50, language: '한국어' })).toMatch(/^Summarize the following text in at most 50 words, written in 한국어\./);
    expect(builtinPrompts.summarize.render({ text: '긴 글' })).toMatch(/^Summarize the following text\. Keep/);
    expect(builtinPrompts.translate.render({ text: '안녕하세요', targetLanguage: 'English', sourceLanguage: '한국어' })).toBe(
      'Translate the following text from 한국어 into English. Keep the meaning, tone and formatting; reply with the translation only.\n\nText:\n안녕하세요',
    );
    const classified = builtinPrompts.classify.render({ text: '배송이 늦어요', categories: ['배송', '환불', '기타'] });
    expect(classified).toContain('- 배송\n- 환불\n- 기타\n');
    expect(classified.endsWith('Text:\n배송이 늦어요\n\nCategory:')).toBe(true);
  });

  it('an unknown name throws a TemplateError listing the known names', () => {
    expect(() => getBuiltinPrompt('poem' as BuiltinPromptName)).toThrow(TemplateError);
    expect(() => getBuiltinPrompt('poem' as BuiltinPromptName)).toThrow(/rag, react, summarize, translate, classify/);
  });
});
