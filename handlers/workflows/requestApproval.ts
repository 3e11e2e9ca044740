import { publishNotice } from '../../aws/sns';
import { RUN_FILES, readRunFile } from './runFiles';
import type { RemediationPlanFile } from './remediationPlan';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';

/**
 * Remediate: asks a person to approve one action. The task waits on its token until someone runs
 * `rampart approve TOKEN` (or `--reject`), or the approval times out.
 */
export interface RequestApprovalEvent {
  runId: string;
  index: number;
  token: string;
}

export async function run(event: RequestApprovalEvent, runtime: WorkflowRuntime): Promise<{ requested: string }> {
  const clients = runtime.clients('rampart-remediate-approval');
  const file = await readRunFile<RemediationPlanFile>(runtime, clients, RUN_FILES.remediationPlan(event.runId));
  const planned = file.plan.actions[event.index];
  if (!planned) throw new Error(`remediation run ${event.runId} has no action ${event.index}`);
  const hours = runtime.settings.remediation.approvalTimeoutHours;
  const id = await publishNotice(clients, runtime.destinations.topicArn, {
    audience: 'security',
    subject: `Rampart: approval needed to ${planned.description}`,
    message: [
      `Remediation run ${event.runId} asks for your approval to ${planned.description}.`,
      `Severity ${planned.severity}; drift: ${planned.driftTypes.join(', ')} (${planned.driftIds.join(', ')}).`,
      ...(planned.modeReason ? [`Why approval: ${planned.modeReason}.`] : []),
      `Before writing, Rampart re-reads ${planned.rereads.map((r) => r.kind).join(', ')} and writes nothing if the drift changed or cannot be read.`,
      '',
      `Approve:  rampart approve ${event.token}`,
      `Reject:   rampart approve ${event.token} --reject --reason "why"`,
      '',
      `Unanswered, the request expires in ${hours} hour(s) and nothing is written.`,
    ].join('\n'),
  });
  return { requested: id };
}

export const handler = (event: RequestApprovalEvent) => run(event, lambdaRuntime());
