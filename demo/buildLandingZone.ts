import type { AwsClients } from '../aws/clients';
import { planCollection } from '../aws/collect/plan';
import { collectInventory } from '../aws/collect/collectInventory';
import { executeAction } from '../aws/execute/executeAction';
import type { RampartConfig } from '../config/model';
import { SERVICE_PRINCIPALS, type DesiredState } from '../engine/desiredState';
import { detectDrift } from '../engine/detectDrift';
import type { DriftReport } from '../engine/drift';
import { executionWaves, planRemediation, type ActionRecord, type RemediationPolicy } from '../engine/remediation';
import * as organizations from '../aws/organizations';
import { deploymentNames } from '../workflows/settings';

/** Building from nothing repairs every drift there is; rounds stop when one changes nothing. */
const BUILD_POLICY: RemediationPolicy = { defaultMode: 'auto', policies: [], maxActionsPerRun: 100_000 };
const MAX_ROUNDS = 6;
/** Actions of one wave written at once (a wave is independent actions: OUs of one depth, Security Hub per account...). */
const WAVE_CONCURRENCY = 16;

export interface BuildResult {
  rounds: number;
  applied: number;
  /** Actions written but not applied (failed, or their verification did not hold), with why. */
  notApplied: { description: string; outcome: string; reason: string }[];
  /** Drift left once no round changes anything more, by type. */
  remaining: Record<string, number>;
  report: DriftReport;
}

/**
 * Builds the landing zone the configuration describes in an organization that has only its
 * accounts, through the executor remediation uses: each round collects, diffs, plans every
 * repair (the person running the build approves the actions that need approval, such as moving
 * accounts into their OUs), and applies the plan wave by wave. Services set up in one round
 * (delegated administrators, trusted access) make the next round's scopes readable.
 */
export async function buildLandingZone(clients: AwsClients, config: RampartConfig, desired: DesiredState, now: () => Date): Promise<BuildResult> {
  let applied = 0;
  let notApplied: BuildResult['notApplied'] = [];
  let report: DriftReport | undefined;
  let rounds = 0;
  const approval = { decision: 'approved' as const, by: 'rampart demo (landing-zone build)', at: now().toISOString() };
  while (rounds < MAX_ROUNDS) {
    rounds++;
    const collectedAt = now().toISOString();
    const inventory = await collectInventory(clients, desired, { collectedAt, maxConcurrency: config.governance.drift.maxConcurrency });
    report = detectDrift(desired, inventory);
    const plan = planRemediation(report, desired, BUILD_POLICY);
    if (plan.actions.length === 0) break;
    const admins = (await planCollection(clients, desired, collectedAt)).admins;
    const ctx = { clients, desired, managementAccountId: report.managementAccountId ?? '', accountIds: report.accountIds, deployment: deploymentNames(config), admins };
    const records: ActionRecord[] = [];
    for (const wave of executionWaves(plan.actions)) {
      records.push(...await inBatches(wave, WAVE_CONCURRENCY, (planned) => executeAction(planned, inventory, ctx, { now, verifyAttempts: 1, ...(planned.mode === 'approve' ? { approval } : {}) })));
    }
    const appliedNow = records.filter((r) => r.outcome === 'applied').length;
    applied += appliedNow;
    notApplied = records.filter((r) => r.outcome !== 'applied').map((r) => ({
      description: r.description, outcome: r.outcome, reason: r.error ? `${r.error.code}: ${r.error.message}` : r.verification?.reason ?? r.precondition?.reason ?? '',
    }));
    if (appliedNow === 0) break;
    report = undefined;
  }
  if (!report) {
    const inventory = await collectInventory(clients, desired, { collectedAt: now().toISOString(), maxConcurrency: config.governance.drift.maxConcurrency });
    report = detectDrift(desired, inventory);
  }
  const remaining: Record<string, number> = {};
  for (const drift of report?.drifts ?? []) remaining[drift.type] = (remaining[drift.type] ?? 0) + 1;
  return { rounds, applied, notApplied, remaining, report: report as DriftReport };
}

/**
 * The management account's first deployment, before anything can be read: the security-tooling
 * account becomes Access Analyzer's delegated administrator (as the configuration wants), which
 * lets it read the organization. Written through the organization role, like every organization write.
 */
export async function bootstrapDelegatedAdministration(clients: AwsClients, desired: DesiredState, accountIds: Record<string, string>): Promise<void> {
  const managementAccountId = accountIdOf(desired, desired.organization.managementAccount, accountIds);
  const toolingAccountId = accountIdOf(desired, desired.accessAnalyzer.adminAccount, accountIds);
  await organizations.enableServiceAccess(clients, managementAccountId, SERVICE_PRINCIPALS.accessAnalyzer);
  await organizations.registerDelegatedAdministrator(clients, managementAccountId, SERVICE_PRINCIPALS.accessAnalyzer, toolingAccountId);
}

function accountIdOf(desired: DesiredState, name: string, seeded: Record<string, string>): string {
  const id = desired.organization.accounts.find((a) => a.name === name)?.id ?? seeded[name];
  if (!id) throw new Error(`account ${name} has no id in the organization`);
  return id;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...await Promise.all(items.slice(i, i + size).map(work)));
  return out;
}
