// 스트리밍 응답 (고급 가이드): print chunks as they arrive, count them, cut the stream into sentences while it
// streams, and stop early when a keyword appears (the HTTP request is aborted, not read to the end).
// Run: node examples/11-streaming.mjs
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const llm = LLM.create(model, { stateless: true });

// 기본 스트리밍 + 스트리밍 중 통계
let chunksReceived = 0;
let words = 0;
for await (const chunk of llm.stream('머신러닝 알고리즘을 설명해주세요')) {
  process.stdout.write(chunk.text);
  if (chunk.text) {
    chunksReceived++;
    words += chunk.text.split(/\s+/).filter(Boolean).length;
  }
}
console.log(`\n\n청크 수: ${chunksReceived}, 대략적인 토큰 수: ${words}`);

// 스트리밍 중 처리: complete sentences come out while the answer is still streaming
class StreamProcessor {
  buffer = '';
  sentences = [];
  startTime = performance.now();
  processChunk(chunk) {
    this.buffer += chunk.text;
    const out = [];
    for (let end = this.buffer.search(/[.!?。](\s|$)/u); end >= 0; end = this.buffer.search(/[.!?。](\s|$)/u)) {
      const sentence = this.buffer.slice(0, end + 1).trim();
      this.buffer = this.buffer.slice(end + 1).trimStart();
      if (sentence) out.push(sentence);
    }
    this.sentences.push(...out);
    return out;
  }
  stats() {
    const elapsedSeconds = (performance.now() - this.startTime) / 1000;
    return { sentences: this.sentences.length, elapsedSeconds: Number(elapsedSeconds.toFixed(3)) };
  }
}
const processor = new StreamProcessor();
for await (const chunk of llm.stream('인공지능의 장단점을 5가지씩 설명해주세요')) {
  for (const sentence of processor.processChunk(chunk)) console.log(`[문장 ${processor.sentences.indexOf(sentence) + 1}] ${sentence}`);
}
console.log('통계:', processor.stats());

// 조기 종료: break ends the stream and aborts the request
async function streamUntilKeyword(prompt, stopKeyword) {
  let collected = '';
  let chunks = 0;
  for await (const chunk of llm.stream(prompt, { maxTokens: 500 })) {
    collected += chunk.text;
    chunks++;
    if (collected.toLowerCase().includes(stopKeyword.toLowerCase())) {
      console.log(`\n['${stopKeyword}' 키워드 감지 - ${chunks}번째 청크에서 중단]`);
      break;
    }
  }
  return collected;
}
const text = await streamUntilKeyword('파이썬의 장점과 단점을 나열해주세요', '단점');
console.log(`중단 전까지 받은 글자: ${[...text].length}자`);
console.log(`마지막 부분: ...${text.slice(-12)}`);
