import nunjucks, { type Environment } from 'nunjucks';
import { FolderLoader } from './folder-loader.js';
import { findJinjaVariables, parseJinja, type JinjaVariables, type ParseOptions } from './jinja-variables.js';
import { TemplateError } from './template-error.js';

/** A custom filter: receives the piped value and the filter's arguments. */
export type TemplateFilter = (value: any, ...args: any[]) => unknown;

/** Options of a {@link TemplateEnvironment}. */
export interface TemplateEnvironmentOptions {
  /** Folder that `{% include %}`, `{% import %}` and `{% extends %}` load from. Names never leave it. */
  directory?: string;
  /** Custom filters by name, used as `{{ text | shout }}`. */
  filters?: Record<string, TemplateFilter>;
  /** Values and functions every template sees; never counted as input variables. */
  globals?: Record<string, unknown>;
  /** Drop the first newline after a block tag (Jinja2's `trim_blocks`). Default false. */
  trimBlocks?: boolean;
  /** Strip whitespace before a block tag on its line (Jinja2's `lstrip_blocks`). Default false. */
  lstripBlocks?: boolean;
  /** Re-read template files on every load instead of caching them. Default false. */
  noCache?: boolean;
}

/** A compiled jinja2 template bound to its environment. */
export interface CompiledTemplate {
  render(vars: Record<string, unknown>): string;
}

/**
 * The nunjucks environment jinja2 templates render in: autoescape OFF (prompts are not HTML, so `<`, `&` and
 * quotes reach the model as written), plus optional folder, filters and globals. `createTemplateEngine` makes
 * one; pass it as `environment` to a `PromptTemplate` to render with its filters and includes.
 */
export class TemplateEnvironment {
  private readonly nunjucks: Environment;
  private readonly loader?: FolderLoader;
  private readonly globalNames: string[];
  private readonly parseOptions: ParseOptions;

  constructor(options: TemplateEnvironmentOptions = {}) {
    this.loader = options.directory === undefined ? undefined : new FolderLoader(options.directory, { noCache: options.noCache });
    this.parseOptions = { trimBlocks: options.trimBlocks ?? false, lstripBlocks: options.lstripBlocks ?? false };
    this.nunjucks = new nunjucks.Environment(this.loader ?? null, { autoescape: false, throwOnUndefined: false, ...this.parseOptions });
    for (const [name, filter] of Object.entries(options.filters ?? {})) {
      if (typeof filter !== 'function') throw new TemplateError(`The filter ${JSON.stringify(name)} is not a function. Pass (value, ...args) => result.`);
      this.nunjucks.addFilter(name, filter);
    }
    for (const [name, value] of Object.entries(options.globals ?? {})) this.nunjucks.addGlobal(name, value);
    this.globalNames = Object.keys(options.globals ?? {});
  }

  /** The folder templates load from, when the environment has one. */
  get directory(): string | undefined {
    return this.loader?.root;
  }

  /** The free variables of a source, following literal includes into the folder. */
  variables(source: string, templateName?: string): JinjaVariables {
    const loader = this.loader;
    return findJinjaVariables(source, {
      templateName,
      globals: this.globalNames,
      parse: this.parseOptions,
      resolve: loader && ((name, parent) => this.resolveSource(loader, name, parent)),
    });
  }

  /** Compiles a source now, so a syntax error surfaces where the template is made. */
  compile(source: string, templateName?: string): CompiledTemplate {
    parseJinja(source, templateName, this.parseOptions);
    const template = this.guard(templateName, () => new nunjucks.Template(source, this.nunjucks, templateName, true));
    return { render: (vars) => this.guard(templateName, () => template.render(vars)) };
  }

  /** Reads a template's source from the folder; throws when the name leaves it or the file is missing. */
  readTemplate(name: string): string {
    if (!this.loader) throw new TemplateError(`Cannot load template ${JSON.stringify(name)}: this environment has no \`directory\`.`, { templateName: name });
    const source = this.loader.read(name);
    if (source === undefined) {
      throw new TemplateError(`The template ${JSON.stringify(name)} does not exist in ${this.loader.root}. Check the name.`, { templateName: name });
    }
    return source;
  }

  private resolveSource(loader: FolderLoader, name: string, parent: string | undefined): { name: string; source: string } | undefined {
    const resolved = parent && loader.isRelative(name) ? loader.resolve(parent, name) : name;
    try {
      const source = loader.read(resolved);
      return source === undefined ? undefined : { name: resolved, source };
    } catch {
      return undefined; // a bad name fails at render time with the loader's own error
    }
  }

  /** Runs nunjucks, mapping its errors (and the loader's refusals it swallows) to {@link TemplateError}. */
  private guard<T>(templateName: string | undefined, run: () => T): T {
    if (this.loader) this.loader.violation = undefined;
    try {
      return run();
    } catch (error) {
      const violation = this.loader?.violation;
      if (violation) throw violation;
      if (TemplateError.isInstance(error)) throw error;
      const detail = error instanceof Error ? error.message.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim() : String(error);
      const where = templateName ? ` ${templateName}` : '';
      throw new TemplateError(`Rendering the jinja2 template${where} failed: ${detail}`, { cause: error, templateName });
    }
  }
}

/** The environment of templates made without one: no folder, no custom filters, autoescape off. */
export const defaultTemplateEnvironment = new TemplateEnvironment();
