// 임베딩 (고급 가이드): vectors for texts, semantic search by cosine similarity, and k-means clustering written by
// hand (no numpy, no scikit-learn). Set LLM_EMBEDDING_MODEL=text-embedding-3-small with OPENAI_API_KEY for real ones.
// Run: node examples/12-embeddings.mjs
import { LLM, cosineSimilarity } from '@llm/core';

const llm = LLM.create(process.env.LLM_EMBEDDING_MODEL ?? 'mock');

// 텍스트 임베딩
const embedding = await llm.embed('파이썬은 간결하고 읽기 쉬운 프로그래밍 언어입니다.');
console.log(`임베딩 차원: ${embedding.length}`);
console.log(`임베딩 벡터 (처음 5개): ${embedding.slice(0, 5).map((v) => v.toFixed(3)).join(', ')}`);
const many = await llm.embedMany(['파이썬은 데이터 과학에 널리 사용됩니다.', '자바스크립트는 웹 개발의 핵심 언어입니다.', '머신러닝은 인공지능의 한 분야입니다.']);
console.log(`임베딩 개수: ${many.length}`);

// 유사도 검색
class SemanticSearch {
  documents = [];
  embeddings = [];
  async addDocuments(documents) {
    this.documents.push(...documents);
    this.embeddings.push(...(await llm.embedMany(documents)));
  }
  async search(query, topK = 5) {
    const q = await llm.embed(query);
    return this.embeddings.map((e, i) => [this.documents[i], cosineSimilarity(q, e)]).sort((a, b) => b[1] - a[1]).slice(0, topK);
  }
}
const search = new SemanticSearch();
await search.addDocuments([
  '파이썬은 간결하고 읽기 쉬운 문법을 가진 프로그래밍 언어입니다.',
  '머신러닝은 데이터로부터 패턴을 학습하는 인공지능 기술입니다.',
  '웹 개발에는 HTML, CSS, JavaScript가 필수적입니다.',
  '데이터베이스는 정보를 체계적으로 저장하고 관리하는 시스템입니다.',
  'API는 서로 다른 소프트웨어 간의 통신을 가능하게 합니다.',
]);
for (const [doc, score] of await search.search('프로그래밍 언어 문법', 3)) console.log(`유사도: ${score.toFixed(3)} - ${doc}`);

// 클러스터링: k-means with farthest-point seeding (deterministic), cosine distance
function kmeans(vectors, k, iterations = 20) {
  const centroids = [vectors[0]];
  while (centroids.length < k) {
    const distances = vectors.map((v) => Math.min(...centroids.map((c) => 1 - cosineSimilarity(v, c))));
    centroids.push(vectors[distances.indexOf(Math.max(...distances))]);
  }
  let labels = [];
  for (let it = 0; it < iterations; it++) {
    const next = vectors.map((v) => centroids.map((c) => cosineSimilarity(v, c)).reduce((best, s, i, all) => (s > all[best] ? i : best), 0));
    if (next.every((label, i) => label === labels[i])) break;
    labels = next;
    centroids.forEach((_, c) => {
      const members = vectors.filter((__, i) => labels[i] === c);
      if (members.length) centroids[c] = members[0].map((___, d) => members.reduce((sum, m) => sum + m[d], 0) / members.length);
    });
  }
  return labels;
}
console.log(`k-means 검증 (2차원): ${kmeans([[1, 0], [0.9, 0.2], [0, 1], [0.1, 0.95]], 2).join(',')}`);

const texts = [
  '파이썬은 인기 있는 프로그래밍 언어입니다', '자바스크립트로 웹 애플리케이션을 만들 수 있습니다', 'C++는 시스템 프로그래밍에 사용됩니다',
  '김치는 한국의 전통 발효 식품입니다', '피자는 이탈리아에서 유래한 음식입니다', '초밥은 일본의 대표적인 요리입니다',
  '축구는 세계에서 가장 인기 있는 스포츠입니다', '요가는 몸과 마음의 건강에 좋습니다', '수영은 전신 운동에 효과적입니다',
];
const labels = kmeans(await llm.embedMany(texts), 3);
const clusters = new Map();
texts.forEach((text, i) => clusters.set(labels[i], [...(clusters.get(labels[i]) ?? []), text]));
for (const [id, members] of [...clusters.entries()].sort((a, b) => a[0] - b[0])) {
  console.log(`\n클러스터 ${id}:`);
  for (const text of members) console.log(`  - ${text}`);
}
console.log(`\n클러스터 수: ${clusters.size}, 텍스트 수: ${labels.length}`);
