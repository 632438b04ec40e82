// LLM Agent 백엔드 (seed 002): the agent server's REST flow — create a session, send a message (the calculator tool
// runs), stream an answer as Server-Sent Events, read the history, list and delete sessions — with fetch against
// @llm/server started in this process on a free port.
// Run: node examples/18-server-rest-sse.mjs
import { createServer } from '@llm/server';

const model = process.env.LLM_MODEL ?? 'mock';
const app = await createServer({ model, tokens: { 'demo-token': 'user123' }, history: { type: 'memory' }, redisUrl: null, logger: false, rateLimit: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${app.server.address().port}`;
const auth = { authorization: 'Bearer demo-token' };
const headers = { ...auth, 'content-type': 'application/json' };
const api = async (method, path, body) => {
  const res = await fetch(`${base}${path}`, body === undefined ? { method, headers: auth } : { method, headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

try {
  // 1. 새 세션 생성
  const { body: { sessionId } } = await api('POST', '/api/chat/session', {});
  console.log(`세션 생성: ${sessionId}`);

  // 2. 메시지 전송 (도구 사용)
  const { body: answer } = await api('POST', '/api/chat/message', { message: '25 곱하기 17은?', sessionId, useTools: true });
  console.log(`응답: ${answer.response}`);
  console.log(`사용한 도구: ${answer.toolsUsed.join(', ')} · 모델: ${answer.model} · 토큰: ${answer.usage.total}`);

  // 3. 스트리밍 (SSE): events metadata, message (deltas), tool, usage, done
  const res = await fetch(`${base}/api/chat/message/stream`, { method: 'POST', headers, body: JSON.stringify({ message: '3 더하기 4는? 스트리밍으로 알려주세요', sessionId }) });
  const events = [];
  let buffer = '';
  for await (const piece of res.body.pipeThrough(new TextDecoderStream())) {
    buffer += piece;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      events.push({ event, data });
    }
  }
  const streamed = events.filter((e) => e.event === 'message').map((e) => e.data.content).join('');
  console.log(`SSE 이벤트: ${[...new Set(events.map((e) => e.event))].join(' → ')}`);
  const tool = events.find((e) => e.event === 'tool')?.data;
  console.log(`tool 이벤트: ${tool.name}(${JSON.stringify(tool.arguments)}) = ${tool.result}`);
  console.log(`스트리밍 응답: ${streamed}`);
  console.log(`done: ${JSON.stringify(events.find((e) => e.event === 'done').data.finishReason)}`);

  // 4. 히스토리 조회
  const { body: history } = await api('GET', `/api/chat/history/${sessionId}`);
  for (const message of history.messages) console.log(`  ${message.role}: ${String(message.content).slice(0, 40)}`);

  // 5. 세션 목록, 잘못된 입력, 삭제
  const { body: { sessions } } = await api('GET', '/api/chat/sessions');
  console.log(`세션 수: ${sessions.length}`);
  const bad = await api('POST', '/api/chat/message', { message: '온도 오류', temperature: 5 });
  console.log(`잘못된 temperature → ${bad.status}: ${bad.body.error?.message ?? bad.body.message}`);
  console.log(`세션 삭제 → ${(await api('DELETE', `/api/chat/session/${sessionId}`)).status}`);
  console.log(`삭제 후 히스토리 → ${(await api('GET', `/api/chat/history/${sessionId}`)).status}`);
} finally {
  await app.close();
}
