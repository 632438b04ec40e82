// 템플릿 활용 (중급 가이드): Jinja2 templates (nunjucks) with loops, few-shot examples, a builder choosing among
// templates, and a template as the LLM's own prompt (Korean variable names work).
// Run: node examples/06-templates.mjs
import { LLM } from '@llm/core';
import { PromptTemplate, getBuiltinPrompt } from '@llm/templates';

const model = process.env.LLM_MODEL ?? 'mock';
const llm = LLM.create(model, { stateless: true });

// Jinja2 템플릿: 역할, 요청, 조건 목록
const template = new PromptTemplate(`당신은 {{ role }}입니다.

사용자의 요청: {{ request }}

다음 조건을 고려하여 답변해주세요:
{% for condition in conditions %}- {{ condition }}
{% endfor %}`);
console.log('입력 변수:', template.inputVariables.join(', '));
const prompt = template.render({
  role: '전문 요리사',
  request: '파스타 만드는 법을 알려주세요',
  conditions: ['초보자도 쉽게 따라할 수 있도록', '재료는 마트에서 쉽게 구할 수 있는 것으로', '30분 이내에 완성 가능한 레시피'],
});
console.log(prompt);
console.log('답변:', (await llm.ask(prompt)).text.replace(/\s+/g, ' ').slice(0, 60));

// Few-shot 템플릿
const fewShot = new PromptTemplate(`다음 예시를 참고하여 작업을 수행하세요.

{% for example in examples %}입력: {{ example.input }}
출력: {{ example.output }}

{% endfor %}입력: {{ input }}
출력:`);
const fewShotPrompt = fewShot.render({
  examples: [{ input: 'Hello', output: '안녕하세요' }, { input: 'Thank you', output: '감사합니다' }, { input: 'Good morning', output: '좋은 아침입니다' }],
  input: 'How are you?',
});
console.log(`few-shot 예시 수: ${fewShotPrompt.match(/^입력:/gm).length - 1}, 마지막 줄: ${fewShotPrompt.split('\n').at(-1)}`);

// 동적 템플릿: a builder picks the template by style
class DynamicPromptBuilder {
  templates = {
    technical: new PromptTemplate('기술적 관점에서 {{ topic }}에 대해 설명하세요.'),
    simple: new PromptTemplate('5살 아이도 이해할 수 있게 {{ topic }}을 설명하세요.'),
    business: new PromptTemplate('비즈니스 관점에서 {{ topic }}의 가치를 설명하세요.'),
  };
  build(style, topic) {
    return (this.templates[style] ?? this.templates.simple).render({ topic });
  }
}
const builder = new DynamicPromptBuilder();
for (const style of ['technical', 'simple', 'business']) console.log(`[${style.toUpperCase()}] ${builder.build(style, '블록체인 기술')}`);

// 템플릿을 LLM의 프롬프트로: 한국어 변수 이름 ({언어}, {상황}, {레벨})
const tutor = LLM.create(model, {
  systemPrompt: new PromptTemplate('당신은 {언어} 회화 선생님입니다. 상황: {상황}. 학생 수준: {레벨}.'),
  prompt: new PromptTemplate('{{ 주제 }}에 대해 {{ 언어 }}로 짧게 대화를 시작해 주세요.'),
});
const context = { 언어: '영어', 상황: '카페', 레벨: '초급' };
console.log('시스템 프롬프트:', tutor.options.systemPrompt.render(context));
const opening = await tutor.ask({ 주제: '주문하기' }, { context });
console.log('튜터:', opening.text.slice(0, 70));

// 누락된 변수는 이름을 밝히는 오류가 된다
try {
  template.render({ role: '요리사' });
} catch (error) {
  console.log(`${error.name}: ${error.message.split('\n')[0]}`);
}
console.log('내장 프롬프트 rag 변수:', getBuiltinPrompt('rag').inputVariables.join(', '));
