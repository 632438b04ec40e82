// The five-minute tour on the offline mock model: ask, stream, structured output, choices, tools.
// Run: pnpm start   (or: node examples/quickstart.mjs after pnpm build). Set OPENAI_API_KEY and LLM_MODEL=gpt-4o-mini for a real model.
import { z } from 'zod';
import { LLM, defineTool } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
if (model === 'mock') console.log('(offline: the mock model answers; set LLM_MODEL and an API key for a real one)\n');
const llm = LLM.create(model, { systemPrompt: '당신은 친절한 비서입니다.' });

const reply = await llm.ask('파이썬의 장점은 무엇인가요?');
console.log('ask   →', reply.text);

process.stdout.write('stream→ ');
for await (const chunk of llm.stream('비동기 프로그래밍을 설명해주세요')) process.stdout.write(chunk.text);
console.log();

const Book = z.object({ title: z.string(), author: z.string(), year: z.number().int() });
const book = await llm.ask('해리포터와 마법사의 돌에 대해 알려주세요', { schema: Book });
console.log('schema→', book.structuredData);

const emotion = await llm.ask('오늘 승진했어요! 축하 파티도 했답니다.', { choices: ['기쁨', '슬픔', '분노'] });
console.log('choice→', emotion.choice, `(${emotion.confidence})`);

const calculate = defineTool({
  name: 'calculate', description: '수학 표현식을 계산합니다', parameters: z.object({ expression: z.string() }),
  execute: ({ expression }) => (expression === '25*17' ? 425 : NaN),
});
const withTools = await llm.ask('25 곱하기 17은?', { tools: [calculate] });
console.log('tools →', withTools.text, withTools.toolInteractions.map((i) => `${i.tool}(${JSON.stringify(i.arguments)}) = ${i.result}`));
console.log('usage →', llm.usage);
