import { addRuleCompliance } from '../../aws/evidenceCollection';
import { inspectEvidenceBucket, writeEvidenceSet } from '../../aws/evidenceStore';
import type { DriftReport } from '../../engine/drift';
import type { Inventory } from '../../engine/inventory';
import { buildEvidenceReport } from '../../evidence/build';
import type { CheckStatus } from '../../evidence/checkResult';
import { evaluateChecks } from '../../evidence/checks/evaluateChecks';
import { inventorySha256 } from '../../evidence/manifest';
import { evidenceAccounts } from '../../evidence/run';
import { checkResultsReference, checkResultsSet } from '../../evidence/write';
import { readRunFile, writeRunFile } from '../workflows/runFiles';
import { lambdaRuntime, type WorkflowRuntime } from '../workflows/runtime';
import { frameworksOf, loadEvidenceSettings, selectFrameworks, type EvidenceHandlerSettings, type FrameworkRequest } from './settings';
import type { ChecksSummary, DriftSummary } from './steps';

/**
 * Evidence, after the collection: add what evidence reads beyond drift (conformance-pack rule
 * compliance, the evidence bucket's own protections), evaluate every check, keep the results for
 * the framework steps, and write the run's check-results set to the evidence bucket.
 */
export interface EvaluateChecksEvent {
  drift: DriftSummary;
  startTime: string;
  /** The execution's input: `frameworks` (ids or "all") narrows or widens governance.yaml's list for this run. */
  request?: { frameworks?: FrameworkRequest };
}

export const EVIDENCE_RUN_FILES = {
  results: (runId: string) => `runs/${runId}/check-results.json`,
  accounts: (runId: string) => `runs/${runId}/evidence-accounts.json`,
};

/** Every evidence object stays as written until the configured retention runs out, counted from the run's start. */
export function retainUntil(startTime: string, retentionDays: number): Date {
  return new Date(new Date(startTime).getTime() + retentionDays * 86_400_000);
}

export async function run(event: EvaluateChecksEvent, runtime: WorkflowRuntime, settings: EvidenceHandlerSettings = loadEvidenceSettings()): Promise<ChecksSummary> {
  const { drift, startTime } = event;
  // A bad request fails before anything is read or written.
  const wanted = selectFrameworks(event.request?.frameworks, settings);
  const { desired } = runtime.settings;
  const clients = runtime.clients('rampart-evidence-checks');
  const [collected, driftReport] = await Promise.all([
    readRunFile<Inventory>(runtime, clients, drift.inventoryKey),
    readRunFile<DriftReport>(runtime, clients, drift.reportKey),
  ]);
  const inventory = await addRuleCompliance(clients, desired, collected, settings.conformancePackRules);
  const evidenceBucket = await inspectEvidenceBucket(clients, runtime.destinations.evidenceBucket, runtime.now().toISOString());
  const checkResults = evaluateChecks({
    desired, inventory, driftReport, evidenceRetentionDays: settings.retentionDays, conformancePackRules: settings.conformancePackRules, evidenceBucket,
  });
  const accounts = evidenceAccounts(desired, driftReport, inventory);

  // The check-results set holds every result the frameworks can cite, ids as every framework step will compute them.
  const frameworks = frameworksOf(settings);
  const inventorySummary = { sha256: inventorySha256(inventory), observedAt: inventory.collectedAt, source: `run ${drift.runId}` };
  const build = buildEvidenceReport({ now: new Date(startTime), frameworks: [], describer: frameworks.describer, checkResults, accounts, inventory: inventorySummary });
  const set = checkResultsSet(build, inventory);
  const written = await writeEvidenceSet(clients, runtime.destinations.evidenceBucket, runtime.destinations.evidencePrefix, set, retainUntil(startTime, settings.retentionDays));
  await Promise.all([
    writeRunFile(runtime, clients, EVIDENCE_RUN_FILES.results(drift.runId), checkResults),
    writeRunFile(runtime, clients, EVIDENCE_RUN_FILES.accounts(drift.runId), accounts),
  ]);
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
  for (const result of checkResults) counts[result.status]++;
  return {
    runId: drift.runId, startTime,
    resultsKey: EVIDENCE_RUN_FILES.results(drift.runId), accountsKey: EVIDENCE_RUN_FILES.accounts(drift.runId),
    inventory: inventorySummary,
    checkResults: { ...checkResultsReference(set), key: written[0].key, manifestSha256: set.manifestSha256, counts },
    frameworks: wanted,
  };
}

export const handler = (event: EvaluateChecksEvent) => run(event, lambdaRuntime());
