// A Redis that stops mid-run: the asks are still answered by the provider, one warning per outage, and the cache
// works again once Redis is back (issue 4). Uses a private redis-server, never the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { LLM } from '@llm/core';
import { requireService } from '@llm/testkit';
import { freePort } from './local-redis-cluster.js';
import { RedisCache } from './redis-cache.js';

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve());
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    }).catch(() => false);
    if (ok) return child;
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

const hasBinary = await requireService('redis-server binary', () => new Promise<boolean>((resolve) => {
  const probe = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  probe.once('error', () => resolve(false));
  probe.once('exit', (code) => resolve(code === 0));
}), { hint: 'apt-get install redis-server' });

describe.runIf(hasBinary)('RedisCache when Redis stops mid-run', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => { await Promise.all(children.map(stop)); });

  it('keeps answering, warns once per outage, and caches again after Redis returns', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    children.push(redis);
    const cache = new RedisCache({ url: `redis://127.0.0.1:${port}`, prefix: 'outage:' });
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, m?: string) => warnings.push(m ?? ''), error: () => undefined, info: () => undefined };
    const llm = LLM.create('mock', { cache, logger, stateless: true });
    expect((await llm.ask('서울 날씨는?')).cacheHit).toBe(false);
    expect((await llm.ask('서울 날씨는?')).cacheHit).toBe(true);

    await stop(redis);
    const started = performance.now();
    const during = [await llm.ask('서울 날씨는?'), await llm.ask('부산 날씨는?')];
    expect(during.map((r) => r.cacheHit)).toEqual([false, false]);
    expect(during.every((r) => r.text.startsWith('[mock]'))).toBe(true);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(warnings.filter((w) => w.includes('cache'))).toHaveLength(1);

    redis = await startRedis(port);
    children.push(redis);
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      await llm.ask('제주 날씨는?');
      recovered = (await llm.ask('제주 날씨는?')).cacheHit;
      if (!recovered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(true);
    await cache.close();
  }, 60_000);
});
