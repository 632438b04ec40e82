import { PromptTemplate } from './prompt-template.js';
import { TemplateError } from './template-error.js';

/** The names of the built-in prompts. */
export type BuiltinPromptName = 'rag' | 'react' | 'summarize' | 'translate' | 'classify';

const SOURCES: Record<BuiltinPromptName, string> = {
  // context: a string, or a list of strings / { content, source } documents.
  rag: `Answer the question using only the context below. If the context does not contain the answer, say that you do not know. Answer in the language of the question.

Context:
{% if context is string %}{{ context }}
{% else %}{% for doc in context %}[{{ loop.index }}]{% if doc.source %} ({{ doc.source }}){% endif %} {{ doc.content if doc.content is defined else doc }}
{% endfor %}{% endif %}
Question: {{ question }}
Answer:`,

  // tools: a list of { name, description }; scratchpad: the Thought/Action/Observation lines so far.
  react: `Answer the following question as well as you can. You have access to these tools:

{% for tool in tools %}- {{ tool.name }}: {{ tool.description }}
{% endfor %}
Use this format:

Question: the question you must answer
Thought: think about what to do next
Action: the tool to use, one of [{% for tool in tools %}{{ tool.name }}{% if not loop.last %}, {% endif %}{% endfor %}]
Action Input: the input to the tool, as JSON
Observation: the result of the tool
... (Thought/Action/Action Input/Observation can repeat)
Thought: I now know the final answer
Final Answer: the answer to the question

Begin!

Question: {{ question }}
{% if scratchpad %}{{ scratchpad }}
{% endif %}Thought:`,

  summarize: `Summarize the following text{% if maxWords %} in at most {{ maxWords }} words{% endif %}{% if language %}, written in {{ language }}{% endif %}. Keep the key facts, names and numbers; add nothing that is not in the text.

Text:
{{ text }}

Summary:`,

  translate: `Translate the following text{% if sourceLanguage %} from {{ sourceLanguage }}{% endif %} into {{ targetLanguage }}. Keep the meaning, tone and formatting; reply with the translation only.

Text:
{{ text }}`,

  classify: `Classify the text into exactly one of these categories:
{% for category in categories %}- {{ category }}
{% endfor %}{% if instructions %}
{{ instructions }}
{% endif %}
Reply with the category name only.

Text:
{{ text }}

Category:`,
};

/**
 * The built-in prompts by name: `rag` (context, question), `react` (tools, question, scratchpad?), `summarize`
 * (text, maxWords?, language?), `translate` (text, targetLanguage, sourceLanguage?), `classify` (text, categories,
 * instructions?).
 * @example
 * builtinPrompts.translate.render({ text: '안녕하세요', targetLanguage: 'English' });
 */
export const builtinPrompts: Readonly<Record<BuiltinPromptName, PromptTemplate>> = Object.freeze(
  Object.fromEntries(
    Object.entries(SOURCES).map(([name, source]) => [name, new PromptTemplate(source, { format: 'jinja2', name: `builtin:${name}` })]),
  ) as Record<BuiltinPromptName, PromptTemplate>,
);

/** A built-in prompt by name; an unknown name throws a {@link TemplateError} listing the known ones. */
export function getBuiltinPrompt(name: BuiltinPromptName): PromptTemplate {
  if (!Object.hasOwn(builtinPrompts, name)) {
    throw new TemplateError(`There is no built-in prompt ${JSON.stringify(name)}. Use one of: ${Object.keys(builtinPrompts).join(', ')}.`);
  }
  return builtinPrompts[name];
}
