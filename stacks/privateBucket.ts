import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What every Rampart bucket has: TLS 1.2 or later only, no public access, ACLs disabled, versioned,
 * kept when its stack is deleted. Spread into a bucket's props beside its encryption, logging and lifecycle.
 */
export const PRIVATE_BUCKET = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
  removalPolicy: RemovalPolicy.RETAIN,
} satisfies s3.BucketProps;
