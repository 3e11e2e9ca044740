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

/**
 * The partition (account × day) of each row, remembered from the previous row, which it mostly shares. A row
 * belongs to its own account when it names one (cloud.account.uid), else to the origin's (`fallbackAccount`).
 */
export class PartitionRouting {
  fallbackAccount = EXTERNAL_ACCOUNT;
  accountId = '';
  day = '';
  private dayStart = 0;
  private dayEnd = 0;

  /** True when the row's partition differs from the previous row's; accountId and day are then the row's. */
  changed(account: unknown, time: number): boolean {
    let accountId = this.fallbackAccount;
    if (account !== undefined) {
      const own = accountPartition(account);
      if (own !== EXTERNAL_ACCOUNT) accountId = own;
    }
    if (accountId === this.accountId && time >= this.dayStart && time < this.dayEnd) return false;
    this.accountId = accountId;
    this.day = eventDay(time);
    this.dayStart = Math.floor(time / MS_PER_DAY) * MS_PER_DAY;
    this.dayEnd = this.dayStart + MS_PER_DAY;
    return true;
  }
}

/** The account of an AWS service log object, from its `AWSLogs/<account>/` key or path. */
export function accountFromLogKey(key: string): string | undefined {
  return /(?:^|\/)AWSLogs\/(\d{12})\//.exec(key)?.[1];
}
