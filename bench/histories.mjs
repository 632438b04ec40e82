// History stores: saveExchange per second (one by one, and batched in one transaction) and loadHistory({ limit: 20 })
// latency with many stored messages (1,000,000 in the full run), for SQLite and Postgres.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { SqliteHistoryStore } from '@llm/history-sqlite';
import { PostgresHistoryStore } from '@llm/history-postgres';
import { fmt, timeLoop } from './measure.mjs';

const exchange = (i) => ({
  user: { role: 'user', content: `질문 ${i}: 파이썬의 장점은 무엇인가요?` },
  assistant: { role: 'assistant', content: `답변 ${i}: 간결한 문법과 풍부한 라이브러리입니다.` },
  meta: { usage: { input: 12, output: 20, total: 32 }, model: 'gpt-4o-mini' },
});

async function seed(store, forSession, totalMessages, sessions) {
  const perSession = Math.ceil(totalMessages / 2 / sessions);
  for (let s = 0; s < sessions; s++) {
    const session = forSession(`seed-${s}`);
    for (let done = 0; done < perSession; done += 2500) {
      await session.saveExchanges(Array.from({ length: Math.min(2500, perSession - done) }, (_, i) => exchange(done + i)));
    }
  }
}

async function measureStore(label, make, { quick }) {
  const totalMessages = quick ? 10_000 : 1_000_000;
  const store = make('bench-user', 'bench-main');
  const forSession = (sessionId) => store.forSession({ userId: 'bench-user', sessionId });
  const single = await timeLoop((i) => store.saveExchange(exchange(i).user, exchange(i).assistant, exchange(i).meta), { iterations: quick ? 300 : 3000, warmup: 20 });
  const batched = await timeLoop((i) => forSession('bench-batch').saveExchanges(Array.from({ length: 1000 }, (_, j) => exchange(i * 1000 + j))), { iterations: quick ? 3 : 20, warmup: 1 });
  const seedStarted = performance.now();
  await seed(store, forSession, totalMessages, quick ? 10 : 100);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const load = await timeLoop(() => store.loadHistory({ limit: 20 }), { iterations: quick ? 300 : 3000 });
  await store.close();
  return {
    rows: [
      [label, 'saveExchange (own transaction each)', `${fmt(single.callsPerSecond, 0)} exchanges/s`, `${fmt(single.usPerCall / 1000, 3)} ms each`],
      [label, 'saveExchanges (1,000 per transaction)', `${fmt(batched.callsPerSecond * 1000, 0)} exchanges/s`, `${fmt(batched.usPerCall / 1000, 1)} ms per batch`],
      [label, `loadHistory({ limit: 20 }) with ${totalMessages.toLocaleString('en')}+ stored messages`, `${fmt(load.callsPerSecond, 0)} loads/s`, `${fmt(load.usPerCall / 1000, 3)} ms each`],
    ],
    data: { single, batched, load, seedSeconds, totalMessages },
  };
}

export async function benchHistories({ quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'llm-bench-history-'));
  const rows = [];
  const data = {};
  try {
    const sqlite = await measureStore('SQLite', (userId, sessionId) => new SqliteHistoryStore({ path: join(dir, 'history.sqlite'), userId, sessionId }), { quick });
    rows.push(...sqlite.rows);
    data.sqlite = sqlite.data;
    const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    const schema = `llm_bench_${process.pid}`;
    try {
      await admin`select 1`;
      const pg = await measureStore('Postgres', (userId, sessionId) => new PostgresHistoryStore({ url, schema, userId, sessionId }), { quick });
      rows.push(...pg.rows);
      data.postgres = pg.data;
    } catch (error) {
      rows.push(['Postgres', `skipped: ${error.message}`, '', '']);
    } finally {
      await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin.end({ timeout: 5 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    name: 'histories', title: 'History stores: saves per second and newest-20 load latency', headers: ['store', 'operation', 'throughput', 'latency'], rows,
    notes: ['Targets: at least 10,000 exchanges/s on SQLite when saved in bulk (one transaction), loadHistory({ limit: 20 }) under 1 ms with 1,000,000 stored messages.'],
    data,
  };
}
