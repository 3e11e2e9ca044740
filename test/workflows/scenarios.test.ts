import type { DriftType } from '../../config/driftTypeNames';
import { SCENARIOS } from '../../sandbox/scenarios';
import { autoRemediatingPciOrg, openSession, seededSandbox, workflowsOf } from './harness';

/** The drift each FakeAws scenario must show, and nothing else. */
const EXPECTED: Record<string, DriftType> = {
  'pci-account-moved': 'AccountMovedOu',
  'pci-scp-detached': 'ScpDetached',
  'pci-scp-edited': 'ScpUpdated',
  'pci-standard-disabled': 'PciStandardMissing',
  'pci-control-disabled': 'ConfigurationPolicyMismatch',
  'securitylake-source-stopped': 'AwsSourceNotCollecting',
  'securitylake-replication-removed': 'ReplicationMismatch',
  'securitylake-custom-source-deleted': 'CustomSourceMissing',
  'config-recorder-stopped': 'ConfigRecorderStopped',
  'conformance-pack-deleted': 'ConformancePackMissing',
  'delegated-admin-deregistered': 'DelegatedAdminMismatch',
  'role-trusted-by-external-account': 'ExternalTrustOnRole',
  'pci-role-trusted-by-non-pci-account': 'PciSegmentationPath',
};

const config = autoRemediatingPciOrg();

beforeAll(() => {
  workflowsOf(config);
}, 120_000);

describe('DriftCheck and Remediate on the FakeAws scenarios (pci-org, every type remediated where policy may)', () => {
  it('knows the drift of every scenario FakeAws has', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it('finds a freshly seeded organization clean: no drift, every scope read, nothing to remediate', async () => {
    const fake = await seededSandbox(config);
    const session = await openSession(config, fake, { approvals: 'auto' });
    const check = await session.driftCheck();
    expect(check.report.drifts).toEqual([]);
    expect(check.report.unknownScopes).toEqual([]);
    expect(check.summary.remediable).toEqual({ auto: 0, approve: 0 });
    const remediation = await session.remediate({ after: check.summary });
    expect(remediation.records).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: reports exactly its drift, repairs it, then finds none and plans nothing', async (name, scenario) => {
    const fake = await seededSandbox(config);
    const session = await openSession(config, fake, { approvals: 'auto' });
    await scenario.apply(fake, {});

    const before = await session.driftCheck();
    expect(before.report.drifts.map((d) => d.type)).toEqual([EXPECTED[name]]);
    expect(before.report.drifts[0].scopeKnown).toBe(true);
    // Deregistering Security Lake's administrator takes its view away too: those scopes are unknown, not clean.
    const unreadable = name === 'delegated-admin-deregistered' ? before.report.unknownScopes.map((u) => `${u.kind} ${u.error.code}`) : [];
    expect(unreadable.every((u) => u === 'securitylake.region AccessDeniedException')).toBe(true);
    if (name !== 'delegated-admin-deregistered') expect(before.report.unknownScopes).toEqual([]);

    const remediation = await session.remediate({ after: before.summary });
    expect(remediation.records.map((r) => [r.outcome, r.driftIds])).toEqual([['applied', [before.report.drifts[0].id]]]);
    expect(remediation.summary.remaining).toEqual([]);
    const record = remediation.records[0];
    expect(record.before.length).toBeGreaterThan(0);
    expect(record.after.every((s) => s.state?.status === 'ok')).toBe(true);
    if (['AccountMovedOu', 'PciSegmentationPath'].includes(EXPECTED[name])) expect(record.approval?.decision).toBe('approved');

    const after = await session.driftCheck();
    expect(after.report.drifts).toEqual([]);
    expect(after.report.unknownScopes).toEqual([]);
    expect(after.summary.remediable).toEqual({ auto: 0, approve: 0 });
    session.close();
  });
});
