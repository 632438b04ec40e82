import { ConfigurationError, LLM, registerProvider, type LanguageModel, type ProviderRequest } from '@llm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PromptTemplate } from './prompt-template.js';
import { TemplateError } from './template-error.js';

/** A provider that records what core sends it and answers 'ok'. */
const requests: ProviderRequest[] = [];
const lastUserText = (request: ProviderRequest) => {
  const user = request.messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : '';
};

describe('core takes a PromptTemplate wherever it takes a prompt', () => {
  beforeAll(() => {
    registerProvider({
      name: 'template-capture',
      matches: () => false,
      languageModel: (modelId): LanguageModel => ({
        provider: 'template-capture',
        modelId,
        async generate(request) {
          requests.push(request);
          return { text: `답변 ${requests.length}`, toolCalls: [], finishReason: 'stop', usage: { input: 1, output: 1, total: 2 } };
        },
        async *stream() {
          yield { type: 'finish', finishReason: 'stop', usage: { input: 0, output: 0, total: 0 } };
        },
      }),
    });
  });

  it('systemPrompt: the chat-history seed template rendered with the ask context', async () => {
    const tutor = new PromptTemplate(`You are a language tutor.
{언어}로 대화를 나눕시다. 번역과 발음을 제공하지 않고 {언어}로만 답변해주세요.
"{상황}"의 상황으로 상황극을 진행합니다.
가능한한 {언어} {레벨}에 맞는 단어와 표현을 사용해주세요.`);
    const llm = LLM.create('template-capture:tutor', { systemPrompt: tutor });
    await llm.ask('첫 문장으로 대화를 시작해주세요.', { context: { 언어: '중국어', 상황: '스타벅스에서 커피를 주문하는 상황', 레벨: '초급' } });
    const request = requests.at(-1) as ProviderRequest;
    expect(request.system).toContain('중국어로 대화를 나눕시다.');
    expect(request.system).toContain('"스타벅스에서 커피를 주문하는 상황"의 상황으로');
    expect(lastUserText(request)).toBe('첫 문장으로 대화를 시작해주세요.');
  });

  it('prompt: ask() with an object renders the role + conditions template', async () => {
    const prompt = new PromptTemplate('당신은 {{ role }}입니다.\n{% for c in conditions %}- {{ c }}\n{% endfor %}요청: {{ request }}');
    const llm = LLM.create('template-capture:prompt', { prompt });
    await llm.ask({ role: '전문 요리사', conditions: ['쉽게', '30분 이내'], request: '파스타 <레시피> & "팁"' });
    expect(lastUserText(requests.at(-1) as ProviderRequest)).toBe('당신은 전문 요리사입니다.\n- 쉽게\n- 30분 이내\n요청: 파스타 <레시피> & "팁"');
  });

  it('chain steps: each step prompt is a template over the previous output', async () => {
    const outline = LLM.create('template-capture:one');
    const draft = LLM.create('template-capture:two');
    const result = await outline.pipe(draft, { prompt: new PromptTemplate('개요를 바탕으로 초안을 쓰세요:\n{{ input }}') }).ask('블록체인 개요');
    expect(result.replies).toHaveLength(2);
    expect(lastUserText(requests.at(-1) as ProviderRequest)).toBe(`개요를 바탕으로 초안을 쓰세요:\n${result.replies[0].text}`);
  });

  it('a missing template variable fails the ask with a TemplateError (a ConfigurationError)', async () => {
    const llm = LLM.create('template-capture:missing', { systemPrompt: new PromptTemplate('{{ persona }}로 답하세요') });
    const before = requests.length;
    const error = await llm.ask('안녕').catch((e: unknown) => e);
    expect(TemplateError.isInstance(error)).toBe(true);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as TemplateError).missingVariables).toEqual(['persona']);
    expect(requests.length).toBe(before);
  });
});
