import type { DesiredState } from '../../engine/desiredState';
import { DriftCheckContext } from '../../engine/driftChecks/context';
import { scopeRefKey, type ScopeRef, type ScopeSnapshot } from '../../engine/inventory';
import type { AccountWork } from './accounts';
import { assembleInventory } from './assemble';
import type { AdminAccounts } from './plan';
import { unknownScope, type InventoryPart } from './part';

export interface FollowUps {
  /** Per-account reads, for scopes no organization-wide view showed. */
  work: AccountWork[];
  /** Scopes Rampart will not read: those of the management account, where it assumes no role. */
  unreadable: ScopeSnapshot[];
}

/**
 * The per-account reads still needed after the organization-wide views: Security Hub settings of
 * governed accounts no policy applied (self-managed, failed associations, Regions the aggregator
 * does not link), Config recorders the aggregator does not see delivering, and IAM roles of PCI
 * accounts and of accounts owning roles with external-access findings.
 */
export function planFollowUps(desired: DesiredState, admins: AdminAccounts, parts: readonly InventoryPart[]): FollowUps {
  const inventory = assembleInventory({ collectedAt: new Date(0).toISOString(), regions: desired.enabledRegions, parts, collector: 'follow-up planning' });
  const have = new Set(parts.flatMap((p) => p.scopes).filter((s) => s.state?.status === 'ok').map((s) => scopeRefKey(s.ref)));
  const missing = (ref: ScopeRef) => !have.has(scopeRefKey(ref));
  const ctx = new DriftCheckContext(desired, inventory);
  const byAccount = new Map<string, AccountWork>();
  const workFor = (accountId: string) => {
    let work = byAccount.get(accountId);
    if (!work) byAccount.set(accountId, (work = { accountId, securityHubRegions: [], configRegions: [], iam: false }));
    return work;
  };

  for (const account of ctx.checkedAccounts) {
    const accountId = account.id;
    if (account.securityHubPolicy) {
      for (const region of desired.securityHub.regions) if (missing({ kind: 'securityhub.account', accountId, region })) workFor(accountId).securityHubRegions.push(region);
    }
    for (const region of desired.config.regions) if (missing({ kind: 'config.recorder', accountId, region })) workFor(accountId).configRegions.push(region);
    if (account.pci) workFor(accountId).iam = true;
  }
  for (const region of Object.values(inventory.accessAnalyzer.regions)) {
    if (region.status !== 'ok') continue;
    for (const finding of region.findings) {
      if (finding.status === 'ACTIVE' && finding.resourceType === 'AWS::IAM::Role') workFor(finding.resourceOwnerAccount).iam = true;
    }
  }

  const management = admins.management ?? ctx.managementAccountId;
  const unreadable: ScopeSnapshot[] = [];
  const managementWork = management ? byAccount.get(management) : undefined;
  if (management && managementWork) {
    byAccount.delete(management);
    const error = { code: 'ManagementAccountNotRead', message: `Rampart assumes no role in the management account (${management}); this scope is read only through organization-wide views` };
    if (managementWork.iam) unreadable.push(unknownScope({ kind: 'iam.account', accountId: management }, error));
    for (const region of managementWork.securityHubRegions) unreadable.push(unknownScope({ kind: 'securityhub.account', accountId: management, region }, error));
    for (const region of managementWork.configRegions) unreadable.push(unknownScope({ kind: 'config.recorder', accountId: management, region }, error));
  }
  const work = [...byAccount.values()].filter((w) => w.iam || w.securityHubRegions.length || w.configRegions.length).sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { work, unreadable };
}

/** Splits per-account work into batches that each read about the same number of scopes. */
export function batchAccountWork(work: readonly AccountWork[], scopesPerBatch: number): AccountWork[][] {
  const batches: AccountWork[][] = [];
  let current: AccountWork[] = [];
  let size = 0;
  for (const item of work) {
    const scopes = (item.iam ? 1 : 0) + item.securityHubRegions.length + item.configRegions.length;
    if (current.length && size + scopes > scopesPerBatch) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += scopes;
  }
  if (current.length) batches.push(current);
  return batches;
}
