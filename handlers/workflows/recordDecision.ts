import { recordAction, type ActionRecord } from '../../engine/remediation';
import { loadPlannedAction } from './remediationContext';
import { RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { ActionResult, TaskFailure } from './steps';

/**
 * Remediate: the record of an action that was not executed: a person rejected it, nobody answered
 * in time, or its executor failed before it could record anything itself.
 */
export interface RecordDecisionEvent {
  runId: string;
  index: number;
  decision: 'rejected' | 'expired' | 'failed';
  failed: TaskFailure;
}

export async function run(event: RecordDecisionEvent, runtime: WorkflowRuntime): Promise<ActionResult> {
  const clients = runtime.clients(`rampart-remediate-decision-${event.index}`);
  const { planned } = await loadPlannedAction(runtime, clients, event.runId, event.index);
  const at = runtime.now().toISOString();
  let record: ActionRecord;
  if (event.decision === 'failed') {
    // The executor stopped (timeout, crash) without its own record: whether it wrote is not known; the next run re-reads and plans again.
    record = {
      ...recordAction({ planned, startedAt: at, finishedAt: at, error: { code: event.failed.Error, message: event.failed.Cause ?? event.failed.Error } }),
      outcome: 'failed',
    };
  } else {
    const answer = event.decision === 'rejected' ? parseCause(event.failed.Cause) : {};
    record = recordAction({
      planned, startedAt: at, finishedAt: at,
      approval: { decision: event.decision, ...(answer.by ? { by: answer.by } : {}), at },
      ...(answer.reason ? { precondition: { holds: false, reason: `rejected: ${answer.reason}` } } : {}),
    });
  }
  await writeRunFile(runtime, clients, RUN_FILES.record(event.runId, event.index), record);
  return { index: event.index, outcome: record.outcome };
}

function parseCause(cause: string | undefined): { by?: string; reason?: string } {
  try {
    return JSON.parse(cause ?? '{}') as { by?: string; reason?: string };
  } catch {
    return { reason: cause };
  }
}

export const handler = (event: RecordDecisionEvent) => run(event, lambdaRuntime());
