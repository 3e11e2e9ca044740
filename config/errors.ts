/** A problem found in a configuration directory, located precisely enough to fix it. */
export interface ConfigIssue {
  /** Path relative to the configuration directory. */
  file: string;
  line: number;
  col: number;
  /** Dotted field path inside the file, e.g. `accounts[3].ou`; empty for whole-file problems. */
  field: string;
  found: string;
  expected: string;
  hint: string;
  /** Stable identifier of the rule that raised it, e.g. `schema.unknown-key`, `pci.account-outside-pci-ou`. */
  rule: string;
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  const tag = issue.severity === 'warning' ? 'warning ' : '';
  const field = issue.field || '(file)';
  return `${where}  ${tag}${field}  found ${issue.found}  expected ${issue.expected}  hint: ${issue.hint}`;
}

/** Short, single-line rendering of a value as the user wrote it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return `a mapping with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return String(value);
}
