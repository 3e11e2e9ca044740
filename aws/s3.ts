import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
