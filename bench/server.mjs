// The chat server on the mock model: requests per second for /api/chat/message next to a bare Fastify route that
// returns the same JSON (autocannon), and 1,000 concurrent open SSE streams on one process.
import http from 'node:http';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createServer } from '@llm/server';
import { fmt } from './measure.mjs';

function cannon(url, { body, duration, connections }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', 'x-anonymous-id': 'bench-user-000000001' }, body, duration, connections }, (error, result) => (error ? reject(error) : resolve(result)));
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
    const bareResult = await cannon(`${bareBase}/api/chat/message`, { body, duration, connections: 32 });
    const ours = await cannon(`${base}/api/chat/message`, { body, duration, connections: 32 });
    const streamed = await cannon(`${base}/api/chat/message/stream`, { body, duration, connections: 32 });
    await app.close();
    // Streams: a slow mock (one word every 200 ms) keeps every stream open for seconds.
    const slow = await createServer({ model: 'mock', redisUrl: null, history: { type: 'memory' }, rateLimit: false, logger: false, anonymous: true, builtinTools: false, llmOptions: { chunkDelayMs: 200 } });
    await slow.listen({ port: 0, host: '127.0.0.1' });
    const streamCount = quick ? 200 : 1000;
    const rssBefore = process.memoryUsage().rss;
    const streams = await openStreams(`http://127.0.0.1:${slow.server.address().port}`, streamCount, 200);
    const rssAfter = process.memoryUsage().rss;
    await slow.close();
    const ratio = ours.requests.average / bareResult.requests.average;
    return {
      name: 'server', title: 'Chat server on the mock model next to a bare Fastify route', headers: ['endpoint', 'req/s (avg)', 'p50 ms', 'p99 ms', 'ratio'],
      rows: [
        ['bare Fastify route, same JSON', fmt(bareResult.requests.average, 0), fmt(bareResult.latency.p50, 2), fmt(bareResult.latency.p99, 2), '1.00×'],
        ['POST /api/chat/message (mock model, history, metrics)', fmt(ours.requests.average, 0), fmt(ours.latency.p50, 2), fmt(ours.latency.p99, 2), `${fmt(ratio)}×`],
        ['POST /api/chat/message/stream (SSE, whole stream)', fmt(streamed.requests.average, 0), fmt(streamed.latency.p50, 2), fmt(streamed.latency.p99, 2), `${fmt(streamed.requests.average / bareResult.requests.average)}×`],
      ],
      notes: [
        `Open SSE streams: ${streams.peak} of ${streamCount} open at once on one process (${streams.failed} failed), all finished in ${fmt(streams.seconds, 1)} s; RSS grew ${fmt((rssAfter - rssBefore) / 1024 / 1024, 1)} MB.`,
        'Targets: at least half the bare route\'s requests per second (ratio ≥ 0.5×), and 1,000 concurrent open streams on one process.',
        `autocannon, 32 connections, ${duration} s.`,
      ],
      data: { bare: bareResult.requests, ours: ours.requests, stream: streamed.requests, ratio, streams },
    };
  } finally {
    await bare.close();
    await app.close().catch(() => undefined);
  }
}
