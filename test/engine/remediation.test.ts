import type { DriftType } from '../../config/driftTypeNames';
import type { DesiredState } from '../../engine/desiredState';
import { detectDrift } from '../../engine/detectDrift';
import type { Drift, DriftReport } from '../../engine/drift';
import { readScope, type Inventory, type ScopeSnapshot } from '../../engine/inventory';
import {
  actionScopes, checkPrecondition, checkVerification, planRemediation, recheckDrift, recordAction, type PlannedAction, type RemediationPolicy,
} from '../../engine/remediation';
import { denySid } from '../../engine/trustPolicyDeny';
import { applyAction } from './applyAction';
import { DRIFT_SCENARIOS } from './driftScenarios';
import { cleanInventory, IDS, ok, pciOrg } from './fixtures';

const { desired, config } = pciOrg();
const allAuto: RemediationPolicy = { defaultMode: 'auto', policies: [], maxActionsPerRun: 100 };
const pciOrgPolicy: RemediationPolicy = config.governance.remediation;

function scenario(type: DriftType, name?: string) {
  const found = DRIFT_SCENARIOS.find((s) => s.type === type && (!name || s.name === name));
  if (!found) throw new Error(`no scenario ${type}`);
  const want = found.desired ? found.desired(desired) : desired;
  const inventory = cleanInventory(want);
  found.mutate(inventory);
  return { want, inventory, report: detectDrift(want, inventory) };
}

function reread(inventory: Inventory, planned: PlannedAction): ScopeSnapshot[] {
  return planned.rereads.map((ref) => ({ ref, state: structuredClone(readScope(inventory, ref)) }));
}

/** What a remediation run does: re-read, check the precondition, write, re-read, verify. Approvals are granted. */
function execute(want: DesiredState, inventory: Inventory, actions: PlannedAction[]): { outcomes: string[]; reasons: string[] } {
  const outcomes: string[] = [];
  const reasons: string[] = [];
  for (const planned of actions) {
    const before = reread(inventory, planned);
    const precondition = checkPrecondition(planned, recheckDrift(want, inventory, planned, before));
    let verification;
    let after: ScopeSnapshot[] = [];
    if (precondition.holds) {
      applyAction(inventory, planned.action);
      after = reread(inventory, planned);
      verification = checkVerification(planned, recheckDrift(want, inventory, planned, after));
    }
    const record = recordAction({
      planned, startedAt: '2026-12-04T10:01:00Z', finishedAt: '2026-12-04T10:01:02Z', precondition, before, after, ...(verification ? { verification } : {}),
      ...(planned.mode === 'approve' ? { approval: { decision: 'approved' as const, by: 'alice@example.com', at: '2026-12-04T10:00:30Z' } } : {}),
    });
    outcomes.push(record.outcome);
    reasons.push(`${planned.action.kind}: ${precondition.reason}${verification ? ` / ${verification.reason}` : ''}`);
  }
  return { outcomes, reasons };
}

describe('remediation repairs each scenario and a second run finds nothing', () => {
  const repairable = DRIFT_SCENARIOS.filter((s) => !['AccountRemoved', 'AccountNotInConfig'].includes(s.type));

  it.each(repairable.map((s) => [s.type, s.name] as const))('%s: %s', (type, name) => {
    const { want, inventory, report } = scenario(type, name);
    const plan = planRemediation(report, want, allAuto);
    expect(plan.reported).toEqual([]);
    expect(plan.actions.length).toBeGreaterThan(0);
    const { outcomes, reasons } = execute(want, inventory, plan.actions);
    expect({ outcomes, reasons }).toEqual({ outcomes: plan.actions.map(() => 'applied'), reasons });
    const second = detectDrift(want, inventory);
    expect(second.drifts).toEqual([]);
    expect(planRemediation(second, want, allAuto).actions).toEqual([]);
  });

  it.each([['AccountRemoved'], ['AccountNotInConfig']] as const)('%s is only reported, with what to do', (type) => {
    const { want, report } = scenario(type);
    const plan = planRemediation(report, want, allAuto);
    expect(plan.actions).toEqual([]);
    expect(plan.reported).toEqual([expect.objectContaining({ type, reason: expect.stringMatching(/^not remediated: .*organization\.yaml/) })]);
  });

  it('a deleted central configuration policy is re-created and re-associated in one run', () => {
    const inventory = cleanInventory();
    const view = ok(inventory.securityHub.organization);
    const pci = view.configurationPolicies.find((p) => p.name === 'pci');
    view.configurationPolicies = view.configurationPolicies.filter((p) => p !== pci);
    view.associations = view.associations.filter((a) => a.configurationPolicyId !== pci?.id);
    const report = detectDrift(desired, inventory);
    expect(report.drifts.map((d) => d.type)).toEqual(['ConfigurationPolicyMismatch']);
    const plan = planRemediation(report, desired, allAuto);
    expect(plan.actions.map((a) => a.action.kind)).toEqual(['CreateConfigurationPolicy']);
    expect(execute(desired, inventory, plan.actions).outcomes).toEqual(['applied']);
    expect(detectDrift(desired, inventory).drifts).toEqual([]);
  });

  it('nested OUs that were deleted are created parents first', () => {
    const at = { file: 'organization.yaml', line: 99, col: 5 };
    const want: DesiredState = {
      ...desired,
      organization: {
        ...desired.organization,
        organizationalUnits: [
          ...desired.organization.organizationalUnits,
          { path: 'Quarantine', name: 'Quarantine', parentPath: 'Root', pci: false, declaredAt: at },
          { path: 'Quarantine/Inner', name: 'Inner', parentPath: 'Quarantine', pci: false, declaredAt: at },
        ],
      },
    };
    const inventory = cleanInventory(want);
    const structure = ok(inventory.organization.structure);
    structure.organizationalUnits = structure.organizationalUnits.filter((o) => !o.path.startsWith('Quarantine'));
    const plan = planRemediation(detectDrift(want, inventory), want, allAuto);
    expect(plan.actions.map((a) => a.description)).toEqual(['create OU Quarantine under Root', 'create OU Inner under Quarantine']);
    expect(execute(want, inventory, plan.actions).outcomes).toEqual(['applied', 'applied']);
    expect(detectDrift(want, inventory).drifts).toEqual([]);
  });

  it('a re-run of the same plan after repair writes nothing: every precondition fails', () => {
    const { want, inventory, report } = scenario('ScpDetached');
    const plan = planRemediation(report, want, allAuto);
    execute(want, inventory, plan.actions);
    expect(execute(want, inventory, plan.actions).outcomes).toEqual(['skipped-precondition']);
  });
});

describe('modes from governance.yaml', () => {
  it('pci-org: a detached guardrail is repaired automatically', () => {
    const { report } = scenario('ScpDetached');
    const plan = planRemediation(report, desired, pciOrgPolicy);
    expect(plan.actions.map((a) => [a.action.kind, a.mode])).toEqual([['AttachPolicy', 'auto']]);
    expect(plan.actions[0].action).toMatchObject({ policyName: 'RampartPciRegionRestriction', targetName: 'Workloads/Pci' });
  });

  it('pci-org: a delegated admin mismatch waits for approval', () => {
    const { report } = scenario('DelegatedAdminMismatch');
    const plan = planRemediation(report, desired, pciOrgPolicy);
    expect(plan.actions.map((a) => [a.action.kind, a.mode, a.modeReason])).toEqual([['RegisterDelegatedAdministrator', 'approve', undefined]]);
  });

  it('pci-org: drift without a policy entry falls back to defaultMode report', () => {
    const { report } = scenario('OrgAutoEnableOff');
    const plan = planRemediation(report, desired, pciOrgPolicy);
    expect(plan.actions).toEqual([]);
    expect(plan.reported).toEqual([expect.objectContaining({ type: 'OrgAutoEnableOff', reason: 'governance.yaml defaultMode is report' })]);
  });

  it('a policy entry of report wins over an auto default', () => {
    const { report } = scenario('ScpUpdated');
    const plan = planRemediation(report, desired, { ...allAuto, policies: [{ drift: 'ScpUpdated', mode: 'report' }] });
    expect(plan.reported.map((r) => r.reason)).toEqual(['governance.yaml sets report for ScpUpdated']);
  });

  it('account moves are never automatic, even with defaultMode auto', () => {
    const { report } = scenario('AccountMovedOu');
    const plan = planRemediation(report, desired, allAuto);
    expect(plan.actions.map((a) => [a.action.kind, a.mode])).toEqual([['MoveAccount', 'approve']]);
    expect(plan.actions[0].modeReason).toMatch(/AccountMovedOu is never repaired automatically/);
    expect(plan.actions[0].action).toMatchObject({ accountId: IDS.paymentsProd, destinationPath: 'Workloads/Pci' });
  });

  it('segmentation paths are never automatic', () => {
    const { report } = scenario('PciSegmentationPath');
    expect(planRemediation(report, desired, allAuto).actions.map((a) => [a.action.kind, a.mode])).toEqual([['DenyRoleTrust', 'approve']]);
  });

  it('an account cannot move back into an OU that does not exist', () => {
    const { report, inventory } = scenario('AccountMovedOu');
    const structure = ok(inventory.organization.structure);
    structure.organizationalUnits = structure.organizationalUnits.filter((o) => o.path !== 'Workloads/Pci');
    const plan = planRemediation(detectDrift(desired, inventory), desired, allAuto);
    expect(report.drifts).toHaveLength(1);
    expect(plan.reported.find((r) => r.type === 'AccountMovedOu')?.reason).toMatch(/OU Workloads\/Pci does not exist/);
    expect(plan.actions.map((a) => a.action.kind)).toContain('CreateOrganizationalUnit');
  });
});

describe('what remediation never does', () => {
  it('never touches the management account', () => {
    const inventory = cleanInventory();
    ok(inventory.accounts[IDS.management].regions['us-east-1'].config).recorder = null;
    const plan = planRemediation(detectDrift(desired, inventory), desired, allAuto);
    expect(plan.actions).toEqual([]);
    expect(plan.reported).toEqual([expect.objectContaining({ type: 'ConfigRecorderStopped', reason: expect.stringMatching(/would change the management account, which Rampart never touches/) })]);
  });

  it('leaves the management account out of a log source enabled for many accounts', () => {
    const inventory = cleanInventory();
    const lake = ok(inventory.securityLake.regions['us-west-2']);
    for (const id of [IDS.management, IDS.webProd]) lake.awsSources[id] = lake.awsSources[id].filter((s) => s.sourceName !== 'SH_FINDINGS');
    const plan = planRemediation(detectDrift(desired, inventory), desired, allAuto);
    expect(plan.actions.map((a) => a.action)).toEqual([expect.objectContaining({ kind: 'CreateAwsLogSource', accountIds: [IDS.webProd] })]);
    expect(plan.reported).toEqual([expect.objectContaining({ type: 'AwsSourceNotCollecting', reason: expect.stringMatching(/management account/) })]);
  });

  it('never acts on an account when the management account cannot be identified', () => {
    const { report } = scenario('ConfigRecorderStopped', 'Config recorder stopped');
    const anonymous: DriftReport = { ...report, managementAccountId: undefined };
    expect(planRemediation(anonymous, desired, allAuto).reported[0].reason).toMatch(/management account could not be identified/);
  });

  it('never acts on a drift whose scope is not fully known', () => {
    const inventory = cleanInventory();
    DRIFT_SCENARIOS.find((s) => s.type === 'ExternalTrustOnRole')?.mutate(inventory);
    delete inventory.accounts[IDS.webProd].iam;
    const plan = planRemediation(detectDrift(desired, inventory), desired, allAuto);
    expect(plan.actions).toEqual([]);
    expect(plan.reported[0].reason).toMatch(/^not remediated: part of its scope is unknown \(the role's tags were not read/);
  });

  it('never changes an exempt role, even if a drift names one', () => {
    const { report } = scenario('ExternalTrustOnRole');
    const drift = report.drifts[0] as Drift<'ExternalTrustOnRole'>;
    const breakGlass = `arn:aws:iam::${IDS.webProd}:role/break-glass/Admin`;
    const forged: DriftReport = { ...report, drifts: [{ ...drift, facts: { ...drift.facts, roleArn: breakGlass, roleName: 'Admin' } }] };
    expect(planRemediation(forged, desired, allAuto).reported[0].reason).toBe(`not remediated: ${breakGlass} is an exempt role (Break-glass roles are governed by the incident-response runbook)`);
  });

  it('plans nothing for unknown scopes: they carry no drift', () => {
    const inventory = cleanInventory();
    inventory.accounts[IDS.webProd].regions['us-east-1'].config = { status: 'unknown', error: { code: 'AccessDenied', message: 'no' } };
    const plan = planRemediation(detectDrift(desired, inventory), desired, allAuto);
    expect(plan).toEqual({ actions: [], deferred: [], reported: [], maxActionsPerRun: 100 });
  });
});

describe('blast radius', () => {
  const manyDrifts = () => {
    const inventory = cleanInventory();
    for (const type of ['ScpDetached', 'PciStandardMissing', 'ConfigRecorderStopped', 'AnalyzerMissing', 'StandardNotConfigured'] as const) {
      DRIFT_SCENARIOS.find((s) => s.type === type)?.mutate(inventory);
    }
    return detectDrift(desired, inventory);
  };

  it('plans at most maxActionsPerRun actions, the most severe first, and defers the rest', () => {
    const plan = planRemediation(manyDrifts(), desired, { ...allAuto, maxActionsPerRun: 2 });
    expect(plan.actions.map((a) => a.severity)).toEqual(['HIGH', 'CRITICAL']);
    expect(plan.actions.map((a) => a.action.kind)).toEqual(['AttachPolicy', 'EnableStandard']);
    expect(plan.deferred.map((a) => a.action.kind).sort()).toEqual(['CreateAnalyzer', 'DisableStandard', 'StartConfigurationRecorder']);
  });

  it('a limit of 0 defers everything', () => {
    const plan = planRemediation(manyDrifts(), desired, { ...allAuto, maxActionsPerRun: 0 });
    expect(plan.actions).toEqual([]);
    expect(plan.deferred).toHaveLength(5);
  });

  it('orders the actions it runs so dependencies come first', () => {
    const plan = planRemediation(manyDrifts(), desired, allAuto);
    expect(plan.actions.map((a) => a.action.kind)).toEqual(['AttachPolicy', 'DisableStandard', 'EnableStandard', 'StartConfigurationRecorder', 'CreateAnalyzer']);
  });

  it('one AWS source enabled for many accounts is one action', () => {
    const inventory = cleanInventory();
    const lake = ok(inventory.securityLake.regions['us-east-2']);
    for (const id of [IDS.webProd, IDS.analytics, IDS.paymentsProd]) lake.awsSources[id] = lake.awsSources[id].filter((s) => s.sourceName !== 'CLOUD_TRAIL_MGMT');
    const report = detectDrift(desired, inventory);
    const plan = planRemediation(report, desired, { ...allAuto, maxActionsPerRun: 1 });
    expect(report.drifts).toHaveLength(3);
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0].action).toMatchObject({ kind: 'CreateAwsLogSource', region: 'us-east-2', sourceName: 'CLOUD_TRAIL_MGMT', accountIds: [IDS.paymentsProd, IDS.webProd, IDS.analytics].sort() });
    expect(plan.actions[0].driftIds).toHaveLength(3);
  });
});

describe('idempotent actions', () => {
  it('the same drift plans the same action id in every run', () => {
    const first = planRemediation(scenario('SecurityHubControlDisabled').report, desired, allAuto).actions[0];
    const again = planRemediation(scenario('SecurityHubControlDisabled').report, desired, allAuto).actions[0];
    expect(again.id).toBe(first.id);
    expect(first.id).toMatch(/^action-[0-9a-f]{20}$/);
    expect(first.action).toEqual({ kind: 'EnableSecurityControl', accountId: IDS.paymentsProd, region: 'us-east-1', controlId: 'EC2.10' });
    expect(first.rereads).toEqual(actionScopes(first.action));
  });

  it('external trust is denied with a statement id derived from the finding', () => {
    const [planned] = planRemediation(scenario('ExternalTrustOnRole').report, desired, allAuto).actions;
    expect(planned.action).toEqual({
      kind: 'DenyExternalTrust', accountId: IDS.webProd, roleArn: `arn:aws:iam::${IDS.webProd}:role/vendor/VendorIntegration`, roleName: 'VendorIntegration',
      findingId: 'finding-us-east-1-1', findingRegions: ['us-east-1', 'us-east-2'], sid: denySid(['finding-us-east-1-1']), principals: { AWS: '777777777777' }, actions: ['sts:AssumeRole'],
    });
  });

  it('a missing SCP is created and attached in one action, verified against both drifts', () => {
    const { want, inventory, report } = scenario('ScpMissing');
    const [planned] = planRemediation(report, want, allAuto).actions;
    expect(planned.action).toMatchObject({ kind: 'CreatePolicy', policyName: 'DenyPublicS3', targets: [{ targetName: 'Workloads' }] });
    expect(planned.verification.driftIds).toHaveLength(2);
    // created but not attached: the attachment drift remains, so verification fails
    if (planned.action.kind !== 'CreatePolicy') throw new Error('wrong kind');
    applyAction(inventory, { ...planned.action, targets: [] });
    const verification = checkVerification(planned, recheckDrift(want, inventory, planned, reread(inventory, planned)));
    expect(verification).toEqual({ holds: false, reason: 'still drifted: SCP DenyPublicS3 is not attached to OU Workloads' });
  });
});

describe('preconditions and verification', () => {
  it('the precondition fails when the drift is gone before the write', () => {
    const { inventory, report } = scenario('ConformancePackMissing');
    const [planned] = planRemediation(report, desired, allAuto).actions;
    applyAction(inventory, planned.action);
    expect(checkPrecondition(planned, recheckDrift(desired, inventory, planned, reread(inventory, planned)))).toEqual({ holds: false, reason: 'the drift is gone already; nothing to do' });
  });

  it('the precondition fails when someone changed the state since it was read', () => {
    const { inventory, report } = scenario('ScpUpdated');
    const [planned] = planRemediation(report, desired, allAuto).actions;
    const scp = ok(inventory.organization.policies).serviceControlPolicies.find((p) => p.name === 'RampartPciGuardrails');
    if (scp) scp.document = { Version: '2012-10-17', Statement: [] };
    expect(checkPrecondition(planned, recheckDrift(desired, inventory, planned, reread(inventory, planned))).reason).toBe('the state changed since it was read; the next run plans again');
  });

  it('neither holds when the scope cannot be re-read', () => {
    const { inventory, report } = scenario('ConfigRecorderStopped', 'Config recorder stopped');
    const [planned] = planRemediation(report, desired, allAuto).actions;
    const denied: ScopeSnapshot[] = [{ ref: planned.rereads[0], state: { status: 'unknown', error: { code: 'AccessDenied', message: 'role missing' } } }];
    const fresh = recheckDrift(desired, inventory, planned, denied);
    const expected = { holds: false, reason: `config.recorder of ${IDS.analytics} in us-east-2 could not be re-read (AccessDenied: role missing)` };
    expect(checkPrecondition(planned, fresh)).toEqual(expected);
    expect(checkVerification(planned, fresh)).toEqual(expected);
    expect(checkPrecondition(planned, recheckDrift(desired, inventory, planned, []))).toEqual({ holds: false, reason: `config.recorder of ${IDS.analytics} in us-east-2 was not re-read` });
  });

  it('external trust is verified on every Region that reported it, and on the role\'s account', () => {
    const { inventory, report } = scenario('ExternalTrustOnRole');
    const [planned] = planRemediation(report, desired, allAuto).actions;
    expect(planned.rereads).toEqual([
      { kind: 'iam.account', accountId: IDS.webProd }, { kind: 'accessanalyzer.region', region: 'us-east-1' }, { kind: 'accessanalyzer.region', region: 'us-east-2' },
    ]);
    ok(inventory.accessAnalyzer.regions['us-east-1']).findings[0].status = 'RESOLVED';
    expect(checkVerification(planned, recheckDrift(desired, inventory, planned, reread(inventory, planned))).holds).toBe(false);
    ok(inventory.accessAnalyzer.regions['us-east-2']).findings[0].status = 'RESOLVED';
    expect(checkVerification(planned, recheckDrift(desired, inventory, planned, reread(inventory, planned))).holds).toBe(true);
  });
});

describe('action records', () => {
  const planned = () => planRemediation(scenario('AnalyzerMissing').report, desired, allAuto).actions[0];
  const base = { startedAt: '2026-12-04T10:00:00Z', finishedAt: '2026-12-04T10:00:05Z' };
  const yes = { holds: true, reason: 'ok' };
  const no = { holds: false, reason: 'no' };

  it.each([
    ['dry-run', { dryRun: true }],
    ['rejected', { approval: { decision: 'rejected' as const, by: 'bob@example.com', at: base.startedAt } }],
    ['expired', { approval: { decision: 'expired' as const, at: base.startedAt } }],
    ['skipped-precondition', { precondition: no }],
    ['failed', { precondition: yes, error: { code: 'ValidationException', message: 'bad' } }],
    ['unverified', { precondition: yes, verification: no }],
    ['applied', { precondition: yes, verification: yes }],
  ])('%s', (outcome, input) => {
    const record = recordAction({ planned: planned(), ...base, ...input });
    expect(record.outcome).toBe(outcome);
    expect(record).toMatchObject({ actionId: planned().id, startedAt: base.startedAt, finishedAt: base.finishedAt, before: [], after: [] });
  });

  it('keeps the re-read scopes as before/after evidence', () => {
    const { inventory, report } = scenario('AnalyzerMissing');
    const [action] = planRemediation(report, desired, allAuto).actions;
    const before = reread(inventory, action);
    applyAction(inventory, action.action);
    const after = reread(inventory, action);
    const record = recordAction({ planned: action, ...base, precondition: yes, verification: yes, before, after });
    expect(record.before[0].ref).toEqual({ kind: 'accessanalyzer.region', region: 'us-east-2' });
    expect(record.before[0].state).toMatchObject({ status: 'ok', analyzers: [] });
    expect(record.after[0].state).toMatchObject({ status: 'ok', analyzers: [{ name: 'rampart-organization', type: 'ORGANIZATION' }] });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});
