import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ILoader, LoaderSource } from 'nunjucks';
import { TemplateError } from './template-error.js';

/**
 * A nunjucks loader that serves templates from one folder and nothing outside it: absolute names, `..` segments
 * and symlinks whose target lies outside the folder are refused with a {@link TemplateError}.
 */
export class FolderLoader implements ILoader {
  /** The folder's real path (symlinks resolved). */
  readonly root: string;
  /** The last refusal, kept because nunjucks re-wraps loader errors as plain Errors. */
  violation: TemplateError | undefined;
  private readonly noCache: boolean;

  constructor(directory: string, options: { noCache?: boolean } = {}) {
    let root: string;
    try {
      root = realpathSync(path.resolve(directory));
    } catch (error) {
      throw new TemplateError(`The template directory ${directory} does not exist. Create it or pass an existing folder as \`directory\`.`, { cause: error });
    }
    if (!statSync(root).isDirectory()) {
      throw new TemplateError(`The template directory ${directory} is not a folder. Pass a folder as \`directory\`.`);
    }
    this.root = root;
    this.noCache = options.noCache ?? false;
  }

  /** Maps a template name to its file inside the folder, or throws when the name would leave it. */
  locate(name: string): string | undefined {
    if (typeof name !== 'string' || name === '' || name.includes('\0')) throw this.refuse(name, 'is not a template name');
    if (path.isAbsolute(name) || path.win32.isAbsolute(name)) throw this.refuse(name, 'is an absolute path');
    const segments = name.split(/[\\/]/);
    if (segments.includes('..')) throw this.refuse(name, "contains '..'");
    const file = path.resolve(this.root, ...segments);
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      return undefined;
    }
    if (!isInside(this.root, real)) throw this.refuse(name, `resolves (through a symlink) to ${real}`);
    return real;
  }

  /** Reads a template's source, or undefined when there is no such file. */
  read(name: string): string | undefined {
    const file = this.locate(name);
    if (!file || !statSync(file).isFile()) return undefined;
    return readFileSync(file, 'utf8');
  }

  /** nunjucks' loader hook: the source of `name`, or null when there is no such file. */
  getSource(name: string): LoaderSource {
    const src = this.read(name);
    // nunjucks' own loaders return null for "not found"; its types say otherwise.
    return (src === undefined ? null : { src, path: name, noCache: this.noCache }) as LoaderSource;
  }

  /** Whether a name is relative to the including template (`./x`, `../x`). */
  isRelative(name: string): boolean {
    return name.startsWith('./') || name.startsWith('../');
  }

  /** Resolves a relative name against the including template's name (never its absolute path). */
  resolve(from: string, to: string): string {
    return path.posix.join(path.posix.dirname(from), to);
  }

  private refuse(name: string, why: string): TemplateError {
    this.violation = new TemplateError(
      `The template name ${JSON.stringify(name)} ${why}: templates are loaded only from inside ${this.root}. Use a name relative to that folder.`,
      { templateName: String(name) },
    );
    return this.violation;
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
