// 성능 모니터링 (고급 가이드): latency, tokens, errors and cache hits per model, collected from the LLM's events
// (request / response / error / retry / fallback) by core's createMonitor — no monkey-patching of ask().
// Run: node examples/17-performance-monitor.mjs
import { LLM, createMonitor } from '@llm/core';
import { MemoryCache } from '@llm/cache-memory';

const model = process.env.LLM_MODEL ?? 'mock';
const secondModel = process.env.LLM_MODEL_2 ?? (model === 'mock' ? 'mock:second' : model);
const monitor = createMonitor();

// 모니터링할 LLM 생성: the second one has a cache and, on the mock, one scripted failure
const llm1 = monitor.track(LLM.create(model, { stateless: true }));
const llm2 = monitor.track(LLM.create(secondModel, {
  stateless: true, cache: new MemoryCache(), maxRetries: 0,
  ...(secondModel.startsWith('mock') ? { responses: [{ error: new Error('일시적인 서버 오류') }] } : {}),
}));

// 작업 수행: 질문 0..4 twice on the cached model (the repeats are cache hits)
for (let i = 0; i < 5; i++) {
  await llm1.ask(`질문 ${i}`);
  for (const attempt of [1, 2]) {
    try {
      await llm2.ask(`질문 ${i}`);
    } catch (error) {
      console.log(`오류 기록됨 (질문 ${i}, 시도 ${attempt}): ${error.message}`);
    }
  }
}

// 리포트 확인
for (const [name, stats] of Object.entries(monitor.report())) {
  console.log(`\n${name}:`);
  console.log(`  요청 수: ${stats.requests}`);
  console.log(`  평균 응답 시간: ${(stats.avgLatencyMs / 1000).toFixed(3)}초 (p95 ${stats.p95LatencyMs.toFixed(1)} ms)`);
  console.log(`  평균 토큰 사용: ${stats.avgTokensPerRequest.toFixed(0)}`);
  console.log(`  오류율: ${(stats.errorRate * 100).toFixed(1)}%`);
  console.log(`  캐시 히트율: ${(stats.cacheHitRate * 100).toFixed(1)}%`);
}
console.log(`\n총 비용: $${monitor.totalCostUsd.toFixed(6)}`);
monitor.detach();
