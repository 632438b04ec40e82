import { describe, expect, it } from 'vitest';
import { findJinjaVariables } from './jinja-variables.js';
import { TemplateError } from './template-error.js';

const vars = (source: string, globals?: string[]) => findJinjaVariables(source, { globals });

describe('findJinjaVariables', () => {
  it('finds free variables in order of first use, without duplicates', () => {
    expect(vars('{{ b }} {{ a }} {{ b }} {{ c.d.e }} {{ f[g] }}')).toEqual({ required: ['b', 'a', 'c', 'f', 'g'], optional: [] });
  });

  it('does not count loop variables, loop, tuple targets or else branches wrongly', () => {
    expect(vars('{% for k, v in pairs %}{{ k }}={{ v }}{{ loop.index }}{% else %}{{ empty }}{% endfor %}{{ k }}')).toEqual({
      required: ['pairs', 'empty', 'k'],
      optional: [],
    });
  });

  it('uses an outer variable inside a nested loop', () => {
    expect(vars('{% for row in rows %}{% for cell in row %}{{ cell }}{{ sep }}{% endfor %}{% endfor %}').required).toEqual(['rows', 'sep']);
  });

  it('does not count set targets after the set, but does before it', () => {
    expect(vars('{{ total }}{% set total = price * count %}{{ total }}').required).toEqual(['total', 'price', 'count']);
    expect(vars('{% set block %}{{ inner }}{% endset %}{{ block }}').required).toEqual(['inner']);
  });

  it('does not count filter names, test names, dict keys or keyword argument names', () => {
    expect(vars('{{ name | upper | replace(old, "x") }}{{ {키: value} }}{{ range(1, n) }}{{ x is divisibleby(step) }}').required).toEqual([
      'name',
      'old',
      'value',
      'n',
      'x',
      'step',
    ]);
  });

  it('treats macro arguments, caller and imports as bound', () => {
    const source = `{% macro item(label, mark="-") %}{{ mark }} {{ label }}{{ suffix }}{{ caller() if caller else "" }}{% endmacro %}
{% import "forms.j2" as forms %}{% from "util.j2" import helper, other as alias %}
{{ item(title) }}{{ forms.input(field) }}{{ helper() }}{{ alias() }}`;
    expect(vars(source).required).toEqual(['suffix', 'title', 'field']);
  });

  it('marks presence-checked variables optional', () => {
    expect(vars('{% if a %}{{ a }}{% endif %}{% if not b and c %}x{% endif %}{{ d | default("none") }}{{ e is defined }}{{ f }}')).toEqual({
      required: ['f'],
      optional: ['a', 'b', 'c', 'd', 'e'],
    });
    expect(vars('{% if user.name %}{{ user.name }}{% endif %}').required).toEqual(['user']);
  });

  it('leaves out globals and built-in globals', () => {
    expect(vars('{{ today }}{{ range(3) | join(",") }}{{ cycler(1, 2).next() }}{{ q }}', ['today']).required).toEqual(['q']);
  });

  it('follows literal includes through the resolver, with the includer’s loop variables bound', () => {
    const files: Record<string, string> = { 'row.j2': '{{ item }}{{ unit }}', 'base.j2': '{{ title }}{% block body %}{% endblock %}' };
    const resolve = (name: string) => (files[name] === undefined ? undefined : { name, source: files[name] });
    expect(findJinjaVariables('{% for item in items %}{% include "row.j2" %}{% endfor %}', { resolve }).required).toEqual(['items', 'unit']);
    expect(findJinjaVariables('{% extends "base.j2" %}{% block body %}{{ body }}{% endblock %}', { resolve }).required).toEqual(['title', 'body']);
    const cyclic = { 'a.j2': '{{ x }}{% include "a.j2" %}' } as Record<string, string>;
    expect(findJinjaVariables('{% include "a.j2" %}', { resolve: (n) => ({ name: n, source: cyclic[n] }) }).required).toEqual(['x']);
  });

  it('throws a TemplateError on a syntax error', () => {
    expect(() => vars('{{ unclosed ')).toThrow(TemplateError);
  });
});
