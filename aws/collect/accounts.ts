import type { ScopeRef, ScopeSnapshot } from '../../engine/inventory';
import { readRecorder } from '../awsConfig';
import { readRoles } from '../iam';
import { ControlCatalog, readAccountHub } from '../securityHub';
import type { CollectionContext } from './aggregates';
import { mapLimited } from './concurrency';
import { readScopeSafely, sourceOf, type InventoryPart } from './part';

/** Per-account reads for what no organization-wide view showed, in the account (its execution role). */
export interface AccountWork {
  accountId: string;
  /** Regions whose Security Hub settings must be read in the account. */
  securityHubRegions: string[];
  /** Regions whose Config recorder must be read in the account. */
  configRegions: string[];
  /** Read the account's IAM roles (PCI accounts; owners of roles with external-access findings). */
  iam: boolean;
}

/** Accounts of one batch read in parallel (each account's own reads in parallel too). */
export const ACCOUNTS_IN_FLIGHT = 8;

export async function collectAccounts(batch: readonly AccountWork[], ctx: Pick<CollectionContext, 'clients' | 'controlCatalog'>): Promise<InventoryPart> {
  const before = { ...ctx.clients.calls.counts };
  const catalog = ctx.controlCatalog ?? new ControlCatalog();
  const perAccount = await mapLimited(batch, ACCOUNTS_IN_FLIGHT, (work) => readAccount(work, ctx, catalog));
  const scopes = perAccount.flat();
  const count = (kind: ScopeSnapshot['ref']['kind']) => scopes.filter((s) => s.ref.kind === kind).length;
  return {
    unit: `accounts:${batch[0]?.accountId ?? 'none'}+${Math.max(0, batch.length - 1)}`,
    scopes,
    sources: [
      sourceOf('securityhub.account', 'per-account', ['securityhub:DescribeHub', 'securityhub:GetEnabledStandards', 'securityhub:BatchGetStandardsControlAssociations'], count('securityhub.account')),
      sourceOf('config.recorder', 'per-account', ['config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus'], count('config.recorder')),
      sourceOf('iam.account', 'per-account', ['iam:ListRoles', 'iam:ListRoleTags'], count('iam.account')),
    ].filter((s) => s.scopes > 0),
    calls: ctx.clients.calls.since(before),
  };
}

function readAccount(work: AccountWork, ctx: Pick<CollectionContext, 'clients'>, catalog: ControlCatalog): Promise<ScopeSnapshot[]> {
  const { clients } = ctx;
  const { accountId } = work;
  return Promise.all([
    ...(work.iam ? [readScopeSafely({ kind: 'iam.account', accountId }, async () => ({ roles: await readRoles(clients, accountId) }))] : []),
    ...work.securityHubRegions.map((region) => readScopeSafely({ kind: 'securityhub.account', accountId, region }, () => readAccountHub(clients, accountId, region, catalog))),
    ...work.configRegions.map((region) => readScopeSafely({ kind: 'config.recorder', accountId, region }, () => readRecorder(clients, accountId, region))),
  ]);
}

/** The scopes a batch of per-account work reads (what a failed batch leaves unknown). */
export function scopesOfWork(batch: readonly AccountWork[]): ScopeRef[] {
  return batch.flatMap((work): ScopeRef[] => [
    ...(work.iam ? [{ kind: 'iam.account' as const, accountId: work.accountId }] : []),
    ...work.securityHubRegions.map((region) => ({ kind: 'securityhub.account' as const, accountId: work.accountId, region })),
    ...work.configRegions.map((region) => ({ kind: 'config.recorder' as const, accountId: work.accountId, region })),
  ]);
}
