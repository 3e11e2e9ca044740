import { publishDriftFindings } from '../../aws/driftFindings';
import { putEvent } from '../../aws/eventBridge';
import { putJson } from '../../aws/s3';
import { publishNotice } from '../../aws/sns';
import type { DriftReport } from '../../engine/drift';
import { formatDriftReport } from '../../engine/driftTable';
import { evidenceKey, readRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import { DETAIL_TYPES, type DriftSummary } from './steps';

/** DriftCheck: publish the report to one destination (the four run in parallel, each retried and caught on its own). */
export type PublishTarget = 's3' | 'sns' | 'events' | 'securityhub';

export interface PublishDriftEvent {
  target: PublishTarget;
  summary: DriftSummary;
}

export interface PublishResult {
  target: PublishTarget;
  published: boolean;
  detail: string;
}

/** Notifications list this many drifts; the rest are in the evidence bucket. */
const NOTICE_ROWS = 40;

export async function run(event: PublishDriftEvent, runtime: WorkflowRuntime): Promise<PublishResult> {
  const { summary, target } = event;
  const clients = runtime.clients(`rampart-drift-publish-${target}`);
  const report = await readRunFile<DriftReport>(runtime, clients, summary.reportKey);
  const now = runtime.now();
  switch (target) {
    case 's3': {
      const key = evidenceKey(runtime, 'drift', new Date(summary.collectedAt), summary.runId);
      await putJson(clients, runtime.destinations.evidenceBucket, key, { summary, report });
      return { target, published: true, detail: `s3://${runtime.destinations.evidenceBucket}/${key}` };
    }
    case 'sns': {
      if (report.drifts.length === 0 && report.unknownScopes.length === 0) return { target, published: false, detail: 'clean: nothing to notify' };
      const severities = Object.entries(summary.bySeverity).map(([s, n]) => `${n} ${s}`).join(', ');
      const id = await publishNotice(clients, runtime.destinations.topicArn, {
        audience: 'security',
        subject: `Rampart: ${report.drifts.length} drift(s)${severities ? ` (${severities})` : ''}, ${report.unknownScopes.length} unreadable scope(s)`,
        message: [
          `Drift check ${summary.runId} of ${summary.collectedAt}.`,
          formatDriftReport(report, { limit: NOTICE_ROWS }),
          '',
          `Remediation the policy allows: ${summary.remediable.auto} automatic, ${summary.remediable.approve} waiting for approval.`,
          `Full report: s3://${runtime.destinations.evidenceBucket}/${evidenceKey(runtime, 'drift', new Date(summary.collectedAt), summary.runId)}`,
        ].join('\n'),
      });
      return { target, published: true, detail: `message ${id}` };
    }
    case 'events':
      await putEvent(clients, runtime.destinations.eventBusName, { detailType: DETAIL_TYPES.driftCheck, detail: summary });
      return { target, published: true, detail: `${DETAIL_TYPES.driftCheck} on ${runtime.destinations.eventBusName}` };
    case 'securityhub': {
      const result = await publishDriftFindings(clients, report, now.toISOString());
      if (result.failed.length) throw new Error(`Security Hub refused ${result.failed.length} finding(s): ${result.failed.slice(0, 3).map((f) => `${f.id}: ${f.reason}`).join('; ')}`);
      return { target, published: true, detail: `${result.imported} finding(s) imported, ${result.archived} resolved` };
    }
  }
}

export const handler = (event: PublishDriftEvent) => run(event, lambdaRuntime());
