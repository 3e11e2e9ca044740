import { DRIFT_TYPE_NAMES } from '../../config/driftTypeNames';
import { detectDrift } from '../../engine/detectDrift';
import type { Inventory, ScopeKind, UnknownScopeState } from '../../engine/inventory';
import type { CheckResult } from '../../evidence/checkResult';
import { ACCESS_DENIALS_RECORDED, AUDIT_EVENTS_PRESENT, AUDIT_LOG_FIELDS } from '../../evidence/lakeLoggingChecks';
import { BUILTIN_CATALOGS } from '../../frameworks/catalogs';
import { loadCheckCatalogue } from '../../frameworks/checks';
import { DRIFT_SCENARIOS } from '../engine/driftScenarios';
import { IDS, ok, ouId, pciOrg } from '../engine/fixtures';
import { evidenceInventory, lockedBucket, runChecks, statusesOf } from './checkFixtures';

const { desired } = pciOrg();
const PCI_CONTROLS = BUILTIN_CATALOGS.securityHubPci.controls.map((c) => c.securityControlId);
const REGIONS = desired.enabledRegions;

function results(mutate: (inventory: Inventory) => void = () => undefined, bucket = lockedBucket()): CheckResult[] {
  const inventory = evidenceInventory();
  mutate(inventory);
  return runChecks(inventory, { evidenceBucket: bucket });
}

const where = (r: CheckResult) => `${r.checkId}${r.item ? `:${r.item}` : ''}@${r.scope.accountId ?? r.scope.accountName ?? 'org'}/${r.scope.region ?? '-'}`;
const notPassing = (list: CheckResult[]) => list.filter((r) => r.status !== 'pass').map((r) => `${where(r)} ${r.status}`);

describe('checks over a clean pci-org inventory', () => {
  const clean = results();

  it('every result passes', () => {
    expect(notPassing(clean)).toEqual([]);
  });

  it('produces every check of the catalogue but those read from the data lake\'s logs', () => {
    const fromLake = new Set([AUDIT_EVENTS_PRESENT, AUDIT_LOG_FIELDS, ACCESS_DENIALS_RECORDED]);
    expect(new Set(clean.map((r) => r.checkId))).toEqual(new Set(loadCheckCatalogue().checks.map((c) => c.id).filter((id) => !fromLake.has(id))));
  });

  it('judges every PCI control of Security Hub in each PCI account and Region, and only there', () => {
    const controls = clean.filter((r) => r.checkId === 'securityhub.control-results');
    expect(controls).toHaveLength(PCI_CONTROLS.length * 2 * REGIONS.length);
    expect(new Set(controls.map((r) => r.scope.accountId))).toEqual(new Set([IDS.paymentsProd, IDS.paymentsStaging]));
  });

  it('records when the state was observed, and where', () => {
    expect(new Set(clean.map((r) => r.observedAt))).toEqual(new Set(['2026-12-04T10:00:00Z']));
    const moved = clean.find((r) => r.checkId === 'org.pci-accounts-isolated' && r.scope.accountId === IDS.paymentsProd);
    expect(moved?.scope).toEqual({ accountId: IDS.paymentsProd, accountName: 'payments-prod', ou: 'Workloads/Pci' });
  });

  it('is deterministic', () => {
    expect(results()).toEqual(clean);
  });
});

/** For each kind of scope, the checks that read nothing else: with every such scope unreadable, none of them may pass or fail. */
const DEPENDENTS: [ScopeKind, string[]][] = [
  ['organizations.structure', ['org.pci-accounts-isolated', 'drift.AccountMovedOu', 'drift.AccountRemoved', 'drift.AccountNotInConfig', 'drift.OuDeleted', 'drift.ScpDetached']],
  ['organizations.policies', ['org.pci-guardrail-scps-attached', 'drift.ScpMissing', 'drift.ScpUpdated', 'drift.ScpDetached']],
  ['organizations.trustedAccess', ['drift.TrustedAccessDisabled']],
  ['organizations.delegatedAdministrators', ['drift.DelegatedAdminMismatch']],
  ['securityhub.organization', ['drift.ConfigurationPolicyMismatch', 'drift.ConfigurationPolicyAssociationMismatch']],
  ['securityhub.account', [
    'securityhub.pci-standard-enabled', 'securityhub.control-results', 'drift.SecurityHubDisabled', 'drift.PciStandardMissing', 'drift.StandardMissing',
    'drift.StandardNotConfigured', 'drift.SecurityHubControlDisabled',
  ]],
  ['securitylake.region', [
    'securitylake.sources-collecting', 'securitylake.retention', 'drift.DataLakeMissing', 'drift.DataLakeConfigurationMismatch', 'drift.ReplicationMismatch',
    'drift.AwsSourceNotCollecting', 'drift.CustomSourceMissing', 'drift.CustomSourceWrongClass', 'drift.OrgAutoEnableOff',
  ]],
  ['config.recorder', ['drift.ConfigRecorderStopped']],
  ['config.aggregators', ['drift.ConfigAggregatorMissing']],
  ['config.conformancePacks', ['config.conformance-pack-compliance', 'drift.ConformancePackMissing']],
  ['accessanalyzer.region', ['accessanalyzer.active', 'accessanalyzer.no-unresolved-external-trust', 'drift.AnalyzerMissing', 'drift.ExternalTrustOnRole']],
  ['iam.account', ['drift.PciSegmentationPath']],
];

const DENIED: UnknownScopeState = { status: 'unknown', error: { code: 'AccessDeniedException', message: 'not authorized' } };

/** Replaces every scope of a kind with `state` (unknown), or removes it (never collected). */
function lose(inventory: Inventory, kind: ScopeKind, state: UnknownScopeState | undefined): void {
  const set = <T extends object>(holder: T, key: keyof T) => {
    if (state) (holder as Record<string, unknown>)[key as string] = state;
    else delete (holder as Record<string, unknown>)[key as string];
  };
  const org = inventory.organization as unknown as Record<string, unknown>;
  switch (kind) {
    case 'organizations.structure': org.structure = state ?? DENIED; break; // the organization document requires these four
    case 'organizations.policies': org.policies = state ?? DENIED; break;
    case 'organizations.trustedAccess': org.trustedAccess = state ?? DENIED; break;
    case 'organizations.delegatedAdministrators': org.delegatedAdministrators = state ?? DENIED; break;
    case 'securityhub.organization': set(inventory.securityHub, 'organization'); break;
    case 'config.aggregators': set(inventory.config, 'aggregators'); break;
    case 'securitylake.region': for (const r of Object.keys(inventory.securityLake.regions)) set(inventory.securityLake.regions, r); break;
    case 'config.conformancePacks': for (const r of Object.keys(inventory.config.conformancePacks)) set(inventory.config.conformancePacks, r); break;
    case 'accessanalyzer.region': for (const r of Object.keys(inventory.accessAnalyzer.regions)) set(inventory.accessAnalyzer.regions, r); break;
    case 'securityhub.account': for (const a of Object.values(inventory.accounts)) for (const r of Object.values(a.regions)) set(r, 'securityHub'); break;
    case 'config.recorder': for (const a of Object.values(inventory.accounts)) for (const r of Object.values(a.regions)) set(r, 'config'); break;
    case 'iam.account': for (const a of Object.values(inventory.accounts)) set(a, 'iam'); break;
  }
}

describe('a scope that could not be read never reads as compliant', () => {
  it('names every kind of scope', () => {
    expect(DEPENDENTS.map(([kind]) => kind).sort()).toEqual(['accessanalyzer.region', 'config.aggregators', 'config.conformancePacks', 'config.recorder', 'iam.account', 'organizations.delegatedAdministrators', 'organizations.policies', 'organizations.structure', 'organizations.trustedAccess', 'securityhub.account', 'securityhub.organization', 'securitylake.region']);
  });

  describe.each([['unreadable (AccessDenied)', DENIED], ['never collected', undefined]] as const)('%s', (_label, state) => {
    it.each(DEPENDENTS)('%s: its checks are unknown', (kind, checks) => {
      const out = results((inv) => lose(inv, kind, state));
      for (const checkId of checks) {
        const statuses = statusesOf(out, checkId);
        expect([checkId, statuses]).toEqual([checkId, { unknown: expect.any(Number) }]);
      }
    });
  });

  it('Security Hub control results without collected findings are unknown', () => {
    const out = results((inv) => {
      const hub = ok(inv.accounts[IDS.paymentsProd].regions['us-east-1']?.securityHub);
      delete hub.findings;
    });
    const here = out.filter((r) => r.checkId === 'securityhub.control-results' && r.scope.accountId === IDS.paymentsProd && r.scope.region === 'us-east-1');
    expect(new Set(here.map((r) => r.status))).toEqual(new Set(['unknown']));
    expect(here).toHaveLength(PCI_CONTROLS.length);
    expect(notPassing(out)).toHaveLength(PCI_CONTROLS.length);
  });

  it('the evidence bucket is unknown when nobody inspected it, or the inspection failed', () => {
    const inventory = evidenceInventory();
    expect(statusesOf(runChecks(inventory), 'evidence.bucket-object-locked')).toEqual({ unknown: 1 });
    const failed = runChecks(inventory, { evidenceBucket: { bucket: 'b', observedAt: '2026-12-04T10:00:00Z', state: { status: 'unknown', error: { code: 'AccessDenied', message: 'no' } } } });
    expect(statusesOf(failed, 'evidence.bucket-object-locked')).toEqual({ unknown: 1 });
  });
});

describe('findings fail exactly where they are', () => {
  const control = PCI_CONTROLS[0];
  const cases: [string, (inv: Inventory) => void, string[]][] = [
    ['a FAILED control finding fails that control in that account and Region', (inv) => {
      ok(inv.accounts[IDS.paymentsProd].regions['us-east-2']?.securityHub).findings?.failedControlIds.push(control);
    }, [`securityhub.control-results:${control}@${IDS.paymentsProd}/us-east-2 fail`]],
    ['a control disabled without the configuration saying so is not evaluated', (inv) => {
      ok(inv.accounts[IDS.paymentsStaging].regions['us-east-1']?.securityHub).disabledControls.push({ controlId: control });
    }, [`securityhub.control-results:${control}@${IDS.paymentsStaging}/us-east-1 unknown`, `drift.SecurityHubControlDisabled@${IDS.paymentsStaging}/us-east-1 fail`]],
    ['the PCI standard still PENDING leaves the standard and its controls unknown', (inv) => {
      const hub = ok(inv.accounts[IDS.paymentsProd].regions['us-west-2']?.securityHub);
      hub.standards = hub.standards.map((s) => (s.standardArn.includes('pci-dss') ? { ...s, status: 'PENDING' as const } : s));
    }, [`securityhub.pci-standard-enabled@${IDS.paymentsProd}/us-west-2 unknown`, ...PCI_CONTROLS.map((c) => `securityhub.control-results:${c}@${IDS.paymentsProd}/us-west-2 unknown`)]],
    ['a rule NON_COMPLIANT in one account fails there only', (inv) => {
      const pack = ok(inv.config.conformancePacks['us-east-1']).packs.find((p) => p.name === 'rampart-pci-dss-4');
      const rule = pack?.rules.find((r) => r.ruleName === 'access-keys-rotated');
      if (rule) Object.assign(rule, { compliance: 'NON_COMPLIANT', nonCompliantAccountIds: [IDS.webProd] });
    }, [`config.conformance-pack-compliance:access-keys-rotated@${IDS.webProd}/us-east-1 fail`]],
    ['a rule with INSUFFICIENT_DATA is unknown organization-wide', (inv) => {
      const pack = ok(inv.config.conformancePacks['us-east-2']).packs.find((p) => p.name === 'rampart-pci-dss-4');
      const rule = pack?.rules.find((r) => r.ruleName === 'access-keys-rotated');
      if (rule) rule.compliance = 'INSUFFICIENT_DATA';
    }, ['config.conformance-pack-compliance:access-keys-rotated@security-tooling/us-east-2 unknown']],
    ['an account excluded from a pack outside the configuration is not evaluated', (inv) => {
      const pack = ok(inv.config.conformancePacks['us-west-2']).packs.find((p) => p.name === 'rampart-nist-800-53-r5');
      if (pack) pack.excludedAccountIds = [IDS.analytics];
    }, ['*config.conformance-pack-compliance']],
    ['a lake lifecycle shorter than twelve months fails retention in that Region', (inv) => {
      const lake = ok(inv.securityLake.regions['us-east-2']).dataLake;
      if (lake) lake.lifecycle.expirationDays = 200;
    }, ['securitylake.retention@log-archive/us-east-2 fail', 'drift.DataLakeConfigurationMismatch@log-archive/us-east-2 fail']],
    ['logs moved to Glacier Flexible Retrieval before 90 days fail retention', (inv) => {
      const lake = ok(inv.securityLake.regions['us-west-2']).dataLake;
      if (lake) lake.lifecycle.transitions = [{ days: 30, storageClass: 'GLACIER' }];
    }, ['securitylake.retention@log-archive/us-west-2 fail', 'drift.DataLakeConfigurationMismatch@log-archive/us-west-2 fail']],
    ['a source not collecting for one account fails there', (inv) => {
      const sources = ok(inv.securityLake.regions['us-east-1']).awsSources[IDS.paymentsProd];
      sources[0] = { ...sources[0], status: 'NOT_COLLECTING' };
    }, [`securitylake.sources-collecting:CLOUD_TRAIL_MGMT@${IDS.paymentsProd}/us-east-1 fail`, `drift.AwsSourceNotCollecting@${IDS.paymentsProd}/us-east-1 fail`]],
    ['an external principal on a PCI role fails external trust there, in the Region that reports it', (inv) => {
      ok(inv.accessAnalyzer.regions['us-east-1']).findings.push(finding(IDS.paymentsProd, 'vendor', '210987654321'));
    }, [`accessanalyzer.no-unresolved-external-trust@${IDS.paymentsProd}/us-east-1 fail`, `drift.ExternalTrustOnRole@${IDS.paymentsProd}/- fail`]],
    ['the allowlisted auditor role passes in the PCI accounts it is allowed into', (inv) => {
      ok(inv.accessAnalyzer.regions['us-east-1']).findings.push(finding(IDS.paymentsProd, 'qsa', 'arn:aws:iam::999999999999:role/AuditorReadOnly'));
    }, []],
    ['the same auditor role on a non-PCI account fails there', (inv) => {
      ok(inv.accessAnalyzer.regions['us-east-1']).findings.push(finding(IDS.webProd, 'qsa', 'arn:aws:iam::999999999999:role/AuditorReadOnly'));
    }, [`accessanalyzer.no-unresolved-external-trust@${IDS.webProd}/us-east-1 fail`, `drift.ExternalTrustOnRole@${IDS.webProd}/- fail`]],
    ['a break-glass role exempt in security.yaml passes', (inv) => {
      ok(inv.accessAnalyzer.regions['us-east-1']).findings.push(finding(IDS.paymentsProd, 'break-glass/admin', '210987654321'));
    }, []],
    ['a missing analyzer fails in its Region and leaves external trust there unknown', (inv) => {
      ok(inv.accessAnalyzer.regions['us-west-2']).analyzers = [];
    }, ['accessanalyzer.active@security-tooling/us-west-2 fail', 'drift.AnalyzerMissing@security-tooling/us-west-2 fail', '*accessanalyzer.no-unresolved-external-trust']],
    ['a non-PCI account moved into the PCI OU fails isolation', (inv) => {
      const account = ok(inv.organization.structure).accounts.find((a) => a.id === IDS.analytics);
      if (account) account.parentId = ouId(inv, 'Workloads/Pci');
    }, [
      `org.pci-accounts-isolated@${IDS.analytics}/- fail`, `drift.AccountMovedOu@${IDS.analytics}/- fail`,
      // In the PCI OU it is in PCI DSS scope, where its hub (still governed by the baseline policy) lacks the PCI standard.
      ...REGIONS.map((r) => `securityhub.pci-standard-enabled@${IDS.analytics}/${r} fail`), '*securityhub.control-results',
    ]],
  ];

  it.each(cases)('%s', (_name, mutate, expected) => {
    const out = notPassing(results(mutate));
    const wildcards = expected.filter((e) => e.startsWith('*')).map((e) => e.slice(1));
    const exact = expected.filter((e) => !e.startsWith('*'));
    expect(out.filter((line) => !wildcards.some((w) => line.startsWith(`${w}@`) || line.startsWith(`${w}:`))).sort()).toEqual(exact.sort());
    for (const w of wildcards) expect(out.some((line) => line.startsWith(w))).toBe(true);
  });
});

function finding(accountId: string, roleName: string, principal: string) {
  return {
    id: `finding-${roleName.replace(/\W/g, '')}`, analyzerArn: `arn:aws:access-analyzer:us-east-1:${IDS.securityTooling}:analyzer/rampart-organization`,
    resource: `arn:aws:iam::${accountId}:role/${roleName}`, resourceType: 'AWS::IAM::Role', resourceOwnerAccount: accountId, status: 'ACTIVE' as const,
    principal: { AWS: principal }, actions: ['sts:AssumeRole'], condition: {}, isPublic: false,
  };
}

describe('the evidence bucket', () => {
  const base = lockedBucket();
  const state = base.state as Extract<typeof base.state, { status: 'ok' }>;
  it.each([
    ['governance mode', { objectLock: { enabled: true, mode: 'GOVERNANCE' as const, days: 2555 } }, /GOVERNANCE mode/],
    ['a retention shorter than evidence.retentionDays', { objectLock: { enabled: true, mode: 'COMPLIANCE' as const, days: 365 } }, /365 days.*2555/],
    ['no Object Lock', { objectLock: { enabled: false } }, /Object Lock is not enabled/],
    ['SSE-S3 rather than KMS', { encryption: { algorithm: 'AES256' } }, /AES256; expected KMS/],
    ['no TLS-only policy', { tlsOnly: false }, /without TLS/],
    ['versioning suspended', { versioning: 'Suspended' as const }, /versioning is Suspended/],
  ])('fails with %s', (_name, change, message) => {
    const out = runChecks(evidenceInventory(), { evidenceBucket: { ...base, state: { ...state, ...change } } }).filter((r) => r.checkId === 'evidence.bucket-object-locked');
    expect(out.map((r) => r.status)).toEqual(['fail']);
    expect(out[0].detail).toMatch(message);
  });

  it('passes with years of compliance-mode retention', () => {
    const out = runChecks(evidenceInventory(), { evidenceBucket: { ...base, state: { ...state, objectLock: { enabled: true, mode: 'COMPLIANCE', years: 7 } } } });
    expect(statusesOf(out, 'evidence.bucket-object-locked')).toEqual({ pass: 1 });
  });
});

describe('drift.<Type>: each drift fails its own check, in the accounts it affects', () => {
  it.each(DRIFT_SCENARIOS.map((s, i) => [s.type, s.name, i] as const))('%s: %s', (type, _name, index) => {
    const scenario = DRIFT_SCENARIOS[index];
    const want = scenario.desired ? scenario.desired(desired) : desired;
    const inventory = evidenceInventory(want);
    scenario.mutate(inventory);
    const report = detectDrift(want, inventory);
    const out = runChecks(inventory, { desired: want, evidenceBucket: lockedBucket() });
    const failedDriftChecks = new Set(out.filter((r) => r.checkId.startsWith('drift.') && r.status === 'fail').map((r) => r.checkId));
    expect([...failedDriftChecks]).toEqual([`drift.${type}`]);
    // Every drift is cited by a failing result: none is lost between detection and evidence.
    const cited = new Set(out.filter((r) => r.status === 'fail').map((r) => (r.evidence as { driftId?: string } | undefined)?.driftId));
    for (const drift of report.drifts) expect(cited.has(drift.id)).toBe(true);
    expect(out.filter((r) => r.checkId.startsWith('drift.') && r.status === 'unknown')).toEqual([]);
  });

  it('covers every drift type', () => {
    expect(new Set(DRIFT_SCENARIOS.map((s) => s.type))).toEqual(new Set(DRIFT_TYPE_NAMES));
  });

  it.each([
    ['PCI guardrail SCP edited', 'drift.ScpUpdated', [IDS.paymentsProd, IDS.paymentsStaging]],
    ['PCI guardrail SCP detached from the PCI OU', 'drift.ScpDetached', [IDS.paymentsProd, IDS.paymentsStaging]],
    ['PCI standard removed from the central configuration policy', 'drift.ConfigurationPolicyMismatch', [IDS.paymentsProd, IDS.paymentsStaging]],
    ['configured SCP deleted', 'drift.ScpMissing', [IDS.webProd, IDS.analytics, IDS.paymentsProd, IDS.paymentsStaging]],
  ])('%s fails %s in exactly the accounts it governs', (name, checkId, accounts) => {
    const scenario = DRIFT_SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    const inventory = evidenceInventory();
    scenario.mutate(inventory);
    const failing = runChecks(inventory).filter((r) => r.checkId === checkId && r.status === 'fail').map((r) => r.scope.accountId);
    expect(failing.sort()).toEqual([...accounts].sort());
  });
});
