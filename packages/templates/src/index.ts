export { TemplateError, type TemplateErrorOptions } from './template-error.js';
export {
  PromptTemplate,
  detectTemplateFormat,
  type PromptTemplateJSON,
  type PromptTemplateOptions,
  type TemplateFormat,
} from './prompt-template.js';
export {
  TemplateEnvironment,
  defaultTemplateEnvironment,
  type CompiledTemplate,
  type TemplateEnvironmentOptions,
  type TemplateFilter,
} from './template-environment.js';
export { createTemplateEngine, type TemplateEngine, type TemplateEngineOptions } from './template-engine.js';
export { builtinPrompts, getBuiltinPrompt, type BuiltinPromptName } from './builtin-prompts.js';
