import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptTemplate } from './prompt-template.js';
import { createTemplateEngine, type TemplateEngine } from './template-engine.js';
import { TemplateError } from './template-error.js';

function expectTemplateError(run: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(TemplateError.isInstance(caught), String(caught)).toBe(true);
  expect((caught as Error).message).toMatch(pattern);
}

describe('createTemplateEngine', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'llm-templates-engine-'));
  const root = path.join(base, 'prompts');
  const outside = path.join(base, 'secret');
  let engine: TemplateEngine;

  beforeAll(() => {
    mkdirSync(path.join(root, 'partials'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'key.txt'), 'TOP SECRET');
    writeFileSync(path.join(root, 'partials', 'persona.j2'), '당신은 {{ role | shout }}입니다.');
    writeFileSync(path.join(root, 'partials', 'row.j2'), '- {{ item }}{% include "./suffix.j2" %}\n');
    writeFileSync(path.join(root, 'partials', 'suffix.j2'), '{{ mark }}');
    writeFileSync(path.join(root, 'macros.j2'), '{% macro bullet(text, sign="*") %}{{ sign }} {{ text }}{% endmacro %}');
    writeFileSync(path.join(root, 'answer.j2'), '{% include "partials/persona.j2" %}\n{% for item in items %}{% include "partials/row.j2" %}{% endfor %}');
    writeFileSync(path.join(root, 'list.j2'), '{% import "macros.j2" as m %}{% for c in conditions %}{{ m.bullet(c) }}\n{% endfor %}{{ m.bullet(footer, sign="#") }}');
    writeFileSync(path.join(root, 'base.j2'), '[{{ product }}] {% block body %}기본{% endblock %}');
    writeFileSync(path.join(root, 'child.j2'), '{% extends "base.j2" %}{% block body %}{{ question }}{% endblock %}');
    writeFileSync(path.join(root, '인사.j2'), '{{ 이름 }}님, 안녕하세요! 오늘은 {{ today }}.');
    writeFileSync(path.join(root, 'escape-include.j2'), '{% include "../secret/key.txt" %}');
    writeFileSync(path.join(root, 'escape-relative.j2'), '{% include "./../secret/key.txt" %}');
    writeFileSync(path.join(root, 'escape-link.j2'), '{% include "link.txt" %}');
    symlinkSync(path.join(outside, 'key.txt'), path.join(root, 'link.txt'));
    symlinkSync(outside, path.join(root, 'linked-dir'));
    symlinkSync(path.join(root, 'partials', 'suffix.j2'), path.join(root, 'inner-link.j2'));
    engine = createTemplateEngine({
      directory: root,
      filters: { shout: (value: string) => `${value}!`, wrap: (value: string, left: string, right: string) => `${left}${value}${right}` },
      globals: { today: '월요일' },
    });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('renders a folder template with nested includes (also relative ones) and a custom filter', () => {
    expect(engine.render('answer.j2', { role: '요리사', items: ['파스타', '피자'], mark: '.' })).toBe('당신은 요리사!입니다.\n- 파스타.\n- 피자.\n');
  });

  it('detects the variables of included templates', () => {
    const template = engine.getTemplate('answer.j2');
    expect(template).toBeInstanceOf(PromptTemplate);
    expect(template.inputVariables).toEqual(['role', 'items', 'mark']);
    expectTemplateError(() => template.render({ items: [] }), /"role", "mark"/);
  });

  it('runs imported macros with default and keyword arguments', () => {
    expect(engine.render('list.j2', { conditions: ['쉽게', '빠르게'], footer: '끝' })).toBe('* 쉽게\n* 빠르게\n# 끝');
  });

  it('supports extends with blocks', () => {
    expect(engine.render('child.j2', { product: '키보드', question: '좋나요?' })).toBe('[키보드] 좋나요?');
    expect(engine.getTemplate('child.j2').inputVariables).toEqual(['product', 'question']);
  });

  it('gives globals to every template without counting them as inputs; Korean file names work', () => {
    const greeting = engine.getTemplate('인사.j2');
    expect(greeting.inputVariables).toEqual(['이름']);
    expect(greeting.render({ 이름: '민수' })).toBe('민수님, 안녕하세요! 오늘은 월요일.');
    expect(engine.getTemplate('인사.j2')).toBe(greeting);
  });

  it('renders strings that include folder templates, with filters taking arguments', () => {
    expect(engine.renderString('{% include "partials/persona.j2" %} {{ q | wrap("«", "»") }}', { role: '의사', q: '질문' })).toBe('당신은 의사!입니다. «질문»');
  });

  it('keeps autoescape off through the engine', () => {
    expect(engine.renderString('{{ html }}', { html: `<a href="x">Tom & '제리'</a>` })).toBe(`<a href="x">Tom & '제리'</a>`);
  });

  it('refuses names that leave the folder', () => {
    expectTemplateError(() => engine.render('../secret/key.txt'), /contains '\.\.'/);
    expectTemplateError(() => engine.render('partials/../../secret/key.txt'), /contains '\.\.'/);
    expectTemplateError(() => engine.render(path.join(outside, 'key.txt')), /absolute path/);
    expectTemplateError(() => engine.render('/etc/passwd'), /absolute path/);
    expectTemplateError(() => engine.render('link.txt'), /through a symlink/);
    expectTemplateError(() => engine.render('linked-dir/key.txt'), /through a symlink/);
  });

  it('refuses includes that leave the folder, at render time', () => {
    expectTemplateError(() => engine.render('escape-include.j2'), /contains '\.\.'/);
    expectTemplateError(() => engine.render('escape-relative.j2'), /contains '\.\.'/);
    expectTemplateError(() => engine.render('escape-link.j2'), /through a symlink/);
    expectTemplateError(() => engine.renderString('{% include "/etc/hostname" %}'), /absolute path/);
  });

  it('follows symlinks that stay inside the folder', () => {
    expect(engine.render('inner-link.j2', { mark: '!' })).toBe('!');
  });

  it('reports missing templates and a missing folder as TemplateErrors', () => {
    expectTemplateError(() => engine.render('nope.j2'), /does not exist/);
    expectTemplateError(() => engine.renderString('{% include "nope.j2" %}'), /nope\.j2/);
    expectTemplateError(() => createTemplateEngine({ directory: path.join(base, 'missing') }), /does not exist/);
    expectTemplateError(() => createTemplateEngine({}).getTemplate('x.j2'), /no `directory`/);
  });

  it('reports a throwing filter as a TemplateError', () => {
    const failing = createTemplateEngine({ filters: { boom: () => { throw new Error('폭발'); } } });
    expectTemplateError(() => failing.renderString('{{ x | boom }}', { x: 1 }), /폭발/);
  });

  it('lets a PromptTemplate render in the engine environment', () => {
    const template = new PromptTemplate('{{ name | shout }} {{ today }}', { environment: engine.environment });
    expect(template.inputVariables).toEqual(['name']);
    expect(template.render({ name: '지수' })).toBe('지수! 월요일');
  });
});
