import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients, ClientConstructor } from './clients';

/** Amazon S3 in Rampart's home account: the workflows' run files and the evidence they publish. */

const S3 = S3Client as ClientConstructor<S3Client>;

function s3(clients: AwsClients): S3Client {
  return clients.client(S3, 's3', { account: clients.homeAccountId, region: clients.homeRegion });
}

export async function putJson(clients: AwsClients, bucket: string, key: string, value: unknown): Promise<void> {
  await s3(clients).send(new PutObjectCommand({
    Bucket: bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json',
    // Object Lock buckets (the evidence bucket) accept only writes that carry a checksum.
    ChecksumAlgorithm: 'SHA256',
  }));
}

export async function getJson<T>(clients: AwsClients, bucket: string, key: string): Promise<T> {
  const out = await s3(clients).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString()) as T;
}

/** Creates a bucket if it is not there (a local deployment of the workflows), with Object Lock in compliance mode when asked. */
export async function ensureBucket(clients: AwsClients, name: string, objectLockDays?: number): Promise<void> {
  const client = s3(clients);
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (error) {
    if (!['NotFound', 'NoSuchBucket'].includes((error as Error).name)) throw error;
  }
  await client.send(new CreateBucketCommand({
    Bucket: name, ...(objectLockDays ? { ObjectLockEnabledForBucket: true } : {}),
    ...(clients.homeRegion !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: clients.homeRegion as never } } : {}),
  }));
  if (objectLockDays) {
    await client.send(new PutObjectLockConfigurationCommand({
      Bucket: name, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: objectLockDays } } },
    }));
  }
}
