// 조건부 파이프라인 (고급 가이드): one model classifies the input (choices), then the matching processor — its own
// model and prompt — handles it.
// Run: node examples/15-conditional-pipeline.mjs
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const mockOr = (name) => (model === 'mock' ? name : model);

class ConditionalPipeline {
  analyzer = LLM.create(model, { stateless: true });
  processors = {};
  addProcessor(condition, llm, prompt) {
    this.processors[condition] = { llm, prompt };
  }
  async process(text) {
    // 1. 텍스트 타입 분석
    const analysis = await this.analyzer.ask(`다음 텍스트의 타입을 분류하세요: ${text}`, { choices: Object.keys(this.processors) });
    // 2. 해당 프로세서 실행
    const processor = this.processors[analysis.choice];
    const result = await processor.llm.ask(processor.prompt.replace('{text}', text));
    return { type: analysis.choice, confidence: analysis.confidence, model: result.model, text: result.text };
  }
}

const pipeline = new ConditionalPipeline();
pipeline.addProcessor('기술문서', LLM.create(mockOr('mock:docs'), { stateless: true }), '다음 기술 문서를 요약하고 핵심 개념을 추출하세요: {text}');
pipeline.addProcessor('고객문의', LLM.create(mockOr('mock:support'), { stateless: true }), '다음 고객 문의에 친절하게 답변하세요: {text}');
pipeline.addProcessor('코드', LLM.create(mockOr('mock:code'), { stateless: true }), '다음 코드를 분석하고 개선점을 제안하세요: {text}');

const inputs = [
  '이 코드 좀 봐주세요: def calculate_sum(numbers): return sum(numbers)',
  '주문한 상품이 아직 도착하지 않았는데 언제 오나요? 고객센터 문의드립니다.',
  'REST API 기술문서: 인증은 Bearer 토큰을 사용하며 응답은 JSON 형식입니다.',
];
const results = await Promise.all(inputs.map((text) => pipeline.process(text)));
results.forEach((result, i) => {
  console.log(`입력: ${inputs[i].slice(0, 30)}...`);
  console.log(`  → 분류: ${result.type} (확신도 ${result.confidence}), 처리 모델: ${result.model}`);
  console.log(`  → 결과: ${result.text.slice(0, 50)}...`);
});
