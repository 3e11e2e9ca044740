/**
 * Security Lake's object layout for custom sources (Security Lake User Guide, "Collecting data from custom
 * sources"): objects under the source's location, partitioned
 * `region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/`, where region is the Region the data is
 * uploaded to, accountId the AWS account the records pertain to (`external` for records from outside AWS),
 * and eventDay the record's UTC day.
 */
import { createHash } from 'node:crypto';

/** Account partition for records that belong to no AWS account. */
export const EXTERNAL_ACCOUNT = 'external';

const MS_PER_DAY = 86_400_000;
const dayCache = new Map<number, string>();

/** UTC day of an epoch-milliseconds time as YYYYMMDD. */
export function eventDay(timeMs: number): string {
  const day = Math.floor(timeMs / MS_PER_DAY);
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10).replace(/-/g, '');
    dayCache.set(day, text);
  }
  return text;
}

/** The key prefix for a source: Security Lake's provider location (`s3://bucket/ext/name/...`) without bucket, or `ext/<source>/`. */
export function sourcePrefix(sourceName: string, location?: string): string {
  if (!location) return `ext/${sourceName}/`;
  const withoutScheme = location.replace(/^s3[an]?:\/\/[^/]+\/?/, '');
  return withoutScheme.endsWith('/') || withoutScheme === '' ? withoutScheme : `${withoutScheme}/`;
}

export function partitionPrefix(prefix: string, region: string, accountId: string, day: string): string {
  return `${prefix}region=${region}/accountId=${accountId}/eventDay=${day}/`;
}

/**
 * A name that depends only on what is written: the source, the partition, the input batch and the part
 * number within it. A retried batch produces the same names, so it overwrites instead of duplicating.
 */
export function objectName(sourceName: string, partition: string, batchId: string, part: string): string {
  return `${createHash('sha256').update(`${sourceName}\n${partition}\n${batchId}\n${part}`).digest('hex').slice(0, 32)}.parquet`;
}

/** An AWS account id, or `external` for anything else. */
export function accountPartition(account: unknown): string {
  return typeof account === 'string' && /^\d{12}$/.test(account) ? account : EXTERNAL_ACCOUNT;
}
