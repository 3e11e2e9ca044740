/**
 * Writing to a Security Lake custom source: assume the source's provider role with its external id
 * (Security Lake creates `AmazonSecurityLake-Provider-<source>-<region>` and trusts the provider account),
 * then PutObject under the source's location.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** The shape AWS SDK v3 clients accept as `credentials`. */
export interface AssumedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Renew assumed-role credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ProviderRole {
  roleArn: string;
  externalId: string;
  sessionName?: string;
}

/** A credential provider that assumes the provider role and caches the session until shortly before expiry. */
export function providerRoleCredentials(sts: STSClient, role: ProviderRole, now: () => number = Date.now): () => Promise<AssumedCredentials> {
  let cached: AssumedCredentials | undefined;
  let pending: Promise<AssumedCredentials> | undefined;
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - REFRESH_MARGIN_MS > now())) return cached;
    pending ??= sts
      .send(new AssumeRoleCommand({ RoleArn: role.roleArn, ExternalId: role.externalId, RoleSessionName: role.sessionName ?? 'rampart-custom-source', DurationSeconds: 3600 }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${role.roleArn} returned no credentials`);
        cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        return cached;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** `s3://bucket/prefix/` → bucket and key prefix. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const match = /^s3[an]?:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!match) throw new Error(`not an S3 location: ${location} (expected s3://bucket/prefix/)`);
  return { bucket: match[1], prefix: match[2] };
}

/** Puts objects into one bucket (keys are full keys, the source location included). */
export class S3ObjectSink {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: this.bucket, Key: key, Body: body,
      ContentType: key.endsWith('.parquet') ? 'application/vnd.apache.parquet' : 'application/gzip',
    }));
  }
}
