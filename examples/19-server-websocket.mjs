// 채팅방 (seed 003, django-pyhub-ai): the WebSocket chat with a `ws` client — a conversation id, ping/pong, the
// answer streamed as blocks sharing one id, tool-call blocks, a usage block; reconnecting restores the previous
// messages; the seed's language tutor bot opens the conversation itself.
// Run: node examples/19-server-websocket.mjs
import WebSocket from 'ws';
import { LanguageTutorChatConsumer, createServer } from '@llm/server';

const model = process.env.LLM_MODEL ?? 'mock';
const app = await createServer({
  model, tokens: { 'demo-token': 'user123' }, history: { type: 'memory' }, redisUrl: null, logger: false, rateLimit: false,
  consumers: { tutor: LanguageTutorChatConsumer },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `ws://127.0.0.1:${app.server.address().port}`;

/** Opens a socket and collects its JSON frames; `until(test)` waits for a frame and returns the frames so far. */
function connect(path) {
  const ws = new WebSocket(`${base}${path}`, { headers: { authorization: 'Bearer demo-token' } });
  const frames = [];
  const waiters = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString('utf8'));
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (!waiter.test(frame)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve([...frames]);
    }
  });
  const until = (test) => new Promise((resolve) => {
    const seen = frames.find(test);
    if (seen) resolve([...frames]);
    else waiters.push({ test, resolve });
  });
  const opened = new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const send = (frame) => ws.send(JSON.stringify(frame));
  const closed = new Promise((resolve) => ws.once('close', resolve));
  return { ws, frames, until, opened, send, closed };
}

try {
  // 새 대화: the server names the conversation first
  const chat = connect('/ws/chat');
  await chat.opened;
  const { conversationId } = (await chat.until((f) => f.type === 'conversation')).find((f) => f.type === 'conversation');
  console.log(`대화 ID: ${conversationId}`);
  chat.send({ type: 'ping' });
  console.log(`ping → ${(await chat.until((f) => f.type === 'pong')).at(-1).type}`);

  // 메시지 블록: the user block, then the answer as deltas with one block id, then usage
  chat.send({ type: 'user_message', text: '안녕하세요! 25 곱하기 17은 얼마예요?' });
  const turn = await chat.until((f) => f.type === 'usage');
  const user = turn.find((f) => f.type === 'message' && f.role === 'user');
  const answerBlocks = turn.filter((f) => f.type === 'message' && f.role === 'assistant');
  const tools = turn.filter((f) => f.type === 'tool-call');
  console.log(`사용자 블록: ${user.content}`);
  console.log(`도구 블록: ${tools.map((f) => f.content.status).join(' → ')} (${tools.at(-1).content.name} = ${tools.at(-1).content.result})`);
  console.log(`답변 블록 ${answerBlocks.length}개, 같은 id: ${new Set(answerBlocks.map((f) => f.id)).size === 1}`);
  console.log(`답변: ${answerBlocks.filter((f) => f.mode === 'append').map((f) => f.content).join('')}`);
  const usage = turn.at(-1).content;
  console.log(`사용량: ${usage.total} 토큰 (${usage.model})`);
  chat.ws.close();
  await chat.closed;

  // 재접속: the previous messages come back first
  const again = connect(`/ws/chat/${conversationId}`);
  const restored = await again.until((f) => f.type === 'message' && f.role === 'assistant' && f.mode === 'overwrite');
  console.log(`복원된 메시지: ${restored.filter((f) => f.type === 'message').map((f) => `${f.role}: ${f.content.slice(0, 20)}`).join(' | ')}`);
  again.ws.close();
  await again.closed;

  // 언어 튜터 봇: it starts the conversation in the chosen language ({언어}, {상황}, {레벨})
  const tutor = connect('/ws/tutor');
  const opening = await tutor.until((f) => f.type === 'usage');
  console.log(`튜터 첫 메시지: ${opening.filter((f) => f.role === 'assistant' && f.mode === 'append').map((f) => f.content).join('').slice(0, 60)}`);
  tutor.ws.close();
  await tutor.closed;

  // 남의 대화: refused with close code 4003
  const stranger = new WebSocket(`${base}/ws/chat/00000000-0000-4000-8000-000000000000`, { headers: { authorization: 'Bearer demo-token' } });
  const [code] = await new Promise((resolve) => stranger.once('close', (...args) => resolve(args)));
  console.log(`없는 대화 접속 → 닫힘 코드 ${code}`);
} finally {
  await app.close();
}
