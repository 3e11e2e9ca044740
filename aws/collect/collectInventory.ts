import type { DesiredState } from '../../engine/desiredState';
import type { Inventory } from '../../engine/inventory';
import type { AwsClients } from '../clients';
import { ControlCatalog } from '../securityHub';
import { collectAccounts } from './accounts';
import { collectAggregate } from './aggregates';
import { assembleInventory } from './assemble';
import { mapLimited } from './concurrency';
import { batchAccountWork, planFollowUps } from './followUps';
import { planCollection } from './plan';
import type { InventoryPart } from './part';

export const COLLECTOR_NAME = 'rampart (aws)';
/** Scopes one per-account batch reads (a workflow Map item; here, a unit of parallel work). */
export const SCOPES_PER_BATCH = 120;

export interface CollectOptions {
  /** The inventory's collectedAt: the caller reads the clock. */
  collectedAt: string;
  /** Per-account batches in flight (governance.yaml drift.maxConcurrency). */
  maxConcurrency: number;
}

/**
 * One whole collection in this process, in the order the DriftCheck workflow runs it: plan,
 * organization-wide views in parallel, per-account follow-ups in batches, assembly. `rampart
 * snapshot` uses it; the workflow runs the same steps as separate tasks.
 */
export async function collectInventory(clients: AwsClients, desired: DesiredState, options: CollectOptions): Promise<Inventory> {
  const started = Date.now();
  const before = { ...clients.calls.counts };
  const plan = await planCollection(clients, desired, options.collectedAt);
  const ctx = { clients, desired, admins: plan.admins, controlCatalog: new ControlCatalog() };
  const aggregates = await Promise.all(plan.units.map((unit) => collectAggregate(unit, ctx)));
  const followUps = planFollowUps(desired, plan.admins, aggregates);
  const batches = batchAccountWork(followUps.work, SCOPES_PER_BATCH);
  const perAccount = await mapLimited(batches, options.maxConcurrency, (batch) => collectAccounts(batch, ctx));
  const planning: InventoryPart = { unit: 'plan', scopes: followUps.unreadable, sources: [], calls: {} };
  const inventory = assembleInventory({
    collectedAt: options.collectedAt, regions: collectionRegions(desired), parts: [...aggregates, ...perAccount, planning], collector: COLLECTOR_NAME,
    durationMs: Date.now() - started,
  });
  // Every call of this collection, the planning ones included.
  inventory.metadata.callCounts = clients.calls.since(before);
  return inventory;
}

export function collectionRegions(desired: DesiredState): string[] {
  return [...new Set([...desired.enabledRegions, ...desired.securityLake.regions.map((r) => r.region)])].sort();
}
