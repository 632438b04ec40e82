// 체인 및 파이프라인: 순차 체인 (고급 가이드): each step's answer feeds the next step's prompt; every step's result
// is kept by name. Both the guide's SequentialChain class and core's built-in llm.pipe().
// Run: node examples/14-chains.mjs
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const polishModel = process.env.LLM_MODEL_2 ?? (model === 'mock' ? 'mock:polish' : model);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);

class SequentialChain {
  steps = [];
  addStep(name, llm, promptTemplate) {
    this.steps.push({ name, llm, promptTemplate });
    return this;
  }
  async run(initialInput) {
    const results = { initial_input: initialInput };
    let current = initialInput;
    for (const step of this.steps) {
      const reply = await step.llm.ask(fill(step.promptTemplate, { ...results, input: current }));
      current = reply.text;
      results[step.name] = current;
      console.log(`[${step.name}] 완료 (${reply.model})`);
    }
    return results;
  }
}

// 블로그 포스트 생성 체인
const chain = new SequentialChain()
  .addStep('outline', LLM.create(model, { stateless: true }), '다음 주제에 대한 블로그 포스트 개요를 작성하세요: {input}')
  .addStep('draft', LLM.create(model, { stateless: true }), '다음 개요를 바탕으로 블로그 포스트 초안을 작성하세요:\n{outline}')
  .addStep('polish', LLM.create(polishModel, { stateless: true }), '다음 초안을 다듬어 완성도 높은 블로그 포스트로 만들어주세요:\n{draft}');
const results = await chain.run('파이썬으로 웹 스크래핑하기');
console.log(`결과 키: ${Object.keys(results).join(', ')}`);
console.log(`최종 결과: ${results.polish.replace(/\s+/g, ' ').slice(0, 60)}...`);

// The same with core's pipe(): {input} is the previous answer, {outline} a named earlier one.
const outline = LLM.create(model, { stateless: true, prompt: '{topic}' });
const piped = outline
  .pipe(LLM.create(model, { stateless: true }), { prompt: '다음 개요를 바탕으로 초안을 작성하세요:\n{input}', outputKey: 'draft' })
  .pipe(LLM.create(polishModel, { stateless: true }), { prompt: '다듬어주세요:\n{draft}', outputKey: 'polish' });
const result = await piped.ask('블로그 포스트 개요: 파이썬으로 웹 스크래핑하기');
console.log(`pipe 단계 수: ${result.replies.length}, 이름: ${Object.keys(result.values).join(', ')}`);
console.log(`pipe 마지막 모델: ${result.reply.model}`);
