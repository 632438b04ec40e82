// llm.ask() through @llm/providers-openai next to the openai SDK called directly, the Vercel AI SDK and LangChain.js,
// all against the same pre-serialized loopback server in another process.
import OpenAI from 'openai';
import { generateText, streamText, tool, stepCountIs } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { LLM, defineTool, registerProvider } from '@llm/core';
import { providers, undiciFetch } from '@llm/providers-openai';
import { fmt, latencyRun, startServerProcess } from './measure.mjs';

for (const p of providers) registerProvider(p);
const prompt = '안녕하세요, 간단히 답해주세요';

function clients(baseURL) {
  const sdk = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0 });
  const ours = LLM.create('gpt-4o-mini', { apiKey: 'bench', baseURL, stateless: true, maxRetries: 0 });
  // The same two layers on each other's transport, so the cost of @llm/core and the provider shows on its own:
  // ours on Node's fetch (what the direct SDK uses) and the direct SDK on undiciFetch (what ours uses by default).
  const oursNodeFetch = LLM.create('gpt-4o-mini', { apiKey: 'bench', baseURL, stateless: true, maxRetries: 0, fetch: globalThis.fetch });
  const sdkUndici = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0, fetch: undiciFetch });
  const aiOpenAI = createOpenAI({ apiKey: 'bench', baseURL });
  const langchain = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'bench', configuration: { baseURL }, maxRetries: 0 });
  return {
    'openai SDK (direct)': () => sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }),
    '@llm/core + providers-openai': () => ours.ask(prompt),
    '@llm/core + providers-openai, fetch: Node fetch': () => oursNodeFetch.ask(prompt),
    'openai SDK, fetch: undiciFetch': () => sdkUndici.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }),
    'Vercel AI SDK generateText': () => generateText({ model: aiOpenAI.chat('gpt-4o-mini'), prompt, maxRetries: 0 }),
    'LangChain.js ChatOpenAI.invoke': () => langchain.invoke(prompt),
    // streaming variants: time to first chunk and to the last chunk of a 500-chunk reply
    streams: {
      'openai SDK (direct)': async (mark) => { const s = await sdk.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 500, stream: true, messages: [{ role: 'user', content: prompt }] }); for await (const c of s) if (c.choices[0]?.delta?.content) mark(); },
      '@llm/core + providers-openai': async (mark) => { for await (const c of ours.stream(prompt, { maxTokens: 500 })) if (c.type === 'text') mark(); },
      'Vercel AI SDK streamText': async (mark) => { const r = streamText({ model: aiOpenAI.chat('gpt-4o-mini'), prompt, maxOutputTokens: 500, maxRetries: 0 }); for await (const t of r.textStream) if (t) mark(); },
      'LangChain.js ChatOpenAI.stream': async (mark) => { const lc = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'bench', configuration: { baseURL }, maxTokens: 500, maxRetries: 0 }); for await (const c of await lc.stream(prompt)) if (c.content) mark(); },
    },
    tools: {
      '@llm/core tool loop': () => ours.ask('1+1, then 2+1', { tools: [defineTool({ name: 'add', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b })] }),
      'Vercel AI SDK multi-step': () => generateText({ model: aiOpenAI.chat('gpt-4o-mini'), prompt: '1+1, then 2+1', maxRetries: 0, stopWhen: stepCountIs(5), tools: { add: tool({ inputSchema: z.object({ a: z.number(), b: z.number() }), execute: async ({ a, b }) => a + b }) } }),
    },
  };
}

async function streamTimes(run, n) {
  const first = [];
  const last = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    let firstAt;
    let lastAt = t;
    await run(() => { lastAt = performance.now(); firstAt ??= lastAt; });
    first.push(firstAt - t);
    last.push(lastAt - t);
  }
  const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { firstMs: med(first), lastMs: med(last) };
}

export async function benchOpenAI({ quick }) {
  const server = await startServerProcess('./fake-openai-process.mjs');
  try {
    const c = clients(`${server.url}/v1`);
    const names = ['openai SDK (direct)', '@llm/core + providers-openai', '@llm/core + providers-openai, fetch: Node fetch', 'openai SDK, fetch: undiciFetch', 'Vercel AI SDK generateText', 'LangChain.js ChatOpenAI.invoke'];
    const sameTransport = [['@llm/core + providers-openai, fetch: Node fetch', 'openai SDK (direct)', "Node's fetch"], ['@llm/core + providers-openai', 'openai SDK, fetch: undiciFetch', 'undiciFetch']];
    const layerNotes = [];
    const levels = quick ? [1, 16] : [1, 32, 64];
    // Paired rounds: every round runs each client once, the order rotated from round to round, so drift in this shared
    // machine and the position in a round (the heap a peer left behind) hit all of them alike. The added time is the
    // ratio of total time per call over all rounds to the SDK's; the median of the rounds' own ratios is shown beside it.
    const rounds = quick ? 4 : 16;
    const perRound = quick ? 100 : 600;
    const rows = [];
    const data = {};
    const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const total = (runs) => runs.reduce((sum, x) => sum + x.mean, 0);
    for (const concurrency of levels) {
      for (const name of names) await latencyRun(c[name], { total: 100, concurrency });
      const results = Object.fromEntries(names.map((n) => [n, []]));
      const cpu = Object.fromEntries(names.map((n) => [n, 0]));
      for (let round = 0; round < rounds; round++) {
        const order = names.slice(round % names.length).concat(names.slice(0, round % names.length));
        for (const name of order) {
          const before = process.cpuUsage();
          results[name].push(await latencyRun(c[name], { total: perRound, concurrency }));
          const used = process.cpuUsage(before);
          cpu[name] += used.user + used.system;
        }
      }
      const sdkRounds = results['openai SDK (direct)'];
      const summary = {};
      for (const name of names) {
        const own = results[name];
        const meanRatio = total(own) / total(sdkRounds);
        const roundRatio = median(own.map((r, i) => r.mean / sdkRounds[i].mean));
        const p50Ratio = median(own.map((r, i) => r.p50 / sdkRounds[i].p50));
        const r = {
          p50: median(own.map((x) => x.p50)), p95: median(own.map((x) => x.p95)), p99: median(own.map((x) => x.p99)), mean: median(own.map((x) => x.mean)), rps: median(own.map((x) => x.rps)),
          pooledMean: total(own) / own.length, addedPct: (meanRatio - 1) * 100, addedRoundMedianPct: (roundRatio - 1) * 100, addedP50Pct: (p50Ratio - 1) * 100, cpuUsPerCall: cpu[name] / (rounds * perRound),
        };
        summary[name] = r;
      }
      const sdk = summary['openai SDK (direct)'];
      for (const name of names) {
        const r = summary[name];
        rows.push([name, String(concurrency), fmt(r.mean, 3), fmt(r.p50, 3), fmt(r.p95, 3), fmt(r.p99, 3), fmt(r.rps, 0), `${fmt(r.addedPct, 1)}% (${fmt((r.pooledMean - sdk.pooledMean) * 1000, 0)} µs)`, `${fmt(r.addedRoundMedianPct, 1)}%`, `${fmt(r.addedP50Pct, 1)}%`, `${fmt(r.cpuUsPerCall, 0)} µs (${fmt(((r.cpuUsPerCall - sdk.cpuUsPerCall) / sdk.cpuUsPerCall) * 100, 1)}%)`]);
      }
      summary.layerOverheadPct = Object.fromEntries(sameTransport.map(([a, b, transport]) => [transport, (total(results[a]) / total(results[b]) - 1) * 100]));
      layerNotes.push(`c=${concurrency}: ${Object.entries(summary.layerOverheadPct).map(([transport, pct]) => `${fmt(pct, 1)}% on ${transport}`).join(', ')}`);
      data[concurrency] = summary;
    }
    const streams = {};
    for (const [name, run] of Object.entries(c.streams)) { await streamTimes(run, 3); streams[name] = await streamTimes(run, quick ? 5 : 100); }
    const tools = {};
    for (const [name, run] of Object.entries(c.tools)) { await latencyRun(run, { total: 20, concurrency: 1 }); tools[name] = await latencyRun(run, { total: quick ? 50 : 500, concurrency: 1 }); }
    const sdkStream = streams['openai SDK (direct)'];
    return {
      name: 'openai',
      title: 'Non-streaming `ask` against the direct `openai` SDK and the peer libraries (same loopback server)',
      headers: ['client', 'concurrency', 'mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'added time per call vs SDK', 'median of rounds', 'added p50', 'client CPU per call (vs SDK)'],
      rows,
      notes: [
        'Streaming, 500-chunk reply (median): ' + Object.entries(streams).map(([n, s]) => `${n}: first chunk ${fmt(s.firstMs, 2)} ms (${fmt(s.firstMs - sdkStream.firstMs, 2)} ms vs SDK), last ${fmt(s.lastMs, 2)} ms`).join('; ') + '.',
        'Tool loop, two tool rounds (p50): ' + Object.entries(tools).map(([n, t]) => `${n} ${fmt(t.p50, 3)} ms`).join(', ') + '.',
        `Cost of @llm/core + providers-openai alone (total time per call over the direct SDK on the same transport): ${layerNotes.join('; ')}.`,
        "Transport: providers-openai hands the SDK `undiciFetch` (undici's request API; JSON answers read in one piece, event streams passed through) unless the caller passes `fetch`. The SDK direct uses Node's fetch, its default. The two rows with a `fetch:` pin each layer to the other's transport.",
        'Targets: under 5% added time over the direct SDK at concurrency 1 and 32 (64 shown too), less than both peers; first chunk within 0.2 ms of the SDK.',
        `Method: ${rounds} paired rounds of ${perRound} calls per client and concurrency (client and server are separate processes on this 2-core machine). The client order rotates every round. Added time per call = the mean latency over all rounds (total time / calls, the quantity the target is about) over the SDK's; beside it the median over rounds of each round's own ratio, and the median of the rounds' p50 ratios.`,
      ],
      data: { levels: data, streams, tools },
    };
  } finally {
    server.stop();
  }
}
