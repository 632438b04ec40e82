// 여러 세션 관리 (중급 가이드 History Backup): one user, several conversations in one database; each session keeps
// its own history, and the user's sessions can be listed.
// Run: node examples/08-history-sessions.mjs   (the database goes to ./data/sessions.sqlite)
import { LLM, messageText } from '@llm/core';
import { SqliteHistoryStore } from '@llm/history-sqlite';

const model = process.env.LLM_MODEL ?? 'mock';
const userId = 'user123';
const base = new SqliteHistoryStore({ path: './data/sessions.sqlite', userId, sessionId: 'programming_session' });

// 세션 1: 프로그래밍 질문, 세션 2: 수학 질문 (one database connection, a store per session)
const programming = base;
const math = base.forSession({ userId, sessionId: 'math_session' });
await programming.clear();
await math.clear();
await LLM.create(model, { historyBackup: programming }).ask('Python과 JavaScript의 차이점은?');
const mathLLM = LLM.create(model, { historyBackup: math });
await mathLLM.ask('미적분학의 기본 정리를 설명해주세요');
await mathLLM.ask('예시도 하나 들어주세요');

// 각 세션은 독립적으로 관리됨
for (const store of [programming, math]) {
  const history = await store.loadHistory();
  console.log(`[${store.sessionId}] 메시지 ${history.length}개, 첫 질문: ${messageText(history[0])}`);
}
for (const session of await base.listSessions()) console.log(`세션 ${session.sessionId}: ${session.messageCount}개 메시지, 제목 "${session.title}"`);

// 다른 사용자는 같은 세션 이름이라도 다른 대화
const otherUser = base.forSession({ userId: 'user999', sessionId: 'math_session' });
console.log(`user999의 math_session: ${(await otherUser.loadHistory()).length}개`);
console.log(`math_session 삭제: ${await math.clear()}개 메시지`);
await base.close();
