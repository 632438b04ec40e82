// History Backup (중급 가이드): every exchange is saved to a store; a new LLM with the same store restores the
// conversation and continues it. In memory (tests), then in a SQLite file that survives restarts.
// Run: node examples/07-history-backup.mjs   (the database goes to ./data/chat_history.sqlite)
import { LLM, messageText } from '@llm/core';
import { MemoryHistoryStore } from '@llm/history-memory';
import { SqliteHistoryStore } from '@llm/history-sqlite';

const model = process.env.LLM_MODEL ?? 'mock';
const short = (message) => messageText(message).replace(/\s+/g, ' ').slice(0, 50);

// 기본 사용법: 메모리 기반 백업
const backup = new MemoryHistoryStore({ userId: 'user123', sessionId: 'session456' });
const llm = LLM.create(model, { historyBackup: backup });
await llm.ask('Python의 장점은 무엇인가요?');
await llm.ask('더 자세히 설명해주세요');
const messages = await backup.loadHistory();
for (const message of messages) console.log(`${message.role}: ${short(message)}...`);
const usage = await backup.getUsageSummary();
console.log(`총 입력 토큰: ${usage.input}`);
console.log(`총 출력 토큰: ${usage.output}`);

// SQLite 백업 (영구 저장): the tables are created on first use
const path = './data/chat_history.sqlite';
const store = new SqliteHistoryStore({ path, userId: 'user123', sessionId: 'session456' });
await store.clear(); // start this example from an empty session
const first = LLM.create(model, { historyBackup: store });
await first.ask('데이터베이스 설계 원칙을 설명해주세요');
await first.ask('정규화에 대해 더 자세히 알려주세요');
await store.close();
console.log(`저장된 메시지: ${first.history.length}개 → ${path}`);

// 이전 대화 복원: a new process would do exactly this
const reopened = new SqliteHistoryStore({ path, userId: 'user123', sessionId: 'session456' });
const restored = await LLM.createAsync(model, { historyBackup: reopened });
console.log(`복원된 메시지: ${restored.history.length}개`);
console.log(`첫 질문: ${short(restored.history[0])}`);
const reply = await restored.ask('앞서 설명한 정규화의 단점은 무엇인가요?');
console.log(`이어진 대화: ${reply.text.slice(0, 40)}...`);
console.log(`저장소의 메시지: ${(await reopened.loadHistory()).length}개`);
console.log(`최근 2개만: ${(await reopened.loadHistory({ limit: 2 })).map((m) => m.role).join(', ')}`);
await reopened.close();
