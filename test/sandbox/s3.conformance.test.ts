import * as S3 from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { errorOf, openSandbox, TRANSPORTS, type Sandbox } from './transports';

const OWNER = '222222222222';
const OTHER = '333333333333';
const REGION = 'us-east-2';

/** Written from the Amazon S3 API reference. */
describe.each(TRANSPORTS)('S3 conformance (%s)', (transport) => {
  let sandbox: Sandbox;
  let s3: S3.S3Client;
  let bucketCount = 0;
  let bucket: string;

  beforeEach(async () => {
    sandbox = await openSandbox(transport);
    s3 = new S3.S3Client(sandbox.client({ account: OWNER, region: REGION }));
    bucket = `rampart-evidence-${transport}-${++bucketCount}`;
  });
  afterEach(() => sandbox.close());

  const create = (name = bucket, lock = false) =>
    s3.send(new S3.CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: lock, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000);

  describe('buckets', () => {
    it('creates a bucket in the Region of the endpoint and reports where it lives', async () => {
      const created = await create();
      expect(created.Location).toBe(`http://${bucket}.s3.amazonaws.com/`);
      const head = await s3.send(new S3.HeadBucketCommand({ Bucket: bucket }));
      expect(head.BucketRegion).toBe(REGION);
      const listed = await s3.send(new S3.ListBucketsCommand({}));
      expect(listed.Buckets).toEqual([expect.objectContaining({ Name: bucket, CreationDate: expect.any(Date), BucketRegion: REGION })]);
      expect(listed.Owner?.ID).toEqual(expect.any(String));
    });

    it('answers BucketAlreadyOwnedByYou and, for another account, BucketAlreadyExists (HTTP 409)', async () => {
      await create();
      const mine = await errorOf(create());
      expect(mine.name).toBe('BucketAlreadyOwnedByYou');
      expect(mine.$metadata?.httpStatusCode).toBe(409);
      const other = new S3.S3Client(sandbox.client({ account: OTHER, region: REGION }));
      const theirs = await errorOf(other.send(new S3.CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } })));
      expect(theirs.name).toBe('BucketAlreadyExists');
    });

    it('refuses invalid names and a location constraint that does not match the endpoint', async () => {
      expect((await errorOf(create('Not_A_Bucket'))).name).toBe('InvalidBucketName');
      expect((await errorOf(create('ab'))).name).toBe('InvalidBucketName');
      const mismatch = await errorOf(s3.send(new S3.CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
      expect(mismatch.name).toBe('IllegalLocationConstraintException');
      const east = new S3.S3Client(sandbox.client({ account: OWNER, region: 'us-east-1' }));
      expect((await errorOf(east.send(new S3.CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as S3.BucketLocationConstraint } })))).name)
        .toBe('InvalidLocationConstraint');
      await east.send(new S3.CreateBucketCommand({ Bucket: bucket }));
    });

    it('answers NoSuchBucket, and NotFound (no body) to HEAD', async () => {
      const missing = await errorOf(s3.send(new S3.GetBucketVersioningCommand({ Bucket: 'no-such-bucket-here' })));
      expect(missing.name).toBe('NoSuchBucket');
      expect(missing.$metadata?.httpStatusCode).toBe(404);
      expect((await errorOf(s3.send(new S3.HeadBucketCommand({ Bucket: 'no-such-bucket-here' })))).name).toBe('NotFound');
    });

    it('redirects a request for a bucket in another Region (PermanentRedirect, 301)', async () => {
      await create();
      const west = new S3.S3Client(sandbox.client({ account: OWNER, region: 'us-west-2' }));
      const error = await errorOf(west.send(new S3.GetBucketVersioningCommand({ Bucket: bucket })));
      expect(error.name).toBe('PermanentRedirect');
      expect(error.$metadata?.httpStatusCode).toBe(301);
    });

    it('keeps other accounts out unless the bucket policy lets them in', async () => {
      await create();
      await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'report.json', Body: '{}' }));
      const other = new S3.S3Client(sandbox.client({ account: OTHER, region: REGION }));
      expect((await errorOf(other.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'report.json' })))).name).toBe('AccessDenied');
      await s3.send(new S3.PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
      }));
      expect(await (await other.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'report.json' }))).Body?.transformToString()).toBe('{}');
      expect((await errorOf(other.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'x', Body: 'x' })))).name).toBe('AccessDenied');
    });
  });

  describe('versioning and Object Lock', () => {
    it('reports no versioning status until it is set, then Enabled or Suspended', async () => {
      await create();
      expect((await s3.send(new S3.GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
      await s3.send(new S3.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      expect((await s3.send(new S3.GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
      await s3.send(new S3.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
      expect((await s3.send(new S3.GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Suspended');
    });

    it('enables versioning with Object Lock, which then cannot be suspended (InvalidBucketState)', async () => {
      await create(bucket, true);
      expect((await s3.send(new S3.GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
      const error = await errorOf(s3.send(new S3.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } })));
      expect(error.name).toBe('InvalidBucketState');
      expect(error.$metadata?.httpStatusCode).toBe(409);
    });

    it('sets and reads a default retention; without Object Lock the configuration does not exist', async () => {
      await create();
      expect((await errorOf(s3.send(new S3.GetObjectLockConfigurationCommand({ Bucket: bucket })))).name).toBe('ObjectLockConfigurationNotFoundError');
      expect((await errorOf(s3.send(new S3.PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })))).name)
        .toBe('InvalidBucketState');
      const locked = `${bucket}-locked`;
      await create(locked, true);
      await s3.send(new S3.PutObjectLockConfigurationCommand({
        Bucket: locked, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } } },
      }));
      expect((await s3.send(new S3.GetObjectLockConfigurationCommand({ Bucket: locked }))).ObjectLockConfiguration)
        .toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } } });
      const both = await errorOf(s3.send(new S3.PutObjectLockConfigurationCommand({
        Bucket: locked, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7, Days: 1 } } },
      })));
      expect(both.name).toBe('MalformedXML');
    });

    it('stores an object with retention headers and refuses to delete that version under COMPLIANCE', async () => {
      await create(bucket, true);
      const until = inFuture(30);
      const put = await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json', Body: '{"ok":true}', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }));
      expect(put.VersionId).toEqual(expect.any(String));
      const head = await s3.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json' }));
      expect(head.ObjectLockMode).toBe('COMPLIANCE');
      expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());
      const denied = await errorOf(s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json', VersionId: put.VersionId })));
      expect(denied.name).toBe('AccessDenied');
      expect(denied.$metadata?.httpStatusCode).toBe(403);
      const marker = await s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json' }));
      expect(marker.DeleteMarker).toBe(true);
      expect((await errorOf(s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json' })))).name).toBe('NoSuchKey');
      const old = await s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'evidence/2026/report.json', VersionId: put.VersionId }));
      expect(await old.Body?.transformToString()).toBe('{"ok":true}');
    });

    it('lets GOVERNANCE retention be bypassed, and deletes a version once retention has passed', async () => {
      await create(bucket, true);
      const governed = await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'g', Body: 'g', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inFuture(1) }));
      expect((await errorOf(s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'g', VersionId: governed.VersionId })))).name).toBe('AccessDenied');
      await s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'g', VersionId: governed.VersionId, BypassGovernanceRetention: true }));
      const kept = await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'c', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: inFuture(1) }));
      sandbox.fake.clock.advance(2 * 86_400_000);
      const deleted = await s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'c', VersionId: kept.VersionId }));
      expect(deleted.VersionId).toBe(kept.VersionId);
    });

    it('refuses Object Lock headers on a bucket without Object Lock and retention dates in the past', async () => {
      await create();
      expect((await errorOf(s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: inFuture(1) })))).name)
        .toBe('InvalidRequest');
      const locked = `${bucket}-locked`;
      await create(locked, true);
      expect((await errorOf(s3.send(new S3.PutObjectCommand({ Bucket: locked, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() - 1000) })))).name)
        .toBe('InvalidArgument');
    });
  });

  describe('objects', () => {
    it('puts and gets an object with its metadata, ETag (MD5) and checksum', async () => {
      await create();
      const body = 'hello evidence';
      const put = await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'a b/c.txt', Body: body, ContentType: 'text/plain', Metadata: { framework: 'pci' }, ChecksumAlgorithm: 'SHA256' }));
      expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(put.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
      expect(put.ServerSideEncryption).toBe('AES256');
      expect(put.VersionId).toBeUndefined();
      const got = await s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'a b/c.txt', ChecksumMode: 'ENABLED' }));
      expect(await got.Body?.transformToString()).toBe(body);
      expect(got).toEqual(expect.objectContaining({ ContentType: 'text/plain', ContentLength: body.length, ETag: put.ETag, Metadata: { framework: 'pci' }, LastModified: expect.any(Date) }));
      expect(got.ChecksumSHA256).toBe(put.ChecksumSHA256);
      const head = await s3.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: 'a b/c.txt' }));
      expect(head.ContentLength).toBe(body.length);
    });

    it('refuses a body whose Content-MD5 does not match (BadDigest)', async () => {
      await create();
      const error = await errorOf(s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'abc', ContentMD5: createHash('md5').update('xyz').digest('base64') })));
      expect(error.name).toBe('BadDigest');
    });

    it('answers NoSuchKey to GET and NotFound to HEAD of a missing key', async () => {
      await create();
      const get = await errorOf(s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
      expect(get.name).toBe('NoSuchKey');
      expect(get.$metadata?.httpStatusCode).toBe(404);
      expect((await errorOf(s3.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: 'missing' })))).name).toBe('NotFound');
    });

    it('lists keys in order with prefix, delimiter, MaxKeys and continuation tokens', async () => {
      await create();
      const keys = ['logs/2026/01.json', 'logs/2026/02.json', 'logs/2027/01.json', 'readme.md', 'reports/a.html', 'reports/b.html'];
      for (const key of [...keys].reverse()) await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      const rolled = await s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
      expect(rolled.Contents?.map((o) => o.Key)).toEqual(['readme.md']);
      expect(rolled.CommonPrefixes).toEqual([{ Prefix: 'logs/' }, { Prefix: 'reports/' }]);
      expect(rolled.KeyCount).toBe(3);
      expect(rolled.IsTruncated).toBe(false);
      const nested = await s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, Prefix: 'logs/', Delimiter: '/' }));
      expect(nested.CommonPrefixes).toEqual([{ Prefix: 'logs/2026/' }, { Prefix: 'logs/2027/' }]);
      const seen: string[] = [];
      for await (const page of S3.paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: bucket })) {
        expect(page.KeyCount).toBeLessThanOrEqual(2);
        seen.push(...(page.Contents ?? []).map((o) => o.Key as string));
      }
      expect(seen).toEqual(keys);
      const first = await s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
      expect(first.Contents?.[0]).toEqual(expect.objectContaining({ Key: keys[0], Size: keys[0].length, StorageClass: 'STANDARD', ETag: expect.any(String), LastModified: expect.any(Date) }));
      expect(first.NextContinuationToken).toEqual(expect.any(String));
      expect((await errorOf(s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'garbage' })))).name).toBe('InvalidArgument');
    });

    it('deletes an object of an unversioned bucket outright (204), idempotently', async () => {
      await create();
      await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      const deleted = await s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect((await errorOf(s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'k' })))).name).toBe('NoSuchKey');
      await s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    });
  });

  describe('bucket policy and encryption', () => {
    it('stores and returns the bucket policy; NoSuchBucketPolicy before; MalformedPolicy for bad JSON', async () => {
      await create();
      expect((await errorOf(s3.send(new S3.GetBucketPolicyCommand({ Bucket: bucket })))).name).toBe('NoSuchBucketPolicy');
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      });
      await s3.send(new S3.PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
      expect((await s3.send(new S3.GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(policy);
      expect((await errorOf(s3.send(new S3.PutBucketPolicyCommand({ Bucket: bucket, Policy: 'nope' })))).name).toBe('MalformedPolicy');
      await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    });

    it('denies the owner too when the bucket policy says Deny', async () => {
      await create();
      await s3.send(new S3.PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
      }));
      await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      expect((await errorOf(s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'k' })))).name).toBe('AccessDenied');
    });

    it('encrypts with SSE-S3 by default and takes a KMS default encryption', async () => {
      await create();
      expect((await s3.send(new S3.GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules)
        .toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
      const key = 'arn:aws:kms:us-east-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      await s3.send(new S3.PutBucketEncryptionCommand({
        Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }] },
      }));
      expect((await s3.send(new S3.GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules)
        .toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }]);
      const put = await s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      expect(put).toEqual(expect.objectContaining({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key, BucketKeyEnabled: true }));
      expect((await errorOf(s3.send(new S3.PutBucketEncryptionCommand({
        Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: key } }] },
      })))).name).toBe('InvalidArgument');
    });
  });
});
