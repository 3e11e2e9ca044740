import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import { HandlerProvider } from '../customResourceProvider';
import { acknowledge } from '../nag';
import { accessLogBucket } from '../accessLogBucket';
import { PRIVATE_BUCKET } from '../privateBucket';
import { configDeliveryBucketName } from './configRecorder';

export interface ConfigDeliveryStackProps extends StackProps {
  config: RampartConfig;
}

/**
 * The central AWS Config bucket in the log-archive account's home Region: every member recorder's
 * delivery channel writes configuration history and snapshots here. KMS-encrypted, TLS only,
 * versioned, no public access, with the bucket and key policies AWS documents for delivery from
 * the accounts of an organization (the AWS Config service principal, limited by aws:SourceOrgID).
 */
export class ConfigDeliveryStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ConfigDeliveryStackProps) {
    super(scope, id, props);
    const retentionDays = Math.max(props.config.governance.evidence.retentionDays, 365);

    const organizationId = new HandlerProvider(this, 'OrganizationIdProvider', {
      purpose: 'organization id lookup',
      handler: 'organizationId',
      statements: [new iam.PolicyStatement({ actions: ['organizations:DescribeOrganization'], resources: ['*'] })],
      wildcardReasons: { 'Resource::*': 'organizations:DescribeOrganization takes no resource; it reads the organization the account belongs to' },
    }).resource(this, 'OrganizationId', 'RampartOrganizationId', {}).getAttString('OrganizationId');
    const fromTheOrganization = { StringEquals: { 'aws:SourceOrgID': organizationId } };

    this.key = new kms.Key(this, 'ConfigDeliveryKey', {
      alias: 'alias/rampart-config-delivery',
      description: 'Rampart: encrypts AWS Config history and snapshots delivered by the accounts of the organization',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ConfigDeliveryFromTheOrganization',
      principals: [new iam.ServicePrincipal('config.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: fromTheOrganization,
    }));

    const accessLogs = accessLogBucket(this, {
      logsOf: 'the Config bucket\'s', expirationDays: retentionDays,
      notReplicatedBecause: 'Access logs of the Config bucket stay in the home Region beside the bucket they describe; a cross-Region copy is not part of the configuration',
    });

    this.bucket = new s3.Bucket(this, 'ConfigBucket', {
      bucketName: configDeliveryBucketName(this.account, this.region),
      // Member delivery channels name only the bucket: its default encryption applies this key to every delivery.
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'config-bucket/',
      lifecycleRules: [{
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
        ],
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(30),
      }],
    });
    const config = new iam.ServicePrincipal('config.amazonaws.com');
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSConfigBucketPermissionsCheck', principals: [config], actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn], conditions: fromTheOrganization,
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSConfigBucketExistenceCheck', principals: [config], actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: fromTheOrganization,
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSConfigBucketDelivery', principals: [config], actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('AWSLogs/*/Config/*')],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceOrgID': organizationId } },
    }));
    const replicationReason = 'AWS Config history is the organization\'s configuration record in the home Region; the recorders themselves run in every enabled Region, and a cross-Region copy of their history is not part of the configuration';
    acknowledge(this.bucket, {
      'NIST.800.53.R5-S3BucketReplicationEnabled': replicationReason,
      'PCI.DSS.321-S3BucketReplicationEnabled': replicationReason,
    });
  }
}
