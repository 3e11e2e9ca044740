import { buildEvidenceReport, type EvidenceInput } from '../../evidence/build';
import { parseCheckResultLines, parseCheckResults } from '../../evidence/checkResult';
import type { ControlReport, EvidenceReport } from '../../evidence/report';
import { builtinFrameworks } from '../../frameworks/load';
import { ACCOUNTS, exception, NOW, result, testFramework } from './fixtures';

const [alpha, beta] = ACCOUNTS;
const { describer } = builtinFrameworks();

function build(input: Partial<EvidenceInput> = {}): EvidenceReport {
  return buildEvidenceReport({ now: NOW, frameworks: [testFramework()], describer, checkResults: [], accounts: ACCOUNTS, ...input }).report;
}

function control(report: EvidenceReport, id: string): ControlReport {
  return report.frameworks[0].controls.find((c) => c.id === id) as ControlReport;
}

const attestation = (overrides = {}) => ({
  framework: 'test-fw', control: 'C-MANUAL', status: 'satisfied' as const, statement: 'Every engineer completed the annual training in October.',
  attestedBy: 'ciso@example.com', attestedAt: '2026-11-01', expires: '2027-11-01', ...overrides,
});

describe('control results from check results, exceptions and attestations', () => {
  it.each([
    ['every result passes', { checkResults: [result('pass', alpha), result('pass', beta)] }, 'C-AUTO', 'satisfied', 'automated', /every result passes \(2 pass/],
    ['one result fails', { checkResults: [result('pass', alpha), result('fail', beta)] }, 'C-AUTO', 'failed', 'automated', /1 failing result/],
    ['a result could not be determined', { checkResults: [result('pass', alpha), result('unknown', beta)] }, 'C-AUTO', 'unknown', 'automated', /1 result\(s\) could not be determined/],
    ['a failure outranks an unknown', { checkResults: [result('unknown', alpha), result('fail', beta)] }, 'C-AUTO', 'failed', 'automated', /1 failing/],
    ['every check says not applicable', { checkResults: [result('not-applicable', alpha)] }, 'C-AUTO', 'not-applicable', 'not-applicable', /not applicable/],
    ['an active exception covers the failing account', { checkResults: [result('fail', beta)], exceptions: [exception({ scope: { accounts: ['beta'] } })] }, 'C-AUTO', 'excepted', 'automated', /covered by an active exception/],
    ['an exception by OU covers accounts beneath it', { checkResults: [result('fail', alpha)], exceptions: [exception({ scope: { organizationalUnits: ['Workloads'] } })] }, 'C-AUTO', 'excepted', 'automated', /active exception/],
    ['an exception for another account does not cover', { checkResults: [result('fail', beta)], exceptions: [exception({ scope: { accounts: ['alpha'] } })] }, 'C-AUTO', 'failed', 'automated', /1 failing/],
    ['an exception for another Region does not cover', { checkResults: [result('fail', beta)], exceptions: [exception({ scope: { regions: ['eu-west-1'] } })] }, 'C-AUTO', 'failed', 'automated', /1 failing/],
    ['an expired exception counts as failed even where checks pass', { checkResults: [result('pass', beta)], exceptions: [exception({ expires: '2026-12-01' })] }, 'C-AUTO', 'failed', 'automated', /expired on 2026-12-01: counts as failed/],
    ['an exception expiring today has expired', { checkResults: [result('fail', beta)], exceptions: [exception({ expires: '2026-12-05' })] }, 'C-AUTO', 'failed', 'automated', /1 failing.*expired on 2026-12-05/],
    ['no check maps to the control', {}, 'C-MANUAL', 'manual', 'unmapped', /a person must attest it/],
    ['a current attestation', { attestations: [attestation()] }, 'C-MANUAL', 'satisfied', 'attested', /attested by ciso@example.com on 2026-11-01, valid until 2027-11-01/],
    ['an attestation of not applicable', { attestations: [attestation({ status: 'not-applicable' })] }, 'C-MANUAL', 'not-applicable', 'not-applicable', /not applicable, attested/],
    ['an expired attestation', { attestations: [attestation({ expires: '2026-12-04' })] }, 'C-MANUAL', 'manual', 'unmapped', /attestation by ciso@example.com expired on 2026-12-04/],
    ['the latest of two attestations', { attestations: [attestation({ attestedAt: '2025-01-01', expires: '2026-01-01' }), attestation()] }, 'C-MANUAL', 'satisfied', 'attested', /on 2026-11-01/],
    ['an organization-wide exception on a manual control', { exceptions: [exception({ control: 'C-MANUAL' })] }, 'C-MANUAL', 'excepted', 'unmapped', /covered by an exception owned by owner@example.com/],
    ['an expired exception on a manual control', { exceptions: [exception({ control: 'C-MANUAL', expires: '2026-11-30' })] }, 'C-MANUAL', 'failed', 'unmapped', /expired on 2026-11-30/],
    ['a mapped check that produced no result', { checkResults: [result('pass', alpha)] }, 'C-RETENTION', 'unknown', 'not-evaluated', /none of the 1 mapped check\(s\) produced a result/],
    ['an attestation where the mapped check did not run', { attestations: [attestation({ control: 'C-RETENTION' })] }, 'C-RETENTION', 'satisfied', 'attested', /attested/],
    ['automated evidence outranks an attestation', { checkResults: [result('fail', alpha, { checkId: 'securitylake.retention', scope: { region: 'us-east-1' } })], attestations: [attestation({ control: 'C-RETENTION' })] }, 'C-RETENTION', 'failed', 'automated', /1 failing/],
  ])('%s', (_name, input, id, expected, coverage, reason) => {
    const c = control(build(input as Partial<EvidenceInput>), id);
    expect({ result: c.result, coverage: c.coverage }).toEqual({ result: expected, coverage });
    expect(c.reason).toMatch(reason);
  });

  it('lists failing scopes with account, OU and raw evidence, and every failing account', () => {
    const c = control(build({ checkResults: [result('fail', alpha), result('fail', beta), result('pass', beta, { scope: { accountId: beta.id, region: 'us-east-1' } })] }), 'C-AUTO');
    expect(c.failingTotal).toBe(2);
    expect(c.failingAccountIds).toEqual(['111111111111', '222222222222']);
    expect(c.failing[0]).toMatchObject({ resultId: 'org.pci-accounts-isolated@111111111111', accountName: 'alpha', ou: 'Workloads/Pci', status: 'fail', detail: 'fail for alpha' });
    expect(JSON.parse(c.failing[0].evidence!)).toEqual({ account: '111111111111', ou: 'Workloads/Pci' });
    expect(c.scope).toEqual({ accounts: 2, regions: ['us-east-1'], organizationWide: false });
    expect(c.remediation[0]).toMatch(/Move the account/);
    expect(c.severity).toBe('HIGH');
  });

  it('counts, per exception, the results it covers, and flags exceptions for controls that do not exist', () => {
    const report = build({
      checkResults: [result('fail', alpha), result('fail', beta)],
      exceptions: [exception({ scope: { accounts: ['alpha', 'beta'] } }), exception({ control: 'C-NOPE' })],
    });
    expect(report.frameworks[0].exceptions.map((e) => [e.control, e.matched, e.covers, e.state])).toEqual([['C-AUTO', true, 2, 'active'], ['C-NOPE', false, 0, 'active']]);
    expect(report.inputs.unmatched).toEqual([{ kind: 'exception', framework: 'test-fw', control: 'C-NOPE' }]);
    expect(control(report, 'C-AUTO').exceptedTotal).toBe(2);
  });

  it('judges only PCI accounts (and organization-wide results) for a PCI-scoped framework', () => {
    const report = buildEvidenceReport({ now: NOW, frameworks: [testFramework('pci-accounts')], describer, accounts: ACCOUNTS, checkResults: [result('pass', alpha), result('fail', beta)] }).report;
    expect(report.frameworks[0].controls[0].result).toBe('satisfied');
    expect(report.frameworks[0].accounts.map((a) => a.accountName)).toEqual(['alpha']);
    expect(report.frameworks[0].resultsUsed).toBe(1);
  });

  it('accounts for every input: unknown checks and items are counted, not dropped', () => {
    const report = build({ checkResults: [result('pass', alpha), result('pass', alpha, { checkId: 'no.such-check' }), result('fail', alpha, { checkId: 'securityhub.control-results', item: 'IAM.999' })] });
    expect(report.inputs.checkResults).toBe(3);
    expect(report.inputs.unknownChecks).toEqual([{ ref: 'no.such-check', count: 1 }, { ref: 'securityhub.control-results:IAM.999', count: 1 }]);
    expect(report.frameworks[0].resultsUsed).toBe(1);
  });

  it('breaks results down per account and per OU, ancestors included', () => {
    const report = build({ checkResults: [result('fail', alpha), result('pass', beta)] });
    const f = report.frameworks[0];
    expect(f.accounts).toEqual([
      { accountId: '111111111111', accountName: 'alpha', ou: 'Workloads/Pci', failedControls: 1, unknownControls: 0, evaluatedControls: 1 },
      { accountId: '222222222222', accountName: 'beta', ou: 'Workloads/NonPci', failedControls: 0, unknownControls: 0, evaluatedControls: 1 },
    ]);
    expect(f.ous).toEqual([
      { ou: 'Workloads', accounts: 2, accountsFailing: 1, failedControlAccounts: 1 },
      { ou: 'Workloads/NonPci', accounts: 1, accountsFailing: 0, failedControlAccounts: 0 },
      { ou: 'Workloads/Pci', accounts: 1, accountsFailing: 1, failedControlAccounts: 1 },
    ]);
    expect(f.results).toMatchObject({ failed: 1, manual: 1, unknown: 1 });
    expect(f.coverage).toEqual({ total: 3, automated: 1, attested: 0, 'not-applicable': 0, 'not-evaluated': 1, unmapped: 1 });
    expect(f.groups[0]).toMatchObject({ id: 'G', controls: 3, results: { failed: 1, manual: 1, unknown: 1 } });
  });

  it('is deterministic: the same results in another order give the same report', () => {
    const results = [result('fail', alpha), result('pass', beta), result('pass', alpha, { checkId: 'securitylake.retention', scope: { region: 'us-east-1' } }), result('pass', alpha)];
    const a = build({ checkResults: results });
    const b = build({ checkResults: [...results].reverse() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // A repeated result for the same check and scope gets its own id, ordered by content.
    expect(control(a, 'C-AUTO').failing[0].resultId).toBe('org.pci-accounts-isolated@111111111111');
    expect(buildEvidenceReport({ now: NOW, frameworks: [testFramework()], describer, checkResults: results, accounts: ACCOUNTS }).report.frameworks[0].resultsUsed).toBe(4);
  });
});

describe('history against the previous report', () => {
  const at = (date: string) => new Date(`${date}T06:00:00Z`);
  const first = buildEvidenceReport({ now: at('2026-12-01'), frameworks: [testFramework()], describer, accounts: ACCOUNTS, checkResults: [result('pass', alpha)] }).report;

  it.each([
    ['no previous report', undefined, [result('pass', alpha)], 'new', undefined, '2026-12-05T06:00:00.000Z'],
    ['the same result', [first], [result('pass', alpha)], 'unchanged', 'satisfied', '2026-12-01T06:00:00.000Z'],
    ['satisfied, now failed', [first], [result('fail', alpha)], 'regressed', 'satisfied', '2026-12-05T06:00:00.000Z'],
    ['satisfied, now unknown', [first], [result('unknown', alpha)], 'regressed', 'satisfied', '2026-12-05T06:00:00.000Z'],
  ])('%s', (_name, previous, checkResults, change, previousResult, since) => {
    const c = control(build({ previous, checkResults }), 'C-AUTO');
    expect(c.history).toEqual({ change, ...(previousResult ? { previousResult } : {}), since });
  });

  it('failed, now satisfied, is fixed; the second run keeps the date the fix was first seen', () => {
    const failed = buildEvidenceReport({ now: at('2026-12-02'), frameworks: [testFramework()], describer, accounts: ACCOUNTS, checkResults: [result('fail', alpha)] }).report;
    const fixed = buildEvidenceReport({ now: at('2026-12-03'), frameworks: [testFramework()], describer, accounts: ACCOUNTS, checkResults: [result('pass', alpha)], previous: [failed] }).report;
    expect(control(fixed, 'C-AUTO').history).toEqual({ change: 'fixed', previousResult: 'failed', since: '2026-12-03T06:00:00.000Z' });
    const later = build({ checkResults: [result('pass', alpha)], previous: [fixed] });
    expect(control(later, 'C-AUTO').history).toEqual({ change: 'unchanged', previousResult: 'satisfied', since: '2026-12-03T06:00:00.000Z' });
    expect(later.frameworks[0].history).toEqual({ new: 0, fixed: 0, regressed: 0, unchanged: 3 });
    expect(later.previous).toEqual({ generatedAt: '2026-12-03T06:00:00.000Z' });
  });
});

describe('check result input', () => {
  it('rejects malformed records with the field and reason, keeping the good ones', () => {
    const parsed = parseCheckResults([result('pass', alpha), { ...result('pass', alpha), status: 'ok' }, { checkId: 'x' }, { ...result('pass'), scope: { accountId: '123' } }]);
    expect(parsed.results).toHaveLength(1);
    expect(parsed.rejected.map((r) => r.at)).toEqual([1, 2, 3]);
    expect(parsed.rejected[0].reason).toMatch(/^status: /);
    expect(parsed.rejected[2].reason).toMatch(/scope.accountId: a 12-digit account id/);
  });

  it('reads JSON lines, numbering lines from 1 and skipping blank ones', () => {
    const text = `${JSON.stringify(result('pass', alpha))}\n\nnot json\n${JSON.stringify({ ...result('fail', beta), observedAt: 'yesterday' })}\n`;
    const parsed = parseCheckResultLines(text);
    expect(parsed.results).toHaveLength(1);
    expect(parsed.rejected.map((r) => r.at)).toEqual([3, 4]);
    expect(parsed.rejected[0].reason).toMatch(/not JSON/);
  });
});

describe('results of per-item checks', () => {
  it('count for a control mapped to the whole check and for one mapped to one item', () => {
    const framework = testFramework();
    framework.controls = [
      { id: 'ALL-SOURCES', title: 'All sources', groupPath: [], responsibility: 'customer', checks: [{ ref: 'securitylake.sources-collecting', basis: 'test' }] },
      { id: 'TRAIL', title: 'CloudTrail', groupPath: [], responsibility: 'customer', checks: [{ ref: 'securitylake.sources-collecting:CLOUD_TRAIL_MGMT', basis: 'test' }] },
    ];
    const source = (item: string | undefined, status: 'pass' | 'fail') => result(status, alpha, { checkId: 'securitylake.sources-collecting', ...(item ? { item } : {}) });
    const { report } = buildEvidenceReport({
      now: NOW, frameworks: [framework], describer, accounts: ACCOUNTS,
      checkResults: [source('CLOUD_TRAIL_MGMT', 'pass'), source('VPC_FLOW', 'fail'), source(undefined, 'pass')],
    });
    const [all, trail] = report.frameworks[0].controls;
    expect(all.checks[0].counts).toEqual({ pass: 2, fail: 1, unknown: 0, 'not-applicable': 0 });
    expect(all.result).toBe('failed');
    expect(trail.checks[0].counts).toEqual({ pass: 1, fail: 0, unknown: 0, 'not-applicable': 0 });
    expect(trail.result).toBe('satisfied');
  });
});
