import type { AwsClients } from '../aws/clients';
import { collectInventory } from '../aws/collect/collectInventory';
import { toCollectionError } from '../aws/clients';
import { ACTION_HANDLERS, type ActionHandler } from '../aws/execute/actionHandlers';
import type { RampartConfig } from '../config/model';
import { SERVICE_PRINCIPALS, type DesiredState } from '../engine/desiredState';
import { detectDrift } from '../engine/detectDrift';
import type { DriftReport } from '../engine/drift';
import { executionWaves, planRemediation, type PlannedAction, type RemediationPolicy } from '../engine/remediation';
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
  /** Writes that failed in the last round, with why. */
  failed: { description: string; reason: string }[];
  /** Drift left once no round changes anything more, by type. */
  remaining: Record<string, number>;
  report: DriftReport;
}

/**
 * Builds the landing zone the configuration describes in an organization that has only its
 * accounts, with the executor's writes (aws/execute ACTION_HANDLERS, the table Remediate applies
 * actions with): each round collects, diffs, plans every repair with an all-auto policy (the
 * person running the build approves what needs approval, such as moving accounts into their OUs)
 * and writes the plan wave by wave; the next round's collection verifies the writes. Per-action
 * re-reads, as Remediate does them, would re-check the whole inventory once per action: quadratic
 * in a build that enables services in thousands of accounts. Services set up in one round
 * (delegated administrators, trusted access) make the next round's scopes readable.
 */
export async function buildLandingZone(clients: AwsClients, config: RampartConfig, desired: DesiredState, now: () => Date): Promise<BuildResult> {
  let applied = 0;
  let failed: BuildResult['failed'] = [];
  let report: DriftReport | undefined;
  let rounds = 0;
  const collect = async () => detectDrift(desired, await collectInventory(clients, desired, { collectedAt: now().toISOString(), maxConcurrency: config.governance.drift.maxConcurrency }));
  while (rounds < MAX_ROUNDS) {
    rounds++;
    report ??= await collect();
    const plan = planRemediation(report, desired, BUILD_POLICY);
    if (plan.actions.length === 0) break;
    const ctx = { clients, desired, managementAccountId: report.managementAccountId ?? '', accountIds: report.accountIds, deployment: deploymentNames(config) };
    const results: { planned: PlannedAction; error?: string }[] = [];
    for (const wave of executionWaves(plan.actions)) results.push(...await inBatches(wave, WAVE_CONCURRENCY, (planned) => write(planned, ctx)));
    failed = results.flatMap((r) => (r.error ? [{ description: r.planned.description, reason: r.error }] : []));
    const before = report.drifts.length;
    report = await collect();
    applied += results.length - failed.length;
    if (report.drifts.length >= before) break;
  }
  report ??= await collect();
  const remaining: Record<string, number> = {};
  for (const drift of report.drifts) remaining[drift.type] = (remaining[drift.type] ?? 0) + 1;
  return { rounds, applied, failed, remaining, report };
}

async function write(planned: PlannedAction, ctx: Parameters<ActionHandler<PlannedAction['action']['kind']>>[1]): Promise<{ planned: PlannedAction; error?: string }> {
  const handler = ACTION_HANDLERS[planned.action.kind] as ActionHandler<typeof planned.action.kind> | undefined;
  if (!handler) return { planned, error: `Rampart has no executor for ${planned.action.kind}` };
  try {
    await handler(planned.action as never, ctx);
    return { planned };
  } catch (error) {
    const e = toCollectionError(error);
    return { planned, error: `${e.code}: ${e.message}` };
  }
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
