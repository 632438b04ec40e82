import type { AskOptions } from './llm-options.js';
import { renderPrompt, type PromptLike } from './prompt.js';
import type { Reply } from './reply.js';

/** How a chain step turns the previous output into its prompt. */
export interface PipeOptions {
  /** The step's prompt; `{input}` is the previous step's text, `{<outputKey>}` any earlier step's text. */
  prompt?: PromptLike;
  /** The name this step's text is kept under in `values`. */
  outputKey?: string;
}

/** One step of a chain. */
export interface ChainStep extends PipeOptions {
  llm: { ask(input: string, options?: AskOptions): Promise<Reply> };
}

/** The result of a chain: the last reply's text, every step's reply, and the named outputs. */
export interface ChainResult {
  text: string;
  reply: Reply;
  replies: Reply[];
  values: Record<string, string>;
  toString(): string;
}

/**
 * Sequential LLM steps, as the Python `llm1 | llm2` chain: each step's text feeds the next step's prompt.
 * @example
 * const chain = outline.pipe(draft, { prompt: '개요를 바탕으로 초안을 쓰세요:\n{outline}' }).pipe(polish, { prompt: '다듬으세요:\n{input}' });
 */
export class Chain {
  constructor(readonly steps: ChainStep[]) {}

  /** Adds a step. */
  pipe(next: ChainStep['llm'], options: PipeOptions = {}): Chain {
    return new Chain([...this.steps, { llm: next, ...options }]);
  }

  /** Runs every step in order. */
  async ask(input: string, options: AskOptions = {}): Promise<ChainResult> {
    const values: Record<string, string> = { input };
    const replies: Reply[] = [];
    let current = input;
    for (const [index, step] of this.steps.entries()) {
      const prompt = step.prompt ? renderPrompt(step.prompt, { ...options.context, ...values, input: current }) : current;
      const reply = await step.llm.ask(prompt, { ...options, context: undefined });
      replies.push(reply);
      current = reply.text;
      values[step.outputKey ?? `step${index + 1}`] = current;
    }
    const reply = replies[replies.length - 1];
    return { text: current, reply, replies, values, toString: () => current };
  }
}
