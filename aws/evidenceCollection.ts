import type { DesiredState } from '../engine/desiredState';
import type { Inventory, InventoryConformancePack } from '../engine/inventory';
import type { AwsClients } from './clients';
import { collectInventory, type CollectOptions } from './collect/collectInventory';
import { readMemberStatus, readRuleCompliance, withRuleCompliance } from './configRules';

/**
 * What evidence reads beyond the drift collection: each conformance pack's rule compliance per
 * account (two filtered aggregator reads) and where each pack deployed. When these cannot be read,
 * the packs keep no rules and their rule checks say the compliance was not collected (unknown).
 */
export async function addRuleCompliance(clients: AwsClients, desired: DesiredState, inventory: Inventory, packRules: Readonly<Record<string, readonly string[]>>): Promise<Inventory> {
  const structure = inventory.organization.structure;
  const admin = desired.organization.accounts.find((a) => a.name === desired.config.adminAccount);
  const adminId = admin?.id ?? (structure.status === 'ok' ? structure.accounts.find((a) => a.name === desired.config.adminAccount || a.email === admin?.email)?.id : undefined);
  if (!adminId) return inventory;
  const templateRules = new Set(Object.values(packRules).flat());
  let view;
  try {
    view = await readRuleCompliance(clients, adminId, desired.config.aggregator.region, desired.config.aggregator.name, templateRules);
  } catch {
    return inventory;
  }
  const memberStatus: Record<string, Record<string, InventoryConformancePack['memberStatus']>> = {};
  await Promise.all(Object.entries(inventory.config.conformancePacks).flatMap(([region, state]) => (state.status !== 'ok' ? [] : state.packs.map(async (pack) => {
    // Without deployment statuses the pack's organization-wide status stands for every account.
    const statuses = await readMemberStatus(clients, adminId, region, pack.name).catch(() => undefined);
    if (statuses) (memberStatus[region] ??= {})[pack.name] = statuses;
  }))));
  return withRuleCompliance(inventory, view, packRules, memberStatus);
}

/** The drift collection (collectInventory) and what evidence adds to it, in this process. */
export async function collectEvidenceInventory(clients: AwsClients, desired: DesiredState, packRules: Readonly<Record<string, readonly string[]>>, options: CollectOptions): Promise<Inventory> {
  const inventory = await collectInventory(clients, desired, options);
  return addRuleCompliance(clients, desired, inventory, packRules);
}
