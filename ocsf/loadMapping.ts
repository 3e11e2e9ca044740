import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileMapping, type CompiledMapping } from './compileMapping';
import { planMapping, type MappingIssue, type MappingPlan } from './mappingPlan';

/** Mapping files shipped with Rampart, referred to as `builtin:<name>` (the configuration resolves the same folder). */
export const BUILTIN_MAPPING_DIR = path.resolve(__dirname, 'mappings');

export interface LoadedMapping {
  file: string;
  plan?: MappingPlan;
  /** Present when the mapping has no errors. */
  compiled?: CompiledMapping;
  issues: MappingIssue[];
}

export function resolveMappingFile(nameOrPath: string): string {
  return nameOrPath.startsWith('builtin:') ? path.join(BUILTIN_MAPPING_DIR, `${nameOrPath.slice('builtin:'.length)}.json`) : path.resolve(nameOrPath);
}

/** Line and column of a JSON.parse error position, for a message that points into the file. */
function jsonErrorPosition(text: string, message: string): string {
  const match = /position (\d+)/.exec(message);
  if (!match) return '';
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return ` at line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

export function loadMappingText(text: string, file: string): LoadedMapping {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    return { file, issues: [{ severity: 'error', where: `${file}${jsonErrorPosition(text, message)}`, message: `not valid JSON: ${message}`, fix: 'fix the JSON syntax' }] };
  }
  const plan = planMapping(doc);
  const hasErrors = plan.issues.some((i) => i.severity === 'error');
  return { file, plan, compiled: hasErrors ? undefined : { ...compileMapping(plan), origin: { text, file } }, issues: plan.issues };
}

export function loadMappingFile(nameOrPath: string): LoadedMapping {
  const file = resolveMappingFile(nameOrPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { file, issues: [{ severity: 'error', where: file, message: `cannot read the mapping file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, fix: 'check the path; shipped mappings are builtin:aws-network-firewall, builtin:aws-alb, builtin:windows-sysmon' }] };
  }
  return loadMappingText(text, file);
}

export function formatMappingIssue(issue: MappingIssue): string {
  return `${issue.severity}: ${issue.where}: ${issue.message}\n  fix: ${issue.fix}`;
}
