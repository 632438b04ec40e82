import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, LLM, StorageError, type HistoryStore, type Message, type OpenAIStyleTool, type Usage } from '@llm/core';
import {
  HISTORY_TEXT_NFC,
  HISTORY_TEXT_NFD,
  comparableMessage,
  exchangeMessages,
  multipartUser,
  plainExchange,
  toolExchange,
  type HistoryExchange,
} from './history-fixtures.js';

export * from './history-fixtures.js';
export * from './history-services.js';

/** Which user and session a store is bound to. */
export interface HistoryBinding {
  userId: string;
  sessionId: string;
}

/** How a history store package plugs itself into the conformance suite. */
export interface HistoryConformanceOptions {
  /** Suite name, e.g. `SqliteHistoryStore (file)`. */
  name: string;
  /** Creates a store bound to one user and session. Called several times per test, also for the same binding. */
  create(binding: HistoryBinding): HistoryStore | Promise<HistoryStore>;
  /** Releases a store after its test; the default calls `store.close?.()`. */
  dispose?(store: HistoryStore): Promise<void> | void;
  /**
   * Whether exchanges saved at the same time by two instances stay contiguous (default true). Every `@llm/history-*`
   * store guarantees it; a store that only guarantees that nothing is lost sets false.
   */
  contiguousExchanges?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function save(store: HistoryStore, exchange: HistoryExchange): Promise<void> {
  await store.saveExchange(exchange.user, exchange.assistant, exchange.meta);
}

function expectSameMessages(actual: Message[], expected: Message[]): void {
  expect(actual.map(comparableMessage)).toEqual(expected.map(comparableMessage));
  for (const message of actual) {
    expect(message.createdAt).toBeInstanceOf(Date);
    expect(Number.isNaN(message.createdAt?.getTime())).toBe(false);
  }
}

/** Every tool result in the window answers a call made earlier in the same window. */
function expectNoOrphanedToolResults(messages: Message[]): void {
  const calls = new Set<string>();
  for (const message of messages) {
    for (const call of message.toolCalls ?? []) calls.add(call.id);
    if (message.role === 'tool') expect(calls.has(message.toolCallId ?? '')).toBe(true);
  }
}

async function expectRejectsWith(promise: Promise<unknown>, errorClass: typeof StorageError | typeof ConfigurationError): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a ${errorClass.errorName}`).toBeDefined();
  expect(errorClass.isInstance(error), `expected a ${errorClass.errorName}, got ${String(error)}`).toBe(true);
  expect((error as Error).message.length).toBeGreaterThan(20);
}

/**
 * The shared test suite every conversation history store passes (the definition of "implements HistoryStore").
 * Each test uses fresh random user ids, so parallel test files never see each other's data; the suite clears and
 * disposes every store it created.
 *
 * Concurrency guarantee checked: two instances of one session saving 20 exchanges each at once lose no message,
 * and (unless `contiguousExchanges: false`) every exchange's messages stay next to each other, in order.
 * @example
 * runHistoryConformance({ name: 'MemoryHistoryStore', create: (b) => new MemoryHistoryStore({ ...b, shared }) });
 */
export function runHistoryConformance(options: HistoryConformanceOptions): void {
  const created: HistoryStore[] = [];
  const open = async (binding: HistoryBinding): Promise<HistoryStore> => {
    const store = await options.create(binding);
    created.push(store);
    return store;
  };
  const binding = (sessionId: string = `세션-${randomUUID()}`): HistoryBinding => ({ userId: `user-${randomUUID()}`, sessionId });

  describe(`HistoryStore conformance: ${options.name}`, () => {
    afterEach(async () => {
      for (const store of created.splice(0)) {
        await store.clear().catch(() => 0);
        await (options.dispose ? options.dispose(store) : store.close?.());
      }
    });

    it('saves an exchange with tool calls and loads it back deep-equal and in order', async () => {
      const store = await open(binding());
      const exchange = toolExchange('a');
      exchange.user.createdAt = new Date('2024-05-01T09:00:00.123Z');
      await save(store, exchange);
      const loaded = await store.loadHistory();
      expectSameMessages(loaded, exchangeMessages(exchange));
      expect(loaded.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
      expect(loaded[0].createdAt?.toISOString()).toBe('2024-05-01T09:00:00.123Z');
    });

    it('keeps content parts: text, image bytes, image URL and a file', async () => {
      const store = await open(binding());
      const exchange: HistoryExchange = { ...plainExchange('', '사진 속에는 고양이가 있습니다.'), user: multipartUser() };
      await save(store, exchange);
      const loaded = await store.loadHistory();
      expectSameMessages(loaded, exchangeMessages(exchange));
      const image = Array.isArray(loaded[0].content) ? loaded[0].content[1] : undefined;
      expect(image?.type === 'image' && image.data instanceof Uint8Array).toBe(true);
      const link = Array.isArray(loaded[0].content) ? loaded[0].content[2] : undefined;
      expect(link?.type === 'image' && link.data instanceof URL).toBe(true);
    });

    it('returns the newest `limit` messages in chronological order', async () => {
      const store = await open(binding());
      for (const n of [1, 2, 3]) await save(store, plainExchange(`질문 ${n}`, `답변 ${n}`));
      const text = (messages: Message[]) => messages.map((m) => m.content);
      expect(text(await store.loadHistory())).toEqual(['질문 1', '답변 1', '질문 2', '답변 2', '질문 3', '답변 3']);
      expect(text(await store.loadHistory({ limit: 3 }))).toEqual(['답변 2', '질문 3', '답변 3']);
      expect(text(await store.loadHistory({ limit: 100 }))).toHaveLength(6);
      expect(await store.loadHistory({ limit: 0 })).toEqual([]);
    });

    it('never starts a limited window with a tool result whose call was cut off', async () => {
      const store = await open(binding());
      await save(store, plainExchange('첫 질문', '첫 답변'));
      const exchange = toolExchange('b');
      await save(store, exchange);
      for (const limit of [1, 2, 3, 4, 5, 6]) {
        const window = await store.loadHistory({ limit });
        expect(window.length).toBeLessThanOrEqual(limit);
        expect(window[0]?.role).not.toBe('tool');
        expectNoOrphanedToolResults(window);
        expect(window.at(-1)?.content).toBe(exchange.assistant.content);
      }
      expect((await store.loadHistory({ limit: 3 })).map((m) => m.role)).toEqual(['assistant']);
      expectSameMessages(await store.loadHistory({ limit: 4 }), exchangeMessages(exchange).slice(1));
    });

    it('rejects a negative or fractional limit with ConfigurationError', async () => {
      const store = await open(binding());
      await expectRejectsWith(store.loadHistory({ limit: -1 }), ConfigurationError);
      await expectRejectsWith(store.loadHistory({ limit: 2.5 }), ConfigurationError);
    });

    it('rejects an empty userId or sessionId with ConfigurationError', async () => {
      await expectRejectsWith(Promise.resolve().then(() => open({ userId: '', sessionId: 's' })), ConfigurationError);
      await expectRejectsWith(Promise.resolve().then(() => open({ userId: 'u', sessionId: '' })), ConfigurationError);
    });

    it('sums usage and cost over the session', async () => {
      const store = await open(binding());
      const empty = await store.getUsageSummary();
      expect([empty.input, empty.output, empty.total]).toEqual([0, 0, 0]);
      await save(store, plainExchange('하나', '일', { usage: { input: 10, output: 5, total: 15 }, model: 'mock-1', costUsd: 0.001 }));
      await save(store, plainExchange('둘', '이', { usage: { input: 7, output: 3, total: 11 }, costUsd: 0.002 }));
      await save(store, plainExchange('셋', '삼'));
      const usage: Usage = await store.getUsageSummary();
      expect([usage.input, usage.output, usage.total]).toEqual([17, 8, 26]);
      expect(usage.costUsd).toBeCloseTo(0.003, 10);

      const noCost = await open(binding());
      await save(noCost, plainExchange('비용 없음', '네', { usage: { input: 1, output: 2, total: 3 } }));
      const withoutCost = await noCost.getUsageSummary();
      expect([withoutCost.input, withoutCost.output, withoutCost.total, withoutCost.costUsd]).toEqual([1, 2, 3, undefined]);
    });

    it('clear() removes only this session and returns how many messages it removed', async () => {
      const mine = binding();
      const store = await open(mine);
      const sameSessionOtherUser = await open({ userId: `user-${randomUUID()}`, sessionId: mine.sessionId });
      const otherSessionId = `다른-${randomUUID()}`;
      const otherSession = await open({ userId: mine.userId, sessionId: otherSessionId });
      await save(store, toolExchange('c'));
      await save(store, plainExchange('질문', '답변', { usage: { input: 1, output: 1, total: 2 } }));
      await save(sameSessionOtherUser, plainExchange('남의 질문', '남의 답변'));
      await save(otherSession, plainExchange('다른 세션', '응'));
      expect(await store.clear()).toBe(7);
      expect(await store.loadHistory()).toEqual([]);
      expect((await store.getUsageSummary()).total).toBe(0);
      expect(await store.clear()).toBe(0);
      expect(await sameSessionOtherUser.loadHistory()).toHaveLength(2);
      expect(await otherSession.loadHistory()).toHaveLength(2);
      expect((await store.listSessions?.())?.map((s) => s.sessionId)).toEqual([otherSessionId]);
    });

    it('isolates users: the same sessionId under another user is another conversation', async () => {
      const sessionId = `공유-${randomUUID()}`;
      const alice = await open({ userId: `alice-${randomUUID()}`, sessionId });
      const bob = await open({ userId: `bob-${randomUUID()}`, sessionId });
      await save(alice, plainExchange('앨리스의 비밀', '알겠습니다'));
      expect(await bob.loadHistory()).toEqual([]);
      expect((await bob.getUsageSummary()).total).toBe(0);
      // Ids with separators must not let one user reach another's data: "u:x" + "s" vs "u" + "x:s".
      const base = `u-${randomUUID()}`;
      const colon = await open({ userId: `${base}:x`, sessionId: 's' });
      const other = await open({ userId: base, sessionId: 'x:s' });
      await save(colon, plainExchange('콜론 사용자', '네'));
      expect(await other.loadHistory()).toEqual([]);
      expect(await other.listSessions?.()).toEqual([]);
    });

    it("lists the user's sessions, newest activity first, with counts and titles", async () => {
      const userId = `user-${randomUUID()}`;
      const longQuestion = '가'.repeat(30) + '😀'.repeat(20) + '나'.repeat(30);
      const first = await open({ userId, sessionId: 'first' });
      const second = await open({ userId, sessionId: 'second' });
      const stranger = await open({ userId: `user-${randomUUID()}`, sessionId: 'first' });
      expect(typeof first.listSessions).toBe('function');
      await save(first, plainExchange('  Python의 장점은 무엇인가요?  ', '많습니다'));
      await sleep(25);
      await save(second, toolExchange('d', longQuestion));
      await save(stranger, plainExchange('남의 세션', '네'));
      let sessions = (await first.listSessions?.()) ?? [];
      expect(sessions.map((s) => s.sessionId)).toEqual(['second', 'first']);
      await sleep(25);
      await save(first, plainExchange('더 자세히 설명해주세요', '네'));
      sessions = (await second.listSessions?.()) ?? [];
      expect(sessions.map((s) => [s.sessionId, s.messageCount])).toEqual([['first', 4], ['second', 5]]);
      expect(sessions[0].title).toBe('Python의 장점은 무엇인가요?');
      expect(sessions[1].title).toBe(Array.from(longQuestion).slice(0, 60).join(''));
      for (const s of sessions) {
        expect(s.createdAt).toBeInstanceOf(Date);
        expect(s.lastActivity).toBeInstanceOf(Date);
        expect(s.lastActivity.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime());
      }
      expect(sessions[0].lastActivity.getTime()).toBeGreaterThan(sessions[0].createdAt.getTime());
    });

    it('round-trips text byte for byte: Korean, emoji, NFD stays NFD, NFC stays NFC', async () => {
      const store = await open(binding());
      const exchange = toolExchange('e', HISTORY_TEXT_NFD);
      exchange.assistant.content = [{ type: 'text', text: HISTORY_TEXT_NFC }, { type: 'text', text: HISTORY_TEXT_NFD }];
      await save(store, exchange);
      await save(store, plainExchange(HISTORY_TEXT_NFC, HISTORY_TEXT_NFD));
      const loaded = await (await open({ userId: store.userId ?? '', sessionId: store.sessionId ?? '' })).loadHistory();
      expectSameMessages(loaded, [...exchangeMessages(exchange), ...exchangeMessages(plainExchange(HISTORY_TEXT_NFC, HISTORY_TEXT_NFD))]);
      expect(loaded[0].content).toBe(HISTORY_TEXT_NFD);
      expect(loaded[0].content).not.toBe(HISTORY_TEXT_NFC);
      expect(loaded.at(-2)?.content).toBe(HISTORY_TEXT_NFC);
      expect(loaded.at(-1)?.content).toBe(HISTORY_TEXT_NFD);
      const args = loaded[1].toolCalls?.[0].arguments as { 메모: string };
      expect(Buffer.from(args.메모)).toEqual(Buffer.from(HISTORY_TEXT_NFD));
      const sessions = (await store.listSessions?.()) ?? [];
      expect(sessions[0]?.title).toBe(Array.from(HISTORY_TEXT_NFD).slice(0, 60).join(''));
    });

    it('keeps message text that is itself valid JSON as text ("123", \'{"a":1}\', "null", "true", a quoted string)', async () => {
      const store = await open(binding());
      const texts = ['123', '{"a":1}', 'null', 'true', '"따옴표"', '[1,2]', '  ', '-0'];
      for (let i = 0; i < texts.length; i += 2) await save(store, plainExchange(texts[i], texts[i + 1]));
      const loaded = await (await open({ userId: store.userId ?? '', sessionId: store.sessionId ?? '' })).loadHistory();
      expect(loaded.map((m) => m.content)).toEqual(texts);
      expect(loaded.every((m) => typeof m.content === 'string')).toBe(true);
    });

    it('stores an exchange atomically: an unserializable message stores nothing and throws StorageError', async () => {
      const store = await open(binding());
      await save(store, plainExchange('먼저 저장', '됨', { usage: { input: 1, output: 1, total: 2 } }));
      const broken = toolExchange('f');
      const call = broken.meta.toolMessages?.[0].toolCalls?.[1];
      if (call) call.arguments = { big: BigInt(2) ** BigInt(70) };
      await expectRejectsWith(save(store, broken), StorageError);
      expect((await store.loadHistory()).map((m) => m.content)).toEqual(['먼저 저장', '됨']);
      expect((await store.getUsageSummary()).total).toBe(2);
      const fresh = await open(binding());
      await expectRejectsWith(save(fresh, broken), StorageError);
      expect(await fresh.loadHistory()).toEqual([]);
      expect(await fresh.listSessions?.()).toEqual([]);
    });

    it('two instances of one session saving 20 exchanges each at once lose nothing', async () => {
      const shared = binding();
      const [a, b] = [await open(shared), await open(shared)];
      const saves = (store: HistoryStore, tag: string) =>
        Array.from({ length: 20 }, (_, i) => save(store, plainExchange(`${tag}${i} 질문`, `${tag}${i} 답변`, { usage: { input: 1, output: 2, total: 3 } })));
      await Promise.all([...saves(a, 'A'), ...saves(b, 'B')]);
      const loaded = await (await open(shared)).loadHistory();
      expect(loaded).toHaveLength(80);
      const questions = loaded.filter((m) => m.role === 'user').map((m) => String(m.content));
      expect(new Set(questions).size).toBe(40);
      if (options.contiguousExchanges !== false) {
        for (let i = 0; i < loaded.length; i += 2) {
          expect(loaded[i].role).toBe('user');
          expect(loaded[i + 1].content).toBe(String(loaded[i].content).replace('질문', '답변'));
        }
      }
      expect((await a.getUsageSummary()).total).toBe(120);
    });

    it('restores: a new store instance for the same user and session loads what the first saved', async () => {
      const where = binding();
      const first = await open(where);
      const exchange = toolExchange('g');
      await save(first, exchange);
      await save(first, plainExchange('정규화에 대해 알려주세요', '정규화는 중복을 줄입니다'));
      const again = await open(where);
      expect(again.userId).toBe(where.userId);
      expect(again.sessionId).toBe(where.sessionId);
      expectSameMessages(await again.loadHistory(), [...exchangeMessages(exchange), ...exchangeMessages(plainExchange('정규화에 대해 알려주세요', '정규화는 중복을 줄입니다'))]);
      expect((await again.getUsageSummary()).total).toBe(165);
    });

    describe('with an LLM (core saves through the store)', () => {
      it('a fresh LLM restores the conversation before its first ask and continues it', async () => {
        const where = binding();
        const first = LLM.create('mock', { historyBackup: await open(where), responses: [{ text: '데이터베이스 설계 원칙은 정규화입니다.', usage: { input: 5, output: 9 } }] });
        await first.ask('데이터베이스 설계 원칙을 설명해주세요');
        const second = LLM.create('mock', { historyBackup: await open(where), responses: ['정규화의 단점은 조인이 늘어나는 것입니다.'] });
        await second.ask('앞서 설명한 정규화의 단점은 무엇인가요?');
        expect(second.history.map((m) => m.content)).toEqual([
          '데이터베이스 설계 원칙을 설명해주세요', '데이터베이스 설계 원칙은 정규화입니다.', '앞서 설명한 정규화의 단점은 무엇인가요?', '정규화의 단점은 조인이 늘어나는 것입니다.',
        ]);
        const store = await open(where);
        expect((await store.loadHistory()).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
        expect((await store.getUsageSummary()).input).toBeGreaterThanOrEqual(5);
      });

      it('saves tool calls, results and toolInteractions after a real tool call', async () => {
        const where = binding();
        const weather: OpenAIStyleTool = {
          type: 'function',
          function: { name: 'get_weather', description: '도시의 날씨 정보를 가져옵니다', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          handler: ({ city }: { city: string }) => `${city}의 날씨는 맑음, 25°C입니다.`,
        };
        await LLM.create('mock', { historyBackup: await open(where) }).ask('서울의 날씨를 알려주세요', { tools: [weather] });
        const messages = await (await open(where)).loadHistory();
        expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
        expect(messages[1].toolCalls?.[0]).toMatchObject({ name: 'get_weather', arguments: { city: '서울' } });
        expect(messages[2]).toMatchObject({ role: 'tool', toolName: 'get_weather', content: '서울의 날씨는 맑음, 25°C입니다.' });
        expect(messages[3].toolInteractions?.[0]).toMatchObject({ tool: 'get_weather', arguments: { city: '서울' }, result: '서울의 날씨는 맑음, 25°C입니다.' });
      });

      it('two LLMs writing the same session at once lose no message', async () => {
        const where = binding();
        const a = LLM.create('mock', { historyBackup: await open(where) });
        const b = LLM.create('mock', { historyBackup: await open(where) });
        await Promise.all(Array.from({ length: 8 }, (_, i) => [a.ask(`A 질문 ${i}`), b.ask(`B 질문 ${i}`)]).flat());
        const messages = await (await open(where)).loadHistory();
        expect(messages).toHaveLength(32);
        const users = messages.filter((m) => m.role === 'user').map((m) => m.content).sort();
        expect(users).toEqual([...Array.from({ length: 8 }, (_, i) => `A 질문 ${i}`), ...Array.from({ length: 8 }, (_, i) => `B 질문 ${i}`)].sort());
      });
    });
  });
}
