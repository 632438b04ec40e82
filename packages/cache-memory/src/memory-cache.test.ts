import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@llm/core';
import { cacheSizedValue, runCacheConformance } from '@llm/testkit';
import { MemoryCache } from './memory-cache.js';

runCacheConformance({ name: 'MemoryCache', create: (_namespace, { ttl }) => new MemoryCache({ ttl }) });

describe('MemoryCache eviction and getters', () => {
  it('evicts the least recently used entry past maxSize', async () => {
    const cache = new MemoryCache({ maxSize: 3 });
    await cache.set('가', { n: 1 });
    await cache.set('나', { n: 2 });
    await cache.set('다', { n: 3 });
    await cache.get('가'); // now 나 is the least recently used
    await cache.set('라', { n: 4 });
    expect(await cache.get('나')).toBeUndefined();
    expect(await cache.get('가')).toEqual({ n: 1 });
    expect(await cache.get('다')).toEqual({ n: 3 });
    expect(await cache.get('라')).toEqual({ n: 4 });
    expect((await cache.stats()).size).toBe(3);
  });

  it('evicts by serialized bytes past maxBytes and never stores a value larger than maxBytes', async () => {
    const cache = new MemoryCache({ maxBytes: 10_000 });
    const values = [1, 2, 3].map((writer) => cacheSizedValue(writer, 4_000));
    for (const [index, value] of values.entries()) await cache.set(`값-${index}`, value);
    expect(await cache.get('값-0')).toBeUndefined();
    expect(await cache.get('값-1')).toEqual(values[1]);
    expect(await cache.get('값-2')).toEqual(values[2]);
    const bytes = values.slice(1).reduce((sum, value) => sum + Buffer.byteLength(JSON.stringify(value)), 0);
    expect(cache.sizeBytes).toBe(bytes);
    expect(cache.sizeBytes).toBeLessThanOrEqual(10_000);
    await cache.set('너무 큰', cacheSizedValue(9, 20_000));
    expect(await cache.get('너무 큰')).toBeUndefined();
    expect(cache.sizeBytes).toBeLessThanOrEqual(10_000);
  });

  it('counts Korean text in UTF-8 bytes, not UTF-16 units', async () => {
    const cache = new MemoryCache();
    await cache.set('k', { text: '한글' });
    expect(cache.sizeBytes).toBe(Buffer.byteLength('{"text":"한글"}'));
    expect(cache.sizeBytes).toBe(17);
  });

  it('exposes hitRate and sizeBytes synchronously, like cache.hit_rate in the seed guide', async () => {
    const cache = new MemoryCache();
    expect(cache.hitRate).toBe(0);
    expect(cache.sizeBytes).toBe(0);
    await cache.set('a', { text: '안녕' });
    await cache.get('a');
    await cache.get('b');
    await cache.get('a');
    expect(cache.hitRate).toBeCloseTo(2 / 3, 10);
    expect(cache.sizeBytes).toBe((await cache.stats()).sizeBytes);
  });

  it('rejects impossible options with a ConfigurationError naming the option', () => {
    for (const options of [{ maxSize: 0 }, { maxSize: 1.5 }, { maxBytes: -1 }, { ttl: -5 }, { ttl: Number.NaN }]) {
      expect(() => new MemoryCache(options)).toThrow(ConfigurationError);
      expect(() => new MemoryCache(options)).toThrow(new RegExp(`^MemoryCache: ${Object.keys(options)[0]} must be`));
    }
  });
});
