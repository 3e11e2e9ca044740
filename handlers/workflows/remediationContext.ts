import type { AwsClients } from '../../aws/clients';
import type { DriftReport } from '../../engine/drift';
import type { Inventory } from '../../engine/inventory';
import type { PlannedAction } from '../../engine/remediation';
import type { RemediationPlanFile } from './remediationPlan';
import { readRunFile, RUN_FILES } from './runFiles';
import type { WorkflowRuntime } from './runtime';

/** One planned action of a run, with the plan, inventory and report it was planned from. */
export interface PlannedActionContext {
  file: RemediationPlanFile;
  planned: PlannedAction;
  inventory: Inventory;
  report: DriftReport;
}

export async function loadPlannedAction(runtime: WorkflowRuntime, clients: AwsClients, runId: string, index: number): Promise<PlannedActionContext> {
  const file = await readRunFile<RemediationPlanFile>(runtime, clients, RUN_FILES.remediationPlan(runId));
  const planned = file.plan.actions[index];
  if (!planned) throw new Error(`remediation run ${runId} has no action ${index}`);
  const [inventory, report] = await Promise.all([
    readRunFile<Inventory>(runtime, clients, file.inventoryKey),
    readRunFile<DriftReport>(runtime, clients, file.reportKey),
  ]);
  return { file, planned, inventory, report };
}
