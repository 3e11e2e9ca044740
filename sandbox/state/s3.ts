import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { defineSlot, type SandboxState } from './sandboxState';

export interface ObjectVersion {
  /** `null` for objects written while versioning was never enabled or suspended. */
  versionId: string;
  deleteMarker: boolean;
  /** Base64 of the object bytes. */
  body: string;
  size: number;
  /** Quoted MD5 hex, as S3 returns it. */
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
  /** ISO 8601. */
  lastModified: string;
  checksum?: { algorithm: string; value: string };
  lockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  /** ISO 8601. */
  retainUntil?: string;
  legalHold?: 'ON' | 'OFF';
  encryption: { algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean };
}

export interface EncryptionRule {
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface BucketRecord {
  name: string;
  region: string;
  owner: string;
  createdAt: string;
  versioning?: 'Enabled' | 'Suspended';
  objectLockEnabled: boolean;
  defaultRetention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number };
  policy?: string;
  /** Default encryption; SSE-S3 for every bucket since January 2023. */
  encryption: EncryptionRule;
  /** Key → versions, oldest first. */
  objects: Record<string, ObjectVersion[]>;
}

export interface S3RegionState {
  buckets: Record<string, BucketRecord>;
}

export const s3Slot = defineSlot<S3RegionState>('s3', () => ({ buckets: {} }));

/** Buckets per account (default quota since 2024, adjustable). */
export const BUCKETS_PER_ACCOUNT = { code: 's3.Buckets', default: 10000 };

/** Bucket names are global: name → owner and Region, rebuilt from the per-account state on a miss. */
const bucketIndexes = new WeakMap<SandboxState, Map<string, { account: string; region: string }>>();

function indexOf(state: SandboxState, rebuild: boolean): Map<string, { account: string; region: string }> {
  let index = bucketIndexes.get(state);
  if (!index || rebuild) {
    index = new Map();
    for (const { account, region, value } of state.entries(s3Slot)) {
      for (const name of Object.keys(value.buckets)) index.set(name, { account, region });
    }
    bucketIndexes.set(state, index);
  }
  return index;
}

export function findBucket(state: SandboxState, name: string): BucketRecord | undefined {
  for (const rebuild of [false, true]) {
    const where = indexOf(state, rebuild).get(name);
    const bucket = where && state.find(s3Slot, where.account, where.region)?.buckets[name];
    if (bucket) return bucket;
  }
  return undefined;
}

export function bucketsOf(state: SandboxState, account: string): BucketRecord[] {
  const out: BucketRecord[] = [];
  for (const { account: owner, value } of state.entries(s3Slot)) if (owner === account) out.push(...Object.values(value.buckets));
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** S3 bucket naming rules (general purpose buckets). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may hold lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) return 'uses a reserved prefix or suffix';
  return undefined;
}

export function createBucket(
  state: SandboxState,
  account: string,
  region: string,
  name: string,
  options: { objectLockEnabled?: boolean },
  now: Date,
): { bucket: BucketRecord; existed: boolean } {
  const problem = bucketNameProblem(name);
  if (problem) throw new AwsError('InvalidBucketName', `The specified bucket is not valid: a bucket name ${problem}.`, { fields: { BucketName: name } });
  const existing = findBucket(state, name);
  if (existing) {
    if (existing.owner !== account) {
      throw new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { fields: { BucketName: name } });
    }
    // us-east-1 answers 200 to re-creating your own bucket (legacy behaviour); other Regions refuse.
    if (existing.region === 'us-east-1' && region === 'us-east-1') return { bucket: existing, existed: true };
    throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { fields: { BucketName: name } });
  }
  const count = bucketsOf(state, account).length;
  const quota = state.quota(account, BUCKETS_PER_ACCOUNT.code, BUCKETS_PER_ACCOUNT.default);
  if (count >= quota) throw new AwsError('TooManyBuckets', 'You have attempted to create more buckets than allowed', { status: 400 });
  const bucket: BucketRecord = {
    name, region, owner: account, createdAt: now.toISOString(),
    objectLockEnabled: options.objectLockEnabled === true,
    ...(options.objectLockEnabled ? { versioning: 'Enabled' as const } : {}),
    encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
    objects: {},
  };
  state.get(s3Slot, account, region).buckets[name] = bucket;
  indexOf(state, false).set(name, { account, region });
  return { bucket, existed: false };
}

/** The version a plain GET sees: the newest, unless it is a delete marker. */
export function latestVersion(bucket: BucketRecord, key: string): ObjectVersion | undefined {
  const versions = bucket.objects[key];
  return versions?.[versions.length - 1];
}

export function newVersionId(bucket: BucketRecord, random: SeededRandom): string {
  return bucket.versioning === 'Enabled' ? random.chars(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._') : 'null';
}

/** Stores a version: with versioning on it is appended, otherwise it replaces the `null` version. */
export function storeVersion(bucket: BucketRecord, key: string, version: ObjectVersion): void {
  const versions = (bucket.objects[key] ??= []);
  if (version.versionId === 'null') {
    const at = versions.findIndex((v) => v.versionId === 'null');
    if (at >= 0) versions.splice(at, 1);
  }
  versions.push(version);
}

/** Why a version may not be deleted now (Object Lock), or undefined. */
export function retentionBlocksDelete(version: ObjectVersion, nowMs: number, bypassGovernance: boolean): string | undefined {
  if (version.legalHold === 'ON') return 'a legal hold';
  if (version.retainUntil && Date.parse(version.retainUntil) > nowMs) {
    if (version.lockMode === 'COMPLIANCE') return 'COMPLIANCE retention';
    if (version.lockMode === 'GOVERNANCE' && !bypassGovernance) return 'GOVERNANCE retention';
  }
  return undefined;
}
