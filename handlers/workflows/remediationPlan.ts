import { planCollection, type AdminAccounts } from '../../aws/collect/plan';
import type { DriftReport } from '../../engine/drift';
import { executionWaves, planRemediation, recordAction, type RemediationPlan } from '../../engine/remediation';
import { readRunFile, RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { DriftSummary, RemediationWaves } from './steps';

/**
 * Remediate, first step: the actions the policy allows for the drift found (by this execution's
 * own collection, or by the DriftCheck whose event started it), in waves for the apply Map.
 */
export interface RemediationPlanEvent {
  runId: string;
  /** The execution input: `{ dryRun? }`, with `drift` (own collection) or `detail` (a DriftCheck event). */
  input: { dryRun?: boolean; drift?: DriftSummary; detail?: DriftSummary };
}

export interface RemediationPlanFile {
  runId: string;
  inventoryKey: string;
  reportKey: string;
  dryRun: boolean;
  admins: AdminAccounts;
  plan: RemediationPlan;
}

export async function run(event: RemediationPlanEvent, runtime: WorkflowRuntime): Promise<RemediationWaves> {
  const drift = event.input.drift ?? event.input.detail;
  if (!drift?.reportKey) throw new Error('Remediate needs a drift check: start it with {} (it collects) or from a DriftCheck event');
  const clients = runtime.clients('rampart-remediate-plan');
  const report = await readRunFile<DriftReport>(runtime, clients, drift.reportKey);
  const { desired } = runtime.settings;
  const plan = planRemediation(report, desired, runtime.settings.remediation);
  const dryRun = event.input.dryRun === true;
  const admins = (await planCollection(clients, desired, report.collectedAt)).admins;
  const planKey = RUN_FILES.remediationPlan(event.runId);
  const file: RemediationPlanFile = { runId: event.runId, inventoryKey: drift.inventoryKey, reportKey: drift.reportKey, dryRun, admins, plan };
  await writeRunFile(runtime, clients, planKey, file);
  if (dryRun) {
    const at = runtime.now().toISOString();
    await Promise.all(plan.actions.map((planned, index) =>
      writeRunFile(runtime, clients, RUN_FILES.record(event.runId, index), recordAction({ planned, startedAt: at, finishedAt: at, dryRun: true }))));
  }
  const indexed = plan.actions.map((planned, index) => ({ action: planned.action, index, mode: planned.mode }));
  return {
    runId: event.runId, planKey, dryRun,
    waves: dryRun ? [] : executionWaves(indexed).map((wave, n) => ({ wave: n, actions: wave.map(({ index, mode }) => ({ index, mode })) })),
    actions: plan.actions.length, deferred: plan.deferred.length, reported: plan.reported.length,
  };
}

export const handler = (event: RemediationPlanEvent) => run(event, lambdaRuntime());
