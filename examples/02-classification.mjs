// 분류 및 선택 (중급 가이드 "분류 및 선택"): `choices` picks exactly one label (reply.choice, choiceIndex,
// confidence); a schema with an enum list does multi-label classification.
// Run: node examples/02-classification.mjs
import { z } from 'zod';
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const llm = LLM.create(model);

// 감정 분석: 단일 선택
const emotions = ['기쁨', '슬픔', '분노', '공포', '놀람', '혐오'];
const reply = await llm.ask('오늘 승진했어요! 축하 파티도 했답니다.', { choices: emotions });
console.log(`감정: ${reply.choice}`);
console.log(`인덱스: ${reply.choiceIndex}`);
console.log(`확신도: ${reply.confidence}`);

// 여러 문장 일괄 처리 (in parallel: batch runs them side by side, each without the others' history)
const texts = ['프로젝트가 실패했습니다.', '복권에 당첨됐어요!', '또 야근이네요...'];
const replies = await llm.batch(texts, { choices: emotions });
texts.forEach((text, i) => console.log(`${text} → ${replies[i].choice}`));

// 의도 분류
class IntentClassifier {
  constructor() {
    this.llm = LLM.create(model, { stateless: true });
    this.intents = ['질문', '요청', '불만', '칭찬', '정보제공', '기타'];
  }
  async classify(text) {
    return (await this.llm.ask(text, { choices: this.intents })).choice;
  }
}
const classifier = new IntentClassifier();
console.log(`이 제품 환불 가능한가요? → ${await classifier.classify('이 제품 환불 가능한가요?')}`);
console.log(`정말 최고의 서비스입니다! → ${await classifier.classify('정말 최고의 서비스입니다!')}`);

// 다중 라벨 분류: a list of labels, each one of the allowed topics.
const availableTopics = ['정치', '경제', '사회', '문화', '스포츠', 'IT', '과학', '건강'];
const TopicLabels = z.object({ topics: z.array(z.enum(availableTopics)).describe('해당하는 모든 주제') });
const tagger = LLM.create(model, { systemPrompt: '텍스트의 주제를 분류하는 전문가' });
const prompt = `다음 텍스트에 해당하는 모든 주제를 선택하세요.
가능한 주제: ${availableTopics.join(', ')}

텍스트: 'AI 기술이 의료 분야에 혁명을 일으키고 있습니다. 특히 암 진단의 정확도가 크게 향상되었습니다.'`;
const labels = await tagger.ask(prompt, { schema: TopicLabels });
console.log(`분류된 주제: ${labels.structuredData.topics.join(', ')}`);
console.log('모두 허용된 주제:', labels.structuredData.topics.every((t) => availableTopics.includes(t)));
