import type { Drift } from '../../engine/drift';
import { findScenario } from '../../sandbox/scenarios';
import { openSession, scaledPciOrg, seededSandbox, workflowsOf } from './harness';

/**
 * Under injected faults (20 % of calls throttled, AccessDenied in 2 % of the accounts, one Region
 * down) the workflows complete; what could not be read is unknown, never clean; nothing is
 * repaired on unknown state; once the faults clear, the next runs converge.
 */
const config = scaledPciOrg(50);
const DOWN = 'us-east-2';

beforeAll(() => {
  workflowsOf(config);
}, 120_000);

describe('drift and remediation under faults (55 accounts, 3 Regions)', () => {
  it('completes, reports unknown scopes, repairs only what it read, and converges once the faults clear', async () => {
    const fake = await seededSandbox(config);
    const session = await openSession(config, fake, { approvals: 'auto' });
    const ids = config.organization.accounts.filter((a) => a.name.startsWith('workload-'));
    const denied = ids.find((a) => a.pci)?.id as string; // 1 account of 50 workload accounts: 2 %
    await findScenario('pci-scp-detached')?.apply(fake, {});
    await findScenario('config-recorder-stopped')?.apply(fake, { account: denied });
    await findScenario('securitylake-replication-removed')?.apply(fake, {});

    const storm = fake.faults.throttlingStorm({ probability: 0.2 });
    const accessDenied = fake.faults.accessDenied({ accounts: [denied] });
    const outage = fake.faults.regionOutage(DOWN);
    const check = await session.driftCheck();
    expect(storm.injected).toBeGreaterThan(10);
    expect(accessDenied.injected).toBeGreaterThan(0);
    expect(outage.injected).toBeGreaterThan(0);

    // Only the drift in scopes that could be read; the recorder and replication drifts sit in unreadable scopes.
    expect(check.report.drifts.map((d: Drift) => d.type)).toEqual(['ScpDetached']);
    const unknown = check.report.unknownScopes.map((u) => `${u.kind}|${u.accountId ?? ''}|${u.region ?? ''}|${u.error.code}`);
    expect(unknown).toEqual(expect.arrayContaining([
      `securitylake.region||${DOWN}|ServiceUnavailableException`,
      `config.conformancePacks||${DOWN}|ServiceUnavailableException`,
      `accessanalyzer.region||${DOWN}|ServiceUnavailableException`,
      `config.recorder|${denied}|us-east-1|AccessDeniedException`,
      `iam.account|${denied}||AccessDenied`,
    ]));
    expect(check.report.unknownScopes.every((u) => u.region === DOWN || u.accountId === denied)).toBe(true);

    fake.calls.clear();
    const repair = await session.remediate({ after: check.summary });
    expect(repair.records.map((r) => [r.action.kind, r.outcome])).toEqual([['AttachPolicy', 'applied']]);
    const writes = fake.calls.filter({}).map((c) => `${c.service}:${c.operation}`).filter((op) => /StartConfigurationRecorder|UpdateDataLake|PutConfigurationRecorder/.test(op));
    expect(writes).toEqual([]);

    storm.clear();
    accessDenied.clear();
    outage.clear();
    const cleared = await session.driftCheck();
    expect(cleared.report.unknownScopes).toEqual([]);
    expect(cleared.report.drifts.map((d) => d.type).sort()).toEqual(['ConfigRecorderStopped', 'ReplicationMismatch']);
    const second = await session.remediate({ after: cleared.summary });
    expect(second.records.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    const converged = await session.driftCheck();
    expect(converged.report.drifts).toEqual([]);
    expect(converged.report.unknownScopes).toEqual([]);
    expect(converged.summary.remediable).toEqual({ auto: 0, approve: 0 });
    session.close();
  }, 300_000);
});
