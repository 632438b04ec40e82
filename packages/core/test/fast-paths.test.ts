import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthenticationError, CooldownTracker, DEFAULT_RETRY_POLICY, LLM, RateLimitError, defineTool, runWithFallbacks, type Attempt, type Candidate, type Reply } from '@llm/core';
import { recordingProvider } from './recording-provider.js';

type Model = { provider: string; id: string };
type Script = (model: Model, call: number) => Promise<string>;

/** Runs one chain twice: candidates resolved through a promise (the loop), and peeked (the chained first try). */
async function bothWays(script: Script, options: { cooldown?: () => CooldownTracker } = {}) {
  const run = async (peeked: boolean) => {
    const models: Model[] = [{ provider: 'p1', id: 'a' }, { provider: 'p2', id: 'b' }];
    const candidates: Candidate<Model>[] = models.map((m) => ({ name: m.id, resolve: async () => m, ...(peeked ? { peek: () => m } : {}) }));
    const attempts: Attempt[] = [];
    const events: string[] = [];
    let calls = 0;
    const outcome = await runWithFallbacks(candidates, (m) => script(m, calls++), {
      policy: { ...DEFAULT_RETRY_POLICY, maxRetries: 1 }, attempts, cooldown: options.cooldown?.(), describe: (m) => m,
      hooks: { onRetry: (i) => events.push(`retry ${i.name} ${i.attempt}`), onFallback: (i) => events.push(`fallback ${i.name} -> ${i.nextModel}`) },
    }).then((r) => ({ value: r.value, name: r.name, model: r.model.id }), (error: Error) => ({ error: `${error.name}: ${error.message}` }));
    return { outcome, events, calls, attempts: attempts.map(({ durationMs, ...rest }) => ({ ...rest, timed: durationMs >= 0 })) };
  };
  const looped = await run(false);
  const chained = await run(true);
  expect(chained).toEqual(looped);
  return chained;
}

describe('runWithFallbacks: the chained first try behaves like the loop', () => {
  it('a first try that succeeds', async () => {
    const r = await bothWays(async (m) => `ok ${m.id}`);
    expect(r.outcome).toEqual({ value: 'ok a', name: 'a', model: 'a' });
    expect(r.attempts).toEqual([{ model: 'a', provider: 'p1', timed: true }]);
  });

  it('a retryable failure, then a retry that succeeds', async () => {
    const r = await bothWays(async (_m, call) => {
      if (call === 0) throw new RateLimitError('slow down', { retryAfterMs: 0 });
      return 'second try';
    });
    expect(r.outcome).toEqual({ value: 'second try', name: 'a', model: 'a' });
    expect(r.events).toEqual(['retry a 1']);
    expect(r.attempts.map((a) => a.errorName)).toEqual(['RateLimitError', undefined]);
  });

  it('a failure that is not retried falls back to the next model', async () => {
    const r = await bothWays(async (m) => {
      if (m.id === 'a') throw new AuthenticationError('bad key');
      return `ok ${m.id}`;
    }, { cooldown: () => new CooldownTracker({ cooldownMs: 1000, failures: 3, windowMs: 1000 }) });
    expect(r.outcome).toEqual({ value: 'ok b', name: 'b', model: 'b' });
    expect(r.events).toEqual(['fallback a -> b']);
  });

  it('an attempt that throws synchronously counts as a failed try', async () => {
    const r = await bothWays(((m: Model) => {
      if (m.id === 'a') throw new Error('sync failure');
      return Promise.resolve(`ok ${m.id}`);
    }) as Script);
    expect(r.outcome).toEqual({ value: 'ok b', name: 'b', model: 'b' });
    expect(r.attempts[0]).toMatchObject({ model: 'a', error: 'sync failure' });
  });

  it('every candidate failing rejects with the last error', async () => {
    const r = await bothWays(async (m) => {
      throw new RateLimitError(`busy ${m.id}`, { retryAfterMs: 0 });
    });
    expect(r.outcome).toEqual({ error: 'RateLimitError: busy b' });
    expect(r.calls).toBe(4);
  });
});

/** A reply without the fields that differ from call to call (timings, timestamps). */
function comparable(reply: Reply) {
  const { attempts, messages, ...rest } = reply.toJSON();
  return {
    ...rest,
    attempts: attempts?.map(({ durationMs: _d, ...a }) => a),
    messages: messages?.map(({ createdAt: _c, ...m }) => m),
  };
}

describe('ask: an exchange prepared without waiting gives the same Reply as one that waited', () => {
  it('first call (the model resolves) and later calls (peeked) answer and send alike', async () => {
    const rec = recordingProvider('fast-first', ['같은 답', '같은 답']);
    const llm = LLM.create(rec.name, { stateless: true, systemPrompt: '친절한 비서' });
    const first = await llm.ask('안녕?', { temperature: 0.2 });
    const second = await llm.ask('안녕?', { temperature: 0.2 });
    expect(comparable(second)).toEqual(comparable(first));
    const sent = (i: number) => ({ ...rec.requests[i], messages: rec.requests[i].messages.map(({ createdAt: _c, ...m }) => m) });
    expect(sent(1)).toEqual(sent(0));
    expect(first.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('an ask that loads files or zod (tools) gives the same Reply as a plain one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-fast-'));
    const file = join(dir, 'note.txt');
    await writeFile(file, '메모');
    const rec = recordingProvider('fast-waits', ['답', '답', '답']);
    const llm = LLM.create(rec.name, { stateless: true });
    const plain = await llm.ask('질문');
    const withFile = await llm.ask('질문', { files: [file] });
    const withTool = await llm.ask('질문', { tools: [defineTool({ name: 'noop', parameters: z.object({}), execute: () => 'x' })] });
    // The mock counts the file's text as input tokens: usage and cost differ, everything else is the same.
    const strip = (r: Reply) => {
      const { messages: _m, usage: _u, cost: _c, cachedUsage: _cu, ...rest } = comparable(r);
      return rest;
    };
    expect(strip(withFile)).toEqual(strip(plain));
    expect(strip(withTool)).toEqual(strip(plain));
    expect(withFile.messages[0].content).toEqual([{ type: 'text', text: '질문' }, { type: 'text', text: '[note.txt]\n메모' }]);
    expect(rec.requests[2].tools?.map((t) => t.name)).toEqual(['noop']);
  });

  it('the streamed finish carries the same Reply as the non-streamed ask', async () => {
    const rec = recordingProvider('fast-stream', ['스트림 답', '스트림 답']);
    const llm = LLM.create(rec.name, { stateless: true });
    const asked = await llm.ask('질문');
    let finished: Reply | undefined;
    for await (const chunk of llm.stream('질문')) if (chunk.type === 'finish') finished = chunk.reply;
    const { raw: _a, ...a } = comparable(asked) as Record<string, unknown>;
    const { raw: _b, ...b } = comparable(finished!) as Record<string, unknown>;
    expect(b).toEqual(a);
  });
});
