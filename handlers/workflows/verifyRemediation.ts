import { rereadScopes } from '../../aws/collect/reread';
import { putEvent } from '../../aws/eventBridge';
import { putJson } from '../../aws/s3';
import { publishNotice } from '../../aws/sns';
import { detectDrift } from '../../engine/detectDrift';
import { scopeRefKey, withScopes, type Inventory, type ScopeRef } from '../../engine/inventory';
import type { ActionOutcome, ActionRecord } from '../../engine/remediation';
import type { RemediationPlanFile } from './remediationPlan';
import { evidenceKey, readRunFile, RUN_FILES } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import { DETAIL_TYPES } from './steps';

/**
 * Remediate, last step: re-read what the written actions touched, now that all of them ran, and
 * report which of the planned drifts remain; the records (before/after evidence) go to the
 * evidence bucket, a notice to the security audience, an event to EventBridge.
 */
export interface VerifyRemediationEvent {
  runId: string;
}

export interface RemediationSummary {
  runId: string;
  dryRun: boolean;
  outcomes: Partial<Record<ActionOutcome, number>>;
  /** Planned drifts still there after the run (ids). */
  remaining: string[];
  deferred: number;
  evidence: string;
}

const WRITTEN: ReadonlySet<ActionOutcome> = new Set(['applied', 'unverified', 'failed']);

export async function run(event: VerifyRemediationEvent, runtime: WorkflowRuntime): Promise<RemediationSummary> {
  const clients = runtime.clients('rampart-remediate-verify');
  const file = await readRunFile<RemediationPlanFile>(runtime, clients, RUN_FILES.remediationPlan(event.runId));
  const records = await Promise.all(file.plan.actions.map((_, index) => readRunFile<ActionRecord>(runtime, clients, RUN_FILES.record(event.runId, index))));
  const written = file.plan.actions.filter((_, i) => WRITTEN.has(records[i].outcome));
  const refs = new Map<string, ScopeRef>();
  for (const planned of written) for (const ref of planned.rereads) refs.set(scopeRefKey(ref), ref);
  let remaining: string[] = [];
  if (refs.size) {
    const inventory = await readRunFile<Inventory>(runtime, clients, file.inventoryKey);
    const fresh = await rereadScopes([...refs.values()], { clients, desired: runtime.settings.desired, admins: file.admins });
    const types = [...new Set(written.flatMap((p) => p.recheckTypes))];
    const after = detectDrift(runtime.settings.desired, withScopes(inventory, fresh), { types });
    const planned = new Set(written.flatMap((p) => p.verification.driftIds));
    remaining = after.drifts.filter((d) => planned.has(d.id)).map((d) => d.id);
  }
  const outcomes: RemediationSummary['outcomes'] = {};
  for (const record of records) outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
  const now = runtime.now();
  const key = evidenceKey(runtime, 'remediation', now, event.runId);
  const summary: RemediationSummary = {
    runId: event.runId, dryRun: file.dryRun, outcomes, remaining, deferred: file.plan.deferred.length, evidence: `s3://${runtime.destinations.evidenceBucket}/${key}`,
  };
  await putJson(clients, runtime.destinations.evidenceBucket, key, { summary, records, deferred: file.plan.deferred, reported: file.plan.reported });
  if (records.length) {
    const counts = Object.entries(outcomes).map(([o, n]) => `${n} ${o}`).join(', ');
    await publishNotice(clients, runtime.destinations.topicArn, {
      audience: 'security',
      subject: `Rampart remediation${file.dryRun ? ' (dry run)' : ''}: ${counts}`,
      message: [
        `Remediation run ${event.runId}${file.dryRun ? ' (dry run: nothing written)' : ''}: ${counts}.`,
        ...records.map((r) => `  ${r.outcome.padEnd(20)} ${r.description}${r.error ? ` (${r.error.code}: ${r.error.message})` : r.precondition && !r.precondition.holds ? ` (${r.precondition.reason})` : ''}`),
        remaining.length ? `${remaining.length} planned drift(s) remain: ${remaining.join(', ')}` : 'Every drift the written actions were to repair is gone.',
        ...(file.plan.deferred.length ? [`${file.plan.deferred.length} action(s) beyond maxActionsPerRun wait for the next run.`] : []),
        `Records with before/after evidence: ${summary.evidence}`,
      ].join('\n'),
    });
  }
  await putEvent(clients, runtime.destinations.eventBusName, { detailType: DETAIL_TYPES.remediation, detail: summary });
  return summary;
}

export const handler = (event: VerifyRemediationEvent) => run(event, lambdaRuntime());
