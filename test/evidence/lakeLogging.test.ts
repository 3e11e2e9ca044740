import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { accountsFromConfig } from '../../evidence/accounts';
import { buildEvidenceReport } from '../../evidence/build';
import type { CheckResult } from '../../evidence/checkResult';
import {
  ACCESS_DENIALS_RECORDED, AUDIT_EVENTS_PRESENT, AUDIT_LOG_FIELDS, auditLogScopes, lakeLoggingCheckResults, type LakeLoggingObservation,
} from '../../evidence/lakeLoggingChecks';
import { builtinFrameworks, PCI_DSS_ID } from '../../frameworks/load';
import type { NamedQueryRow } from '../../query/catalog';
import { namedQuerySha256, observeLocalLakeLogging } from '../../query/lakeLoggingEvidence';
import { generateSampleEvents, writeSampleLake, type SampleLakeOptions } from '../../query/sampleLake';
import { cleanOrgResults } from './exampleOrg';
import { temporaryDir } from '../frameworks/configDir';

const NOW = new Date('2026-12-05T06:00:00Z');
const LOOKBACK_DAYS = 7;
const config = loadConfig('config/examples/pci-org', { now: NOW }).config!;
const scopes = auditLogScopes(config, accountsFromConfig(config));
// payments-staging (a PCI account) is in scope but sends nothing: its logs are on and empty.
const SILENT = '444444444445';
const sample: SampleLakeOptions = {
  accounts: config.organization.accounts.map((a) => a.id!).filter((id) => id !== SILENT), regions: config.securityLake.regions, seed: 10, now: NOW,
};
const work = temporaryDir('rampart-lake-evidence-');
const lake = path.join(work, 'lake');

let observation: LakeLoggingObservation;
let results: CheckResult[];
beforeAll(async () => {
  await writeSampleLake(lake, sample);
  observation = await observeLocalLakeLogging({ lake, now: NOW, lookbackDays: LOOKBACK_DAYS });
  results = lakeLoggingCheckResults(observation, scopes, NOW.toISOString());
});

const byCheck = (checkId: string, from = results) => from.filter((r) => r.checkId === checkId);

describe('logging evidence from a sample lake', () => {
  it('counts each account and Region\'s management events in the window, as the generated events say', () => {
    if (!observation.readable) throw new Error(observation.reason);
    const since = NOW.getTime() - LOOKBACK_DAYS * 86_400_000;
    const expected = new Map<string, { events: number; failed_events: number }>();
    for (const e of generateSampleEvents(sample).CLOUD_TRAIL_MGMT) {
      if ((e.time as number) < since) continue;
      const key = `${e.accountid}/${e.region}`;
      const seen = expected.get(key) ?? { events: 0, failed_events: 0 };
      seen.events++;
      if (e.status === 'Failure') seen.failed_events++;
      expected.set(key, seen);
    }
    expect(observation.coverage.rows.map((r) => [`${r.account_id}/${r.region}`, { events: r.events, failed_events: r.failed_events }])).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)));
    expect(observation.coverage.rows).toHaveLength(sample.accounts.length * sample.regions.length);
  });

  it('passes every account and Region that delivers events, and fails the one whose logs are empty', () => {
    expect(scopes).toHaveLength(config.organization.accounts.length * config.securityLake.regions.length);
    const present = byCheck(AUDIT_EVENTS_PRESENT);
    expect(present).toHaveLength(scopes.length);
    expect(present.filter((r) => r.status === 'fail').map((r) => [r.scope.accountName, r.scope.region])).toEqual(config.securityLake.regions.map((region) => ['payments-staging', region]));
    expect(present.filter((r) => r.scope.accountId !== SILENT).every((r) => r.status === 'pass')).toBe(true);
    expect(present.find((r) => r.status === 'fail')!.detail).toMatch(/No CloudTrail management event recorded in the last 7 day\(s\)/);

    const fields = byCheck(AUDIT_LOG_FIELDS);
    expect(fields.filter((r) => r.scope.accountId !== SILENT).map((r) => r.status)).toEqual(Array(sample.accounts.length * sample.regions.length).fill('pass'));
    expect(fields.filter((r) => r.scope.accountId === SILENT).map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown']);

    const denials = byCheck(ACCESS_DENIALS_RECORDED);
    expect(denials).toMatchObject([{ status: 'pass', scope: {}, detail: expect.stringMatching(/^Failed access attempts are recorded and queryable: \d+ refused call/) }]);
  });

  it('carries the query name, the SQL identity and the row counts as raw evidence', () => {
    const pass = byCheck(AUDIT_EVENTS_PRESENT).find((r) => r.status === 'pass')!;
    expect(pass.evidence).toMatchObject({
      query: 'audit-events-by-account-region', sqlSha256: namedQuerySha256('audit-events-by-account-region'), params: { days: 7 }, runner: 'duckdb', lake,
      rowsReturned: sample.accounts.length * sample.regions.length, row: { account_id: pass.scope.accountId, region: pass.scope.region, events: expect.any(Number) },
    });
    expect(namedQuerySha256('audit-events-by-account-region')).toMatch(/^[0-9a-f]{64}$/);
    const denials = byCheck(ACCESS_DENIALS_RECORDED)[0].evidence as { query: string; params: unknown; rows: NamedQueryRow<'access-denied-operations'>[]; coverage: { denied: number; rowsOutsideScope: number } };
    expect(denials).toMatchObject({ query: 'access-denied-operations', params: { hours: 168 }, coverage: { rowsOutsideScope: 0 } });
    expect(denials.rows.length).toBeGreaterThan(0);
    expect(denials.rows.reduce((n, r) => n + (r.denied_calls ?? 0), 0)).toBeLessThanOrEqual(denials.coverage.denied);
  });

  it('shows the PCI DSS 10.2 controls with these checks cited, failing where the account is silent', () => {
    const { frameworks, describer } = builtinFrameworks();
    const report = buildEvidenceReport({
      now: NOW, frameworks: [frameworks.get(PCI_DSS_ID)!], describer, checkResults: [...cleanOrgResults(config).filter((r) => !r.checkId.startsWith('securitylake.audit') && r.checkId !== ACCESS_DENIALS_RECORDED), ...results],
      accounts: accountsFromConfig(config), exceptions: [], attestations: [], previous: [], generatorVersion: 'test',
    }).report;
    const control = (id: string) => report.frameworks[0].controls.find((c) => c.id === id)!;
    const cited = (id: string) => control(id).checks.map((c) => c.ref);
    expect(cited('10.2.1')).toEqual(expect.arrayContaining([AUDIT_EVENTS_PRESENT, 'securitylake.sources-collecting']));
    expect(cited('10.2.2')).toContain(AUDIT_LOG_FIELDS);
    expect(cited('10.2.1.4')).toContain(ACCESS_DENIALS_RECORDED);
    expect(control('10.2.1')).toMatchObject({ result: 'failed', failingAccountIds: [SILENT] });
    expect(control('10.2.2')).toMatchObject({ result: 'unknown', unknownAccountIds: [SILENT] });
    expect(control('10.2.1.4')).toMatchObject({ result: 'satisfied' });
  });

  it('rampart evidence report --lake adds the logging results to the report', () => {
    const clean = path.join(work, 'clean.jsonl');
    fs.writeFileSync(clean, cleanOrgResults(config).filter((r) => !r.checkId.startsWith('securitylake.audit') && r.checkId !== ACCESS_DENIALS_RECORDED).map((r) => JSON.stringify(r)).join('\n'));
    const out = path.join(work, 'evidence');
    const run = spawnSync(process.execPath, ['bin/rampart.js', 'evidence', 'report', '--results', clean, '--out', out, '--framework', PCI_DSS_ID, '--now', NOW.toISOString(), '--lake', lake], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(fs.readFileSync(path.join(out, PCI_DSS_ID, '2026-12-05', 'report.json'), 'utf8'));
    expect(report.frameworks[0].controls.find((c: { id: string }) => c.id === '10.2.1')).toMatchObject({ result: 'failed', failingAccountIds: [SILENT] });
    const bad = spawnSync(process.execPath, ['bin/rampart.js', 'evidence', 'report', '--results', clean, '--out', out, '--lake', lake, '--lake-lookback-days', 'week'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--lake-lookback-days.*expected a whole number of days/);
  });
});

describe('logging evidence when the lake cannot be judged', () => {
  const scope = scopes.slice(0, 2);
  it('is unknown, never pass, when the CloudTrail table is absent or the lake unreadable', async () => {
    const empty = path.join(work, 'empty-lake');
    fs.mkdirSync(empty);
    for (const where of [empty, path.join(work, 'no-such-lake')]) {
      const out = lakeLoggingCheckResults(await observeLocalLakeLogging({ lake: where, now: NOW }), scope, NOW.toISOString());
      expect(out.map((r) => [r.checkId, r.status])).toEqual([
        [AUDIT_EVENTS_PRESENT, 'unknown'], [AUDIT_LOG_FIELDS, 'unknown'], [AUDIT_EVENTS_PRESENT, 'unknown'], [AUDIT_LOG_FIELDS, 'unknown'], [ACCESS_DENIALS_RECORDED, 'unknown'],
      ]);
      expect(out[0].detail).toMatch(where === empty ? /has no CloudTrail management table/ : /could not be read: lake directory .* does not exist/);
    }
  });

  it('fails events that lack a 10.2.2 detail or their outcome, naming what is missing', () => {
    if (!observation.readable) throw new Error(observation.reason);
    const [first, second] = scope;
    const row = observation.coverage.rows.find((r) => r.account_id === first.accountId && r.region === first.region)!;
    const broken: LakeLoggingObservation = {
      ...observation,
      coverage: { ...observation.coverage, rows: [{ ...row, without_origin: '3' as unknown as number, without_outcome: 2 }] },
    };
    const out = lakeLoggingCheckResults(broken, [first, second], NOW.toISOString());
    expect(byCheck(AUDIT_LOG_FIELDS, out).map((r) => [r.scope.accountId, r.status])).toEqual([[first.accountId, 'fail'], [second.accountId, 'unknown']]);
    expect(byCheck(AUDIT_LOG_FIELDS, out)[0].detail).toBe(`Of ${row.events} event(s) in the last 7 day(s), some lack: success or failure (2), origin (source address or user agent) (3)`);
    expect(byCheck(ACCESS_DENIALS_RECORDED, out)[0]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^2 of \d+ event\(s\) .* carry no success or failure status/) });
    expect(byCheck(ACCESS_DENIALS_RECORDED, lakeLoggingCheckResults({ ...observation, coverage: { ...observation.coverage, rows: [] } }, scope, NOW.toISOString()))[0].status).toBe('fail');
  });
});
