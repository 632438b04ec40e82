// 캐싱 (중급 + 고급 가이드 "캐싱"): the same request twice costs one API call. An in-memory LRU cache, a file cache
// that survives restarts, statistics, and a cache used only for questions whose answer does not change.
// Run: node examples/04-caching.mjs   (the file cache goes to ./llm_cache under the current folder)
import { LLM } from '@llm/core';
import { MemoryCache } from '@llm/cache-memory';
import { FileCache } from '@llm/cache-file';

const model = process.env.LLM_MODEL ?? 'mock';

// 인메모리 캐싱: 1시간 TTL, 최대 100개
const memoryCache = new MemoryCache({ ttl: 3600, maxSize: 100 });
const cached = LLM.create(model, { cache: memoryCache, stateless: true });
const reply1 = await cached.ask('파이썬의 창시자는 누구인가요?');
console.log(`첫 번째 호출 캐시 히트: ${reply1.cacheHit}`);
const reply2 = await cached.ask('파이썬의 창시자는 누구인가요?');
console.log(`두 번째 호출 캐시 히트: ${reply2.cacheHit}`);
console.log(`캐시된 응답 동일: ${reply1.text === reply2.text}`);
console.log(`두 번째 호출 토큰: ${reply2.usage.total} (원래 ${reply2.cachedUsage?.total})`);

// 파일 기반 캐싱: 24시간 TTL, 프로그램 재시작 후에도 유지
const fileCache = new FileCache({ cacheDir: './llm_cache', ttl: 86_400 });
const persistent = LLM.create(model, { cache: fileCache, stateless: true });
await persistent.ask('파이썬의 역사를 간단히 설명해주세요'); // miss: asks the model, writes a file
await persistent.ask('파이썬의 역사를 간단히 설명해주세요'); // hit
const restarted = LLM.create(model, { cache: new FileCache({ cacheDir: './llm_cache', ttl: 86_400 }), stateless: true });
console.log(`재시작 후 캐시 히트: ${(await restarted.ask('파이썬의 역사를 간단히 설명해주세요')).cacheHit}`);

// 캐시 통계
const stats = await fileCache.stats();
console.log(`캐시 히트율: ${(stats.hitRate * 100).toFixed(0)}%`);
console.log(`캐시 항목: ${stats.size}개, 크기: ${(stats.sizeBytes / 1024).toFixed(2)} KB`);
console.log(`만료 항목 삭제: ${await fileCache.clearExpired()}개`);

// 조건부 캐싱: 실시간 정보는 캐시하지 않는다 (ask 옵션 cache: false)
class SmartCache {
  constructor(llm) {
    this.llm = llm;
  }
  ask(prompt) {
    const dynamic = ['현재', '오늘', '지금', '실시간', '최신'].some((keyword) => prompt.includes(keyword));
    return this.llm.ask(prompt, { cache: !dynamic });
  }
}
const smart = new SmartCache(LLM.create(model, { cache: new MemoryCache({ ttl: 3600 }), stateless: true }));
await smart.ask('파이썬이란?');
await smart.ask('현재 시각은?');
console.log(`파이썬이란? 다시 → 캐시 히트: ${(await smart.ask('파이썬이란?')).cacheHit}`);
console.log(`현재 시각은? 다시 → 캐시 히트: ${(await smart.ask('현재 시각은?')).cacheHit}`);

// 캐시 전략: 질문 종류마다 다른 TTL
const short = new MemoryCache({ ttl: 300 });
const long = new FileCache({ cacheDir: './llm_cache', ttl: 86_400 * 30 });
const forQuery = (type) => (type === 'realtime' ? LLM.create(model) : LLM.create(model, { cache: type === 'dynamic' ? short : long }));
console.log(`정적 정보 LLM 캐시: ${forQuery('static').options.cache === long ? 'FileCache(30일)' : '?'}`);
await fileCache.clear();
console.log(`clear() 후 항목: ${(await fileCache.stats()).size}개`);
