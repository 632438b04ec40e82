// 메타프롬프팅 (고급 가이드): a model writes the prompt for a task from examples, then improves it from feedback;
// the generated prompt is then used as a system prompt.
// Run: node examples/13-meta-prompting.mjs
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';

class MetaPrompter {
  constructor(name = model) {
    this.llm = LLM.create(name, { stateless: true });
  }
  async generatePrompt(task, examples = []) {
    let metaPrompt = `다음 작업을 수행하기 위한 최적의 프롬프트를 생성하세요:

작업: ${task}

프롬프트는 다음을 포함해야 합니다:
1. 명확한 지시사항
2. 출력 형식 지정
3. 품질 기준
4. 예시 (제공된 경우)
`;
    if (examples.length) {
      metaPrompt += '\n제공된 예시:\n';
      examples.forEach((example, i) => (metaPrompt += `${i + 1}. 입력: ${example.input}\n   출력: ${example.output}\n`));
    }
    return (await this.llm.ask(metaPrompt)).text;
  }
  async optimizePrompt(originalPrompt, feedback) {
    return (await this.llm.ask(`다음 프롬프트를 피드백을 바탕으로 개선하세요:

원본 프롬프트:
${originalPrompt}

피드백:
${feedback}

개선된 프롬프트를 제시하세요.`)).text;
  }
}

const metaPrompter = new MetaPrompter();
const task = '고객 리뷰를 분석하여 감정과 주요 키워드를 추출';
const examples = [{ input: '이 제품 정말 좋아요! 배송도 빠르고 품질도 최고입니다.', output: '감정: 긍정, 키워드: 품질, 배송' }];
const generated = await metaPrompter.generatePrompt(task, examples);
console.log('생성된 프롬프트:', generated.replace(/\s+/g, ' ').slice(0, 80));
const improved = await metaPrompter.optimizePrompt(generated, '감정을 더 세분화하고 신뢰도 점수도 포함해주세요');
console.log('개선된 프롬프트:', improved.replace(/\s+/g, ' ').slice(0, 80));

// The generated prompt in use: as the system prompt of the model that does the task.
const analyst = LLM.create(model, { systemPrompt: improved, stateless: true });
const review = await analyst.ask('배송은 느렸지만 품질은 만족스러워요.', { choices: ['긍정', '부정', '중립'] });
console.log(`리뷰 감정: ${review.choice} (확신도 ${review.confidence})`);
