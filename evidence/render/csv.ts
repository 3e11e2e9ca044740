import { CHECK_RESULTS_FILE } from '../layout';
import type { ControlReport, FrameworkReport } from '../report';

/** Columns of the per-framework CSV, one row per control; the first two identify the control for GRC imports. */
export const CSV_COLUMNS = [
  'framework',
  'control_id',
  'title',
  'group_path',
  'responsibility',
  'result',
  'coverage',
  'severity',
  'reason',
  'mapped_checks',
  'accounts_evaluated',
  'regions',
  'failing_results',
  'failing_accounts',
  'unknown_results',
  'excepted_results',
  'exception_owner',
  'exception_expires',
  'exception_state',
  'attested_by',
  'attested_at',
  'attestation_expires',
  'history',
  'previous_result',
  'since',
  'nist_id',
  'baselines',
  'remediation',
  'evidence_file',
] as const;

/** RFC 4180 CSV (CRLF, quoted where needed) for one framework; cells that a spreadsheet would run as formulas are defused. */
/** `checkResultsPath`: where the run's check results are, from the CSV's directory (the evidence_file column). */
export function renderCsv(framework: FrameworkReport, checkResultsPath: string = CHECK_RESULTS_FILE): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const control of framework.controls) lines.push(row(framework, control, checkResultsPath).map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function row(framework: FrameworkReport, c: ControlReport, checkResultsPath: string): string[] {
  const exception = c.exceptions.find((e) => e.state === 'expired') ?? c.exceptions[0];
  const failingAccounts = [...new Set(c.failing.map((f) => f.accountName ?? f.accountId).filter((a): a is string => a !== undefined))];
  const shownAll = c.failing.length === c.failingTotal;
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    framework: framework.id,
    control_id: c.id,
    title: c.title,
    group_path: c.groupPath.join(' > '),
    responsibility: c.responsibility,
    result: c.result,
    coverage: c.coverage,
    severity: c.severity ?? '',
    reason: c.reason,
    mapped_checks: c.checks.map((k) => k.ref).join(' '),
    accounts_evaluated: String(c.scope.accounts),
    regions: c.scope.regions.join(' '),
    failing_results: String(c.failingTotal),
    failing_accounts: failingAccounts.join(' ') + (shownAll ? '' : ` (first ${c.failing.length} of ${c.failingTotal} results; all in ${CHECK_RESULTS_FILE})`),
    unknown_results: String(c.unknownTotal),
    excepted_results: String(c.exceptedTotal),
    exception_owner: exception?.owner ?? '',
    exception_expires: exception?.expires ?? '',
    exception_state: exception?.state ?? '',
    attested_by: c.attestation?.attestedBy ?? '',
    attested_at: c.attestation?.attestedAt ?? '',
    attestation_expires: c.attestation?.expires ?? '',
    history: c.history.change,
    previous_result: c.history.previousResult ?? '',
    since: c.history.since,
    nist_id: c.nistId ?? '',
    baselines: (c.baselines ?? []).join(' '),
    remediation: c.remediation.join(' | '),
    evidence_file: framework.resultsUsed > 0 ? checkResultsPath : '',
  };
  return CSV_COLUMNS.map((column) => values[column]);
}

function cell(value: string): string {
  // A leading =, +, - or @ makes spreadsheets evaluate the cell; a leading quote keeps it text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
