import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from './nag';
import { PRIVATE_BUCKET } from './privateBucket';

export interface AccessLogBucketProps {
  /** Whose server access logs it receives, e.g. "the evidence bucket's". */
  logsOf: string;
  expirationDays: number;
  /** Why the logs are not replicated to another Region. */
  notReplicatedBecause: string;
}

/**
 * The private bucket a Rampart bucket delivers its server access logs to. S3 server access log delivery
 * supports only SSE-S3 on the target bucket, and logging the log bucket would recurse; the
 * acknowledgements say so.
 */
export function accessLogBucket(scope: Construct, props: AccessLogBucketProps): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogBucket', {
    ...PRIVATE_BUCKET,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(props.expirationDays), noncurrentVersionExpiration: Duration.days(30) }],
  });
  const reason = `This bucket receives ${props.logsOf} server access logs; S3 delivers access logs only to SSE-S3 buckets, and logging the log bucket would recurse`;
  acknowledge(bucket, {
    'AwsSolutions-S1': reason,
    'NIST.800.53.R5-S3BucketLoggingEnabled': reason,
    'PCI.DSS.321-S3BucketLoggingEnabled': reason,
    'NIST.800.53.R5-S3DefaultEncryptionKMS': reason,
    'PCI.DSS.321-S3DefaultEncryptionKMS': reason,
    'NIST.800.53.R5-S3BucketReplicationEnabled': props.notReplicatedBecause,
    'PCI.DSS.321-S3BucketReplicationEnabled': props.notReplicatedBecause,
  });
  return bucket;
}
