import { collectAccounts } from '../../aws/collect/accounts';
import { readRunFile, RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { FollowUpsFile } from './collectFollowUps';
import type { UnitResult } from './steps';

/** DriftCheck, one batch of per-account reads (a Map item). */
export interface CollectAccountsEvent {
  runId: string;
  index: number;
}

export async function run(event: CollectAccountsEvent, runtime: WorkflowRuntime): Promise<UnitResult> {
  const clients = runtime.clients(`rampart-drift-accounts-${event.index}`);
  const followUps = await readRunFile<FollowUpsFile>(runtime, clients, RUN_FILES.followUps(event.runId));
  const batch = followUps.batches[event.index];
  if (!batch) throw new Error(`run ${event.runId} has no account batch ${event.index}`);
  const part = await collectAccounts(batch, { clients });
  const unit = `accounts-${event.index}`;
  const key = RUN_FILES.part(event.runId, unit);
  await writeRunFile(runtime, clients, key, part);
  return { unit, key, scopes: part.scopes.length, unknown: part.scopes.filter((s) => s.state?.status !== 'ok').length };
}

export const handler = (event: CollectAccountsEvent) => run(event, lambdaRuntime());
