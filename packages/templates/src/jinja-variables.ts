import nunjucks from 'nunjucks';
import { TemplateError } from './template-error.js';

/** A node of nunjucks' parse tree (the parser API is untyped upstream). */
interface TemplateNode {
  typename: string;
  fields: string[];
  value?: unknown;
  children?: TemplateNode[];
  [field: string]: unknown;
}

const { parser } = nunjucks as unknown as { parser: { parse(src: string, extensions?: unknown[], opts?: ParseOptions): TemplateNode } };

/** Lexer options that change how a source is parsed. */
export interface ParseOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

/** Finds another template's source for `{% include %}` / `{% extends %}` with a literal name. */
export type TemplateSourceResolver = (name: string, parentName: string | undefined) => { name: string; source: string } | undefined;

/** The free variables of a jinja2 template: `optional` ones are presence-checked somewhere, `required` never. */
export interface JinjaVariables {
  required: string[];
  optional: string[];
}

/** Names nunjucks itself provides; never inputs. */
const BUILTIN_GLOBALS = ['range', 'cycler', 'joiner'];
/** Tests and filters whose use on a bare variable means "this may be absent". */
const PRESENCE_TESTS = new Set(['defined', 'undefined', 'none', 'null']);
const DEFAULT_FILTERS = new Set(['default', 'd']);

/** Parses a jinja2 source with nunjucks, turning its syntax errors into a {@link TemplateError}. */
export function parseJinja(source: string, templateName?: string, options: ParseOptions = {}): TemplateNode {
  try {
    return parser.parse(source, undefined, options);
  } catch (error) {
    const where = templateName ? ` ${templateName}` : '';
    const detail = error instanceof Error ? error.message.replace(/^Template render error:\s*/, '') : String(error);
    throw new TemplateError(`The jinja2 template${where} has a syntax error: ${detail}. Fix the template source.`, { cause: error, templateName });
  }
}

/**
 * The free variables of a jinja2 template, in order of first use. Loop variables, `set` targets, macro arguments,
 * imports and `globals` are not inputs. A variable the template checks for (`{% if x %}`, `x is defined`,
 * `x | default(...)`) anywhere is optional: its author planned for it to be absent. Includes and extends with literal names are followed through `resolve`.
 */
export function findJinjaVariables(
  source: string,
  options: { templateName?: string; globals?: string[]; resolve?: TemplateSourceResolver; parse?: ParseOptions } = {},
): JinjaVariables {
  const analyzer = new VariableAnalyzer(options.resolve, options.parse ?? {});
  const scope = [new Set([...BUILTIN_GLOBALS, ...(options.globals ?? [])])];
  analyzer.analyze(parseJinja(source, options.templateName, options.parse), scope, options.templateName);
  const required: string[] = [];
  const optional: string[] = [];
  for (const [name, outright] of analyzer.uses) (outright ? required : optional).push(name);
  return { required, optional };
}

type Scope = Set<string>[];

class VariableAnalyzer {
  /** name → true while no use of it is a presence check. Map order is first use. */
  readonly uses = new Map<string, boolean>();
  private readonly following = new Set<string>();
  private templateName: string | undefined;

  constructor(
    private readonly resolve: TemplateSourceResolver | undefined,
    private readonly parseOptions: ParseOptions,
  ) {}

  analyze(root: TemplateNode, scope: Scope, templateName: string | undefined): void {
    const previous = this.templateName;
    this.templateName = templateName;
    this.walk(root, scope);
    this.templateName = previous;
  }

  private use(name: string, scope: Scope, guarded: boolean): void {
    if (scope.some((frame) => frame.has(name))) return;
    this.uses.set(name, (this.uses.get(name) ?? true) && !guarded);
  }

  private walk(node: unknown, scope: Scope): void {
    if (Array.isArray(node)) {
      for (const child of node) this.walk(child, scope);
      return;
    }
    if (!isNode(node)) return;
    switch (node.typename) {
      case 'Symbol':
        return this.use(String(node.value), scope, false);
      case 'Literal':
      case 'TemplateData':
      case 'Super':
      case 'CallExtension':
      case 'CallExtensionAsync':
        return;
      case 'LookupVal':
        this.walk(node.target, scope);
        if (!isType(node.val, 'Literal')) this.walk(node.val, scope);
        return;
      case 'If':
      case 'IfAsync':
      case 'InlineIf':
        this.condition(node.cond, scope);
        this.walk(node.body, scope);
        return this.walk(node.else_, scope);
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        return this.loop(node, scope);
      case 'Macro':
      case 'Caller':
        return this.macro(node, scope);
      case 'Set':
        this.walk(node.value ?? node.body, scope);
        return this.bind(node.targets, scope);
      case 'Import':
        this.walk(node.template, scope);
        return this.bind(node.target, scope);
      case 'FromImport':
        this.walk(node.template, scope);
        for (const name of asNode(node.names)?.children ?? []) this.bind(isType(name, 'Pair') ? name.value : name, scope);
        return;
      case 'Filter':
      case 'FilterAsync':
        return this.filter(node, scope);
      case 'Is':
        return this.test(node, scope);
      case 'Dict':
      case 'KeywordArgs':
        for (const pair of node.children ?? []) {
          if (!isType(pair.key, 'Symbol')) this.walk(pair.key, scope);
          this.walk(pair.value, scope);
        }
        return;
      case 'Block':
        return this.walk(node.body, scope);
      case 'Include':
      case 'Extends':
        this.walk(node.template, scope);
        return this.follow(node.template, node.typename === 'Extends' ? [scope[0]] : scope);
      default:
        for (const field of node.fields) this.walk(node[field], scope);
    }
  }

  /** A condition: a bare variable (or `not x`, `a and b`) there is a presence check. */
  private condition(node: unknown, scope: Scope): void {
    if (isType(node, 'Symbol')) return this.use(String(node.value), scope, true);
    if (isType(node, 'Not')) return this.condition(node.target, scope);
    if (isType(node, 'And') || isType(node, 'Or')) {
      this.condition(node.left, scope);
      return this.condition(node.right, scope);
    }
    this.walk(node, scope);
  }

  private loop(node: TemplateNode, scope: Scope): void {
    this.walk(node.arr, scope);
    const inner = [...scope, new Set(['loop'])];
    this.bind(node.name, inner);
    this.walk(node.body, inner);
    this.walk(node.else_, scope);
  }

  private macro(node: TemplateNode, scope: Scope): void {
    if (node.typename === 'Macro') this.bind(node.name, scope);
    const inner = [...scope, new Set(['caller'])];
    for (const arg of asNode(node.args)?.children ?? []) {
      if (isType(arg, 'KeywordArgs')) {
        for (const pair of arg.children ?? []) {
          this.walk(pair.value, scope);
          this.bind(pair.key, inner);
        }
      } else this.bind(arg, inner);
    }
    this.walk(node.body, inner);
  }

  private filter(node: TemplateNode, scope: Scope): void {
    const args = asNode(node.args)?.children ?? [];
    const filterName = String(asNode(node.name)?.value ?? '');
    const [first, ...rest] = args;
    if (DEFAULT_FILTERS.has(filterName) && isType(first, 'Symbol')) {
      this.use(String(first.value), scope, true);
      return this.walk(rest, scope);
    }
    this.walk(args, scope);
  }

  private test(node: TemplateNode, scope: Scope): void {
    const right = asNode(node.right);
    const testName = String((right?.typename === 'FunCall' ? asNode(right.name)?.value : right?.value) ?? '');
    if (PRESENCE_TESTS.has(testName) && isType(node.left, 'Symbol')) this.use(String(node.left.value), scope, true);
    else this.walk(node.left, scope);
    if (isType(right, 'FunCall')) this.walk(right.args, scope);
  }

  private bind(target: unknown, scope: Scope): void {
    if (Array.isArray(target)) return target.forEach((t) => this.bind(t, scope));
    if (!isNode(target)) return;
    if (target.typename === 'Symbol') scope[scope.length - 1].add(String(target.value));
    else if (target.children) target.children.forEach((t) => this.bind(t, scope));
  }

  /** Follows a literal include/extends into the other template, once per chain. */
  private follow(template: unknown, scope: Scope): void {
    if (!this.resolve || !isType(template, 'Literal') || typeof template.value !== 'string') return;
    const found = this.resolve(template.value, this.templateName);
    if (!found || this.following.has(found.name)) return;
    this.following.add(found.name);
    try {
      this.analyze(parseJinja(found.source, found.name, this.parseOptions), [...scope, new Set<string>()], found.name);
    } finally {
      this.following.delete(found.name);
    }
  }
}

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as TemplateNode).typename === 'string';
}

function asNode(value: unknown): TemplateNode | undefined {
  return isNode(value) ? value : undefined;
}

function isType(value: unknown, typename: string): value is TemplateNode {
  return isNode(value) && value.typename === typename;
}
