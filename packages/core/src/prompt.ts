/** Anything with a `render(vars)` method (an `@llm/templates` PromptTemplate) or a plain string template. */
export type PromptLike = string | { render(vars: Record<string, unknown>): string };

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}|\{([^{}\s]+)\}/gu;

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Fills `{name}` and `{{ name }}` placeholders (dotted paths allowed, Korean names too) from `vars`.
 * Unknown names are left exactly as written, so braces in code samples survive.
 * @example renderTemplate('{언어}로 대화해요', { 언어: '영어' }) // '영어로 대화해요'
 */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (match, doubled: string | undefined, single: string | undefined) => {
    const value = lookup(vars, (doubled ?? single) as string);
    return value === undefined ? match : stringify(value);
  });
}

/** Renders a string or a template object with `vars`. */
export function renderPrompt(prompt: PromptLike, vars: Record<string, unknown>): string {
  if (typeof prompt === 'string') return Object.keys(vars).length ? renderTemplate(prompt, vars) : prompt;
  return prompt.render(vars);
}

/** Whether a value can be used as a prompt (a string or an object with `render`). */
export function isPromptLike(value: unknown): value is PromptLike {
  return typeof value === 'string' || (typeof value === 'object' && value !== null && typeof (value as { render?: unknown }).render === 'function');
}
