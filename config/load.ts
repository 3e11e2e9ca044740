import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from './errors';
import { validateCrossFile, type SkippedCheck } from './rules';
import type { DraftConfig } from './rules/context';
import { CONFIG_FILES, type ConfigFileKey, type RampartConfig } from './model';
import { replacementsSchema } from './schema/replacements';
import { schemaIssues } from './schemaIssues';
import { loadYamlFile, type SourceMap } from './source';

export interface LoadOptions {
  /** "Today" for expiry checks; the loader never reads the clock itself when given one. */
  now?: Date;
}

export interface LoadResult {
  /** Present only when no error was found (warnings allowed). */
  config?: RampartConfig;
  issues: ConfigIssue[];
  /** Checks that could not run because a file they read has errors; they run once it is fixed. */
  skippedChecks: SkippedCheck[];
}

/** Loads and validates a configuration directory, collecting every problem at once. */
export function loadConfig(dir: string, options: LoadOptions = {}): LoadResult {
  const rootDir = path.resolve(dir);
  const issues: ConfigIssue[] = [];
  if (!fs.existsSync(rootDir) || !fs.statSync(rootDir).isDirectory()) {
    issues.push({
      file: dir, line: 1, col: 1, field: '', rule: 'file.no-directory', severity: 'error',
      found: fs.existsSync(rootDir) ? 'a file, not a directory' : 'no such directory', expected: 'a configuration directory holding global.yaml, organization.yaml, security.yaml, securitylake.yaml and governance.yaml',
      hint: 'pass the directory that holds the YAML files, e.g. config/examples/pci-org',
    });
    return { issues, skippedChecks: [] };
  }

  const vars = loadReplacements(rootDir, issues);
  const parsed: Partial<Pick<RampartConfig, ConfigFileKey>> = {};
  const sourceMaps: Partial<Record<ConfigFileKey, SourceMap>> = {};
  const waitingForReplacements: SkippedCheck[] = [];
  for (const [key, spec] of Object.entries(CONFIG_FILES) as [ConfigFileKey, (typeof CONFIG_FILES)[ConfigFileKey]][]) {
    const loaded = loadYamlFile(path.join(rootDir, spec.file), { rootDir, vars: vars ?? {} });
    // With replacements.yaml broken, every {{ name }} looks unknown: consequences, not news.
    const own = vars ? loaded.issues : loaded.issues.filter((i) => i.rule !== 'yaml.unknown-var');
    if (own.length < loaded.issues.length) waitingForReplacements.push({ title: `${spec.file} itself, which uses {{ }} values`, waitsFor: ['replacements.yaml'] });
    issues.push(...own);
    sourceMaps[key] = loaded.sourceMap;
    if (loaded.issues.some((i) => i.severity === 'error')) continue;
    const result = (spec.schema as z.ZodType).safeParse(loaded.value ?? {});
    if (result.success) (parsed as Record<ConfigFileKey, unknown>)[key] = result.data;
    else issues.push(...schemaIssues(spec.schema as z.ZodType, loaded.value, result.error, loaded.sourceMap));
  }

  const draft: DraftConfig = {
    dir: rootDir,
    ...parsed,
    locate: (file, fieldPath, preferKey = false) => (sourceMaps[file] as SourceMap).locate(fieldPath, preferKey),
  };
  // Rules run over whatever parsed, so one file's typo never hides another file's problems.
  const crossFile = validateCrossFile(draft, { now: options.now ?? new Date() });
  issues.push(...crossFile.issues);
  const complete = (Object.keys(CONFIG_FILES) as ConfigFileKey[]).every((key) => parsed[key] !== undefined);
  const hasErrors = issues.some((i) => i.severity === 'error');
  return {
    config: complete && !hasErrors ? { ...(draft as Omit<RampartConfig, 'scpDocuments' | 'mappings'>), scpDocuments: crossFile.scpDocuments, mappings: crossFile.mappings } : undefined,
    issues: sortIssues(issues),
    skippedChecks: [...waitingForReplacements, ...crossFile.skipped],
  };
}

/** The `{{ name }}` values; undefined when replacements.yaml exists but has errors. */
function loadReplacements(rootDir: string, issues: ConfigIssue[]): Record<string, string | number | boolean> | undefined {
  const file = path.join(rootDir, 'replacements.yaml');
  if (!fs.existsSync(file)) return {};
  const loaded = loadYamlFile(file, { rootDir });
  issues.push(...loaded.issues);
  if (loaded.issues.length > 0) return undefined;
  const result = replacementsSchema.safeParse(loaded.value);
  if (!result.success) {
    issues.push(...schemaIssues(replacementsSchema, loaded.value, result.error, loaded.sourceMap));
    return undefined;
  }
  return result.data.vars;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
