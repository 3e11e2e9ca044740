import { collectAggregate } from '../../aws/collect/aggregates';
import type { AdminAccounts, AggregateUnit } from '../../aws/collect/plan';
import { RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { UnitResult } from './steps';

/** DriftCheck, one organization-wide view (a Map item): read it and write it as a part of the inventory. */
export interface CollectViewEvent {
  runId: string;
  unit: AggregateUnit;
  admins: AdminAccounts;
}

export async function run(event: CollectViewEvent, runtime: WorkflowRuntime): Promise<UnitResult> {
  const clients = runtime.clients(`rampart-drift-${event.unit}`);
  const part = await collectAggregate(event.unit, { clients, desired: runtime.settings.desired, admins: event.admins });
  const key = RUN_FILES.part(event.runId, event.unit);
  await writeRunFile(runtime, clients, key, part);
  return { unit: event.unit, key, scopes: part.scopes.length, unknown: part.scopes.filter((s) => s.state?.status !== 'ok').length };
}

export const handler = (event: CollectViewEvent) => run(event, lambdaRuntime());
