import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@llm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PromptTemplate, detectTemplateFormat } from './prompt-template.js';
import { TemplateError } from './template-error.js';

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('PromptTemplate: the guide templates (템플릿 활용)', () => {
  it('renders the role + conditions template with a for loop; the loop variable is not an input', () => {
    const template = new PromptTemplate(`
당신은 {{ role }}입니다.

사용자의 요청: {{ request }}

다음 조건을 고려하여 답변해주세요:
{% for condition in conditions %}
- {{ condition }}
{% endfor %}
`);
    expect(template.templateFormat).toBe('jinja2');
    expect(template.inputVariables).toEqual(['role', 'request', 'conditions']);
    const prompt = template.render({
      role: '전문 요리사',
      request: '파스타 만드는 법을 알려주세요',
      conditions: ['초보자도 쉽게 따라할 수 있도록', '재료는 마트에서 쉽게 구할 수 있는 것으로', '30분 이내에 완성 가능한 레시피'],
    });
    expect(prompt).toContain('당신은 전문 요리사입니다.');
    expect(prompt).toContain('사용자의 요청: 파스타 만드는 법을 알려주세요');
    const bullets = prompt.split('\n').filter((line) => line.startsWith('- '));
    expect(bullets).toEqual(['- 초보자도 쉽게 따라할 수 있도록', '- 재료는 마트에서 쉽게 구할 수 있는 것으로', '- 30분 이내에 완성 가능한 레시피']);
  });

  it('renders the few-shot template over a list of examples', () => {
    const fewShot = new PromptTemplate(`
다음 예시를 참고하여 작업을 수행하세요.

{% for example in examples %}
입력: {{ example.input }}
출력: {{ example.output }}

{% endfor %}
입력: {{ input }}
출력:`);
    expect(fewShot.inputVariables).toEqual(['examples', 'input']);
    const prompt = fewShot.render({
      examples: [
        { input: 'Hello', output: '안녕하세요' },
        { input: 'Thank you', output: '감사합니다' },
        { input: 'Good morning', output: '좋은 아침입니다' },
      ],
      input: 'How are you?',
    });
    expect(prompt).toContain('입력: Hello\n출력: 안녕하세요\n');
    expect(prompt).toContain('입력: Good morning\n출력: 좋은 아침입니다\n');
    expect(prompt.trimEnd().endsWith('입력: How are you?\n출력:')).toBe(true);
  });

  it('supports a builder choosing among several templates (동적 템플릿)', () => {
    class DynamicPromptBuilder {
      private readonly templates: Record<string, PromptTemplate> = {
        technical: new PromptTemplate('기술적 관점에서 {{ topic }}에 대해 설명하세요.'),
        simple: new PromptTemplate('5살 아이도 이해할 수 있게 {{ topic }}을 설명하세요.'),
        business: new PromptTemplate('비즈니스 관점에서 {{ topic }}의 가치를 설명하세요.'),
      };
      build(style: string, topic: string): string {
        return (this.templates[style] ?? this.templates.simple).render({ topic });
      }
    }
    const builder = new DynamicPromptBuilder();
    expect(builder.build('technical', '블록체인 기술')).toBe('기술적 관점에서 블록체인 기술에 대해 설명하세요.');
    expect(builder.build('business', '블록체인 기술')).toBe('비즈니스 관점에서 블록체인 기술의 가치를 설명하세요.');
    expect(builder.build('unknown', '블록체인 기술')).toBe('5살 아이도 이해할 수 있게 블록체인 기술을 설명하세요.');
  });

  it('is accepted where core takes a prompt: it has render(vars) returning a string', () => {
    const prompt: { render(vars: Record<string, unknown>): string } = new PromptTemplate('{{ a }}+{{ b }}');
    expect(prompt.render({ a: 1, b: 2 })).toBe('1+2');
  });
});

describe('PromptTemplate: missing variables', () => {
  it('throws a TemplateError naming each missing variable', () => {
    const template = new PromptTemplate('{{ role }} / {{ request }} / {% for c in conditions %}{{ c }}{% endfor %}');
    const error = catchError(() => template.render({ request: '요청' }));
    expect(TemplateError.isInstance(error)).toBe(true);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    const e = error as TemplateError;
    expect(e.missingVariables).toEqual(['role', 'conditions']);
    expect(e.message).toContain('"role"');
    expect(e.message).toContain('"conditions"');
    expect(e.message).not.toContain('"request"');
  });

  it('treats undefined as missing, but null and empty strings as given', () => {
    const template = new PromptTemplate('[{x}][{y}]', { format: 'f-string' });
    expect((catchError(() => template.render({ x: undefined, y: '' })) as TemplateError).missingVariables).toEqual(['x']);
    expect(template.render({ x: null, y: '' })).toBe('[][]');
  });

  it('ignores extra variables and rejects a non-object', () => {
    const template = new PromptTemplate('안녕 {{ name }}');
    expect(template.render({ name: '철수', extra: 'unused' })).toBe('안녕 철수');
    expect(TemplateError.isInstance(catchError(() => template.render(['철수'] as unknown as Record<string, unknown>)))).toBe(true);
  });

  it('lets a jinja2 variable used only in presence checks be left out', () => {
    const template = new PromptTemplate('{% if context %}맥락: {{ context }}\n{% endif %}질문: {{ question }}');
    expect(template.inputVariables).toEqual(['question']);
    expect(template.optionalVariables).toEqual(['context']);
    expect(template.render({ question: '왜?' })).toBe('질문: 왜?');
    expect(template.render({ question: '왜?', context: '배경' })).toBe('맥락: 배경\n질문: 왜?');
  });

  it('uses explicit inputVariables when given', () => {
    const template = new PromptTemplate('{{ a }}{{ b }}', { inputVariables: ['a'] });
    expect(template.inputVariables).toEqual(['a']);
    expect(template.render({ a: 'x' })).toBe('x');
    expect(() => new PromptTemplate('{{ a }}', { inputVariables: [''] })).toThrow(/inputVariables/);
  });
});

describe('PromptTemplate: Korean variables and text', () => {
  it('renders the chat-history seed prompt with {언어}, {상황}, {레벨} as an f-string', () => {
    const template = new PromptTemplate(`You are a language tutor.
{언어}로 대화를 나눕시다. 번역과 발음을 제공하지 않고 {언어}로만 답변해주세요.
"{상황}"의 상황으로 상황극을 진행합니다.
가능한한 {언어} {레벨}에 맞는 단어와 표현을 사용해주세요.`);
    expect(template.templateFormat).toBe('f-string');
    expect(template.inputVariables).toEqual(['언어', '상황', '레벨']);
    const out = template.render({ 언어: '중국어', 상황: '스타벅스에서 커피를 주문하는 상황', 레벨: '초급' });
    expect(out).toContain('중국어로 대화를 나눕시다. 번역과 발음을 제공하지 않고 중국어로만 답변해주세요.');
    expect(out).toContain('"스타벅스에서 커피를 주문하는 상황"의 상황으로');
    expect(out).toContain('가능한한 중국어 초급에 맞는');
    expect((catchError(() => template.render({ 언어: '중국어' })) as TemplateError).missingVariables).toEqual(['상황', '레벨']);
  });

  it('renders Korean variable names in jinja2, including loops and attribute access', () => {
    const template = new PromptTemplate('{{ 언어 }} {{ 레벨 }}: {% for 항목 in 목록 %}{{ 항목.이름 }};{% endfor %}');
    expect(template.inputVariables).toEqual(['언어', '레벨', '목록']);
    expect(template.render({ 언어: '일본어', 레벨: '중급', 목록: [{ 이름: '가' }, { 이름: '나' }] })).toBe('일본어 중급: 가;나;');
  });

  it('keeps NFD and NFC text exactly as given, in names and values', () => {
    const nfd = '한글'.normalize('NFD');
    const nfc = '한글'.normalize('NFC');
    expect(nfd).not.toBe(nfc);
    const jinja = new PromptTemplate(`{{ ${nfd} }}|{{ ${nfc} }}`);
    expect(jinja.inputVariables).toEqual([nfd, nfc]);
    const rendered = jinja.render({ [nfd]: nfd, [nfc]: nfc });
    expect(rendered).toBe(`${nfd}|${nfc}`);
    expect(rendered.split('|')[0]).toBe(nfd);
    const fString = new PromptTemplate(`{${nfd}}-{${nfc}}`);
    expect(fString.inputVariables).toEqual([nfd, nfc]);
    expect(fString.render({ [nfd]: nfd, [nfc]: nfc })).toBe(`${nfd}-${nfc}`);
  });
});

describe('PromptTemplate: formats', () => {
  it('detects jinja2 by {{, {% or {#, else f-string', () => {
    expect(detectTemplateFormat('{{ x }}')).toBe('jinja2');
    expect(detectTemplateFormat('{% if x %}y{% endif %}')).toBe('jinja2');
    expect(detectTemplateFormat('{# note #}hi')).toBe('jinja2');
    expect(detectTemplateFormat('{x} and {y}')).toBe('f-string');
    expect(() => new PromptTemplate('x', { format: 'mustache' as 'jinja2' })).toThrow(/Unknown template format/);
  });

  it('f-string: {{ and }} are literal braces; attribute and index access work; objects render as JSON', () => {
    const template = new PromptTemplate('{{"이름": "{user.name}", "첫째": "{items[0]}"}} {data}', { format: 'f-string' });
    expect(template.inputVariables).toEqual(['user', 'items', 'data']);
    expect(template.render({ user: { name: '영희' }, items: ['사과', '배'], data: { 키: [1, 2] } })).toBe(
      '{"이름": "영희", "첫째": "사과"} {"키":[1,2]}',
    );
  });

  it('f-string: malformed placeholders throw TemplateErrors that say what to do', () => {
    for (const [source, pattern] of [
      ['a } b', /single '}'/],
      ['a { b', /unclosed '\{'/],
      ['a {} b', /empty placeholder/],
      ['{x:>10}', /format spec/],
      ['{x!r}', /conversion/],
      ['{a b}', /not a variable name/],
    ] as const) {
      const error = catchError(() => new PromptTemplate(source, { format: 'f-string' }));
      expect(TemplateError.isInstance(error), source).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });

  it('jinja2: a syntax error throws a TemplateError when the template is made', () => {
    const error = catchError(() => new PromptTemplate('{% for x in %}{{ x }}', { name: 'broken.j2' }));
    expect(TemplateError.isInstance(error)).toBe(true);
    expect((error as TemplateError).message).toMatch(/broken\.j2 has a syntax error/);
  });

  it('jinja2: autoescape is off, so <, &, and quotes reach the model as written', () => {
    const template = new PromptTemplate('코드: {{ code }}');
    const code = `<script>if (a && b) { say("안녕", 'hi') }</script>`;
    expect(template.render({ code })).toBe(`코드: ${code}`);
  });
});

describe('PromptTemplate: partial, JSON and files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'llm-templates-pt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('partial() returns a new template without those inputs; the original is unchanged', () => {
    const base = new PromptTemplate('{언어} {레벨}: {질문}');
    const chinese = base.partial({ 언어: '중국어' });
    expect(chinese).not.toBe(base);
    expect(chinese.inputVariables).toEqual(['레벨', '질문']);
    expect(base.inputVariables).toEqual(['언어', '레벨', '질문']);
    expect(chinese.partial({ 레벨: '초급' }).render({ 질문: '뭐?' })).toBe('중국어 초급: 뭐?');
    expect(chinese.render({ 레벨: '고급', 질문: '왜?', 언어: '영어' })).toBe('영어 고급: 왜?');
  });

  it('calls a function partial at every render', () => {
    let calls = 0;
    const template = new PromptTemplate('{{ today }} {{ q }}').partial({ today: () => `day-${++calls}` });
    expect(template.render({ q: 'a' })).toBe('day-1 a');
    expect(template.render({ q: 'b' })).toBe('day-2 b');
    expect(() => template.toJSON()).toThrow(/"today" is a function/);
  });

  it('round-trips through JSON', () => {
    const template = new PromptTemplate('{{ role }}: {{ 질문 }}', { name: 'qa' }).partial({ role: '선생님' });
    const text = JSON.stringify(template);
    const restored = PromptTemplate.fromJSON(text);
    expect(restored.inputVariables).toEqual(['질문']);
    expect(restored.templateFormat).toBe('jinja2');
    expect(restored.name).toBe('qa');
    expect(restored.render({ 질문: '한글은?' })).toBe(template.render({ 질문: '한글은?' }));
    expect(PromptTemplate.fromJSON(JSON.parse(text)).render({ 질문: 'x' })).toBe('선생님: x');
    expect(() => PromptTemplate.fromJSON('{not json')).toThrow(/not JSON/);
    expect(() => PromptTemplate.fromJSON(JSON.stringify({ source: 'x' }))).toThrow(/toJSON\(\)/);
  });

  it('loads files: .j2 is jinja2 with includes from its folder, .txt is detected', () => {
    writeFileSync(path.join(dir, 'header.j2'), '[{{ role }}]');
    writeFileSync(path.join(dir, 'main.j2'), '{% include "header.j2" %} {{ question }}');
    writeFileSync(path.join(dir, 'plain.txt'), '{언어}로 답하세요: {질문}');
    writeFileSync(path.join(dir, 'loop.txt'), '{% for x in xs %}{{ x }}{% endfor %}');
    const main = PromptTemplate.fromFile(path.join(dir, 'main.j2'));
    expect(main.name).toBe('main.j2');
    expect(main.inputVariables).toEqual(['role', 'question']);
    expect(main.render({ role: '요리사', question: '파스타?' })).toBe('[요리사] 파스타?');
    const plain = PromptTemplate.fromFile(path.join(dir, 'plain.txt'));
    expect(plain.templateFormat).toBe('f-string');
    expect(plain.render({ 언어: '한국어', 질문: '안녕?' })).toBe('한국어로 답하세요: 안녕?');
    expect(PromptTemplate.fromFile(path.join(dir, 'loop.txt')).render({ xs: ['가', '나'] })).toBe('가나');
    const missing = catchError(() => PromptTemplate.fromFile(path.join(dir, 'nope.j2')));
    expect(TemplateError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/Cannot read the template file/);
  });
});
