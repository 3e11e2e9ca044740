import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './errors';
import { closest } from './suggest';

/** Where a value (or the key that introduces it) was written. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type FieldPath = ReadonlyArray<string | number>;

export function formatFieldPath(fieldPath: FieldPath): string {
  let out = '';
  for (const part of fieldPath) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/**
 * Positions of every value and key of one loaded file, keyed by formatted field path.
 * Values pulled in through `!include` carry the included file's positions.
 */
export class SourceMap {
  private readonly values = new Map<string, SourceLocation>();
  private readonly keys = new Map<string, SourceLocation>();

  constructor(readonly rootFile: string) {}

  recordValue(fieldPath: FieldPath, loc: SourceLocation): void {
    this.values.set(formatFieldPath(fieldPath), loc);
  }

  recordKey(fieldPath: FieldPath, loc: SourceLocation): void {
    this.keys.set(formatFieldPath(fieldPath), loc);
  }

  /** The closest recorded position: the field itself, else its nearest written ancestor. */
  locate(fieldPath: FieldPath, preferKey = false): SourceLocation {
    for (let depth = fieldPath.length; depth >= 0; depth--) {
      const key = formatFieldPath(fieldPath.slice(0, depth));
      const found = (preferKey && this.keys.get(key)) || this.values.get(key) || this.keys.get(key);
      if (found) return found;
    }
    return { file: this.rootFile, line: 1, col: 1 };
  }
}

export interface LoadedYaml {
  value: unknown;
  sourceMap: SourceMap;
  issues: ConfigIssue[];
}

export interface YamlLoadOptions {
  /** The configuration directory; file names in issues are relative to it. */
  rootDir: string;
  /** `{{ name }}` replacements; undefined disables substitution (e.g. for the replacements file). */
  vars?: Readonly<Record<string, string | number | boolean>>;
}

const VAR_PATTERN = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
const WHOLE_VAR_PATTERN = /^\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}$/;

/** Loads one YAML file with positions, resolving `!include` and `{{ var }}` replacements. */
export function loadYamlFile(absolutePath: string, options: YamlLoadOptions): LoadedYaml {
  const rel = relativeName(options.rootDir, absolutePath);
  const sourceMap = new SourceMap(rel);
  const issues: ConfigIssue[] = [];
  const value = loadInto(absolutePath, [], sourceMap, issues, options, []);
  return { value, sourceMap, issues };
}

function relativeName(rootDir: string, absolutePath: string): string {
  const rel = path.relative(rootDir, absolutePath);
  return rel.startsWith('..') ? absolutePath : rel.split(path.sep).join('/');
}

function loadInto(
  absolutePath: string,
  basePath: FieldPath,
  sourceMap: SourceMap,
  issues: ConfigIssue[],
  options: YamlLoadOptions,
  includeStack: string[],
): unknown {
  const file = relativeName(options.rootDir, absolutePath);
  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    issues.push({
      file, line: 1, col: 1, field: '', rule: 'file.unreadable', severity: 'error',
      found: code === 'ENOENT' ? 'no such file' : `unreadable file (${code ?? String(error)})`,
      expected: 'a readable YAML file',
      hint: code === 'ENOENT' ? `create ${file} or correct the path that refers to it` : 'check the file permissions',
    });
    return undefined;
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    customTags: [{ tag: '!include', resolve: (str: string) => str }],
  });
  const at = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, col: pos.col };
  };

  issues.push(...syntaxIssues(doc, at));
  if (doc.errors.length > 0) return undefined;

  const convert = (node: Node | null | undefined, fieldPath: FieldPath): unknown => {
    if (node == null) return null;
    sourceMap.recordValue(fieldPath, at(node.range?.[0]));
    if (isAlias(node)) return convert(node.resolve(doc) as Node | undefined, fieldPath);
    if (node.tag === '!include' && isScalar(node)) {
      return include(String(node.value), fieldPath, at(node.range?.[0]));
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const childPath = [...fieldPath, key];
        sourceMap.recordKey(childPath, at(keyNode?.range?.[0]));
        out[key] = convert(pair.value as Node | null, childPath);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, index) => convert(item as Node, [...fieldPath, index]));
    if (isScalar(node)) return substitute(node.value, fieldPath, at(node.range?.[0]));
    return null;
  };

  const substitute = (value: unknown, fieldPath: FieldPath, loc: SourceLocation): unknown => {
    if (typeof value !== 'string' || !options.vars) return value;
    const vars = options.vars;
    const whole = WHOLE_VAR_PATTERN.exec(value);
    if (whole) {
      if (whole[1] in vars) return vars[whole[1]];
      issues.push(unknownVar(loc, fieldPath, whole[1], vars));
      return value;
    }
    return value.replace(VAR_PATTERN, (match, name: string) => {
      if (name in vars) return String(vars[name]);
      issues.push(unknownVar(loc, fieldPath, name, vars));
      return match;
    });
  };

  const include = (target: string, fieldPath: FieldPath, loc: SourceLocation): unknown => {
    const targetPath = path.resolve(path.dirname(absolutePath), target);
    const chain = [...includeStack, absolutePath];
    if (chain.includes(targetPath)) {
      issues.push({
        ...loc, field: formatFieldPath(fieldPath), rule: 'yaml.include-cycle', severity: 'error',
        found: `!include ${target}, which closes the cycle ${[...chain, targetPath].map((p) => relativeName(options.rootDir, p)).join(' -> ')}`,
        expected: 'includes that form no cycle',
        hint: 'move the shared part into a file that includes nothing that includes it back',
      });
      return undefined;
    }
    if (!fs.existsSync(targetPath)) {
      issues.push({
        ...loc, field: formatFieldPath(fieldPath), rule: 'yaml.include-missing', severity: 'error',
        found: `!include ${target} (no such file: ${relativeName(options.rootDir, targetPath)})`,
        expected: 'a path to an existing YAML file, relative to the including file',
        hint: `create ${relativeName(options.rootDir, targetPath)} or correct the path`,
      });
      return undefined;
    }
    return loadInto(targetPath, fieldPath, sourceMap, issues, options, chain);
  };

  return convert(doc.contents as Node | null, basePath);
}

function unknownVar(loc: SourceLocation, fieldPath: FieldPath, name: string, vars: Readonly<Record<string, unknown>>): ConfigIssue {
  const known = Object.keys(vars);
  const suggestion = closest(name, known);
  return {
    ...loc, field: formatFieldPath(fieldPath), rule: 'yaml.unknown-var', severity: 'error',
    found: `{{ ${name} }}`,
    expected: known.length ? `one of the replacements defined in replacements.yaml: ${known.join(', ')}` : 'a replacement defined in replacements.yaml',
    hint: suggestion ? `did you mean "${suggestion}"?` : `add "${name}" under vars: in replacements.yaml or correct the name`,
  };
}

/** The parser's errors, one per line (its recovery tends to repeat itself), an unclosed bracket shown where it opens. */
function syntaxIssues(doc: Document, at: (offset: number) => SourceLocation): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const reportedLines = new Set<number>();
  for (const error of doc.errors) {
    const noticed = at(error.pos[0]);
    if (reportedLines.has(noticed.line)) continue;
    const opening = UNCLOSED_FLOW.test(error.message) ? flowCollectionEndingAt(doc, error.pos[0]) : undefined;
    const loc = opening === undefined ? noticed : at(opening);
    reportedLines.add(noticed.line).add(loc.line);
    const hint =
      error.code === 'DUPLICATE_KEY' ? 'remove or rename the repeated key'
      : opening !== undefined ? 'close the bracket opened here on the same line, or quote the value if the bracket is meant literally'
      : 'fix the YAML syntax at this position (indentation, quotes, colons)';
    out.push({ ...loc, field: '', rule: 'yaml.syntax', severity: 'error', found: error.message.split('\n')[0], expected: 'valid YAML', hint });
  }
  return out;
}

// The parser notices an unclosed [ or { only where the next line starts.
const UNCLOSED_FLOW = /^Flow (sequence|map)\b.*end with a [\]}]$/;

function flowCollectionEndingAt(doc: Document, offset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Collection(_, node) {
      if (node.flow && node.range && node.range[1] === offset) start = node.range[0];
    },
  });
  return start;
}
