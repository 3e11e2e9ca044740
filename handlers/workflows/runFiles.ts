import { getJson, putJson } from '../../aws/s3';
import type { WorkflowRuntime } from './runtime';
import type { AwsClients } from '../../aws/clients';

/**
 * Files of one workflow run in the work bucket. Steps pass each other keys, not documents: Step
 * Functions caps a state's data at 256 KB, an inventory of thousands of accounts is megabytes.
 */
export const RUN_FILES = {
  part: (runId: string, unit: string) => `runs/${runId}/parts/${unit}.json`,
  followUps: (runId: string) => `runs/${runId}/follow-ups.json`,
  inventory: (runId: string) => `runs/${runId}/inventory.json`,
  report: (runId: string) => `runs/${runId}/drift-report.json`,
  remediationPlan: (runId: string) => `runs/${runId}/remediation-plan.json`,
  record: (runId: string, index: number) => `runs/${runId}/records/${String(index).padStart(4, '0')}.json`,
};

export function readRunFile<T>(runtime: WorkflowRuntime, clients: AwsClients, key: string): Promise<T> {
  return getJson<T>(clients, runtime.destinations.workBucket, key);
}

export function writeRunFile(runtime: WorkflowRuntime, clients: AwsClients, key: string, value: unknown): Promise<void> {
  return putJson(clients, runtime.destinations.workBucket, key, value);
}

/** Evidence keys by day under the configured prefix: `<prefix><kind>/YYYY/MM/DD/<run>.json`. */
export function evidenceKey(runtime: WorkflowRuntime, kind: 'drift' | 'remediation', at: Date, runId: string): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${runtime.destinations.evidencePrefix}${kind}/${day}/${runId}.json`;
}
