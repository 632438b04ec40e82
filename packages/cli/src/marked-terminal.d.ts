// marked-terminal ships no types; this is the part the CLI uses.
declare module 'marked-terminal' {
  import type { MarkedExtension } from 'marked';

  /** Options of marked-terminal's renderer (the ones the CLI sets). */
  export interface TerminalRendererOptions {
    width?: number;
    reflowText?: boolean;
    tab?: number;
    emoji?: boolean;
  }

  /** A marked extension that renders markdown for a terminal (ANSI styles). */
  export function markedTerminal(options?: TerminalRendererOptions, highlightOptions?: Record<string, unknown>): MarkedExtension;
}
