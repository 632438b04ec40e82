import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const MOCK_ANSWER = '[mock] 오프라인 모의 모델의 응답입니다.';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'llm-examples-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Runs an example with node on the mock model (no model or provider key in the environment), in a temp folder. */
function runExample(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(LLM_|OPENAI_|ANTHROPIC_|GOOGLE_|GEMINI_|UPSTAGE_|OPENROUTER_|OLLAMA_)/.test(key)) env[key] = value;
  const child = spawn(process.execPath, [join(here, file)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not finish in 60 s.\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Each example and what its output must show. */
const EXPECTED: Record<string, (out: string) => void> = {
  'quickstart.mjs': (out) => {
    expect(out).toContain('(offline: the mock model answers');
    expect(out).toContain('choice→ 기쁨 (1)');
    expect(out).toContain(`calculate({"expression":"25*17"}) = 425`);
  },
  '01-structured-output.mjs': (out) => {
    expect(out).toMatch(/^제목: .*해리포터/m);
    expect(out).toMatch(/^출판 연도: \d+ \(정수: true\)$/m);
    expect(out).toMatch(/^평점: [\d.]+\/5\.0 \(범위 안: true\)$/m);
    expect(out).toMatch(/^중국어: .+/m);
    expect(out).toContain('검증 통과: true');
  },
  '02-classification.mjs': (out) => {
    expect(out).toContain('감정: 기쁨\n인덱스: 0\n확신도: 1');
    expect(out).toContain('복권에 당첨됐어요! → 기쁨');
    expect(out).toContain('프로젝트가 실패했습니다. → 슬픔');
    expect(out).toContain('이 제품 환불 가능한가요? → 질문');
    expect(out).toContain('정말 최고의 서비스입니다! → 칭찬');
    expect(out).toContain('모두 허용된 주제: true');
  },
  '03-async-concurrency.mjs': (out) => {
    expect(out).toContain(`ask: ${MOCK_ANSWER}`);
    expect(out.match(/^Q: /gm)).toHaveLength(3);
    expect(out).toContain('동시 요청 3개 완료');
    expect(out).toContain('batch(maxParallel: 2): 4개 응답');
    expect(out).toMatch(/^\[A\] \[mock\].*\n\[B\] \[mock\]/m);
    expect(out).toMatch(/^Step 3: /m);
    expect(out).toContain('최종 결과: ');
  },
  '04-caching.mjs': (out) => {
    expect(out).toContain('첫 번째 호출 캐시 히트: false\n두 번째 호출 캐시 히트: true\n캐시된 응답 동일: true');
    expect(out).toMatch(/두 번째 호출 토큰: 0 \(원래 \d+\)/);
    expect(out).toContain('재시작 후 캐시 히트: true');
    expect(out).toContain('캐시 히트율: 50%');
    expect(out).toContain('파이썬이란? 다시 → 캐시 히트: true');
    expect(out).toContain('현재 시각은? 다시 → 캐시 히트: false');
    expect(out).toContain('clear() 후 항목: 0개');
  },
  '05-tools.mjs': (out) => {
    expect(out).toContain('함수 calculate 호출: {"expression":"25*17"}\n결과: 425');
    expect(out).toContain('함수 get_weather 호출: {"location":"서울"}');
    expect(out).toContain('자동 실행 calculate({"expression":"25*17"}) = 425');
    expect(out).toContain('자동 실행 get_weather({"location":"부산"})');
    expect(out).toContain('add: 8');
    expect(out).toContain('비동기 결과: Welcome to Python.org');
  },
  '06-templates.mjs': (out) => {
    expect(out).toContain('입력 변수: role, request, conditions');
    expect(out).toContain('- 초보자도 쉽게 따라할 수 있도록\n- 재료는');
    expect(out).toContain('few-shot 예시 수: 3, 마지막 줄: 출력:');
    expect(out).toContain('[SIMPLE] 5살 아이도 이해할 수 있게 블록체인 기술을 설명하세요.');
    expect(out).toContain('시스템 프롬프트: 당신은 영어 회화 선생님입니다. 상황: 카페. 학생 수준: 초급.');
    expect(out).toContain('"주문하기에 대해 영어로 짧게 대화를 시작해 주세요."');
    expect(out).toContain('TemplateError: The template is missing 2 variables: "request", "conditions".');
  },
  '07-history-backup.mjs': (out) => {
    expect(out).toContain('user: Python의 장점은 무엇인가요?...');
    expect(out).toMatch(/총 입력 토큰: [1-9]\d*\n총 출력 토큰: [1-9]\d*/);
    expect(out).toContain('저장된 메시지: 4개');
    expect(out).toContain('복원된 메시지: 4개\n첫 질문: 데이터베이스 설계 원칙을 설명해주세요');
    expect(out).toContain('저장소의 메시지: 6개');
    expect(out).toContain('최근 2개만: user, assistant');
    expect(existsSync(join(cwd, 'data', 'chat_history.sqlite'))).toBe(true);
  },
  '08-history-sessions.mjs': (out) => {
    expect(out).toContain('[programming_session] 메시지 2개, 첫 질문: Python과 JavaScript의 차이점은?');
    expect(out).toContain('[math_session] 메시지 4개, 첫 질문: 미적분학의 기본 정리를 설명해주세요');
    expect(out).toContain('세션 math_session: 4개 메시지');
    expect(out).toContain('user999의 math_session: 0개');
    expect(out).toContain('math_session 삭제: 4개 메시지');
  },
  '09-history-tools-custom-backup.mjs': (out) => {
    expect(out).toContain('도구: get_weather\n인자: {"city":"서울"}\n결과: 서울의 날씨는 맑음, 25°C입니다.');
    expect(out).toMatch(/백업 사용량: [1-9]\d* 토큰/);
    expect(out).toContain('복원: 2개 메시지');
    expect(out).toContain('응답 받음: true');
    expect(out).toContain('경고 1개: LLM: the history backup failed to save this exchange; the reply is returned anyway (Backup service temporarily unavailable)');
    expect(out).toContain('메모리 히스토리는 유지: 4개 메시지');
  },
  '10-mcp.mjs': (out) => {
    expect(out).toContain('연결된 서버: calculator (stdio, connected)');
    expect(out).toContain('MCP 호출: calculator({"expression":"25*17"}) = 425');
    expect(out).toContain('[mock] 도구 결과: calculator → 425');
    expect(out).toContain('직접 호출 my-calc: 6.25');
    expect(out).toContain('MCP 연결 종료');
  },
  '11-streaming.mjs': (out) => {
    expect(out).toMatch(/청크 수: [1-9]\d*, 대략적인 토큰 수: [1-9]\d*/);
    expect(out).toContain('[문장 1] [mock] 오프라인 모의 모델의 응답입니다.');
    expect(out).toContain('[문장 3] 실제 답변을 받으려면 API 키를 설정하세요.');
    expect(out).toContain('통계: { sentences: 3');
    expect(out).toMatch(/\['단점' 키워드 감지 - \d+번째 청크에서 중단\]/);
    expect(out).toMatch(/마지막 부분: \.\.\..*단점/);
    const whole = [...'[mock] 오프라인 모의 모델의 응답입니다. 질문 "파이썬의 장점과 단점을 나열해주세요"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.'].length;
    expect(Number(/중단 전까지 받은 글자: (\d+)자/.exec(out)![1])).toBeLessThan(whole);
  },
  '12-embeddings.mjs': (out) => {
    expect(out).toMatch(/임베딩 차원: [1-9]\d*/);
    expect(out).toContain('임베딩 개수: 3');
    expect(out).toMatch(/^유사도: [\d.]+ - 파이썬은 간결하고 읽기 쉬운 문법을 가진 프로그래밍 언어입니다\.$/m);
    expect(out.indexOf('파이썬은 간결하고 읽기 쉬운 문법')).toBeLessThan(out.indexOf('유사도: ', out.indexOf('유사도: ') + 1));
    expect(out).toContain('k-means 검증 (2차원): 0,0,1,1');
    expect(out).toContain('클러스터 수: 3, 텍스트 수: 9');
    expect(out.match(/^ {2}- /gm)).toHaveLength(9);
  },
  '13-meta-prompting.mjs': (out) => {
    expect(out).toContain('생성된 프롬프트: [mock]');
    expect(out).toContain('최적의 프롬프트를 생성하세요');
    expect(out).toContain('개선된 프롬프트: [mock]');
    expect(out).toMatch(/리뷰 감정: (긍정|부정|중립) \(확신도 [\d.]+\)/);
  },
  '14-chains.mjs': (out) => {
    expect(out).toContain('[outline] 완료 (mock)\n[draft] 완료 (mock)\n[polish] 완료 (mock:polish)');
    expect(out).toContain('결과 키: initial_input, outline, draft, polish');
    expect(out).toContain('최종 결과: [mock] 오프라인 모의 모델의 응답입니다. 질문 "다음 초안을 다듬어');
    expect(out).toContain('pipe 단계 수: 3, 이름: input, step1, draft, polish');
    expect(out).toContain('pipe 마지막 모델: mock:polish');
  },
  '15-conditional-pipeline.mjs': (out) => {
    expect(out).toContain('→ 분류: 코드 (확신도 1), 처리 모델: mock:code');
    expect(out).toContain('→ 분류: 고객문의 (확신도 1), 처리 모델: mock:support');
    expect(out).toContain('→ 분류: 기술문서 (확신도 1), 처리 모델: mock:docs');
    expect(out).toContain('다음 코드를 분석하고');
  },
  '16-agent.mjs': (out) => {
    expect(out).toContain('선택된 도구: 계산기\n파라미터: {"expression":"123*4"}\n도구 실행 결과: 492');
    expect(out).toContain('선택된 도구: 웹검색\n파라미터: {"query":"웹에서 파이썬 최신 버전을 검색해 주세요"}');
    expect(out).toContain('도구 실행 결과: 검색 결과 (데모 데이터)');
    expect(out).toMatch(/자동: calculator\(\{"expression":"123\*4"\}\) = 492/);
    expect(out).toContain('자동 답변: [mock] 도구 결과: calculator → 492');
  },
  '17-performance-monitor.mjs': (out) => {
    expect(out).toContain('오류 기록됨 (질문 0, 시도 1): 일시적인 서버 오류');
    expect(out).toMatch(/mock:\n {2}요청 수: 5\n/);
    expect(out).toMatch(/mock:second:\n {2}요청 수: 10\n/);
    expect(out).toContain('오류율: 10.0%');
    expect(out).toContain('캐시 히트율: 44.4%');
    expect(out).toContain('총 비용: $0.000000');
  },
  '18-server-rest-sse.mjs': (out) => {
    expect(out).toMatch(/^세션 생성: [0-9a-f-]{36}$/m);
    expect(out).toContain('응답: [mock] 도구 결과: calculator → 425');
    expect(out).toContain('사용한 도구: calculator · 모델: mock');
    expect(out).toContain('SSE 이벤트: metadata → tool → message → usage → done');
    expect(out).toContain('tool 이벤트: calculator({"expression":"3+4"}) = 7');
    expect(out).toContain('user: 3 더하기 4는? 스트리밍으로 알려주세요');
    expect(out).toContain('세션 수: 1');
    expect(out).toMatch(/잘못된 temperature → 400: .*temperature/);
    expect(out).toContain('세션 삭제 → 200\n삭제 후 히스토리 → 404');
  },
  '19-server-websocket.mjs': (out) => {
    expect(out).toMatch(/^대화 ID: [0-9a-f-]{36}$/m);
    expect(out).toContain('ping → pong');
    expect(out).toContain('사용자 블록: 안녕하세요! 25 곱하기 17은 얼마예요?');
    expect(out).toContain('도구 블록: running → done (calculator = 425)');
    expect(out).toMatch(/답변 블록 \d+개, 같은 id: true/);
    expect(out).toContain('답변: [mock] 도구 결과: calculator → 425');
    expect(out).toContain('복원된 메시지: user: 안녕하세요! 25 곱하기 17은 얼마 | assistant:');
    expect(out).toContain('튜터 첫 메시지: [mock]');
    expect(out).toContain('첫 문장으로 대화를 시작해주세요.');
    expect(out).toContain('없는 대화 접속 → 닫힘 코드 4003');
  },
};

describe('examples (node, mock model, run in a temp folder)', () => {
  it('has an expectation for every example file', () => {
    const files = readdirSync(here).filter((f) => f.endsWith('.mjs')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s runs and prints what it shows', async (file) => {
    const { code, stdout, stderr } = await runExample(file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    EXPECTED[file](stdout);
  });
});
