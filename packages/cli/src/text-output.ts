import { writeOut, type CliOutput } from './cli-io.js';

/** Where streamed answer text goes: plain (piped) or rendered as terminal markdown (a TTY). */
export interface TextSink {
  write(text: string): Promise<void>;
  /** Writes what is still buffered and ends with a newline when the text did not. */
  end(): Promise<void>;
}

type RenderMarkdown = (markdown: string) => string;

/** Loads marked + marked-terminal (only when a TTY needs them: they are not light) and returns a renderer. */
export async function loadMarkdownRenderer(width?: number): Promise<RenderMarkdown> {
  const [{ Marked }, { markedTerminal }] = await Promise.all([import('marked'), import('marked-terminal')]);
  const marked = new Marked(markedTerminal({ width: width ? Math.min(width, 120) : 80, reflowText: true, emoji: false }));
  return (markdown) => marked.parse(markdown, { async: false }).replace(/\n+$/, '');
}

/** The end of the first complete markdown block (a blank line outside a code fence), or -1. */
export function completeBlockEnd(text: string): number {
  let from = 0;
  for (;;) {
    const end = text.indexOf('\n\n', from);
    if (end < 0) return -1;
    const fences = text.slice(0, end).match(/^ {0,3}(?:```|~~~)/gm)?.length ?? 0;
    if (fences % 2 === 0) return end;
    from = end + 2;
  }
}

/** Streams text through unchanged. */
class PlainSink implements TextSink {
  private last = '\n';
  constructor(private readonly out: CliOutput) {}
  async write(text: string): Promise<void> {
    if (!text) return;
    this.last = text;
    await writeOut(this.out, text);
  }
  async end(): Promise<void> {
    if (!this.last.endsWith('\n')) await writeOut(this.out, '\n');
    this.last = '\n';
  }
}

/** Renders markdown block by block as the blocks complete, so a streamed answer still appears while it arrives. */
class MarkdownSink implements TextSink {
  private buffer = '';
  private wrote = false;
  constructor(private readonly out: CliOutput, private readonly render: RenderMarkdown) {}
  async write(text: string): Promise<void> {
    this.buffer += text;
    for (let end = completeBlockEnd(this.buffer); end >= 0; end = completeBlockEnd(this.buffer)) {
      await this.emit(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2).replace(/^\n+/, '');
    }
  }
  async end(): Promise<void> {
    if (this.buffer.trim()) await this.emit(this.buffer);
    this.buffer = '';
    this.wrote = false;
  }
  private async emit(block: string): Promise<void> {
    if (!block.trim()) return;
    await writeOut(this.out, `${this.wrote ? '\n' : ''}${this.render(block)}\n`);
    this.wrote = true;
  }
}

/**
 * A sink for answer text on `out`: terminal markdown when `out` is a TTY (or `markdown: true`), plain text when piped.
 * @example const sink = await createTextSink(io.stdout); await sink.write('# 제목\n\n본문'); await sink.end();
 */
export async function createTextSink(out: CliOutput, options: { markdown?: boolean } = {}): Promise<TextSink> {
  const markdown = options.markdown ?? !!out.isTTY;
  return markdown ? new MarkdownSink(out, await loadMarkdownRenderer(out.columns)) : new PlainSink(out);
}
