import { ConfigurationError, type LLMErrorOptions } from '@llm/core';

/** Options of a {@link TemplateError}. */
export interface TemplateErrorOptions extends LLMErrorOptions {
  /** The variables a render was missing, in template order. */
  missingVariables?: string[];
  /** The template's name or file, when it has one. */
  templateName?: string;
}

/**
 * A template could not be parsed, loaded or rendered: a syntax error, a missing variable, a template name that
 * leaves its folder. `missingVariables` lists every variable a render lacked.
 * @example
 * try { template.render({}) } catch (e) { if (TemplateError.isInstance(e)) console.log(e.missingVariables) }
 */
export class TemplateError extends ConfigurationError {
  static override readonly errorName = 'TemplateError';
  /** The variables a render was missing (empty for other failures). */
  readonly missingVariables: string[];
  /** The template's name or file, when it has one. */
  readonly templateName?: string;

  constructor(message: string, options: TemplateErrorOptions = {}) {
    super(message, options);
    this.missingVariables = options.missingVariables ?? [];
    this.templateName = options.templateName;
  }
}
