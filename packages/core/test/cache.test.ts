import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LLM, defineTool, requestCacheKey, type ProviderRequest } from '@llm/core';
import { MapCache } from './test-stores.js';
import { recordingProvider } from './recording-provider.js';

const base: ProviderRequest = { messages: [{ role: 'user', content: '파이썬의 창시자는?' }], temperature: 0.2 };
const tool = { name: 't', parameters: { type: 'object', properties: { a: { type: 'string' } } } };

describe('cache keys', () => {
  const key = (r: ProviderRequest) => requestCacheKey('openai', 'gpt-4o-mini', r);
  it('differ when tools, images, schema, temperature, history, system or model differ', () => {
    const k = key(base);
    expect(key({ ...base, tools: [tool] })).not.toBe(k);
    expect(key({ ...base, tools: [{ ...tool, parameters: { type: 'object', properties: { b: { type: 'string' } } } }] })).not.toBe(key({ ...base, tools: [tool] }));
    expect(key({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: '파이썬의 창시자는?' }, { type: 'image', data: new Uint8Array([1, 2, 3]), mediaType: 'image/png' }] }] }))
      .not.toBe(key({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: '파이썬의 창시자는?' }, { type: 'image', data: new Uint8Array([1, 2, 4]), mediaType: 'image/png' }] }] }));
    expect(key({ ...base, responseFormat: { type: 'json', schema: { type: 'object' } } })).not.toBe(k);
    expect(key({ ...base, temperature: 0.3 })).not.toBe(k);
    expect(key({ ...base, messages: [{ role: 'user', content: '이전' }, { role: 'assistant', content: '답' }, ...base.messages] })).not.toBe(k);
    expect(key({ ...base, system: '다른 시스템' })).not.toBe(k);
    expect(requestCacheKey('openai', 'gpt-4o', base)).not.toBe(k);
    expect(key({ ...base, toolChoice: 'required', tools: [tool] })).not.toBe(key({ ...base, tools: [tool] }));
  });
  it('are equal when only property order differs, and never contain the signal', () => {
    const a = key({ temperature: 0.2, messages: [{ content: '파이썬의 창시자는?', role: 'user' }], tools: [{ parameters: { properties: { a: { type: 'string' } }, type: 'object' }, name: 't' }] });
    const b = key({ ...base, tools: [tool] });
    expect(a).toBe(b);
    expect(key({ ...base, signal: new AbortController().signal })).toBe(key(base));
    expect(key(base)).toMatch(/^llm:[0-9a-f]{64}$/);
  });
  it('never depend on the API key', async () => {
    const cache = new MapCache();
    await LLM.create('mock', { cache, apiKey: 'sk-secret-one-123456789' }).ask('같은 질문');
    const reply = await LLM.create('mock', { cache, apiKey: 'sk-secret-two-987654321' }).ask('같은 질문');
    expect(reply.cacheHit).toBe(true);
    expect([...cache.map.keys(), ...cache.map.values()].join('')).not.toContain('secret');
  });
});

describe('caching in LLM.ask', () => {
  it('a hit sets cacheHit, keeps the original usage in cachedUsage, zero usage, and makes no provider call', async () => {
    const cache = new MapCache();
    const rec = recordingProvider('cache-hit', [{ text: '귀도 반 로섬', usage: { input: 7, output: 5 } }]);
    const first = await LLM.create(rec.name, { cache, stateless: true }).ask('파이썬의 창시자는?');
    const second = await LLM.create(rec.name, { cache, stateless: true }).ask('파이썬의 창시자는?');
    expect(first.cacheHit).toBe(false);
    expect(second.cacheHit).toBe(true);
    expect(second.text).toBe('귀도 반 로섬');
    expect(second.usage).toEqual({ input: 0, output: 0, total: 0 });
    expect(second.cachedUsage).toEqual({ input: 7, output: 5, total: 12 });
    expect(rec.requests).toHaveLength(1);
  });

  it('cache: false bypasses and cacheTtl reaches the cache', async () => {
    const cache = new MapCache();
    const setSpy = vi.spyOn(cache, 'set');
    const llm = LLM.create('mock', { cache, stateless: true });
    await llm.ask('질문', { cacheTtl: 60 });
    expect(setSpy.mock.calls[0][2]).toEqual({ ttlSeconds: 60 });
    const bypass = await llm.ask('질문', { cache: false });
    expect(bypass.cacheHit).toBe(false);
  });

  it('replays a hit as a stream of chunks', async () => {
    const cache = new MapCache();
    await LLM.create('mock', { cache, stateless: true }).ask('스트림 캐시 테스트 문장');
    const chunks = [];
    for await (const c of LLM.create('mock', { cache, stateless: true }).stream('스트림 캐시 테스트 문장')) chunks.push(c);
    const finish = chunks[chunks.length - 1];
    expect(finish.type === 'finish' && finish.reply.cacheHit).toBe(true);
    expect(chunks.filter((c) => c.type === 'text').length).toBeGreaterThan(3);
    expect(chunks.filter((c) => c.type === 'text').map((c) => c.text).join('')).toBe(finish.type === 'finish' ? finish.reply.text : '');
  });

  it('stores a stream only after it finished; an aborted stream stores nothing', async () => {
    const cache = new MapCache();
    const llm = LLM.create('mock', { cache, stateless: true, chunkDelayMs: 2 });
    for await (const chunk of llm.stream('중단될 스트림입니다 여러 단어로')) if (chunk.type === 'text') break;
    expect(cache.map.size).toBe(0);
    for await (const _ of llm.stream('끝까지 읽을 스트림')) void _;
    expect(cache.map.size).toBe(1);
  });

  it('caches each model step of a tool loop; tools still run on a replay', async () => {
    const cache = new MapCache();
    let runs = 0;
    const calc = defineTool({ name: 'calculate', description: '계산', parameters: z.object({ expression: z.string() }), execute: () => { runs++; return 425; } });
    const first = await LLM.create('mock', { cache, stateless: true }).ask('25 곱하기 17은?', { tools: [calc] });
    const second = await LLM.create('mock', { cache, stateless: true }).ask('25 곱하기 17은?', { tools: [calc] });
    expect(cache.map.size).toBe(2);
    expect(runs).toBe(2);
    expect(second.cacheHit).toBe(true);
    expect(second.text).toBe(first.text);
  });

  it('embeddings are cached per text: a half-cached list requests only the missing texts', async () => {
    const cache = new MapCache();
    const llm = LLM.create('mock', { cache });
    const first = await llm.embedMany(['가', '나']);
    const batches: number[] = [];
    const all = await llm.embedMany(['가', '다', '나', '라'], { onProgress: (done) => batches.push(done) });
    expect(all[0]).toEqual(first[0]);
    expect(all[2]).toEqual(first[1]);
    expect(cache.map.size).toBe(4);
    expect(batches).toEqual([2, 4]);
  });

  it('a failing cache logs one warning per outage and the asks are still answered', async () => {
    const cache = new MapCache();
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, m?: string) => warnings.push(m ?? ''), error: () => undefined, info: () => undefined };
    const llm = LLM.create('mock', { cache, logger, stateless: true });
    cache.failing = true;
    const a = await llm.ask('하나');
    const b = await llm.ask('둘');
    expect(a.text).toContain('[mock]');
    expect(b.cacheHit).toBe(false);
    expect(warnings.filter((w) => w.includes('cache'))).toHaveLength(1);
    cache.failing = false;
    await llm.ask('셋');
    cache.failing = true;
    await llm.ask('넷');
    expect(warnings.filter((w) => w.includes('cache'))).toHaveLength(2);
  });
});
