import type { FrameworkReport } from '../../evidence/report';
import { parseCheckRef } from '../../frameworks/model';
import { FakeAws } from '../../sandbox';
import { SCENARIOS, findScenario } from '../../sandbox/scenarios';
import { IDS } from '../engine/fixtures';
import { evidenceFromSandbox, removeSeeded, seededPciOrg } from './fakeAwsEvidence';

/**
 * Evidence for the pci-org example on FakeAws, collected by the workflows' collectors: a clean
 * organization satisfies every PCI DSS requirement with automated evidence, and each named drift
 * scenario fails exactly the controls the check catalogue maps its failing checks to, in the
 * accounts it touches.
 *
 * The table says, per scenario, which checks fail and where (account ids; [] for an organization-
 * or Region-wide result): that is what the scenario does. Which controls must then fail is derived
 * from the frameworks' mappings, not written down.
 */
const PROD = IDS.paymentsProd;
const STAGING = IDS.paymentsStaging;
const PCI_ACCOUNTS: ReadonlySet<string> = new Set([PROD, STAGING]);
const FRAMEWORKS = ['pci-dss-4.0', 'nist-800-53-r5', 'cccs-medium-pbhva'];

const FAILING: Record<string, Record<string, string[]>> = {
  'pci-account-moved': { 'org.pci-accounts-isolated': [PROD], 'drift.AccountMovedOu': [PROD], 'securityhub.pci-standard-enabled': [PROD] },
  'pci-scp-detached': { 'org.pci-guardrail-scps-attached': [], 'drift.ScpDetached': [PROD, STAGING] },
  'pci-scp-edited': { 'org.pci-guardrail-scps-attached': [], 'drift.ScpUpdated': [PROD, STAGING] },
  'pci-standard-disabled': { 'securityhub.pci-standard-enabled': [PROD], 'drift.PciStandardMissing': [PROD] },
  'pci-control-disabled': { 'drift.ConfigurationPolicyMismatch': [PROD, STAGING] },
  'securitylake-source-stopped': { 'securitylake.sources-collecting:CLOUD_TRAIL_MGMT': [PROD], 'drift.AwsSourceNotCollecting': [PROD] },
  'securitylake-replication-removed': { 'drift.ReplicationMismatch': [] },
  'securitylake-custom-source-deleted': { 'drift.CustomSourceMissing': [] },
  'config-recorder-stopped': { 'drift.ConfigRecorderStopped': [PROD] },
  'conformance-pack-deleted': { 'drift.ConformancePackMissing': [] },
  'delegated-admin-deregistered': { 'drift.DelegatedAdminMismatch': [] },
  'role-trusted-by-external-account': { 'accessanalyzer.no-unresolved-external-trust': [PROD], 'drift.ExternalTrustOnRole': [PROD] },
  'pci-role-trusted-by-non-pci-account': { 'drift.PciSegmentationPath': [PROD] },
};

/** A control's mapping covers a failing reference: the same check and item, or the whole check. */
function covers(mapped: string, failing: string): boolean {
  if (mapped === failing) return true;
  const m = parseCheckRef(mapped);
  const f = parseCheckRef(failing);
  return m.checkId === f.checkId && (m.item === undefined || f.item === undefined);
}

/** Per control of the framework that must fail, the accounts it must name (those of its account-level failures in the framework's scope). */
function expectedFailures(framework: FrameworkReport, failing: Record<string, string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const control of framework.controls) {
    const accounts = new Set<string>();
    let fails = false;
    for (const check of control.checks) {
      for (const [ref, where] of Object.entries(failing)) {
        if (!covers(check.ref, ref)) continue;
        const inScope = framework.appliesTo === 'pci-accounts' ? where.filter((a) => PCI_ACCOUNTS.has(a)) : where;
        if (where.length > 0 && inScope.length === 0) continue;
        fails = true;
        inScope.forEach((a) => accounts.add(a));
      }
    }
    if (fails) out.set(control.id, [...accounts].sort());
  }
  return out;
}

let config: Awaited<ReturnType<typeof seededPciOrg>>['config'];
let stateFile: string;
beforeAll(async () => {
  ({ config, stateFile } = await seededPciOrg());
});
afterAll(removeSeeded);

describe('evidence for the pci-org example on FakeAws', () => {
  it('the table names every scenario', () => {
    expect(Object.keys(FAILING).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it('a clean organization satisfies every PCI DSS requirement with automated evidence, and fails nothing anywhere', async () => {
    const { build } = await evidenceFromSandbox(FakeAws.load(stateFile), config, FRAMEWORKS);
    const [pci, ...others] = build.report.frameworks;
    const automatable = pci.controls.filter((c) => c.checks.length > 0);
    expect(automatable.length).toBeGreaterThan(100);
    expect(automatable.filter((c) => c.result !== 'satisfied').map((c) => `${c.id} ${c.result}: ${c.reason}`)).toEqual([]);
    expect(pci.results.failed + pci.results.unknown).toBe(0);
    for (const f of others) expect([f.id, f.results.failed]).toEqual([f.id, 0]);
  });

  it.each(SCENARIOS.map((s) => [s.name] as const))('%s fails exactly the controls its failing checks map to, in the accounts it touches', async (name) => {
    const fake = FakeAws.load(stateFile);
    await (findScenario(name) as NonNullable<ReturnType<typeof findScenario>>).apply(fake, {});
    const { build, checkResults } = await evidenceFromSandbox(fake, config, FRAMEWORKS);

    const failingChecks = checkResults.filter((r) => r.status === 'fail');
    const actualFailing: Record<string, Set<string>> = {};
    for (const r of failingChecks) {
      const ref = r.item !== undefined && !(r.checkId in FAILING[name]) ? `${r.checkId}:${r.item}` : r.checkId;
      (actualFailing[ref] ??= new Set()).add(r.scope.accountId ?? '');
    }
    const expectedChecks = Object.fromEntries(Object.entries(FAILING[name]).map(([ref, where]) => [ref, where.length ? [...where].sort() : ['']]));
    expect(Object.fromEntries(Object.entries(actualFailing).map(([ref, set]) => [ref, [...set].sort()]))).toEqual(expectedChecks);

    for (const framework of build.report.frameworks) {
      const expected = expectedFailures(framework, FAILING[name]);
      const failed = framework.controls.filter((c) => c.result === 'failed');
      expect([framework.id, failed.map((c) => c.id).sort()]).toEqual([framework.id, [...expected.keys()].sort()]);
      for (const control of failed) {
        expect([framework.id, control.id, control.failingAccountIds]).toEqual([framework.id, control.id, expected.get(control.id)]);
        // Every failing finding says where: the account, or for organization-wide results the account holding the service or the OU.
        for (const finding of control.failing) expect(finding.accountId ?? finding.accountName ?? finding.ou).toBeDefined();
      }
      // Nothing reads as satisfied on a result that could not be determined.
      for (const control of framework.controls.filter((c) => c.result === 'satisfied')) {
        expect([control.id, control.checks.reduce((n, c) => n + c.counts.unknown, 0)]).toEqual([control.id, 0]);
      }
    }
  });
});
