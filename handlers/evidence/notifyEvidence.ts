import { publishNotice } from '../../aws/sns';
import { lambdaRuntime, type WorkflowRuntime } from '../workflows/runtime';
import type { TaskFailure } from '../workflows/steps';
import type { ChecksSummary, FrameworkFailure, FrameworkSummary } from './steps';

/** Evidence, last step: tell the compliance audience what was written, what failed, and where the sets are; or that the run failed. */
export interface EvidenceWritten {
  checks: ChecksSummary;
  sets: (FrameworkSummary | FrameworkFailure)[];
}

export interface EvidenceRunFailed {
  runId: string;
  startTime: string;
  failed: TaskFailure;
}

export type NotifyEvidenceEvent = EvidenceWritten | EvidenceRunFailed;

export interface NotifyResult {
  messageId: string;
  frameworks: number;
  notWritten: number;
}

export function evidenceNotice(event: NotifyEvidenceEvent, bucket: string, prefix: string): { subject: string; message: string } {
  if ('failed' in event) {
    return {
      subject: 'Rampart evidence: the run FAILED, no evidence was written',
      message: `Evidence run ${event.runId} of ${event.startTime} failed: ${event.failed.Error}: ${event.failed.Cause ?? ''}\nNo framework set was written; the previous sets in s3://${bucket}/${prefix} stand. The run's execution history has the details.`,
    };
  }
  const { checks, sets } = event;
  const written = sets.filter((s): s is FrameworkSummary => 'location' in s);
  const failed = sets.filter((s): s is FrameworkFailure => 'failed' in s);
  const failingControls = written.reduce((n, s) => n + s.results.failed, 0);
  const lines = [`Evidence run ${checks.runId} of ${checks.startTime}: ${checks.checkResults.counts.fail} failing and ${checks.checkResults.counts.unknown} undetermined check result(s) of ${Object.values(checks.checkResults.counts).reduce((a, b) => a + b, 0)}.`];
  for (const s of written) {
    const r = s.results;
    lines.push('', `${s.name} (${s.framework})`,
      `  ${r.failed} failed, ${r.unknown} unknown, ${r.excepted} excepted, ${r.satisfied} satisfied, ${r.manual} manual, ${r['not-applicable']} not applicable`,
      `  coverage: ${s.coverage.automated} of ${s.coverage.total} controls with automated evidence, ${s.coverage.attested} attested, ${s.coverage.unmapped} unmapped`,
      ...s.failing.map((f) => `  FAILED ${f.control}: ${f.where}`),
      `  ${s.location}report.html (manifest sha256:${s.manifestSha256}; Object Lock until ${s.retainUntil.slice(0, 10)})`);
  }
  for (const f of failed) lines.push('', `${f.framework}: NOT WRITTEN (${f.failed.Error}: ${f.failed.Cause ?? ''})`);
  lines.push('', `Check results: s3://${bucket}/${checks.checkResults.key} (sha256:${checks.checkResults.sha256})`, `Verify a set with: rampart evidence verify <a copy of ${prefix}<framework>/<date>/ and ${prefix}_check-results/<date>/>`);
  const subject = failed.length
    ? `Rampart evidence: ${failed.length} framework set(s) NOT written`
    : `Rampart evidence: ${failingControls} failed control(s) across ${written.length} framework(s)`;
  return { subject, message: lines.join('\n') };
}

export async function run(event: NotifyEvidenceEvent, runtime: WorkflowRuntime): Promise<NotifyResult> {
  const clients = runtime.clients('rampart-evidence-notify');
  const notice = evidenceNotice(event, runtime.destinations.evidenceBucket, runtime.destinations.evidencePrefix);
  const messageId = await publishNotice(clients, runtime.destinations.topicArn, { ...notice, audience: 'compliance' });
  const sets = 'failed' in event ? [] : event.sets;
  return { messageId, frameworks: sets.length, notWritten: sets.filter((s) => 'failed' in s).length };
}

export const handler = (event: NotifyEvidenceEvent) => run(event, lambdaRuntime());
