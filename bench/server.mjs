// The chat server on the mock model: requests per second for /api/chat/message next to a bare Fastify route that
// returns the same JSON (autocannon), and 1,000 concurrent open SSE streams on one process.
import { execFile } from 'node:child_process';
import http from 'node:http';
import Fastify from 'fastify';
import { createServer } from '@llm/server';
import { fmt } from './measure.mjs';

/** autocannon against `url`, run in a child process so the load generator has its own core. */
function cannon(url, { body, duration, connections }) {
  const options = { url, method: 'POST', headers: { 'content-type': 'application/json', 'x-anonymous-id': 'bench-user-000000001' }, body, duration, connections };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [new URL('./autocannon-process.mjs', import.meta.url).pathname, JSON.stringify(options)], { maxBuffer: 1 << 20 }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}

async function openStreams(base, count, holdMs) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let opened = 0;
  let peak = 0;
  let open = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => new Promise((resolve) => {
    const req = http.request(`${base}/api/chat/message/stream`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-anonymous-id': `bench-stream-user-${String(i).padStart(6, '0')}` } }, (res) => {
      let counted = false;
      res.on('data', () => {
        if (!counted) { counted = true; opened++; open++; peak = Math.max(peak, open); }
      });
      res.on('end', () => { if (counted) open--; resolve(); });
      res.on('error', () => { failed++; resolve(); });
    });
    req.on('error', () => { failed++; resolve(); });
    req.end(JSON.stringify({ message: `스트림 ${i}: 긴 답변을 천천히 보내주세요` }));
  })));
  agent.destroy();
  return { opened, peak, failed, seconds: (performance.now() - started) / 1000, holdMs };
}

export async function benchServer({ quick }) {
  const duration = quick ? 2 : 10;
  const app = await createServer({ model: 'mock', redisUrl: null, history: { type: 'memory' }, rateLimit: false, logger: false, anonymous: true, builtinTools: false, llmOptions: { chunkDelayMs: 0 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const sample = await (await fetch(`${base}/api/chat/message`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-anonymous-id': 'bench-user-000000001' }, body: JSON.stringify({ message: '안녕하세요' }) })).text();
  const bare = Fastify({ logger: false });
  bare.post('/api/chat/message', async () => JSON.parse(sample));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareBase = `http://127.0.0.1:${bare.server.address().port}`;
  const body = JSON.stringify({ message: '안녕하세요' });
  try {
    await cannon(`${bareBase}/api/chat/message`, { body, duration: 1, connections: 10 });
    await cannon(`${base}/api/chat/message`, { body, duration: 1, connections: 10 });
    // Paired rounds (bare, message, stream) so drift on this shared machine hits all of them alike; each ratio is
    // the median over rounds of that round's own ratio to the bare route.
    const rounds = quick ? 1 : 5;
    const runs = { bare: [], ours: [], streamed: [] };
    for (let round = 0; round < rounds; round++) {
      runs.bare.push(await cannon(`${bareBase}/api/chat/message`, { body, duration, connections: 32 }));
      runs.ours.push(await cannon(`${base}/api/chat/message`, { body, duration, connections: 32 }));
      runs.streamed.push(await cannon(`${base}/api/chat/message/stream`, { body, duration, connections: 32 }));
    }
    const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
    const ratioOf = (name) => median(runs[name].map((r, i) => r.requests.average / runs.bare[i].requests.average));
    const pick = (name) => {
      const list = runs[name];
      const target = median(list.map((r) => r.requests.average));
      return list.find((r) => r.requests.average === target);
    };
    const bareResult = pick('bare');
    const ours = pick('ours');
    const streamed = pick('streamed');
    await app.close();
    // Streams: a slow mock (one word every 200 ms) keeps every stream open for seconds.
    const slow = await createServer({ model: 'mock', redisUrl: null, history: { type: 'memory' }, rateLimit: false, logger: false, anonymous: true, builtinTools: false, llmOptions: { chunkDelayMs: 200 } });
    await slow.listen({ port: 0, host: '127.0.0.1' });
    const streamCount = quick ? 200 : 1000;
    const rssBefore = process.memoryUsage().rss;
    const streams = await openStreams(`http://127.0.0.1:${slow.server.address().port}`, streamCount, 200);
    const rssAfter = process.memoryUsage().rss;
    await slow.close();
    const ratio = ratioOf('ours');
    const streamRatio = ratioOf('streamed');
    return {
      name: 'server', title: 'Chat server on the mock model next to a bare Fastify route', headers: ['endpoint', 'req/s (avg)', 'p50 ms', 'p99 ms', 'ratio'],
      rows: [
        ['bare Fastify route, same JSON', fmt(bareResult.requests.average, 0), fmt(bareResult.latency.p50, 2), fmt(bareResult.latency.p99, 2), '1.00×'],
        ['POST /api/chat/message (mock model, history, metrics)', fmt(ours.requests.average, 0), fmt(ours.latency.p50, 2), fmt(ours.latency.p99, 2), `${fmt(ratio)}×`],
        ['POST /api/chat/message/stream (SSE, whole stream)', fmt(streamed.requests.average, 0), fmt(streamed.latency.p50, 2), fmt(streamed.latency.p99, 2), `${fmt(streamRatio)}×`],
      ],
      notes: [
        `Open SSE streams: ${streams.peak} of ${streamCount} open at once on one process (${streams.failed} failed), all finished in ${fmt(streams.seconds, 1)} s; RSS grew ${fmt((rssAfter - rssBefore) / 1024 / 1024, 1)} MB.`,
        'Targets: at least half the bare route\'s requests per second (ratio ≥ 0.5×), and 1,000 concurrent open streams on one process.',
        `autocannon in its own process (the server gets one of this machine's 2 cores, the load generator the other), 32 connections, ${rounds} paired round(s) of ${duration} s; ratio = median of the per-round ratios. Each request starts a new session of one anonymous user (the session store and the history store both write).`,
      ],
      data: { bare: bareResult.requests, ours: ours.requests, stream: streamed.requests, ratio, streamRatio, rounds: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((r) => r.requests.average)])), streams },
    };
  } finally {
    await bare.close();
    await app.close().catch(() => undefined);
  }
}
