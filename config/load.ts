import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from './errors';
import { validateCrossFile } from './rules';
import { CONFIG_FILES, type ConfigFileKey, type RampartConfig } from './model';
import { replacementsSchema } from './schema/replacements';
import { schemaIssues } from './schemaIssues';
import { loadYamlFile, type FieldPath, type SourceLocation, type SourceMap } from './source';

export interface LoadOptions {
  /** "Today" for expiry checks; the loader never reads the clock itself when given one. */
  now?: Date;
}

export interface LoadResult {
  /** Present only when no error was found (warnings allowed). */
  config?: RampartConfig;
  issues: ConfigIssue[];
}

/** Loads and validates a configuration directory, collecting every problem at once. */
export function loadConfig(dir: string, options: LoadOptions = {}): LoadResult {
  const rootDir = path.resolve(dir);
  const issues: ConfigIssue[] = [];
  if (!fs.existsSync(rootDir) || !fs.statSync(rootDir).isDirectory()) {
    issues.push({
      file: dir, line: 1, col: 1, field: '', rule: 'file.no-directory', severity: 'error',
      found: 'no such directory', expected: 'a configuration directory holding global.yaml, organization.yaml, security.yaml, securitylake.yaml and governance.yaml',
      hint: 'pass the directory that holds the YAML files, e.g. config/examples/pci-org',
    });
    return { issues };
  }

  const vars = loadReplacements(rootDir, issues);
  const parsed: Partial<Record<ConfigFileKey, unknown>> = {};
  const sourceMaps: Partial<Record<ConfigFileKey, SourceMap>> = {};
  for (const [key, spec] of Object.entries(CONFIG_FILES) as [ConfigFileKey, (typeof CONFIG_FILES)[ConfigFileKey]][]) {
    const loaded = loadYamlFile(path.join(rootDir, spec.file), { rootDir, vars });
    issues.push(...loaded.issues);
    sourceMaps[key] = loaded.sourceMap;
    if (loaded.issues.some((i) => i.severity === 'error')) continue;
    const result = (spec.schema as z.ZodType).safeParse(loaded.value ?? {});
    if (result.success) parsed[key] = result.data;
    else issues.push(...schemaIssues(spec.schema as z.ZodType, loaded.value, result.error, loaded.sourceMap));
  }

  const allParsed = (Object.keys(CONFIG_FILES) as ConfigFileKey[]).every((key) => parsed[key] !== undefined);
  if (!allParsed) return { issues: sortIssues(issues) };

  const locate = (file: ConfigFileKey, fieldPath: FieldPath, preferKey = false): SourceLocation =>
    (sourceMaps[file] as SourceMap).locate(fieldPath, preferKey);
  const draft = {
    dir: rootDir,
    global: parsed.global,
    organization: parsed.organization,
    security: parsed.security,
    securityLake: parsed.securityLake,
    governance: parsed.governance,
    locate,
  } as Omit<RampartConfig, 'scpDocuments' | 'mappings'>;

  const crossFile = validateCrossFile(draft, { now: options.now ?? new Date() });
  issues.push(...crossFile.issues);
  const hasErrors = issues.some((i) => i.severity === 'error');
  return {
    config: hasErrors ? undefined : { ...draft, scpDocuments: crossFile.scpDocuments, mappings: crossFile.mappings },
    issues: sortIssues(issues),
  };
}

function loadReplacements(rootDir: string, issues: ConfigIssue[]): Record<string, string | number | boolean> {
  const file = path.join(rootDir, 'replacements.yaml');
  if (!fs.existsSync(file)) return {};
  const loaded = loadYamlFile(file, { rootDir });
  issues.push(...loaded.issues);
  if (loaded.issues.length > 0) return {};
  const result = replacementsSchema.safeParse(loaded.value);
  if (!result.success) {
    issues.push(...schemaIssues(replacementsSchema, loaded.value, result.error, loaded.sourceMap));
    return {};
  }
  return result.data.vars;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
