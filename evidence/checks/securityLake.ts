import type { InventoryDataLake } from '../../engine/inventory';
import { readScope, unreadable, type CheckContext } from './context';

export const SOURCES_COLLECTING = 'securitylake.sources-collecting';
export const LAKE_RETENTION = 'securitylake.retention';

/** PCI DSS 10.5.1: audit log history for at least twelve months, the most recent three immediately available. */
export const PCI_MIN_RETENTION_DAYS = 365;
export const PCI_IMMEDIATE_DAYS = 90;
/** S3 storage classes whose objects must be restored before they can be read. */
const RESTORE_REQUIRED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** Security Lake collecting the configured AWS sources in every account and Region, and keeping them for the configured retention. */
export function checkSecurityLake(ctx: CheckContext): void {
  const lake = ctx.input.desired.securityLake;
  const active = ctx.activeAccounts();
  for (const { region } of lake.regions) {
    const state = readScope(ctx.input.inventory.securityLake.regions[region]);
    const dataLake = state.known?.dataLake ?? null;
    checkRetention(ctx, region, state.known ? { dataLake } : { error: unreadable(`Security Lake in ${region}`, state.error) });
    for (const source of lake.awsSources) {
      const accounts = source.accounts === 'all' ? active : active.filter((a) => (source.accounts as string[]).includes(a.name));
      for (const account of accounts) {
        const scope = ctx.accountScope(account.id, region);
        const item = source.sourceName;
        if (!state.known) {
          ctx.add(SOURCES_COLLECTING, 'unknown', scope, unreadable(`Security Lake in ${region}`, state.error), undefined, item);
          continue;
        }
        if (!dataLake) {
          ctx.add(SOURCES_COLLECTING, 'fail', scope, `there is no Security Lake data lake in ${region}: nothing is collected`, { dataLake: null }, item);
          continue;
        }
        const live = state.known.awsSources[account.id]?.find((s) => s.sourceName === source.sourceName);
        const evidence = { sourceName: source.sourceName, expectedVersion: source.sourceVersion, actual: live ?? null };
        if (live?.status === 'COLLECTING' && live.sourceVersion === source.sourceVersion) {
          ctx.add(SOURCES_COLLECTING, 'pass', scope, `${source.sourceName} ${live.sourceVersion} is COLLECTING`, evidence, item);
        } else {
          const found = live ? `${live.sourceVersion} is ${live.status}` : 'is not enabled';
          ctx.add(SOURCES_COLLECTING, 'fail', scope, `${source.sourceName} ${found}; expected ${source.sourceVersion} COLLECTING`, evidence, item);
        }
      }
    }
  }
}

/**
 * Passes when the lake's lifecycle keeps logs at least as long as the configuration asks and at
 * least twelve months, with nothing moved to a restore-first storage class in the first 90 days.
 */
function checkRetention(ctx: CheckContext, region: string, read: { dataLake: InventoryDataLake | null } | { error: string }): void {
  const lake = ctx.input.desired.securityLake;
  const scope = ctx.organizationScope({ accountName: lake.adminAccount, region });
  if ('error' in read) {
    ctx.add(LAKE_RETENTION, 'unknown', scope, read.error);
    return;
  }
  if (!read.dataLake) {
    ctx.add(LAKE_RETENTION, 'fail', scope, `there is no Security Lake data lake in ${region}: nothing is retained`, { dataLake: null });
    return;
  }
  const { expirationDays, transitions } = read.dataLake.lifecycle;
  const required = Math.max(lake.lifecycle.expirationDays, PCI_MIN_RETENTION_DAYS);
  const evidence = { lifecycle: read.dataLake.lifecycle, configuredExpirationDays: lake.lifecycle.expirationDays, minimumDays: required };
  const problems: string[] = [];
  if (expirationDays !== undefined && expirationDays < required) {
    problems.push(`objects expire after ${expirationDays} days; at least ${required} are required (the configuration asks ${lake.lifecycle.expirationDays}, PCI DSS 10.5.1 twelve months)`);
  }
  const early = transitions.filter((t) => RESTORE_REQUIRED.has(t.storageClass) && t.days < PCI_IMMEDIATE_DAYS);
  if (early.length) problems.push(`objects move to ${early.map((t) => `${t.storageClass} after ${t.days} days`).join(', ')}, before the ${PCI_IMMEDIATE_DAYS} days logs must stay immediately available`);
  if (problems.length) ctx.add(LAKE_RETENTION, 'fail', scope, problems.join('; '), evidence);
  else ctx.add(LAKE_RETENTION, 'pass', scope, `logs are kept ${expirationDays === undefined ? 'without expiry' : `${expirationDays} days`} (at least ${required} required), immediately readable for at least ${PCI_IMMEDIATE_DAYS}`, evidence);
}
