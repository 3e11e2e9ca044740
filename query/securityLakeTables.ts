import { join } from 'node:path';

/**
 * Security Lake's native sources as Rampart's views read them: source version 2 (OCSF 1.1.0),
 * their Glue table names, and the local lake layout that mirrors Security Lake's S3 keys.
 * No DuckDB here, so the stacks can use it; the tables' column types are in `sourceSchemas.ts`.
 */

export const NATIVE_SOURCE_VERSION = '2.0';

/** The three native sources the views read, keyed by Security Lake's source name. */
export const NATIVE_SOURCES = {
  SH_FINDINGS: { tableSuffix: 'sh_findings_2_0' },
  CLOUD_TRAIL_MGMT: { tableSuffix: 'cloud_trail_mgmt_2_0' },
  VPC_FLOW: { tableSuffix: 'vpc_flow_2_0' },
} as const;

export type NativeSource = keyof typeof NATIVE_SOURCES;
export const NATIVE_SOURCE_NAMES = Object.keys(NATIVE_SOURCES) as NativeSource[];

/** Hive partition directories, outermost first, as Security Lake writes them. */
export const PARTITION_COLUMNS = ['region', 'accountId', 'eventDay'] as const;

export interface TableName {
  database: string;
  table: string;
}

/**
 * The Glue database and table Security Lake creates for a source in a Region
 * (e.g. amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0).
 * In a rollup Region the table also holds the contributing Regions' data.
 */
export function securityLakeTable(region: string, source: NativeSource): TableName {
  const r = region.replaceAll('-', '_');
  return { database: `amazon_security_lake_glue_db_${r}`, table: `amazon_security_lake_table_${r}_${NATIVE_SOURCES[source].tableSuffix}` };
}

/**
 * Local lake layout for native sources, mirroring Security Lake's S3 keys:
 * `<lake>/aws/<SOURCE>/2.0/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/*.parquet`.
 * Custom sources (`rampart transform`) sit beside them under `<lake>/ext/<source>/`.
 */
export function localSourceDir(lake: string, source: NativeSource): string {
  return join(lake, 'aws', source, NATIVE_SOURCE_VERSION);
}

