// A separate process serving pre-serialized OpenAI Chat Completions answers on loopback, so every client in a
// benchmark talks to the same server and the server's own cost is the same for all of them.
// Prints "READY <port>" on stdout once listening.
import { createServer } from 'node:http';

const created = 1_700_000_000;
const base = { id: 'chatcmpl-bench', object: 'chat.completion', created, model: 'gpt-4o-mini', system_fingerprint: 'fp_bench' };
const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };
const text = JSON.stringify({ ...base, choices: [{ index: 0, message: { role: 'assistant', content: '안녕하세요! 무엇을 도와드릴까요?', refusal: null }, finish_reason: 'stop', logprobs: null }], usage });
const toolCall = (n) => JSON.stringify({ ...base, choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: `call_${n}`, type: 'function', function: { name: 'add', arguments: JSON.stringify({ a: n, b: 1 }) } }] }, finish_reason: 'tool_calls', logprobs: null }], usage });
const tool1 = toolCall(1);
const tool2 = toolCall(2);

function streamBody(chunks) {
  const frame = (delta, finish = null) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
  let out = frame({ role: 'assistant', content: '' });
  for (let i = 0; i < chunks; i++) out += frame({ content: i % 2 ? '한글 ' : 'word ' });
  out += frame({}, 'stop');
  out += `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\ndata: [DONE]\n\n`;
  return out;
}
const stream500 = streamBody(500);
const stream10 = streamBody(10);

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts).toString('utf8');
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(body.includes('"max_tokens":500') || body.includes('"max_completion_tokens":500') ? stream500 : stream10);
      return;
    }
    const toolResults = body.split('"role":"tool"').length - 1;
    const answer = body.includes('"tools"') ? (toolResults === 0 ? tool1 : toolResults === 1 ? tool2 : text) : text;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
