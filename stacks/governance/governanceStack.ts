import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import { acknowledge } from '../nag';
import { accessLogBucket } from '../accessLogBucket';
import { PRIVATE_BUCKET } from '../privateBucket';

/** Message attribute the workflows set on notifications, so each audience gets its own. */
export const NOTIFICATION_AUDIENCE_ATTRIBUTE = 'audience';
export type NotificationAudience = 'security' | 'compliance';

export interface GovernanceStackProps extends StackProps {
  config: RampartConfig;
}

/**
 * What the workflows build on, in the security-tooling account's home Region: the evidence
 * bucket (KMS, TLS only, no public access, versioned, Object Lock in compliance mode for the
 * configured retention), its access-log bucket, the notification topic and the key that
 * encrypts them. The drift, remediation and evidence state machines and their schedules are
 * added to this stack by the workflows constructs (see `LandingZoneOptions.governanceExtensions`).
 */
export class GovernanceStack extends Stack {
  readonly config: RampartConfig;
  readonly key: kms.Key;
  readonly evidenceBucket: s3.Bucket;
  /** Key prefix evidence is written under (governance.yaml evidence.bucketPrefix). */
  readonly evidencePrefix: string;
  readonly accessLogBucket: s3.Bucket;
  readonly notificationTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: GovernanceStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const { evidence } = props.config.governance;
    this.evidencePrefix = evidence.bucketPrefix;

    this.key = new kms.Key(this, 'GovernanceKey', {
      alias: 'alias/rampart-governance',
      description: 'Rampart: encrypts the evidence bucket and the notification topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogBucket = accessLogBucket(this, {
      logsOf: 'the evidence bucket\'s', expirationDays: Math.max(evidence.retentionDays, 365),
      notReplicatedBecause: 'Access logs of the evidence bucket stay in the home Region with the evidence they describe; copying them elsewhere is not part of the configuration',
    });

    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(evidence.retentionDays)),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'evidence-bucket/',
    });
    const replicationReason = 'Evidence is immutable under Object Lock (compliance mode) in the home Region, which auditors treat as the system of record; a cross-Region copy is not part of the configuration';
    acknowledge(this.evidenceBucket, {
      'NIST.800.53.R5-S3BucketReplicationEnabled': replicationReason,
      'PCI.DSS.321-S3BucketReplicationEnabled': replicationReason,
    });

    this.notificationTopic = new sns.Topic(this, 'NotificationTopic', {
      displayName: 'Rampart drift, remediation and evidence notices',
      masterKey: this.key,
      enforceSSL: true,
    });
    const subscribe = (emails: readonly string[], audience: NotificationAudience) => {
      for (const email of emails) {
        this.notificationTopic.addSubscription(new subscriptions.EmailSubscription(email, {
          filterPolicy: { [NOTIFICATION_AUDIENCE_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: [audience] }) },
        }));
      }
    };
    subscribe(props.config.global.notifications.securityEmails, 'security');
    subscribe(props.config.global.notifications.complianceEmails, 'compliance');
  }

}
