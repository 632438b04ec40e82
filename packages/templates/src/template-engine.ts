import { PromptTemplate } from './prompt-template.js';
import { TemplateEnvironment, type TemplateEnvironmentOptions } from './template-environment.js';

/** Options of {@link createTemplateEngine}. */
export type TemplateEngineOptions = TemplateEnvironmentOptions;

/** Renders jinja2 templates from a folder, with custom filters and globals. */
export interface TemplateEngine {
  /** The environment the engine's templates render in (pass it to `new PromptTemplate(src, { environment })`). */
  readonly environment: TemplateEnvironment;
  /** Renders the template file `name` (relative to `directory`). */
  render(name: string, vars?: Record<string, unknown>): string;
  /** Renders a template given as text; it may include and import the folder's templates. */
  renderString(source: string, vars?: Record<string, unknown>): string;
  /** Loads the template file `name` as a {@link PromptTemplate}, e.g. to pass as a `systemPrompt`. */
  getTemplate(name: string): PromptTemplate;
}

/**
 * Creates a jinja2 template engine over a folder. Template names can never leave it (`../x`, absolute paths and
 * symlinks pointing outside throw a `TemplateError`); includes, imports, macros and extends work; autoescape is off.
 * @example
 * const engine = createTemplateEngine({ directory: './prompts', filters: { shout: (s: string) => s.toUpperCase() } });
 * engine.render('answer.j2', { question: '서울의 인구는?' });
 */
export function createTemplateEngine(options: TemplateEngineOptions = {}): TemplateEngine {
  const environment = new TemplateEnvironment(options);
  const templates = new Map<string, PromptTemplate>();

  const getTemplate = (name: string): PromptTemplate => {
    const cached = options.noCache ? undefined : templates.get(name);
    if (cached) return cached;
    const template = new PromptTemplate(environment.readTemplate(name), { format: 'jinja2', name, environment });
    if (!options.noCache) templates.set(name, template);
    return template;
  };

  return {
    environment,
    getTemplate,
    render: (name, vars = {}) => getTemplate(name).render(vars),
    renderString: (source, vars = {}) => new PromptTemplate(source, { format: 'jinja2', environment }).render(vars),
  };
}
