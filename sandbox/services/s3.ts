import type * as S3 from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { principalArns } from '../auth/credentials';
import { evaluatePolicy, parsePolicyDocument } from '../auth/policyDocument';
import { AwsError } from '../errors';
import generated from '../models/s3.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage } from '../models/validate';
import {
  bucketsOf, createBucket, findBucket, latestVersion, newVersionId, retentionBlocksDelete, storeVersion,
  type BucketRecord, type ObjectVersion,
} from '../state/s3';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('s3', generated);

/** IAM actions S3 authorizes each operation with (Service Authorization Reference). */
const ACTIONS: Record<string, string> = {
  HeadBucket: 's3:ListBucket', ListObjectsV2: 's3:ListBucket', GetObject: 's3:GetObject', HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject', DeleteObject: 's3:DeleteObject', PutBucketPolicy: 's3:PutBucketPolicy', GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketVersioning: 's3:PutBucketVersioning', GetBucketVersioning: 's3:GetBucketVersioning',
  PutObjectLockConfiguration: 's3:PutBucketObjectLockConfiguration', GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration', GetBucketEncryption: 's3:GetEncryptionConfiguration',
};

function s3Error(code: string, message: string, status: number, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}): AwsError {
  return new AwsError(code, message, { status, fields, headers });
}

function accessDenied(): AwsError {
  return s3Error('AccessDenied', 'Access Denied', 403);
}

/**
 * The bucket a call names, if the caller may act on it: the owner may unless the bucket policy
 * denies; another account only when the bucket policy allows. A bucket in another Region answers
 * PermanentRedirect with its Region, as S3 does.
 */
function bucketFor(ctx: CallContext, name: string, options: { key?: string; expectedOwner?: string; action?: string; keys?: Record<string, string | undefined> } = {}): BucketRecord {
  const bucket = findBucket(ctx.state, name);
  if (!bucket) throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
  if (options.expectedOwner && options.expectedOwner !== bucket.owner) throw accessDenied();
  const action = options.action ?? ACTIONS[ctx.operation];
  let decision: 'Allow' | 'Deny' | 'NoMatch' = 'NoMatch';
  if (bucket.policy && action) {
    const { document } = parsePolicyDocument(bucket.policy, 'resource');
    if (document) {
      decision = evaluatePolicy(document, {
        action,
        resource: options.key === undefined ? `arn:aws:s3:::${bucket.name}` : `arn:aws:s3:::${bucket.name}/${options.key}`,
        principal: { arns: principalArns(ctx.caller), account: ctx.account },
        keys: {
          'aws:SecureTransport': 'true',
          'aws:PrincipalArn': ctx.caller.kind === 'assumed-role' ? ctx.caller.roleArn : ctx.caller.arn,
          'aws:PrincipalAccount': ctx.account,
          'aws:PrincipalOrgID': ctx.state.organization?.account(ctx.account) ? ctx.state.organization.id : undefined,
          'aws:RequestedRegion': ctx.region,
          ...options.keys,
        },
      }, true);
    }
  }
  if (decision === 'Deny' || (bucket.owner !== ctx.account && decision !== 'Allow')) throw accessDenied();
  if (bucket.region !== ctx.region) {
    throw s3Error('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', 301,
      { Bucket: bucket.name, Endpoint: `${bucket.name}.s3.${bucket.region}.amazonaws.com` }, { 'x-amz-bucket-region': bucket.region });
  }
  return bucket;
}

const CHECKSUMS = [
  ['ChecksumCRC32', 'CRC32'], ['ChecksumCRC32C', 'CRC32C'], ['ChecksumCRC64NVME', 'CRC64NVME'], ['ChecksumSHA1', 'SHA1'], ['ChecksumSHA256', 'SHA256'],
] as const;

function computeChecksum(algorithm: string, body: Buffer): string | undefined {
  if (algorithm === 'CRC32') {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(zlib.crc32(body) >>> 0);
    return out.toString('base64');
  }
  if (algorithm === 'SHA1') return createHash('sha1').update(body).digest('base64');
  if (algorithm === 'SHA256') return createHash('sha256').update(body).digest('base64');
  return undefined;
}

/** Checks Content-MD5 and the flexible checksum header (CRC32, SHA1, SHA256 are verified; others are kept). */
function checkIntegrity(input: S3.PutObjectRequest, body: Buffer): { algorithm: string; value: string } | undefined {
  if (input.ContentMD5 !== undefined && createHash('md5').update(body).digest('base64') !== input.ContentMD5) {
    throw s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  for (const [member, algorithm] of CHECKSUMS) {
    const value = input[member];
    if (value === undefined) continue;
    const computed = computeChecksum(algorithm, body);
    if (computed !== undefined && computed !== value) {
      throw s3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
    }
    return { algorithm, value };
  }
  return undefined;
}

function toBuffer(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(body as Uint8Array);
}

function versionHeaders(bucket: BucketRecord, version: ObjectVersion) {
  return bucket.versioning ? { VersionId: version.versionId } : {};
}

/** The version a GET or HEAD addresses, or the error S3 answers. */
function readableVersion(bucket: BucketRecord, key: string, versionId: string | undefined): ObjectVersion {
  const versions = bucket.objects[key] ?? [];
  if (versionId !== undefined) {
    const version = versions.find((v) => v.versionId === versionId);
    if (!version) throw s3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
    if (version.deleteMarker) {
      throw s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {}, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId });
    }
    return version;
  }
  const latest = latestVersion(bucket, key);
  if (!latest || latest.deleteMarker) {
    const headers: Record<string, string> = latest ? { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId } : {};
    throw s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers);
  }
  return latest;
}

function objectHeaders(bucket: BucketRecord, version: ObjectVersion, checksumMode: string | undefined) {
  return {
    ContentLength: version.size,
    ContentType: version.contentType,
    ETag: version.etag,
    LastModified: new Date(version.lastModified),
    AcceptRanges: 'bytes',
    ...versionHeaders(bucket, version),
    ...(Object.keys(version.metadata).length ? { Metadata: version.metadata } : {}),
    ServerSideEncryption: version.encryption.algorithm as S3.ServerSideEncryption,
    ...(version.encryption.kmsKeyId ? { SSEKMSKeyId: version.encryption.kmsKeyId } : {}),
    ...(version.encryption.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
    ...(version.lockMode ? { ObjectLockMode: version.lockMode, ObjectLockRetainUntilDate: new Date(version.retainUntil as string) } : {}),
    ...(version.legalHold ? { ObjectLockLegalHoldStatus: version.legalHold } : {}),
    ...(checksumMode === 'ENABLED' && version.checksum ? { [`Checksum${version.checksum.algorithm}`]: version.checksum.value, ChecksumType: 'FULL_OBJECT' as const } : {}),
  };
}

function encodeKey(key: string, encoding: string | undefined): string {
  return encoding === 'url' ? encodeURIComponent(key).replace(/%2F/g, '/') : key;
}

function invalidContinuation(): AwsError {
  return s3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' });
}

const handlers = {
  CreateBucket(input: S3.CreateBucketRequest, ctx: CallContext): S3.CreateBucketOutput {
    const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined;
    if (constraint === 'us-east-1') throw s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
    const target = constraint ?? 'us-east-1';
    if (target !== ctx.region) {
      throw s3Error('IllegalLocationConstraintException', `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
    const { bucket } = createBucket(ctx.state, ctx.account, ctx.region, input.Bucket as string, { objectLockEnabled: input.ObjectLockEnabledForBucket }, ctx.clock.now());
    // BucketArn is answered for directory buckets only (API reference); these are general purpose buckets.
    return { Location: bucket.region === 'us-east-1' ? `/${bucket.name}` : `http://${bucket.name}.s3.amazonaws.com/` };
  },

  HeadBucket(input: S3.HeadBucketRequest, ctx: CallContext): S3.HeadBucketOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    return { BucketRegion: bucket.region };
  },

  ListBuckets(input: S3.ListBucketsRequest, ctx: CallContext): S3.ListBucketsOutput {
    const buckets = bucketsOf(ctx.state, ctx.account)
      .filter((b) => (!input.Prefix || b.name.startsWith(input.Prefix)) && (!input.BucketRegion || b.region === input.BucketRegion));
    const { page, nextToken } = paginate(buckets, {
      operation: model.operations.ListBuckets, token: input.ContinuationToken, limit: input.MaxBuckets, invalidToken: invalidContinuation, keyOf: (b) => b.name,
    });
    return {
      Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
      Owner: { ID: createHash('sha256').update(ctx.account).digest('hex') },
      ...(nextToken ? { ContinuationToken: nextToken } : {}),
      ...(input.Prefix ? { Prefix: input.Prefix } : {}),
    };
  },

  PutBucketVersioning(input: S3.PutBucketVersioningRequest, ctx: CallContext): Record<string, never> {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    const status = input.VersioningConfiguration?.Status;
    if (!status) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    if (status === 'Suspended' && bucket.objectLockEnabled) {
      throw s3Error('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
    }
    bucket.versioning = status;
    return {};
  },

  GetBucketVersioning(input: S3.GetBucketVersioningRequest, ctx: CallContext): S3.GetBucketVersioningOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    return bucket.versioning ? { Status: bucket.versioning } : {};
  },

  PutObjectLockConfiguration(input: S3.PutObjectLockConfigurationRequest, ctx: CallContext): S3.PutObjectLockConfigurationOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    const config = input.ObjectLockConfiguration;
    if (config?.ObjectLockEnabled !== 'Enabled') throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    if (!bucket.objectLockEnabled && bucket.versioning !== 'Enabled') {
      throw s3Error('InvalidBucketState', 'Versioning must be \'Enabled\' on the bucket to apply a Object Lock configuration', 409);
    }
    const retention = config.Rule?.DefaultRetention;
    if (retention) {
      const { Mode, Days, Years } = retention;
      if (!Mode || (Days === undefined) === (Years === undefined)) {
        throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      }
      if ((Days !== undefined && Days <= 0) || (Years !== undefined && Years <= 0)) {
        throw s3Error('InvalidArgument', 'Default retention period must be a positive integer value.', 400);
      }
      bucket.defaultRetention = { mode: Mode, ...(Days !== undefined ? { days: Days } : { years: Years }) };
    } else {
      delete bucket.defaultRetention;
    }
    bucket.objectLockEnabled = true;
    return {};
  },

  GetObjectLockConfiguration(input: S3.GetObjectLockConfigurationRequest, ctx: CallContext): S3.GetObjectLockConfigurationOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    if (!bucket.objectLockEnabled) throw s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { BucketName: bucket.name });
    const retention = bucket.defaultRetention;
    return {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        ...(retention ? { Rule: { DefaultRetention: { Mode: retention.mode, ...(retention.days !== undefined ? { Days: retention.days } : { Years: retention.years }) } } } : {}),
      },
    };
  },

  PutObject(input: S3.PutObjectRequest, ctx: CallContext): S3.PutObjectOutput {
    const key = input.Key as string;
    const bucket = bucketFor(ctx, input.Bucket as string, {
      key, expectedOwner: input.ExpectedBucketOwner,
      keys: { 's3:x-amz-server-side-encryption': input.ServerSideEncryption, 's3:object-lock-mode': input.ObjectLockMode },
    });
    const body = toBuffer(input.Body);
    const checksum = checkIntegrity(input, body);
    const now = ctx.clock.now();
    let lockMode = input.ObjectLockMode;
    let retainUntil = input.ObjectLockRetainUntilDate;
    if (lockMode || retainUntil || input.ObjectLockLegalHoldStatus) {
      if (!bucket.objectLockEnabled) throw s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
      if (!lockMode !== !retainUntil) throw s3Error('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 400);
      if (retainUntil && retainUntil.getTime() <= now.getTime()) throw s3Error('InvalidArgument', 'The retain until date must be in the future!', 400);
      if (input.ContentMD5 === undefined && !checksum) {
        throw s3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters', 400);
      }
    } else if (bucket.defaultRetention) {
      const until = new Date(now);
      if (bucket.defaultRetention.days !== undefined) until.setUTCDate(until.getUTCDate() + bucket.defaultRetention.days);
      else until.setUTCFullYear(until.getUTCFullYear() + (bucket.defaultRetention.years as number));
      lockMode = bucket.defaultRetention.mode;
      retainUntil = until;
    }
    if (input.SSEKMSKeyId && input.ServerSideEncryption !== 'aws:kms' && input.ServerSideEncryption !== 'aws:kms:dsse') {
      throw s3Error('InvalidArgument', 'Server Side Encryption with KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', 400);
    }
    const algorithm = input.ServerSideEncryption ?? bucket.encryption.algorithm;
    const kmsKeyId = algorithm.startsWith('aws:kms') ? input.SSEKMSKeyId ?? bucket.encryption.kmsKeyId : undefined;
    const version: ObjectVersion = {
      versionId: newVersionId(bucket, ctx.random),
      deleteMarker: false,
      body: body.toString('base64'),
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      contentType: input.ContentType ?? 'binary/octet-stream',
      metadata: input.Metadata ?? {},
      lastModified: now.toISOString(),
      ...(checksum ? { checksum } : {}),
      ...(lockMode ? { lockMode, retainUntil: (retainUntil as Date).toISOString() } : {}),
      ...(input.ObjectLockLegalHoldStatus ? { legalHold: input.ObjectLockLegalHoldStatus } : {}),
      encryption: { algorithm, ...(kmsKeyId ? { kmsKeyId } : {}), ...(algorithm.startsWith('aws:kms') ? { bucketKeyEnabled: input.BucketKeyEnabled ?? bucket.encryption.bucketKeyEnabled } : {}) },
    };
    storeVersion(bucket, key, version);
    return {
      ETag: version.etag,
      ...versionHeaders(bucket, version),
      ServerSideEncryption: algorithm as S3.ServerSideEncryption,
      ...(kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}),
      ...(version.encryption.bucketKeyEnabled ? { BucketKeyEnabled: true } : {}),
      ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: 'FULL_OBJECT' as const } : {}),
    };
  },

  GetObject(input: S3.GetObjectRequest, ctx: CallContext): Omit<S3.GetObjectOutput, 'Body'> & { Body: Buffer } {
    const key = input.Key as string;
    const bucket = bucketFor(ctx, input.Bucket as string, { key, expectedOwner: input.ExpectedBucketOwner, action: input.VersionId ? 's3:GetObjectVersion' : undefined });
    const version = readableVersion(bucket, key, input.VersionId);
    return { ...objectHeaders(bucket, version, input.ChecksumMode), Body: Buffer.from(version.body, 'base64') };
  },

  HeadObject(input: S3.HeadObjectRequest, ctx: CallContext): S3.HeadObjectOutput {
    const key = input.Key as string;
    const bucket = bucketFor(ctx, input.Bucket as string, { key, expectedOwner: input.ExpectedBucketOwner, action: input.VersionId ? 's3:GetObjectVersion' : undefined });
    return objectHeaders(bucket, readableVersion(bucket, key, input.VersionId), input.ChecksumMode);
  },

  /** Keys in UTF-8 binary order, rolled up at the delimiter; MaxKeys counts keys and common prefixes. */
  ListObjectsV2(input: S3.ListObjectsV2Request, ctx: CallContext): S3.ListObjectsV2Output {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    const prefix = input.Prefix ?? '';
    const maxKeys = Math.min(input.MaxKeys ?? 1000, 1000);
    let after = input.StartAfter ?? '';
    if (input.ContinuationToken !== undefined) {
      let decoded: string;
      try {
        decoded = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
      } catch {
        throw invalidContinuation();
      }
      if (!decoded.startsWith('k:')) throw invalidContinuation();
      after = decoded.slice(2);
    }
    const keys = Object.keys(bucket.objects)
      .filter((k) => k.startsWith(prefix) && Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0 && !latestVersion(bucket, k)?.deleteMarker)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const contents: S3._Object[] = [];
    const prefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (const key of keys) {
      const rolled = input.Delimiter ? key.indexOf(input.Delimiter, prefix.length) : -1;
      const common = rolled >= 0 ? key.slice(0, rolled + (input.Delimiter as string).length) : undefined;
      if (common && prefixes[prefixes.length - 1] === common) {
        last = key;
        continue;
      }
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common) prefixes.push(common);
      else {
        const version = latestVersion(bucket, key) as ObjectVersion;
        contents.push({
          Key: encodeKey(key, input.EncodingType), LastModified: new Date(version.lastModified), ETag: version.etag, Size: version.size, StorageClass: 'STANDARD',
          ...(version.checksum ? { ChecksumAlgorithm: [version.checksum.algorithm as S3.ChecksumAlgorithm], ChecksumType: 'FULL_OBJECT' } : {}),
          ...(input.FetchOwner ? { Owner: { ID: createHash('sha256').update(bucket.owner).digest('hex') } } : {}),
        });
      }
      last = key;
    }
    return {
      IsTruncated: truncated,
      ...(contents.length ? { Contents: contents } : {}),
      Name: bucket.name,
      Prefix: encodeKey(prefix, input.EncodingType),
      ...(input.Delimiter ? { Delimiter: encodeKey(input.Delimiter, input.EncodingType) } : {}),
      MaxKeys: input.MaxKeys ?? 1000,
      ...(prefixes.length ? { CommonPrefixes: prefixes.map((p) => ({ Prefix: encodeKey(p, input.EncodingType) })) } : {}),
      ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
      KeyCount: contents.length + prefixes.length,
      ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(truncated ? { NextContinuationToken: Buffer.from(`k:${last}`).toString('base64url') } : {}),
      ...(input.StartAfter !== undefined ? { StartAfter: encodeKey(input.StartAfter, input.EncodingType) } : {}),
    };
  },

  /**
   * Without VersionId a versioned bucket gets a delete marker (allowed under Object Lock); with
   * VersionId the version itself goes, which Object Lock refuses while it is retained.
   */
  DeleteObject(input: S3.DeleteObjectRequest, ctx: CallContext): S3.DeleteObjectOutput {
    const key = input.Key as string;
    const bucket = bucketFor(ctx, input.Bucket as string, { key, expectedOwner: input.ExpectedBucketOwner, action: input.VersionId ? 's3:DeleteObjectVersion' : undefined });
    const versions = bucket.objects[key] ?? [];
    if (input.VersionId !== undefined) {
      const at = versions.findIndex((v) => v.versionId === input.VersionId);
      if (at < 0) return {};
      const version = versions[at];
      const blocked = version.deleteMarker ? undefined : retentionBlocksDelete(version, ctx.clock.nowMs(), input.BypassGovernanceRetention === true);
      if (blocked) throw s3Error('AccessDenied', `Access Denied because object protected by object lock (${blocked}).`, 403);
      versions.splice(at, 1);
      if (versions.length === 0) delete bucket.objects[key];
      return { VersionId: version.versionId, ...(version.deleteMarker ? { DeleteMarker: true } : {}) };
    }
    if (!bucket.versioning) {
      delete bucket.objects[key];
      return {};
    }
    const marker: ObjectVersion = {
      versionId: newVersionId(bucket, ctx.random), deleteMarker: true, body: '', size: 0, etag: '', metadata: {},
      lastModified: ctx.clock.now().toISOString(), encryption: { algorithm: bucket.encryption.algorithm },
    };
    storeVersion(bucket, key, marker);
    return { DeleteMarker: true, VersionId: marker.versionId };
  },

  PutBucketPolicy(input: S3.PutBucketPolicyRequest, ctx: CallContext): Record<string, never> {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    const policy = input.Policy ?? '';
    if (Buffer.byteLength(policy) > 20 * 1024) throw s3Error('PolicyTooLarge', 'Policy exceeds the maximum allowed document size.', 400);
    const { problem } = parsePolicyDocument(policy, 'resource');
    if (problem) throw s3Error('MalformedPolicy', problem === 'This policy contains invalid Json' ? 'Policies must be valid JSON and the first byte must be \'{\'' : problem, 400);
    bucket.policy = policy;
    return {};
  },

  GetBucketPolicy(input: S3.GetBucketPolicyRequest, ctx: CallContext): S3.GetBucketPolicyOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    if (bucket.policy === undefined) throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket.name });
    return { Policy: bucket.policy };
  },

  PutBucketEncryption(input: S3.PutBucketEncryptionRequest, ctx: CallContext): Record<string, never> {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    const rule = input.ServerSideEncryptionConfiguration?.Rules?.[0];
    const byDefault = rule?.ApplyServerSideEncryptionByDefault;
    if (!byDefault?.SSEAlgorithm) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    if (byDefault.KMSMasterKeyID && !byDefault.SSEAlgorithm.startsWith('aws:kms')) {
      throw s3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400);
    }
    bucket.encryption = {
      algorithm: byDefault.SSEAlgorithm,
      ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
      bucketKeyEnabled: rule?.BucketKeyEnabled ?? false,
    };
    return {};
  },

  GetBucketEncryption(input: S3.GetBucketEncryptionRequest, ctx: CallContext): S3.GetBucketEncryptionOutput {
    const bucket = bucketFor(ctx, input.Bucket as string, { expectedOwner: input.ExpectedBucketOwner });
    return {
      ServerSideEncryptionConfiguration: {
        Rules: [{
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: bucket.encryption.algorithm as S3.ServerSideEncryption,
            ...(bucket.encryption.kmsKeyId ? { KMSMasterKeyID: bucket.encryption.kmsKeyId } : {}),
          },
          BucketKeyEnabled: bucket.encryption.bucketKeyEnabled,
        }],
      },
    };
  },
};

/** Amazon S3 buckets and objects with versioning, Object Lock, bucket policies and default encryption. */
export const s3Service: ServiceDefinition = {
  model,
  actionPrefix: 's3',
  global: false,
  errors: {
    ...protocolErrors('rest-xml'),
    validation: (violations) => (violations[0].path.endsWith('locationConstraint')
      ? s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: String(violations[0].value) })
      : s3Error('InvalidArgument', violationMessage(violations), 400)),
  },
  operations: handlers,
};
