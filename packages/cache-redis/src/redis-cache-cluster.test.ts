import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { requireService, runCacheConformance } from '@llm/testkit';
import { startLocalRedisCluster, type LocalRedisCluster } from './local-redis-cluster.js';
import { RedisCache } from './redis-cache.js';

// A private two-master cluster of redis-server processes: Cluster code paths run for real, the shared Redis is untouched.
let cluster: LocalRedisCluster | undefined;
const ready = await requireService(
  'a local Redis Cluster (redis-server binary)',
  async () => {
    cluster = await startLocalRedisCluster(2);
  },
  { timeoutMs: 20_000, hint: 'install redis-server (apt-get install redis-server) so the test can start its own cluster' },
);

describe.skipIf(!ready)('RedisCache on a Redis Cluster client', () => {
  const ports = cluster?.ports ?? [];
  const client = new Cluster([{ host: '127.0.0.1', port: ports[0] }], { lazyConnect: true });
  const masters = ports.map((port) => new Redis(port, '127.0.0.1', { lazyConnect: true }));
  afterAll(async () => {
    await client.quit();
    await Promise.all(masters.map((master) => master.quit()));
    await cluster?.stop();
  });

  runCacheConformance({
    name: 'RedisCache (Cluster)',
    create: (namespace, { ttl }) => new RedisCache({ client, prefix: `llm-test:${namespace}:`, ttl }),
    expiresNatively: true,
  });

  it('spreads keys over every master, counts them all in stats(), and clear() scans every master', async () => {
    const prefix = `llm-test:spread-${randomUUID()}:`;
    const cache = new RedisCache({ client, prefix });
    const other = new RedisCache({ client, prefix: `llm-test:other-${randomUUID()}:` });
    await other.set('남는 키', { text: '그대로' });
    await Promise.all(Array.from({ length: 200 }, (_, i) => cache.set(`키-${i}`, { i, text: '클러스터' })));
    const perMaster = await Promise.all(masters.map((master) => master.dbsize()));
    for (const count of perMaster) expect(count).toBeGreaterThan(20);
    expect((await cache.stats()).size).toBe(200);
    await cache.clear();
    // Only the other prefix's key is left, wherever its slot lives.
    expect((await Promise.all(masters.map((master) => master.dbsize()))).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await cache.stats()).size).toBe(0);
    expect(await other.get('남는 키')).toEqual({ text: '그대로' });
    await other.clear();
    await cache.close();
    expect(client.status).toBe('ready');
  });
});
