import {
  GetBucketEncryptionCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetObjectCommand, GetObjectLockConfigurationCommand, HeadObjectCommand,
  PutObjectCommand, S3Client, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { EvidenceBucketObservation, EvidenceBucketState } from '../evidence/checks/evidenceBucket';
import { MANIFEST_FILE } from '../evidence/manifest';
import { verifyEvidenceSet, type VerifyResult } from '../evidence/verify';
import type { EvidenceSet } from '../evidence/write';
import { toCollectionError, type AwsClients, type ClientConstructor } from './clients';

/**
 * The Object-Locked evidence bucket in Rampart's home account: what protects it (read before each
 * write, and judged as evidence itself), writing an evidence set under
 * `<prefix><framework>/<date>/` with a compliance-mode retention on every object, and reading sets
 * back (the latest earlier set, for history).
 */

const S3 = S3Client as ClientConstructor<S3Client>;

function s3(clients: AwsClients): S3Client {
  return clients.client(S3, 's3', { account: clients.homeAccountId, region: clients.homeRegion });
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json', html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson', gz: 'application/gzip',
};

/** S3's answer when a bucket lacks an optional configuration: the configuration is absent, not unreadable. */
async function absentAs<T, A>(read: Promise<T>, codes: string[], absent: A): Promise<T | A> {
  try {
    return await read;
  } catch (error) {
    if (codes.includes((error as Error).name)) return absent;
    throw error;
  }
}

/** The bucket's Object Lock, default encryption, TLS-only policy and versioning; unknown (with the error) when any cannot be read. */
export async function inspectEvidenceBucket(clients: AwsClients, bucket: string, observedAt: string): Promise<EvidenceBucketObservation> {
  const client = s3(clients);
  try {
    const [lock, encryption, policy, versioning] = await Promise.all([
      absentAs(client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })), ['ObjectLockConfigurationNotFoundError'], undefined),
      absentAs(client.send(new GetBucketEncryptionCommand({ Bucket: bucket })), ['ServerSideEncryptionConfigurationNotFoundError'], undefined),
      absentAs(client.send(new GetBucketPolicyCommand({ Bucket: bucket })), ['NoSuchBucketPolicy'], undefined),
      client.send(new GetBucketVersioningCommand({ Bucket: bucket })),
    ]);
    const lockConfig = lock?.ObjectLockConfiguration;
    const retention = lockConfig?.Rule?.DefaultRetention;
    const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    const state: EvidenceBucketState = {
      objectLock: {
        enabled: lockConfig?.ObjectLockEnabled === 'Enabled',
        ...(retention?.Mode ? { mode: retention.Mode } : {}),
        ...(retention?.Days !== undefined ? { days: retention.Days } : {}),
        ...(retention?.Years !== undefined ? { years: retention.Years } : {}),
      },
      encryption: rule?.SSEAlgorithm ? { algorithm: rule.SSEAlgorithm, ...(rule.KMSMasterKeyID ? { kmsKeyId: rule.KMSMasterKeyID } : {}) } : null,
      tlsOnly: typeof policy?.Policy === 'string' && deniesInsecureTransport(policy.Policy),
      versioning: versioning.Status ?? 'Never enabled',
    };
    return { bucket, observedAt, state: { status: 'ok', ...state } };
  } catch (error) {
    return { bucket, observedAt, state: { status: 'unknown', error: toCollectionError(error) } };
  }
}

/** Whether a bucket policy has an unconditional-principal Deny of requests where aws:SecureTransport is false. */
export function deniesInsecureTransport(policyJson: string): boolean {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyJson) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]) as Record<string, unknown>[];
  return statements.some((s) => {
    if (!s || s.Effect !== 'Deny') return false;
    const principal = s.Principal as unknown;
    const everyone = principal === '*' || (typeof principal === 'object' && principal !== null && [(principal as { AWS?: unknown }).AWS].flat().includes('*'));
    const secure = ((s.Condition as Record<string, Record<string, unknown>> | undefined)?.Bool ?? {})['aws:SecureTransport'];
    return everyone && [secure].flat().some((v) => String(v) === 'false');
  });
}

export class EvidenceStoreError extends Error {}

export interface WrittenObject {
  key: string;
  bytes: number;
  versionId?: string;
}

/**
 * Writes one evidence set, each object in compliance mode until `retainUntil`, the manifest last
 * (a set cut short has no manifest, so it can never verify). Refuses a set whose manifest is
 * already there: evidence is written once.
 */
export async function writeEvidenceSet(clients: AwsClients, bucket: string, prefix: string, set: EvidenceSet, retainUntil: Date): Promise<WrittenObject[]> {
  const client = s3(clients);
  const keyOf = (file: string) => `${prefix}${set.dir}/${file}`;
  const manifest = set.files[set.files.length - 1];
  const exists = await absentAs(client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(manifest.path) })).then(() => true), ['NotFound', 'NoSuchKey'], false);
  if (exists) throw new EvidenceStoreError(`s3://${bucket}/${keyOf(manifest.path)} already exists: evidence for ${set.framework} on ${set.dir.split('/')[1]} is written once`);
  const written: WrittenObject[] = [];
  for (const file of set.files) {
    const body = Buffer.concat(file.content as Buffer[]);
    const out = await client.send(new PutObjectCommand({
      Bucket: bucket, Key: keyOf(file.path), Body: body, ContentType: CONTENT_TYPES[file.path.split('.').pop() as string] ?? 'application/octet-stream',
      // Object Lock writes must carry a checksum; the retention header keeps the object as written until retainUntil.
      ChecksumAlgorithm: 'SHA256', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: retainUntil,
    }));
    written.push({ key: keyOf(file.path), bytes: body.byteLength, ...(out.VersionId ? { versionId: out.VersionId } : {}) });
  }
  return written;
}

/** The dates (YYYY-MM-DD) with an evidence set of a framework under the prefix. */
export async function listEvidenceDates(clients: AwsClients, bucket: string, prefix: string, framework: string): Promise<string[]> {
  const dates: string[] = [];
  const base = `${prefix}${framework}/`;
  for await (const page of paginateListObjectsV2({ client: s3(clients) }, { Bucket: bucket, Prefix: base, Delimiter: '/' })) {
    for (const common of page.CommonPrefixes ?? []) {
      const date = (common.Prefix as string).slice(base.length, -1);
      if (/^\d{4}-\d{2}-\d{2}$/.test(date)) dates.push(date);
    }
  }
  return dates.sort();
}

/** One object's bytes, or undefined when there is no such key. */
export async function getObject(clients: AwsClients, bucket: string, key: string): Promise<Buffer | undefined> {
  const out = await absentAs(s3(clients).send(new GetObjectCommand({ Bucket: bucket, Key: key })), ['NoSuchKey', 'NotFound'], undefined);
  return out ? Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()) : undefined;
}

/** Every object of one evidence set, by its path inside the set. */
export async function readEvidenceSet(clients: AwsClients, bucket: string, prefix: string, dir: string): Promise<Map<string, Buffer>> {
  const client = s3(clients);
  const base = `${prefix}${dir}/`;
  const files = new Map<string, Buffer>();
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: base })) {
    for (const object of page.Contents ?? []) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      files.set((object.Key as string).slice(base.length), Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()));
    }
  }
  return files;
}

/** The referenced paths a manifest lists (none when it cannot be read: verification then reports the manifest). */
function manifestReferences(manifest: Buffer | undefined): string[] {
  try {
    const parsed = JSON.parse(manifest?.toString('utf8') ?? '{}') as { references?: { path?: unknown }[] };
    return (parsed.references ?? []).map((r) => r.path).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/**
 * One stored set read back and verified against its manifest, the files it pins in the run's
 * check-results set (../../_check-results/<date>/<file>) fetched and verified too.
 */
export async function verifyStoredEvidenceSet(clients: AwsClients, bucket: string, prefix: string, dir: string): Promise<{ files: Map<string, Buffer>; verification: VerifyResult }> {
  const files = await readEvidenceSet(clients, bucket, prefix, dir);
  const references = new Map<string, Buffer>();
  for (const rel of manifestReferences(files.get(MANIFEST_FILE))) {
    const match = /^\.\.\/\.\.\/(_check-results\/\d{4}-\d{2}-\d{2}\/[\w.-]+)$/.exec(rel);
    const content = match ? await getObject(clients, bucket, `${prefix}${match[1]}`) : undefined;
    if (content) references.set(rel, content);
  }
  return { files, verification: verifyEvidenceSet(files, (rel) => references.get(rel)) };
}
