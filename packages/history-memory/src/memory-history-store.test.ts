import { describe, expect, it } from 'vitest';
import { runHistoryConformance } from '@llm/testkit';
import { MemoryHistoryStore, type MemoryHistoryData } from './memory-history-store.js';

const shared: MemoryHistoryData = new Map();
runHistoryConformance({ name: 'MemoryHistoryStore (shared map)', create: (binding) => new MemoryHistoryStore({ ...binding, shared }) });

describe('MemoryHistoryStore specifics', () => {
  const binding = { userId: '사용자', sessionId: '세션' };

  it('keeps a private map per store unless `shared` is given', async () => {
    const a = new MemoryHistoryStore(binding);
    const b = new MemoryHistoryStore(binding);
    await a.saveExchange({ role: 'user', content: '안녕' }, { role: 'assistant', content: '안녕하세요' });
    expect(await b.loadHistory()).toEqual([]);
    expect(await a.loadHistory()).toHaveLength(2);
  });

  it('forSession() returns a store on the same map', async () => {
    const data: MemoryHistoryData = new Map();
    const root = new MemoryHistoryStore({ ...binding, shared: data });
    const other = root.forSession({ userId: '사용자', sessionId: '다른 세션' });
    expect(other).toBeInstanceOf(MemoryHistoryStore);
    await other.saveExchange({ role: 'user', content: '두 번째' }, { role: 'assistant', content: '네' });
    expect((await root.listSessions()).map((s) => s.sessionId)).toEqual(['다른 세션']);
    expect([...(data.get('사용자')?.keys() ?? [])]).toEqual(['다른 세션']);
    expect(await root.forSession({ userId: '사용자', sessionId: '다른 세션' }).loadHistory()).toHaveLength(2);
  });

  it('stores copies: changing a message after saving or loading does not change the history', async () => {
    const store = new MemoryHistoryStore(binding);
    const user = { role: 'user' as const, content: [{ type: 'text' as const, text: '원본' }] };
    await store.saveExchange(user, { role: 'assistant', content: '네', toolInteractions: [{ tool: 't', arguments: { a: 1 }, durationMs: 1 }] });
    user.content[0].text = '바뀜';
    const loaded = await store.loadHistory();
    loaded[1].toolInteractions?.splice(0);
    expect((await store.loadHistory())[0].content).toEqual([{ type: 'text', text: '원본' }]);
    expect((await store.loadHistory())[1].toolInteractions).toHaveLength(1);
  });
});
