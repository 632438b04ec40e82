import { TemplateError } from './template-error.js';

/** One piece of a parsed f-string template: literal text or a `{name}` placeholder with its access path. */
type FStringPart = { text: string } | { variable: string; path: (string | number)[]; raw: string };

// A field name is anything but braces, access punctuation and whitespace, so `{언어}` works as Python's does.
const FIELD = /^([^{}!:.[\]\s]+)((?:\.[^{}!:.[\]\s]+|\[[^\]{}]+\])*)$/u;
const ACCESS = /\.([^{}!:.[\]\s]+)|\[([^\]{}]+)\]/gu;

/** Parses a Python `str.format` style template: `{name}`, `{obj.attr}`, `{list[0]}`; `{{` and `}}` are braces. */
export function parseFString(source: string, templateName?: string): FStringPart[] {
  const parts: FStringPart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '{' && source[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (ch === '}' && source[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (ch === '}') {
      throw fail(`a single '}' at offset ${i}`, 'write }} for a literal brace', templateName);
    } else if (ch === '{') {
      const end = source.indexOf('}', i + 1);
      const inner = end < 0 ? '' : source.slice(i + 1, end);
      if (end < 0 || inner.includes('{')) throw fail(`an unclosed '{' at offset ${i}`, 'close it or write {{ for a literal brace', templateName);
      if (text) parts.push({ text });
      text = '';
      parts.push(parsePlaceholder(inner, templateName));
      i = end + 1;
    } else {
      text += ch;
      i += 1;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

function parsePlaceholder(inner: string, templateName?: string): FStringPart {
  const field = inner.trim();
  if (field === '') throw fail(`an empty placeholder {}`, 'name it, e.g. {question}', templateName);
  if (/[!:]/.test(field)) {
    throw fail(`the placeholder {${inner}} uses a conversion or format spec`, 'format the value before rendering, or use a jinja2 template', templateName);
  }
  const match = FIELD.exec(field);
  if (!match) throw fail(`the placeholder {${inner}} is not a variable name`, 'use {name}, {name.attr} or {name[0]}', templateName);
  const path: (string | number)[] = [];
  for (const access of match[2].matchAll(ACCESS)) {
    const key = access[1] ?? access[2];
    path.push(access[2] !== undefined && /^\d+$/.test(key) ? Number(key) : key);
  }
  return { variable: match[1], path, raw: field };
}

function fail(what: string, fix: string, templateName?: string): TemplateError {
  const where = templateName ? ` in ${templateName}` : '';
  return new TemplateError(`The f-string template${where} has ${what}: ${fix}.`, { templateName });
}

/** The variables an f-string template uses, in order of first use, without duplicates. */
export function fStringVariables(parts: FStringPart[]): string[] {
  const names = new Set<string>();
  for (const part of parts) if ('variable' in part) names.add(part.variable);
  return [...names];
}

/** Renders parsed f-string parts. Strings go in as given; objects and arrays as JSON; null as an empty string. */
export function renderFString(parts: FStringPart[], vars: Record<string, unknown>): string {
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    let value: unknown = vars[part.variable];
    for (const key of part.path) value = value === null || value === undefined ? undefined : (value as Record<string | number, unknown>)[key];
    out += stringify(value);
  }
  return out;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const own = (value as { toString?: unknown }).toString;
    if (own !== Object.prototype.toString && own !== Array.prototype.toString && typeof own === 'function') return String(value);
    return JSON.stringify(value);
  }
  return String(value);
}
