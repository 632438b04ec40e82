import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fStringVariables, parseFString, renderFString } from './f-string.js';
import { TemplateError } from './template-error.js';
import { TemplateEnvironment, defaultTemplateEnvironment, type CompiledTemplate } from './template-environment.js';

/** The two template syntaxes: Jinja2 (`{{ name }}`, `{% for %}`) and Python's `str.format` (`{name}`). */
export type TemplateFormat = 'jinja2' | 'f-string';

/** Options of a {@link PromptTemplate}. */
export interface PromptTemplateOptions {
  /** The syntax. Default: 'jinja2' when the source contains `{{`, `{%` or `{#`, else 'f-string'. */
  format?: TemplateFormat;
  /** The variables a render must get. Default: detected from the source. */
  inputVariables?: string[];
  /** Values filled in ahead of time; a function is called at each render (e.g. today's date). */
  partialVariables?: Record<string, unknown>;
  /** A name for error messages (a file name, a prompt name). */
  name?: string;
  /** Where jinja2 templates render: filters, globals and the include folder. Default: autoescape off, no folder. */
  environment?: TemplateEnvironment;
}

/** The JSON form of a {@link PromptTemplate} (`toJSON()` / `PromptTemplate.fromJSON()`). */
export interface PromptTemplateJSON {
  type: 'prompt-template';
  format: TemplateFormat;
  source: string;
  inputVariables: string[];
  partialVariables: Record<string, unknown>;
  name?: string;
}

const JINJA_MARKERS = /\{\{|\{%|\{#/;
const JINJA_EXTENSIONS = new Set(['.j2', '.jinja', '.jinja2']);

/** The syntax a source is written in: jinja2 when it has `{{`, `{%` or `{#`, else f-string. */
export function detectTemplateFormat(source: string): TemplateFormat {
  return JINJA_MARKERS.test(source) ? 'jinja2' : 'f-string';
}

/**
 * A prompt with variables, in Jinja2 or f-string syntax. It has `render(vars)`, so core takes it wherever it takes a
 * prompt (`systemPrompt`, the `prompt` option, chain steps). A render missing variables throws a
 * {@link TemplateError} naming each of them.
 * @example
 * const t = new PromptTemplate('당신은 {{ role }}입니다. {{ request }}');
 * t.inputVariables; // ['role', 'request']
 * t.render({ role: '요리사', request: '파스타 만드는 법' });
 */
export class PromptTemplate {
  /** The template text as given. */
  readonly source: string;
  /** The syntax of `source`. */
  readonly templateFormat: TemplateFormat;
  /** The variables a render must get (partial variables excluded). */
  readonly inputVariables: readonly string[];
  /** Jinja2 variables the template checks for (`{% if x %}`, `x is defined`, `x | default`): may be left out. */
  readonly optionalVariables: readonly string[];
  /** Values filled in by `partial()`. */
  readonly partialVariables: Readonly<Record<string, unknown>>;
  /** The name used in error messages. */
  readonly name?: string;
  private readonly environment: TemplateEnvironment;
  private readonly renderer: (vars: Record<string, unknown>) => string;

  constructor(source: string, options: PromptTemplateOptions = {}) {
    if (typeof source !== 'string') {
      throw new TemplateError(`A PromptTemplate needs the template text as a string, got ${source === null ? 'null' : typeof source}.`);
    }
    const format = options.format ?? detectTemplateFormat(source);
    if (format !== 'jinja2' && format !== 'f-string') {
      throw new TemplateError(`Unknown template format ${JSON.stringify(format)}. Use 'jinja2' or 'f-string'.`, { templateName: options.name });
    }
    this.source = source;
    this.templateFormat = format;
    this.name = options.name;
    this.environment = options.environment ?? defaultTemplateEnvironment;
    this.partialVariables = Object.freeze({ ...(options.partialVariables ?? {}) });

    let detected: { required: string[]; optional: string[] };
    if (format === 'f-string') {
      const parts = parseFString(source, options.name);
      detected = { required: fStringVariables(parts), optional: [] };
      this.renderer = (vars) => renderFString(parts, vars);
    } else {
      detected = this.environment.variables(source, options.name);
      const compiled: CompiledTemplate = this.environment.compile(source, options.name);
      this.renderer = (vars) => compiled.render(vars);
    }
    const required = options.inputVariables ? checkNames(options.inputVariables, options.name) : detected.required;
    this.inputVariables = Object.freeze(required.filter((v) => !(v in this.partialVariables)));
    this.optionalVariables = Object.freeze(detected.optional.filter((v) => !(v in this.partialVariables) && !required.includes(v)));
  }

  /** Renders the template. Throws a {@link TemplateError} naming every missing input variable. */
  render(vars: Record<string, unknown> = {}): string {
    if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
      throw new TemplateError(`render() takes an object of variables, e.g. render({ ${this.inputVariables[0] ?? 'name'}: ... }).`, { templateName: this.name });
    }
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.partialVariables)) values[key] = typeof value === 'function' ? value() : value;
    for (const [key, value] of Object.entries(vars)) if (value !== undefined) values[key] = value;
    const missing = this.inputVariables.filter((v) => values[v] === undefined);
    if (missing.length > 0) {
      const where = this.name ? ` ${this.name}` : '';
      const list = missing.map((v) => JSON.stringify(v)).join(', ');
      throw new TemplateError(
        `The template${where} is missing ${missing.length === 1 ? 'the variable' : `${missing.length} variables`}: ${list}. ` +
          `Pass ${missing.length === 1 ? 'it' : 'them'} to render() or fill ${missing.length === 1 ? 'it' : 'them'} with partial().`,
        { missingVariables: missing, templateName: this.name },
      );
    }
    return this.renderer(values);
  }

  /** The same as {@link render} (LangChain's name). */
  format(vars: Record<string, unknown> = {}): string {
    return this.render(vars);
  }

  /** A new template with some variables filled in; they leave `inputVariables`. */
  partial(vars: Record<string, unknown>): PromptTemplate {
    return new PromptTemplate(this.source, {
      format: this.templateFormat,
      inputVariables: [...this.inputVariables],
      partialVariables: { ...this.partialVariables, ...vars },
      name: this.name,
      environment: this.environment,
    });
  }

  /** The JSON form. Throws when a partial variable is a function (functions cannot be saved). */
  toJSON(): PromptTemplateJSON {
    for (const [key, value] of Object.entries(this.partialVariables)) {
      if (typeof value === 'function') {
        throw new TemplateError(`The partial variable ${JSON.stringify(key)} is a function and cannot be saved as JSON. Pass its value to partial() instead.`, { templateName: this.name });
      }
    }
    return {
      type: 'prompt-template',
      format: this.templateFormat,
      source: this.source,
      inputVariables: [...this.inputVariables],
      partialVariables: { ...this.partialVariables },
      ...(this.name === undefined ? {} : { name: this.name }),
    };
  }

  /** Rebuilds a template from `toJSON()` output (an object or its JSON text). */
  static fromJSON(json: PromptTemplateJSON | string, options: { environment?: TemplateEnvironment } = {}): PromptTemplate {
    let data: unknown = json;
    if (typeof json === 'string') {
      try {
        data = JSON.parse(json);
      } catch (error) {
        throw new TemplateError(`PromptTemplate.fromJSON() got text that is not JSON: ${(error as Error).message}.`, { cause: error });
      }
    }
    const d = data as Partial<PromptTemplateJSON> | null;
    if (!d || typeof d !== 'object' || d.type !== 'prompt-template' || typeof d.source !== 'string' || !Array.isArray(d.inputVariables)) {
      throw new TemplateError('PromptTemplate.fromJSON() needs an object from toJSON(): { type: "prompt-template", format, source, inputVariables, partialVariables }.');
    }
    return new PromptTemplate(d.source, {
      format: d.format,
      inputVariables: d.inputVariables,
      partialVariables: d.partialVariables ?? {},
      name: d.name,
      environment: options.environment,
    });
  }

  /**
   * Loads a template file (UTF-8). `.j2`, `.jinja` and `.jinja2` files are jinja2; others (`.txt`) are detected.
   * A jinja2 file's includes load from its own folder unless `environment` says otherwise.
   */
  static fromFile(file: string, options: Omit<PromptTemplateOptions, 'name'> = {}): PromptTemplate {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      throw new TemplateError(`Cannot read the template file ${file}: ${(error as Error).message}. Check the path.`, { cause: error, templateName: file });
    }
    const format = options.format ?? (JINJA_EXTENSIONS.has(path.extname(file).toLowerCase()) ? 'jinja2' : detectTemplateFormat(source));
    const environment = options.environment ?? (format === 'jinja2' ? new TemplateEnvironment({ directory: path.dirname(file) }) : undefined);
    return new PromptTemplate(source, { ...options, format, environment, name: path.basename(file) });
  }
}

function checkNames(names: unknown, templateName?: string): string[] {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) {
    throw new TemplateError('`inputVariables` must be an array of variable names (non-empty strings).', { templateName });
  }
  return [...new Set(names as string[])];
}
