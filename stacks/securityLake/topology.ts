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

/** Regions where the data ends up and is queried: rollup Regions and Regions that replicate nowhere. */
export function queryRegions(lake: Pick<SecurityLakeConfig, 'regions' | 'rollupRegions'>): string[] {
  return lake.regions.filter((region) => lakeRegionRole(lake, region).kind !== 'contributing');
}

/** Name of the replication role of a contributing Region (AWS requires the SecurityLake prefix). */
export const replicationRoleName = (region: string) => `SecurityLakeRampartReplication-${region}`;

/** Name of the metastore manager role of a Region's data lake. */
export const metaStoreManagerRoleName = (region: string) => `RampartSecurityLakeMetaStore-${region}`;

/** Name of the Glue crawler role of the Region's custom sources (remediation registers a deleted source again with it). */
export const customSourceCrawlerRoleName = (region: string) => `RampartSecurityLakeCustomSourceCrawler-${region}`;
