import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { LakeLoggingObservation, LakeQueryRun } from '../evidence/lakeLoggingChecks';
import { findNamedQuery, NamedQueryName, namedQuerySql } from './catalog';
import { LocalLake } from './localLake';

/**
 * Runs the named queries logging evidence needs over a local lake (DuckDB) and returns what
 * `lakeLoggingCheckResults` judges. A lake that cannot be read is reported as such, never as
 * an empty one: its scopes become `unknown`.
 */

export const DEFAULT_LAKE_LOOKBACK_DAYS = 7;

export async function observeLocalLakeLogging(options: { lake: string; now: Date; lookbackDays?: number }): Promise<LakeLoggingObservation> {
  const lookbackDays = options.lookbackDays ?? DEFAULT_LAKE_LOOKBACK_DAYS;
  const failed = (error: unknown): LakeLoggingObservation => ({ readable: false, lake: options.lake, runner: 'duckdb', reason: (error as Error).message });
  let lake: LocalLake;
  try {
    lake = await LocalLake.open({ lake: options.lake, now: options.now, lookbackDays });
  } catch (error) {
    return failed(error);
  }
  try {
    const coverageParams = { days: lookbackDays };
    const deniedParams = { hours: lookbackDays * 24 };
    const coverage: LakeQueryRun<'audit-events-by-account-region'> = {
      query: 'audit-events-by-account-region', sqlSha256: namedQuerySha256('audit-events-by-account-region'), params: coverageParams,
      rows: await lake.rows('audit-events-by-account-region', coverageParams),
    };
    const denied: LakeQueryRun<'access-denied-operations'> = {
      query: 'access-denied-operations', sqlSha256: namedQuerySha256('access-denied-operations'), params: deniedParams,
      rows: await lake.rows('access-denied-operations', deniedParams),
    };
    return { readable: true, lake: options.lake, runner: 'duckdb', lookbackDays, cloudTrailTable: !lake.missingSources.includes('CLOUD_TRAIL_MGMT'), coverage, denied };
  } catch (error) {
    // A corrupt or foreign Parquet file: the lake cannot be read, so nothing in it is judged.
    return failed(error);
  } finally {
    lake.close();
  }
}

/** SHA-256 of a named query's catalogue SQL (Athena's dialect, parameters in place): its identity in evidence. */
export function namedQuerySha256(name: NamedQueryName): string {
  const query = findNamedQuery(name);
  if (!query) throw new Error(`catalogue: no named query ${name}`);
  return createHash('sha256').update(namedQuerySql(query)).digest('hex');
}

/** Parses `--lake-lookback-days` for commander. */
export function parseLakeLookbackDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days) || days < 1 || days > 3650) {
    throw new InvalidArgumentError(`expected a whole number of days from 1 to 3650, e.g. 7`);
  }
  return days;
}
