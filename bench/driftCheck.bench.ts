import * as fs from 'node:fs';
import { AwsClients } from '../aws/clients';
import { deriveDesiredState } from '../engine/desiredState';
import { detectDrift } from '../engine/detectDrift';
import { FakeAws } from '../sandbox';
import { seedLandingZone } from '../sandbox/seed/fromConfig';
import { ORGANIZATION_REMEDIATION_ROLE_NAME } from '../stacks/organization/organizationStack';
import { LocalSession } from '../workflows/local/localSession';
import { report, round, timeMs, type Benchmark } from './harness';
import { collectNaively } from './naiveCollector';
import { fourRegionConfig } from './scaledOrganization';

const ACCOUNTS = 1000;
const LATENCY_MS = 20;

/** Calls the sandbox answered with its throttling error (each retried by the SDK under Rampart's retry policy). */
function throttled(fake: FakeAws): number {
  return fake.calls.filter({}).filter((c) => /Throttl|TooManyRequests|SlowDown/.test(c.outcome)).length;
}


/**
 * One DriftCheck (the synthesized state machine, run locally, handlers in-process) over 1,000
 * accounts × 4 Regions of FakeAws with 20 ms per call and AWS's request rates, beside a naive
 * collector that reads every account × Region where it lives, in the same sandbox.
 */
export const driftCheckBenchmark: Benchmark = {
  name: 'workflows.driftCheck',
  async run() {
    const config = fourRegionConfig(ACCOUNTS);
    const desired = deriveDesiredState(config);
    const fake = FakeAws.create({ seed: 11 });
    await seedLandingZone(fake, config);
    const session = await LocalSession.open({ config, fake, approvals: 'auto' });
    fake.setLatency({ default: { kind: 'fixed', ms: LATENCY_MS } });
    fake.setRateLimits(true);

    fake.calls.clear();
    const { ms: driftMs, result: run } = await timeMs(() => session.driftCheck());
    // Calls of the workflow, the report read back by the benchmark aside.
    const driftCalls = fake.calls.count({}) - 1;
    const driftThrottled = throttled(fake);
    session.close();
    fs.rmSync(config.dir, { recursive: true, force: true });
    if (run.report.drifts.length || run.report.unknownScopes.length) throw new Error(`the seeded organization is not clean: ${JSON.stringify([...run.report.drifts.map((d) => d.message), ...run.report.unknownScopes])}`);

    const tooling = config.organization.accounts.find((a) => a.name === config.organization.mandatoryAccounts.securityTooling)?.id as string;
    const clients = new AwsClients({
      homeAccountId: tooling, homeRegion: config.global.homeRegion, executionRoleName: config.global.executionRoleName, organizationRoleName: ORGANIZATION_REMEDIATION_ROLE_NAME,
      base: { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: tooling }) },
    });
    fake.calls.clear();
    const { ms: naiveMs, result: naive } = await timeMs(() => collectNaively(clients, desired, { collectedAt: new Date().toISOString(), maxConcurrency: config.governance.drift.maxConcurrency }));
    const naiveCalls = fake.calls.count({});
    const naiveThrottled = throttled(fake);
    const naiveReport = detectDrift(desired, naive);
    // Without the aggregator's view the naive collector cannot see the management account's recorders (Rampart assumes no role there).
    const naiveUnread = naiveReport.unknownScopes.filter((u) => !(u.kind === 'config.recorder' && u.accountName === config.global.managementAccount));
    if (naiveReport.drifts.length || naiveUnread.length) {
      throw new Error(`the naive collector does not see the same organization: ${JSON.stringify([...naiveReport.drifts.map((d) => d.message), ...naiveUnread].slice(0, 5))}`);
    }

    const common = { accounts: ACCOUNTS, regions: desired.enabledRegions.length, latencyMs: LATENCY_MS, rateLimits: 'AWS', throttledCalls: { driftCheck: driftThrottled, naive: naiveThrottled } };
    return [
      report({
        name: 'workflows.driftCheck.1000-accounts-4-regions.wallTime', value: round(driftMs, 0), unit: 'ms', ...common,
        baseline: { name: 'naive per-account × per-Region collector', value: round(naiveMs, 0) }, goal: '< 30000 ms', goalMet: driftMs < 30_000,
      }),
      report({
        name: 'workflows.driftCheck.1000-accounts-4-regions.apiCalls', value: driftCalls, unit: 'calls', ...common,
        baseline: { name: 'naive per-account × per-Region collector', value: naiveCalls }, goal: '≤ 1/10 of the naive collector', goalMet: driftCalls * 10 <= naiveCalls,
      }),
      report({
        name: 'workflows.driftCheck.1000-accounts-4-regions.stateTransitions', value: run.execution.transitions, unit: 'transitions', ...common,
        goal: '< 2000', goalMet: run.execution.transitions < 2000,
      }),
    ];
  },
};
