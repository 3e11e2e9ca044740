import { customSourceRegion, type RampartConfig } from '../../config/model';
import type { SecurityLakeConfig } from '../../config/schema/securitylake';

/** What a Security Lake Region does with its data. */
export type LakeRegionRole =
  | { kind: 'rollup'; contributors: string[] }
  | { kind: 'contributing'; rollupRegion: string }
  | { kind: 'standalone' };

export function lakeRegionRole(lake: Pick<SecurityLakeConfig, 'rollupRegions'>, region: string): LakeRegionRole {
  const rollup = lake.rollupRegions.find((r) => r.region === region);
  if (rollup) return { kind: 'rollup', contributors: [...rollup.contributingRegions] };
  const target = lake.rollupRegions.find((r) => (r.contributingRegions as readonly string[]).includes(region));
  if (target) return { kind: 'contributing', rollupRegion: target.region };
  return { kind: 'standalone' };
}

/**
 * Regions where query subscribers read the lake: each rollup Region (it holds its contributors'
 * data too), or, without rollup, the Region custom sources live in (the home Region when it has a
 * data lake).
 */
export function subscriberRegions(config: Pick<RampartConfig, 'global' | 'securityLake'>): string[] {
  const rollups = config.securityLake.rollupRegions.map((r) => r.region);
  return rollups.length > 0 ? rollups : [customSourceRegion(config)];
}

/** The external id a custom source's provider role requires; the writer presents the same one. */
export const providerExternalId = (sourceName: string, providerAccountId: string) => `rampart-${sourceName}-${providerAccountId}`;

/** Read-only role in the Security Lake administrator account through which provider accounts find their sources. */
export const customSourceReaderRoleName = (region: string) => `RampartCustomSourceReader-${region}`;

/** Name of the replication role of a contributing Region (AWS requires the SecurityLake prefix). */
export const replicationRoleName = (region: string) => `SecurityLakeRampartReplication-${region}`;

/** Name of the metastore manager role of a Region's data lake. */
export const metaStoreManagerRoleName = (region: string) => `RampartSecurityLakeMetaStore-${region}`;

/** Name of the Glue crawler role of the Region's custom sources (remediation registers a deleted source again with it). */
export const customSourceCrawlerRoleName = (region: string) => `RampartSecurityLakeCustomSourceCrawler-${region}`;
