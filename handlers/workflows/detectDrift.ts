import { scopesOfWork } from '../../aws/collect/accounts';
import { scopesOfUnit } from '../../aws/collect/aggregates';
import { assembleInventory, sumCalls, type UnitFailure } from '../../aws/collect/assemble';
import { COLLECTOR_NAME, collectionRegions } from '../../aws/collect/collectInventory';
import type { InventoryPart } from '../../aws/collect/part';
import { AGGREGATE_UNITS, type AggregateUnit } from '../../aws/collect/plan';
import { detectDrift } from '../../engine/detectDrift';
import { planRemediation } from '../../engine/remediation';
import type { FollowUpsFile } from './collectFollowUps';
import { readRunFile, RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { DriftSummary, UnitResult } from './steps';

/** DriftCheck: assemble the inventory from the parts, detect drift, write both, and summarize. */
export interface DetectDriftEvent {
  runId: string;
  collectedAt: string;
  planCalls: Record<string, number>;
  views: UnitResult[];
  accounts: UnitResult[];
}

export async function run(event: DetectDriftEvent, runtime: WorkflowRuntime): Promise<DriftSummary> {
  const { desired } = runtime.settings;
  const clients = runtime.clients('rampart-drift-detect');
  const followUps = await readRunFile<FollowUpsFile>(runtime, clients, RUN_FILES.followUps(event.runId));
  const results = [...event.views, ...event.accounts];
  const parts = await Promise.all(results.flatMap((r) => ('key' in r ? [readRunFile<InventoryPart>(runtime, clients, r.key)] : [])));
  const failures: UnitFailure[] = results.flatMap((r): UnitFailure[] => {
    if (!('failed' in r)) return [];
    const error = { code: r.failed.Error, message: r.failed.Cause ?? r.failed.Error };
    if (r.unit && (AGGREGATE_UNITS as readonly string[]).includes(r.unit)) return [{ unit: r.unit, scopes: scopesOfUnit(r.unit as AggregateUnit, desired), error }];
    if (r.index !== undefined) return [{ unit: `accounts-${r.index}`, scopes: scopesOfWork(followUps.batches[r.index] ?? []), error }];
    return [];
  });
  const planning: InventoryPart = { unit: 'plan', scopes: followUps.unreadable, sources: [], calls: event.planCalls };
  const inventory = assembleInventory({
    collectedAt: event.collectedAt, regions: collectionRegions(desired), parts: [...parts, planning], failures, collector: COLLECTOR_NAME,
    durationMs: runtime.now().getTime() - new Date(event.collectedAt).getTime(),
  });
  const report = detectDrift(desired, inventory);
  const inventoryKey = RUN_FILES.inventory(event.runId);
  const reportKey = RUN_FILES.report(event.runId);
  await Promise.all([writeRunFile(runtime, clients, inventoryKey, inventory), writeRunFile(runtime, clients, reportKey, report)]);
  const plan = planRemediation(report, desired, runtime.settings.remediation);
  const bySeverity: DriftSummary['bySeverity'] = {};
  for (const drift of report.drifts) bySeverity[drift.severity] = (bySeverity[drift.severity] ?? 0) + 1;
  return {
    runId: event.runId, collectedAt: event.collectedAt, inventoryKey, reportKey, workBucket: runtime.destinations.workBucket,
    drifts: report.drifts.length, bySeverity, unknownScopes: report.unknownScopes.length,
    remediable: { auto: plan.actions.filter((a) => a.mode === 'auto').length, approve: plan.actions.filter((a) => a.mode === 'approve').length },
    apiCalls: Object.values(sumCalls([inventory.metadata.callCounts])).reduce((a, b) => a + b, 0),
  };
}

export const handler = (event: DetectDriftEvent) => run(event, lambdaRuntime());
