import type { AccountWork } from '../../aws/collect/accounts';
import { SCOPES_PER_BATCH } from '../../aws/collect/collectInventory';
import { batchAccountWork, planFollowUps } from '../../aws/collect/followUps';
import type { InventoryPart } from '../../aws/collect/part';
import type { AdminAccounts } from '../../aws/collect/plan';
import type { ScopeSnapshot } from '../../engine/inventory';
import { readRunFile, RUN_FILES, writeRunFile } from './runFiles';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { FollowUpPlan, UnitResult } from './steps';

/** DriftCheck: the per-account reads no organization-wide view made unnecessary, in batches for the next Map. */
export interface CollectFollowUpsEvent {
  runId: string;
  admins: AdminAccounts;
  views: UnitResult[];
}

/** The follow-ups file: the batches, and the scopes Rampart will not read (the management account's). */
export interface FollowUpsFile {
  batches: AccountWork[][];
  unreadable: ScopeSnapshot[];
}

export async function run(event: CollectFollowUpsEvent, runtime: WorkflowRuntime): Promise<FollowUpPlan> {
  const clients = runtime.clients('rampart-drift-follow-ups');
  const parts = await Promise.all(event.views.flatMap((view) => ('key' in view ? [readRunFile<InventoryPart>(runtime, clients, view.key)] : [])));
  const followUps = planFollowUps(runtime.settings.desired, event.admins, parts);
  const batches = batchAccountWork(followUps.work, SCOPES_PER_BATCH);
  const file: FollowUpsFile = { batches, unreadable: followUps.unreadable };
  await writeRunFile(runtime, clients, RUN_FILES.followUps(event.runId), file);
  return {
    batches: batches.map((batch, index) => ({
      index, accounts: batch.length, scopes: batch.reduce((n, w) => n + (w.iam ? 1 : 0) + w.securityHubRegions.length + w.configRegions.length, 0),
    })),
  };
}

export const handler = (event: CollectFollowUpsEvent) => run(event, lambdaRuntime());
