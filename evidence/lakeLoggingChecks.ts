import type { RampartConfig } from '../config/model';
import type { NamedQueryName, NamedQueryRow } from '../query/catalog';
import type { CheckResult } from './checkResult';
import type { AccountInfo } from './resultIndex';

/**
 * Logging evidence from the Security Lake itself (PCI DSS requirement 10): that the CloudTrail
 * management logs Security Lake collects actually hold events for every account and Region in
 * scope, that those events carry the details 10.2.2 asks for, and that refused calls are
 * recorded and can be queried. Pure: the rows come from the catalogue's named queries, run by
 * DuckDB over a local lake or by Athena over the real one, so both feed the same judgement.
 */

export const AUDIT_EVENTS_PRESENT = 'securitylake.audit-events-present';
export const AUDIT_LOG_FIELDS = 'securitylake.audit-log-fields';
export const ACCESS_DENIALS_RECORDED = 'securitylake.access-denials-recorded';

/** One named query as it was run: what an auditor needs to run it again and compare. */
export interface LakeQueryRun<N extends NamedQueryName> {
  query: N;
  /** SHA-256 of the query's SQL as the catalogue holds it (Athena's dialect): the same on either runner. */
  sqlSha256: string;
  params: Readonly<Record<string, string | number>>;
  rows: NamedQueryRow<N>[];
}

export type LakeLoggingObservation =
  | {
      readable: true;
      /** The lake read: a local directory, or the Athena database. */
      lake: string;
      runner: 'duckdb' | 'athena';
      lookbackDays: number;
      /** False when the lake holds no CloudTrail management table: nothing can be judged. */
      cloudTrailTable: boolean;
      coverage: LakeQueryRun<'audit-events-by-account-region'>;
      denied: LakeQueryRun<'access-denied-operations'>;
    }
  | { readable: false; lake: string; runner: 'duckdb' | 'athena'; reason: string };

/** An account and Region whose CloudTrail management events must be in the lake. */
export interface AuditLogScope {
  accountId: string;
  accountName?: string;
  ou?: string;
  region: string;
}

/**
 * The accounts × Regions whose management events belong in the lake: every account the
 * configuration knows (or those the CLOUD_TRAIL_MGMT source lists) in every Security Lake Region.
 * Without a CLOUD_TRAIL_MGMT source every account is still expected: requirement 10 does not
 * depend on the configuration, and the empty lake shows as a failure.
 */
export function auditLogScopes(config: Pick<RampartConfig, 'securityLake'>, accounts: readonly AccountInfo[]): AuditLogScope[] {
  const source = config.securityLake.awsSources.find((s) => s.source === 'CLOUD_TRAIL_MGMT');
  const listed = source && source.accounts !== 'all' ? new Set(source.accounts) : undefined;
  const scopes: AuditLogScope[] = [];
  for (const account of accounts) {
    if (listed && !listed.has(account.name)) continue;
    for (const region of config.securityLake.regions) scopes.push({ accountId: account.id, accountName: account.name, ou: account.ou, region });
  }
  return scopes;
}

type CoverageRow = NamedQueryRow<'audit-events-by-account-region'>;

/** The 10.2.2 details, each with the coverage column that counts events lacking it. */
const DETAILS = [
  ['user identification', 'without_user'],
  ['identity type', 'without_user_type'],
  ['type of event (API operation)', 'without_event_type'],
  ['success or failure', 'without_outcome'],
  ['origin (source address or user agent)', 'without_origin'],
  ['affected service', 'without_affected_service'],
] as const satisfies readonly (readonly [string, keyof CoverageRow])[];

/** Check results for every scope: pass, fail, or unknown when the lake or its CloudTrail table could not be read. */
export function lakeLoggingCheckResults(observation: LakeLoggingObservation, scopes: readonly AuditLogScope[], observedAt: string): CheckResult[] {
  const unreadable = !observation.readable
    ? `the lake ${observation.lake} could not be read: ${observation.reason}`
    : !observation.cloudTrailTable
      ? `the lake ${observation.lake} has no CloudTrail management table (CLOUD_TRAIL_MGMT 2.0)`
      : undefined;
  const scopeOf = (s: AuditLogScope): CheckResult['scope'] => ({ accountId: s.accountId, accountName: s.accountName, ou: s.ou, region: s.region });
  if (unreadable !== undefined || !observation.readable) {
    const evidence = { lake: observation.lake, runner: observation.runner, reason: unreadable };
    const detail = `Not judged: ${unreadable}`;
    return [
      ...scopes.flatMap((s) => [AUDIT_EVENTS_PRESENT, AUDIT_LOG_FIELDS].map((checkId): CheckResult => ({ checkId, status: 'unknown', scope: scopeOf(s), observedAt, detail, evidence }))),
      { checkId: ACCESS_DENIALS_RECORDED, status: 'unknown', scope: {}, observedAt, detail, evidence },
    ];
  }

  const { coverage, lookbackDays } = observation;
  const rowsByScope = new Map(coverage.rows.map((row) => [`${row.account_id}/${row.region}`, row]));
  const inScope = new Set(scopes.map((s) => `${s.accountId}/${s.region}`));
  const queryEvidence = (run: Pick<LakeQueryRun<NamedQueryName>, 'query' | 'sqlSha256' | 'params'> & { rows: readonly unknown[] }) => ({ query: run.query, sqlSha256: run.sqlSha256, params: run.params, rowsReturned: run.rows.length });
  const base = { lake: observation.lake, runner: observation.runner, lookbackDays, ...queryEvidence(coverage) };
  const window = `in the last ${lookbackDays} day(s)`;

  const results: CheckResult[] = [];
  const totals = { events: 0, failed: 0, denied: 0, withoutOutcome: 0 };
  for (const scope of scopes) {
    const row = rowsByScope.get(`${scope.accountId}/${scope.region}`);
    const events = count(row?.events);
    const evidence = { ...base, row: row ?? null };
    totals.events += events;
    totals.failed += count(row?.failed_events);
    totals.denied += count(row?.denied_events);
    totals.withoutOutcome += count(row?.without_outcome);
    results.push(
      events > 0
        ? { checkId: AUDIT_EVENTS_PRESENT, status: 'pass', scope: scopeOf(scope), observedAt, detail: `${events} CloudTrail management event(s) recorded ${window}, the latest at ${row?.last_seen}`, evidence }
        : { checkId: AUDIT_EVENTS_PRESENT, status: 'fail', scope: scopeOf(scope), observedAt, detail: `No CloudTrail management event recorded ${window}: the log source is on but the lake holds nothing for this account and Region`, evidence },
    );
    if (events === 0) {
      results.push({ checkId: AUDIT_LOG_FIELDS, status: 'unknown', scope: scopeOf(scope), observedAt, detail: `Not judged: no event recorded ${window} to examine`, evidence });
      continue;
    }
    const lacking = DETAILS.map(([label, column]) => [label, count(row?.[column])] as const).filter(([, n]) => n > 0);
    results.push(
      lacking.length === 0
        ? { checkId: AUDIT_LOG_FIELDS, status: 'pass', scope: scopeOf(scope), observedAt, detail: `All ${events} event(s) ${window} carry user, identity type, event type, time, success or failure, origin and affected service`, evidence }
        : { checkId: AUDIT_LOG_FIELDS, status: 'fail', scope: scopeOf(scope), observedAt, detail: `Of ${events} event(s) ${window}, some lack: ${lacking.map(([label, n]) => `${label} (${n})`).join(', ')}`, evidence },
    );
  }

  const denied = observation.denied;
  const deniedEvidence = {
    lake: observation.lake, runner: observation.runner, lookbackDays, ...queryEvidence(denied), rows: denied.rows,
    coverage: { ...queryEvidence(coverage), ...totals, scopes: scopes.length, rowsOutsideScope: coverage.rows.filter((r) => !inScope.has(`${r.account_id}/${r.region}`)).length },
  };
  const status = totals.events === 0 || totals.withoutOutcome > 0 ? 'fail' : 'pass';
  const detail =
    totals.events === 0
      ? `No CloudTrail management event recorded ${window} in any account and Region in scope, so no failed access attempt is either`
      : totals.withoutOutcome > 0
        ? `${totals.withoutOutcome} of ${totals.events} event(s) ${window} carry no success or failure status: failed access attempts cannot be told apart`
        : `Failed access attempts are recorded and queryable: ${totals.denied} refused call(s) of ${totals.failed} failed among ${totals.events} event(s) ${window}; ` +
          `top refused operations from ${denied.query}: ${denied.rows.length === 0 ? 'none' : denied.rows.slice(0, 3).map((r) => `${r.api_operation} (${r.denied_calls})`).join(', ')}`;
  results.push({ checkId: ACCESS_DENIALS_RECORDED, status, scope: {}, observedAt, detail, evidence: deniedEvidence });
  return results;
}

/** Athena returns numbers as text; DuckDB as numbers. Absent means none. */
function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}
