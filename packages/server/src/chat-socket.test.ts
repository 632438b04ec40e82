import { registerProvider, type Message } from '@llm/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousId, asAnonymous, echoProvider, listen, openSocket, tempDir, testServer, type Frame } from '../test/fixtures.js';
import { ChatConsumer, type ChatContext } from './chat-consumer.js';
import { LanguageTutorChatConsumer } from './language-tutor-consumer.js';
import { ANONYMOUS_COOKIE } from './user-auth.js';

registerProvider(echoProvider);

class EchoTutor extends LanguageTutorChatConsumer {
  override model = 'echo:tutor';
}

class BrokenConsumer extends ChatConsumer {
  override async onConversationComplete(): Promise<void> {
    throw new Error('the database is on fire');
  }
}

const dir = tempDir();
let app: FastifyInstance;
let ws: string;
const alice = asAnonymous(anonymousId());

beforeAll(async () => {
  app = await testServer(dir.path, { consumers: { tutor: EchoTutor, broken: BrokenConsumer }, llmOptions: { maxRetries: 0 } });
  ws = (await listen(app)).replace('http', 'ws');
});
afterAll(async () => {
  await app.close();
  dir.cleanup();
});

const isUsage = (f: Frame) => f.type === 'usage';
const appended = (frames: Frame[], id: unknown) => frames.filter((f) => f.id === id && f.mode === 'append').map((f) => f.content).join('');

describe('the WebSocket chat protocol', () => {
  it('answers ping with pong and streams a Korean answer as blocks sharing one id', async () => {
    const socket = await openSocket(`${ws}/ws/chat`, alice);
    const { conversationId } = await socket.next((f) => f.type === 'conversation');
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    socket.send({ type: 'ping' });
    expect(await socket.next((f) => f.type === 'pong')).toEqual({ type: 'pong' });

    socket.send({ type: 'user_message', text: '안녕하세요, 반가워요' });
    const frames = await socket.until(isUsage);
    const user = frames.find((f) => f.type === 'message' && f.role === 'user')!;
    expect(user).toMatchObject({ mode: 'overwrite', content: '안녕하세요, 반가워요' });
    const answer = frames.filter((f) => f.type === 'message' && f.role === 'assistant');
    const id = answer[0].id;
    expect(answer.every((f) => f.id === id)).toBe(true);
    expect(answer.map((f) => f.mode).slice(0, 2)).toEqual(['thinking-start', 'thinking-end']);
    expect(answer.filter((f) => f.mode === 'append').length).toBeGreaterThan(3);
    expect(appended(frames, id)).toContain('[mock]');
    expect(frames.at(-1)).toMatchObject({ type: 'usage', role: 'system', content: { model: 'mock' } });
    socket.ws.close();
  });

  it('restores the previous messages on reconnect and continues the conversation', async () => {
    const first = await openSocket(`${ws}/ws/chat`, alice);
    const { conversationId } = await first.next((f) => f.type === 'conversation');
    first.send({ type: 'user_message', text: '첫 메시지입니다' });
    await first.until(isUsage);
    first.ws.close();
    await first.closed;

    const second = await openSocket(`${ws}/ws/chat/${conversationId}`, alice);
    const restored = await second.until((f) => f.type === 'message' && f.role === 'assistant');
    expect(restored[0]).toEqual({ type: 'conversation', conversationId });
    expect(restored.slice(1).map((f) => [f.role, f.mode])).toEqual([['user', 'overwrite'], ['assistant', 'overwrite']]);
    expect(restored[1].content).toBe('첫 메시지입니다');
    second.send({ type: 'user_message', text: '두 번째 메시지입니다' });
    await second.until(isUsage);
    const history = (await app.inject({ url: `/api/chat/history/${conversationId}`, headers: alice })).json();
    expect(history.messages.map((m: { content: string }) => m.content).filter((_: string, i: number) => i % 2 === 0)).toEqual(['첫 메시지입니다', '두 번째 메시지입니다']);
    second.ws.close();
  });

  it('finds the conversation id in the query too (conversation_id, pk)', async () => {
    const { sessionId } = (await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '쿼리로 찾기' }, headers: alice })).json();
    for (const key of ['conversation_id', 'pk', 'id']) {
      const socket = await openSocket(`${ws}/ws/chat?${key}=${sessionId}`, alice);
      expect(await socket.next((f) => f.type === 'conversation')).toEqual({ type: 'conversation', conversationId: sessionId });
      expect((await socket.next((f) => f.role === 'user')).content).toBe('쿼리로 찾기');
      socket.ws.close();
    }
  });

  it('takes images as data: URLs and keeps them in the stored user message', async () => {
    const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const socket = await openSocket(`${ws}/ws/chat`, alice);
    const { conversationId } = await socket.next((f) => f.type === 'conversation');
    socket.send({ type: 'user_message', text: '이 사진을 봐 주세요', images: [`data:image/png;base64,${pixel}`] });
    await socket.until(isUsage);
    socket.ws.close();
    const auth = app.llm.auth.authenticate({ anonymousHeader: alice['x-anonymous-id'] });
    if (!auth.ok) throw new Error('alice is not authenticated');
    const stored = await app.llm.sessions.previousMessages({ sessionId: String(conversationId), userId: auth.user.id, createdAt: new Date() });
    expect(stored[0].content).toEqual([{ type: 'text', text: '이 사진을 봐 주세요' }, { type: 'image', mediaType: 'image/png', data: new Uint8Array(Buffer.from(pixel, 'base64')) }]);
  });

  it('shows tool calls and their results in one block', async () => {
    const socket = await openSocket(`${ws}/ws/chat`, alice);
    socket.send({ type: 'user_message', text: '25 곱하기 17은?' });
    const frames = await socket.until(isUsage);
    const tools = frames.filter((f) => f.type === 'tool-call');
    expect(tools.map((f) => (f.content as { status: string }).status)).toEqual(['running', 'done']);
    expect(tools[0].id).toBe(tools[1].id);
    expect(tools[1].content).toMatchObject({ name: 'calculator', arguments: { expression: '25*17' }, result: 425 });
    socket.ws.close();
  });

  it('refuses another user\'s conversation with 4003 and sends none of it', async () => {
    const { sessionId } = (await app.inject({ method: 'POST', url: '/api/chat/message', payload: { message: '앨리스만의 비밀' }, headers: alice })).json();
    const socket = await openSocket(`${ws}/ws/chat/${sessionId}`, asAnonymous(anonymousId()));
    expect(await socket.closed).toEqual({ code: 4003, reason: 'conversation not found' });
    expect(JSON.stringify(socket.frames)).not.toContain('앨리스');
  });

  it('keeps the connection after a bad frame, and refuses a second message while answering', async () => {
    const socket = await openSocket(`${ws}/ws/chat`, alice);
    await socket.next((f) => f.type === 'conversation');
    socket.ws.send('이건 JSON이 아니에요');
    expect((await socket.next((f) => f.type === 'error')).content).toContain('JSON');
    socket.send({ type: 'user_message', text: '' });
    expect((await socket.next((f) => f.type === 'error')).content).toContain('text');
    socket.send({ type: 'user_message', text: '하나' });
    socket.send({ type: 'user_message', text: '둘' });
    const frames = await socket.until(isUsage);
    expect(frames.filter((f) => f.type === 'error').at(-1)!.content).toContain('still being answered');
    expect(frames.filter((f) => f.role === 'user').map((f) => f.content)).toEqual(['하나']);
    socket.ws.close();
  });

  it('refuses a WebSocket opened by another site\'s page (Origin), accepts its own', async () => {
    const foreign = await openSocket(`${ws}/ws/chat`, { ...alice, origin: 'https://evil.example' });
    expect(await foreign.closed).toEqual({ code: 4003, reason: 'origin not allowed' });
    const own = await openSocket(`${ws}/ws/chat`, { ...alice, origin: ws.replace('ws:', 'http:') });
    expect((await own.next((f) => f.type === 'conversation')).type).toBe('conversation');
    own.ws.close();
  });

  it('reads the anonymous id from the cookie the page got', async () => {
    const page = await app.inject({ url: '/' });
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie.startsWith(`${ANONYMOUS_COOKIE}=`)).toBe(true);
    const socket = await openSocket(`${ws}/ws/chat`, { cookie });
    const { conversationId } = await socket.next((f) => f.type === 'conversation');
    socket.send({ type: 'user_message', text: '쿠키 사용자' });
    await socket.until(isUsage);
    const sessions = (await app.inject({ url: '/api/chat/sessions', headers: { cookie } })).json().sessions;
    expect(sessions.map((s: { sessionId: string }) => s.sessionId)).toContain(conversationId);
    socket.ws.close();
  });

  it('sends an error block and closes with 4000 when the consumer fails', async () => {
    const socket = await openSocket(`${ws}/ws/broken`, alice);
    socket.send({ type: 'user_message', text: '저장해 주세요' });
    expect(await socket.closed).toMatchObject({ code: 4000 });
    const error = socket.frames.filter((f) => f.type === 'error').at(-1)!;
    expect(error.content).toContain('Something went wrong');
    expect(JSON.stringify(socket.frames)).not.toContain('on fire');
  });
});

describe('LanguageTutorChatConsumer', () => {
  it('renders the system prompt from the prompt context and opens the conversation itself', async () => {
    const socket = await openSocket(`${ws}/ws/tutor`);
    const { conversationId } = await socket.next((f) => f.type === 'conversation');
    const frames = await socket.until(isUsage);
    expect(frames.some((f) => f.role === 'user')).toBe(false);
    const answer = appended(frames, frames.find((f) => f.role === 'assistant')!.id);
    expect(answer).toContain('중국어로 대화를 나눕시다');
    expect(answer).toContain('"스타벅스에서 커피를 주문하는 상황"의 상황으로');
    expect(answer).toContain('중국어 초급에 맞는');
    expect(answer).toContain('last=첫 문장으로 대화를 시작해주세요.');
    socket.send({ type: 'user_message', text: '你好' });
    const next = await socket.until(isUsage);
    expect(appended(next, next.find((f) => f.role === 'assistant' && f.mode === 'append')!.id)).toContain('messages=3 | last=你好');
    socket.ws.close();
    await socket.closed;
  });
});

describe('ChatConsumer hooks', () => {
  const consumer = new ChatConsumer(undefined as never, undefined as never);
  const ctx = (params: Record<string, string>, query: Record<string, string>) => ({ params, query }) as ChatContext;
  it('looks up the conversation id in route params, then the query, in the order conversationId, conversation_id, pk, id', () => {
    expect(consumer.getConversationId(ctx({ pk: 'p', id: 'i' }, { conversationId: 'q' }))).toBe('p');
    expect(consumer.getConversationId(ctx({}, { id: 'i', pk: 'p', conversation_id: 'c' }))).toBe('c');
    expect(consumer.getConversationId(ctx({ id: 'i' }, {}))).toBe('i');
    expect(consumer.getConversationId(ctx({}, {}))).toBeUndefined();
  });

  it('accepts authenticated users only by default', () => {
    expect(consumer.canAccept({ ...ctx({}, {}), user: { id: 'alice', anonymous: false } })).toBe(true);
    expect(consumer.canAccept(ctx({}, {}))).toBe(false);
  });

  it('hides the first user message of a bot when redrawing the history', async () => {
    const { historyFrames } = await import('./history-frames.js');
    const messages: Message[] = [{ role: 'user', content: '시작해 주세요' }, { role: 'assistant', content: '你好!' }];
    expect(historyFrames(messages, '시작해 주세요').map((f) => (f as { content: string }).content)).toEqual(['你好!']);
    expect(historyFrames(messages).map((f) => (f as { content: string }).content)).toEqual(['시작해 주세요', '你好!']);
  });
});
