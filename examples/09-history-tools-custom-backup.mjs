// Tool 사용 내역 자동 저장, 사용자 정의 백업, 백업 실패 처리 (중급 가이드 History Backup): tool interactions are
// saved with the assistant message; any object with the HistoryStore methods is a backup (here a JSON file, the
// guide's MongoDB example in miniature); a backup that fails only logs a warning and the conversation goes on.
// Run: node examples/09-history-tools-custom-backup.mjs   (the JSON file goes to ./data/history.json)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { LLM, defineTool, emptyUsage, addUsage, messageFromJSON, messageToJSON } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';

// 사용자 정의 백업: the four methods of the guide (saveExchange, loadHistory, getUsageSummary, clear)
class JsonFileHistoryBackup {
  constructor(path, userId, sessionId) {
    Object.assign(this, { path, userId, sessionId });
  }
  async read() {
    try {
      return JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      return [];
    }
  }
  async saveExchange(user, assistant, meta = {}) {
    const docs = await this.read();
    docs.push({ userId: this.userId, sessionId: this.sessionId, timestamp: new Date().toISOString(), user: messageToJSON(user), assistant: messageToJSON(assistant), usage: meta.usage ?? emptyUsage(), model: meta.model });
    await mkdir('./data', { recursive: true });
    await writeFile(this.path, JSON.stringify(docs, null, 2));
  }
  async loadHistory({ limit } = {}) {
    const mine = (await this.read()).filter((d) => d.userId === this.userId && d.sessionId === this.sessionId);
    const messages = mine.flatMap((d) => [messageFromJSON(d.user), messageFromJSON(d.assistant)]);
    return limit === undefined ? messages : messages.slice(-limit);
  }
  async getUsageSummary() {
    return (await this.read()).filter((d) => d.sessionId === this.sessionId).reduce((sum, d) => addUsage(sum, d.usage), emptyUsage());
  }
  async clear() {
    const docs = await this.read();
    const kept = docs.filter((d) => !(d.userId === this.userId && d.sessionId === this.sessionId));
    await writeFile(this.path, JSON.stringify(kept));
    return (docs.length - kept.length) * 2;
  }
}

const backup = new JsonFileHistoryBackup('./data/history.json', 'user123', 'tools');
await backup.clear();

// Tool 사용 내역 자동 저장
const getWeather = defineTool({ name: 'get_weather', description: '도시의 날씨 정보를 가져옵니다', parameters: z.object({ city: z.string() }), execute: ({ city }) => `${city}의 날씨는 맑음, 25°C입니다.` });
const getTime = defineTool({ name: 'get_time', description: '현재 시간을 반환합니다', parameters: z.object({ timezone: z.string().default('UTC') }), execute: () => new Date(0).toISOString() });
const llm = LLM.create(model, { historyBackup: backup });
await llm.ask('서울의 날씨와 현재 시간을 알려주세요', { tools: [getWeather, getTime] });
const messages = await backup.loadHistory();
const assistant = messages.at(-1);
for (const interaction of assistant.toolInteractions ?? []) {
  console.log(`도구: ${interaction.tool}`);
  console.log(`인자: ${JSON.stringify(interaction.arguments)}`);
  console.log(`결과: ${interaction.result ?? 'N/A'}`);
}
console.log(`백업 사용량: ${(await backup.getUsageSummary()).total} 토큰`);
console.log(`복원: ${(await LLM.createAsync(model, { historyBackup: backup })).history.length}개 메시지`);

// 백업 실패 처리: every other save fails; the replies still arrive, a warning is logged
class UnreliableBackup {
  calls = 0;
  async saveExchange() {
    if (++this.calls % 2 === 1) throw new Error('Backup service temporarily unavailable');
  }
  async loadHistory() {
    return [];
  }
  async getUsageSummary() {
    return emptyUsage();
  }
  async clear() {
    return 0;
  }
}
const warnings = [];
const logger = { warn: (obj, msg) => warnings.push(`${msg} (${obj.error})`), error: (obj, msg) => warnings.push(msg) };
const resilient = LLM.create(model, { historyBackup: new UnreliableBackup(), logger });
const reply = await resilient.ask('백업이 실패해도 괜찮나요?');
await resilient.ask('한 번 더 물어볼게요');
console.log(`응답 받음: ${reply.text.length > 0}`);
console.log(`경고 ${warnings.length}개: ${warnings[0]}`);
console.log(`메모리 히스토리는 유지: ${resilient.history.length}개 메시지`);
