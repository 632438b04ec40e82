// 구조화된 출력 (중급 가이드 "구조화된 출력"): a zod schema in, a validated object out — nested objects, lists,
// number ranges, several languages at once.
// Run: node examples/01-structured-output.mjs   (LLM_MODEL=gpt-4o-mini with OPENAI_API_KEY for a real model)
import { z } from 'zod';
import { LLM } from '@llm/core';

const model = process.env.LLM_MODEL ?? 'mock';
const llm = LLM.create(model);

// Pydantic 스키마 사용 → a zod schema with .describe() texts the model sees.
const BookInfo = z.object({
  title: z.string().describe('책 제목'),
  author: z.string().describe('저자'),
  year: z.number().int().describe('출판 연도'),
  genres: z.array(z.string()).describe('장르 목록'),
  summary: z.string().describe('간단한 줄거리'),
});
const { structuredData: book } = await llm.ask('해리포터와 마법사의 돌에 대해 알려주세요', { schema: BookInfo });
console.log(`제목: ${book.title}`);
console.log(`저자: ${book.author}`);
console.log(`출판 연도: ${book.year} (정수: ${Number.isInteger(book.year)})`);
console.log(`장르: ${book.genres.join(', ')}`);

// 복잡한 구조: a nested object and a rating between 0 and 5.
const Company = z.object({ name: z.string(), founded: z.number().int(), headquarters: z.string() });
const ProductAnalysis = z.object({
  product_name: z.string(),
  manufacturer: Company,
  pros: z.array(z.string()),
  cons: z.array(z.string()),
  rating: z.number().min(0).max(5),
  recommendation: z.boolean(),
});
const { structuredData: analysis } = await llm.ask('iPhone 15 Pro에 대한 분석을 해주세요', { schema: ProductAnalysis });
console.log(`제조사: ${analysis.manufacturer.name}`);
console.log(`평점: ${analysis.rating}/5.0 (범위 안: ${analysis.rating >= 0 && analysis.rating <= 5})`);
console.log(`추천: ${analysis.recommendation ? '예' : '아니오'}`);

// 다국어 응답
const Translation = z.object({ korean: z.string(), english: z.string(), japanese: z.string(), chinese: z.string() });
const translator = LLM.create(model, { systemPrompt: '다국어 번역 전문가' });
const { structuredData: trans } = await translator.ask("'인공지능'을 4개 언어로 번역해주세요", { schema: Translation });
console.log(`한국어: ${trans.korean}`);
console.log(`영어: ${trans.english}`);
console.log(`일본어: ${trans.japanese}`);
console.log(`중국어: ${trans.chinese}`);
console.log('검증 통과:', BookInfo.safeParse(book).success && ProductAnalysis.safeParse(analysis).success && Translation.safeParse(trans).success);
