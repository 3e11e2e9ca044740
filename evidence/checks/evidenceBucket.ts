import type { CollectionError } from '../../engine/inventory';
import type { CheckContext } from './context';

export const BUCKET_OBJECT_LOCKED = 'evidence.bucket-object-locked';

/** The evidence bucket's protections as read from S3 (GetObjectLockConfiguration, GetBucketEncryption, GetBucketPolicy, GetBucketVersioning). */
export interface EvidenceBucketState {
  objectLock: { enabled: boolean; mode?: 'COMPLIANCE' | 'GOVERNANCE'; days?: number; years?: number };
  /** Default encryption: the algorithm (aws:kms, aws:kms:dsse, AES256) and key, or null without a default. */
  encryption: { algorithm: string; kmsKeyId?: string } | null;
  /** The bucket policy denies every request made without TLS (aws:SecureTransport false). */
  tlsOnly: boolean;
  versioning: 'Enabled' | 'Suspended' | 'Never enabled';
}

/** What the evidence writer saw of its bucket before writing, or why it could not look. */
export interface EvidenceBucketObservation {
  bucket: string;
  observedAt: string;
  state: ({ status: 'ok' } & EvidenceBucketState) | { status: 'unknown'; error: CollectionError };
}

const DAYS_PER_YEAR = 365;

/**
 * Evidence must stay as written for the configured retention: Object Lock in compliance mode
 * (governance mode can be bypassed by a privileged user) with a default retention at least as
 * long, KMS encryption, TLS only. Without an observation (evidence written to a local directory)
 * the result is unknown.
 */
export function checkEvidenceBucket(ctx: CheckContext): void {
  const observation = ctx.input.evidenceBucket;
  const scope = ctx.organizationScope({ accountName: ctx.input.desired.organization.securityToolingAccount, region: ctx.input.desired.homeRegion });
  const add = (status: 'pass' | 'fail' | 'unknown', detail: string, evidence?: unknown) => {
    ctx.results.push({ checkId: BUCKET_OBJECT_LOCKED, status, scope, observedAt: observation?.observedAt ?? ctx.observedAt, detail, ...(evidence !== undefined ? { evidence } : {}) });
  };
  if (!observation) {
    add('unknown', 'the evidence bucket was not inspected: this evidence was written to a local directory (the Evidence workflow, or --evidence-bucket, inspects the bucket)');
    return;
  }
  if (observation.state.status === 'unknown') {
    add('unknown', `evidence bucket ${observation.bucket} could not be inspected (${observation.state.error.code}: ${observation.state.error.message})`, { bucket: observation.bucket });
    return;
  }
  const { status: _status, ...state } = observation.state;
  const required = ctx.input.evidenceRetentionDays;
  const lock = state.objectLock;
  const retainedDays = lock.days ?? (lock.years !== undefined ? lock.years * DAYS_PER_YEAR : 0);
  const problems: string[] = [];
  if (!lock.enabled) problems.push('Object Lock is not enabled');
  else if (lock.mode !== 'COMPLIANCE') problems.push(lock.mode ? `the default retention is in ${lock.mode} mode, which privileged users can bypass` : 'Object Lock has no default retention');
  if (lock.enabled && lock.mode && retainedDays < required) problems.push(`the default retention is ${retainedDays} days; governance.yaml evidence.retentionDays asks ${required}`);
  if (!state.encryption || !state.encryption.algorithm.startsWith('aws:kms')) problems.push(`default encryption is ${state.encryption?.algorithm ?? 'not set'}; expected KMS`);
  if (!state.tlsOnly) problems.push('the bucket policy does not deny requests made without TLS');
  if (state.versioning !== 'Enabled') problems.push(`versioning is ${state.versioning}`);
  const evidence = { bucket: observation.bucket, ...state, requiredRetentionDays: required };
  if (problems.length) add('fail', `evidence bucket ${observation.bucket}: ${problems.join('; ')}`, evidence);
  else add('pass', `evidence bucket ${observation.bucket} is Object Locked in compliance mode for ${retainedDays} days (at least ${required}), KMS-encrypted and TLS-only`, evidence);
}
