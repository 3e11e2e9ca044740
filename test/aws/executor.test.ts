import { planCollection } from '../../aws/collect/plan';
import { collectInventory } from '../../aws/collect/collectInventory';
import { executeAction } from '../../aws/execute/executeAction';
import { addTrustDeny, readRoles } from '../../aws/iam';
import { detectDrift } from '../../engine/detectDrift';
import { planRemediation, type PlannedAction } from '../../engine/remediation';
import { findScenario } from '../../sandbox/scenarios';
import { deploymentNames } from '../../workflows/settings';
import { IDS, pciOrg, seededPciOrg, toolingClients } from './sandbox';

const AUTO = { defaultMode: 'auto' as const, policies: [], maxActionsPerRun: 25 };
const now = () => new Date('2026-12-04T10:00:00Z');

async function planned(scenario: string, options: { account?: string } = {}) {
  const fake = await seededPciOrg();
  await findScenario(scenario)?.apply(fake, options);
  const clients = toolingClients(fake);
  const { desired, config } = pciOrg();
  const inventory = await collectInventory(clients, desired, { collectedAt: now().toISOString(), maxConcurrency: 4 });
  const report = detectDrift(desired, inventory);
  const plan = planRemediation(report, desired, AUTO);
  const admins = (await planCollection(clients, desired, report.collectedAt)).admins;
  const ctx = { clients, desired, managementAccountId: IDS.management, accountIds: report.accountIds, deployment: deploymentNames(config), admins };
  return { fake, clients, inventory, plan, ctx };
}

const writes = (fake: Awaited<ReturnType<typeof seededPciOrg>>) => fake.calls.filter({}).filter((c) => /^(Batch(Enable|Disable)Standards|StartConfigurationRecorder|Put|Update|Create|Attach)/.test(c.operation));

describe('the executor', () => {
  it('re-reads, writes once, verifies, and on a repeat finds nothing to do (idempotent)', async () => {
    const { fake, inventory, plan, ctx } = await planned('config-recorder-stopped');
    const [action] = plan.actions;
    const first = await executeAction(action, inventory, ctx, { now });
    expect([first.outcome, first.precondition?.holds, first.verification?.reason]).toEqual(['applied', true, 'repaired']);
    expect(first.before[0].state).toMatchObject({ status: 'ok', recorder: { recording: false } });
    expect(first.after[0].state).toMatchObject({ status: 'ok', recorder: { recording: true } });
    fake.calls.clear();
    const again = await executeAction(action, inventory, ctx, { now });
    expect([again.outcome, again.precondition?.reason]).toEqual(['skipped-precondition', 'the drift is gone already; nothing to do']);
    expect(writes(fake)).toEqual([]);
  });

  it('writes nothing when a re-read scope is unknown', async () => {
    const { fake, inventory, plan, ctx } = await planned('config-recorder-stopped');
    fake.faults.accessDenied({ accounts: [IDS.paymentsProd] });
    fake.calls.clear();
    const record = await executeAction(plan.actions[0], inventory, ctx, { now });
    expect(record.outcome).toBe('skipped-precondition');
    expect(record.precondition?.reason).toMatch(/could not be re-read \(AccessDeniedException/);
    expect(writes(fake)).toEqual([]);
  });

  it('writes nothing an approval has not allowed, nor what was rejected', async () => {
    const { fake, inventory, plan, ctx } = await planned('pci-account-moved');
    const [move] = plan.actions;
    expect(move.mode).toBe('approve');
    fake.calls.clear();
    expect((await executeAction(move, inventory, ctx, { now })).precondition?.reason).toMatch(/needs a person's approval/);
    const rejected = await executeAction(move, inventory, ctx, { now, approval: { decision: 'rejected', by: 'carol', at: now().toISOString() } });
    expect([rejected.outcome, rejected.before]).toEqual(['rejected', []]);
    expect(writes(fake)).toEqual([]);
  });

  it('refuses to write to the management account, whatever a plan says', async () => {
    const { fake, inventory, plan, ctx } = await planned('config-recorder-stopped');
    const action = plan.actions[0].action as Extract<PlannedAction['action'], { kind: 'StartConfigurationRecorder' }>;
    const forged: PlannedAction = { ...plan.actions[0], action: { ...action, accountId: IDS.management } };
    fake.calls.clear();
    const record = await executeAction(forged, inventory, ctx, { now });
    expect(record.precondition?.reason).toMatch(/^refused: .* management account \(111111111111\)/);
    expect(fake.calls.count({})).toBe(0);
  });

  it('adds a trust-policy Deny once, however often it runs', async () => {
    const fake = await seededPciOrg();
    await findScenario('role-trusted-by-external-account')?.apply(fake, {});
    const clients = toolingClients(fake);
    const deny = { sid: 'RampartDenyExternalTest', principal: { AWS: 'arn:aws:iam::210987654321:root' }, actions: ['sts:AssumeRole'] };
    await addTrustDeny(clients, IDS.paymentsProd, 'vendor-support', deny);
    await addTrustDeny(clients, IDS.paymentsProd, 'vendor-support', deny);
    const role = (await readRoles(clients, IDS.paymentsProd)).find((r) => r.name === 'vendor-support');
    const statements = role?.trustPolicy.Statement as { Sid?: string; Effect: string }[];
    expect(statements.map((s) => [s.Sid, s.Effect])).toEqual([[undefined, 'Allow'], ['RampartDenyExternalTest', 'Deny']]);
  });
});
