import type { AwsClients } from '../../aws/clients';
import { listEvidenceDates, verifyStoredEvidenceSet, writeEvidenceSet } from '../../aws/evidenceStore';
import { buildEvidenceReport } from '../../evidence/build';
import type { CheckResult } from '../../evidence/checkResult';
import { EVIDENCE_REPORT_SCHEMA, type EvidenceReport } from '../../evidence/report';
import type { AccountInfo } from '../../evidence/resultIndex';
import { EVIDENCE_FILES, frameworkSet } from '../../evidence/write';
import { readRunFile } from '../workflows/runFiles';
import { lambdaRuntime, type WorkflowRuntime } from '../workflows/runtime';
import { retainUntil } from './evaluateChecks';
import { frameworksOf, loadEvidenceSettings, type EvidenceHandlerSettings } from './settings';
import type { ChecksSummary, FrameworkSummary } from './steps';

/**
 * Evidence, one framework (a Map item): map the run's check results to the framework's controls,
 * compare with its latest earlier set in the evidence bucket (verified first), render, and write
 * the set with its manifest, every object Object Locked for the configured retention.
 */
export interface RenderFrameworkEvent {
  framework: string;
  checks: ChecksSummary;
}

const FAILING_LISTED = 10;

/** The latest set of the framework dated before `before`, verified against its manifest; none on the first run. */
async function previousReport(clients: AwsClients, runtime: WorkflowRuntime, framework: string, before: string): Promise<EvidenceReport | undefined> {
  const { evidenceBucket: bucket, evidencePrefix: prefix } = runtime.destinations;
  const date = (await listEvidenceDates(clients, bucket, prefix, framework)).filter((d) => d < before).at(-1);
  if (!date) return undefined;
  const dir = `${framework}/${date}`;
  const { files, verification } = await verifyStoredEvidenceSet(clients, bucket, prefix, dir);
  const problems = verification.problems;
  if (problems.length) {
    throw new Error(`s3://${bucket}/${prefix}${dir}/ fails verification (${problems[0].kind} ${problems[0].path}: ${problems[0].detail}); history is never built on it. Investigate it before the next run.`);
  }
  const report = JSON.parse((files.get(EVIDENCE_FILES.report) as Buffer).toString('utf8')) as EvidenceReport;
  if (report.schema !== EVIDENCE_REPORT_SCHEMA) throw new Error(`s3://${bucket}/${prefix}${dir}/${EVIDENCE_FILES.report} is not a ${EVIDENCE_REPORT_SCHEMA} document`);
  return report;
}

export async function run(event: RenderFrameworkEvent, runtime: WorkflowRuntime, settings: EvidenceHandlerSettings = loadEvidenceSettings()): Promise<FrameworkSummary> {
  const { checks, framework: id } = event;
  const clients = runtime.clients(`rampart-evidence-${id}`);
  const set = frameworksOf(settings);
  const framework = set.frameworks.get(id);
  if (!framework) throw new Error(`governance.yaml evidence.frameworks names ${id}, which is neither built in nor among the overlays and custom frameworks deployed`);
  const [checkResults, accounts, previous] = await Promise.all([
    readRunFile<CheckResult[]>(runtime, clients, checks.resultsKey),
    readRunFile<AccountInfo[]>(runtime, clients, checks.accountsKey),
    previousReport(clients, runtime, id, checks.startTime.slice(0, 10)),
  ]);
  const build = buildEvidenceReport({
    now: new Date(checks.startTime), frameworks: [framework], describer: set.describer, checkResults, accounts,
    exceptions: settings.exceptions, attestations: settings.attestations, previous: previous ? [previous] : [], inventory: checks.inventory,
  });
  const evidence = frameworkSet(build, id, checks.checkResults);
  const until = retainUntil(checks.startTime, settings.retentionDays);
  await writeEvidenceSet(clients, runtime.destinations.evidenceBucket, runtime.destinations.evidencePrefix, evidence, until);
  const report = build.report.frameworks[0];
  const names = new Map(report.accounts.map((a) => [a.accountId, a.accountName]));
  return {
    framework: id, name: report.name,
    location: `s3://${runtime.destinations.evidenceBucket}/${runtime.destinations.evidencePrefix}${evidence.dir}/`,
    manifestSha256: evidence.manifestSha256, retainUntil: until.toISOString(),
    results: report.results, coverage: report.coverage,
    failing: report.controls.filter((c) => c.result === 'failed').slice(0, FAILING_LISTED).map((c) => ({
      control: c.id,
      where: c.failingAccountIds.length
        ? c.failingAccountIds.map((a) => names.get(a) ?? a).join(', ')
        : [...new Set(c.failing.map((f) => [f.accountName, f.ou, f.region].filter(Boolean).join(' ')))].join('; '),
    })),
  };
}

export const handler = (event: RenderFrameworkEvent) => run(event, lambdaRuntime());
