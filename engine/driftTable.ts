import { formatLocation } from './desiredState';
import type { Drift, DriftReport, DriftScope, UnknownScope } from './drift';

/**
 * A drift report as plain text for people (the CLI, notifications): one row per drift with its
 * type, scope, expected and actual values, severity and the configuration line that declares the
 * expectation; then the scopes that could not be read, and what they kept from being checked.
 */

const COLUMNS = ['SEVERITY', 'TYPE', 'SCOPE', 'EXPECTED', 'ACTUAL', 'DECLARED AT'] as const;
const MAX_VALUE = 52;

export function describeScope(scope: DriftScope): string {
  const account = scope.accountId ? `${scope.accountName ?? 'account'} (${scope.accountId})` : scope.accountName;
  const where = account ?? (scope.ouPath ? `OU ${scope.ouPath}` : 'organization');
  return scope.region ? `${where} ${scope.region}` : where;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Expected and actual, cut to fit; long values that share a beginning are shown from where they differ. */
function shortPair(expected: unknown, actual: unknown): [string, string] {
  const [a, b] = [text(expected), text(actual)];
  if (a.length <= MAX_VALUE && b.length <= MAX_VALUE) return [a, b];
  let from = 0;
  while (from < a.length && from < b.length && a[from] === b[from]) from++;
  // Shift only when the difference would fall outside what is shown.
  const start = from > MAX_VALUE - 12 ? from - 8 : 0;
  const cut = (value: string) => {
    const window = value.slice(start, start + MAX_VALUE - 2);
    return `${start > 0 ? '…' : ''}${window}${start + MAX_VALUE - 2 < value.length ? '…' : ''}`;
  };
  return [cut(a), cut(b)];
}

export function driftRow(drift: Drift): string[] {
  const [expected, actual] = shortPair(drift.expected, drift.actual);
  return [
    drift.severity,
    drift.type,
    describeScope(drift.scope),
    expected,
    actual + (drift.scopeKnown ? '' : ' (partly unknown)'),
    formatLocation(drift.declaredAt),
  ];
}

function table(header: readonly string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function describeUnknownScope(scope: UnknownScope): string {
  const account = scope.accountId ? ` ${scope.accountName ?? 'account'} (${scope.accountId})` : '';
  return `${scope.kind}${account}${scope.region ? ` ${scope.region}` : ''}: ${scope.error.code}: ${scope.error.message} (not checked: ${scope.affects.join(', ')})`;
}

/** The report as text; `limit` caps the drift rows (notifications), the rest counted. */
export function formatDriftReport(report: DriftReport, options: { limit?: number } = {}): string {
  const out: string[] = [];
  const shown = options.limit !== undefined ? report.drifts.slice(0, options.limit) : report.drifts;
  if (report.drifts.length === 0) out.push('No drift: the organization matches the configuration in every scope that could be read.');
  else {
    out.push(`${report.drifts.length} drift(s):`, table(COLUMNS, shown.map(driftRow)));
    if (shown.length < report.drifts.length) out.push(`… and ${report.drifts.length - shown.length} more in the full report.`);
  }
  if (report.unknownScopes.length) {
    out.push('', `${report.unknownScopes.length} scope(s) could not be read; nothing was concluded about them:`);
    const unknown = options.limit !== undefined ? report.unknownScopes.slice(0, options.limit) : report.unknownScopes;
    for (const scope of unknown) out.push(`  ${describeUnknownScope(scope)}`);
    if (unknown.length < report.unknownScopes.length) out.push(`  … and ${report.unknownScopes.length - unknown.length} more in the full report.`);
  }
  return out.join('\n');
}
