// 비동기 처리 (중급 + 고급 가이드): every call is async in JavaScript. Concurrent asks with Promise.all, bounded
// parallelism with batch(), two streams at once, and the guide's AsyncPipeline (round-robin batch + a chain).
// Run: node examples/03-async-concurrency.mjs
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const secondModel = process.env.LLM_MODEL_2 ?? (model === 'mock' ? 'mock:second' : model);

// 기본 비동기 사용
const llm = LLM.create(model);
const reply = await llm.ask('비동기 프로그래밍의 장점은?');
console.log('ask:', reply.text);
process.stdout.write('stream: ');
for await (const chunk of llm.stream('긴 설명을 해주세요')) process.stdout.write(chunk.text);
console.log();

// 동시 요청 처리: asyncio.gather → Promise.all (stateless, so the answers do not see each other)
const queries = ['Python의 장점은?', 'JavaScript의 장점은?', 'Rust의 장점은?'];
const stateless = LLM.create(model, { stateless: true });
const started = performance.now();
const replies = await Promise.all(queries.map((q) => stateless.ask(q)));
queries.forEach((q, i) => console.log(`Q: ${q}\nA: ${replies[i].text.slice(0, 100)}...`));
console.log(`동시 요청 ${replies.length}개 완료 (${Math.round(performance.now() - started)} ms)`);

// 동시성 제한: at most 2 requests in flight
const limited = await stateless.batch(['사과', '바나나', '오렌지', '포도'].map((f) => `'${f}'의 영양 성분을 한 줄로 요약하세요`), { maxParallel: 2 });
console.log(`batch(maxParallel: 2): ${limited.length}개 응답`);

// 동시 스트리밍: two models stream at the same time, each chunk tagged with its model
const lines = { A: '', B: '' };
async function streamWithPrefix(client, prompt, prefix) {
  for await (const chunk of client.stream(prompt)) lines[prefix] += chunk.text;
}
await Promise.all([
  streamWithPrefix(LLM.create(model, { stateless: true }), '파이썬의 장점', 'A'),
  streamWithPrefix(LLM.create(secondModel, { stateless: true }), '파이썬의 장점', 'B'),
]);
console.log(`[A] ${lines.A}\n[B] ${lines.B}`);

// 비동기 파이프라인
class AsyncPipeline {
  constructor(models) {
    this.llms = models.map((m) => LLM.create(m, { stateless: true }));
  }
  async processBatch(items, processorPrompt) {
    const results = await Promise.all(items.map((item, i) => this.llms[i % this.llms.length].ask(processorPrompt.replace('{item}', item))));
    return items.map((item, i) => [item, results[i].text]);
  }
  async processChain(initialInput, prompts) {
    let result = initialInput;
    for (const [i, prompt] of prompts.entries()) {
      result = (await this.llms[i % this.llms.length].ask(prompt.replace('{input}', result))).text;
      console.log(`Step ${i + 1}: ${result.slice(0, 50)}...`);
    }
    return result;
  }
}
const pipeline = new AsyncPipeline([model, secondModel]);
for (const [item, text] of await pipeline.processBatch(['사과', '바나나', '오렌지'], "'{item}'의 영양 성분을 한 줄로 요약하세요")) console.log(`${item}: ${text}`);
const final = await pipeline.processChain('인공지능', ['{input}의 정의를 한 문장으로', '{input}를 5살 아이에게 설명하면', '{input}를 이모티콘으로만 표현하면']);
console.log(`최종 결과: ${final.slice(0, 60)}...`);
