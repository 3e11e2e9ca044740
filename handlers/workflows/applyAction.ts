import { executeAction } from '../../aws/execute/executeAction';
import { recordAction, type ActionRecord } from '../../engine/remediation';
import { loadPlannedAction } from './remediationContext';
import { RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { ActionResult } from './steps';

/** Remediate: one action under the executor protocol (a Map item), its record written to the run. */
export interface ApplyActionEvent {
  runId: string;
  index: number;
  /** A person's answer (the approval task's output), for actions that needed one. */
  approval?: { decision: 'approved'; by?: string; at?: string };
}

export async function run(event: ApplyActionEvent, runtime: WorkflowRuntime): Promise<ActionResult> {
  const clients = runtime.clients(`rampart-remediate-${event.index}`);
  const { file, planned, inventory, report } = await loadPlannedAction(runtime, clients, event.runId, event.index);
  const approval: ActionRecord['approval'] | undefined = event.approval
    ? { decision: 'approved', ...(event.approval.by ? { by: event.approval.by } : {}), at: event.approval.at ?? runtime.now().toISOString() }
    : undefined;
  const managementAccountId = report.managementAccountId ?? file.admins.management;
  const record = managementAccountId
    ? await executeAction(planned, inventory, {
      clients, desired: runtime.settings.desired, managementAccountId, accountIds: report.accountIds, deployment: runtime.settings.deployment, admins: file.admins,
    }, { now: () => runtime.now(), ...(approval ? { approval } : {}) })
    : recordAction({
      planned, startedAt: runtime.now().toISOString(), finishedAt: runtime.now().toISOString(),
      precondition: { holds: false, reason: 'not written: the management account could not be identified, so no write can be proven to keep off it' },
    });
  await writeRunFile(runtime, clients, RUN_FILES.record(event.runId, event.index), record);
  return { index: event.index, outcome: record.outcome };
}

export const handler = (event: ApplyActionEvent) => run(event, lambdaRuntime());
