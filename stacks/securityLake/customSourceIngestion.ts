import { CfnResource, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONFIG_VARIABLE, type CustomSourceSettings } from '../../handlers/customSourceSetup';
import { HANDLER_RUNTIME, HandlerProvider } from '../customResourceProvider';
import { acknowledge } from '../nag';
import { accessLogBucket } from '../accessLogBucket';
import { PRIVATE_BUCKET } from '../privateBucket';
import { customSourceCode, duckDbLayerDir } from './customSourceCode';
import { letLogGroupsUse } from '../logGroupKey';

/** Two vCPUs' worth of memory (Lambda allots one vCPU per 1,769 MB). */
const S3_FUNCTION_MEMORY_MB = 3584;

/** Where one OCSF class of a configured custom source is written: what Security Lake returned for it. */
export interface IngestionRoute {
  sourceName: string;
  classUid: number;
  /** The provider role Security Lake created (a token resolved at deployment). */
  roleArn: string;
  externalId: string;
  /** The source's S3 location in the lake (a token resolved at deployment). */
  location: string;
}

/** One configured custom source: one stream or queue and one function, feeding each of its routes. */
export interface IngestedSource {
  name: string;
  ingestion: 'kinesis' | 's3';
  /** The mapping as configured (`builtin:<name>` or a path) and the file it resolves to. */
  mapping: string;
  mappingPath: string;
  routes: IngestionRoute[];
}

export interface CustomSourceIngestionProps {
  sources: IngestedSource[];
  /** How long rejected events are kept (the lake's own retention). */
  deadLetterRetentionDays: number;
}

/** Raw logs are transformed within minutes; they stay long enough to replay a failed or dead-lettered batch. */
const RAW_LOG_RETENTION_DAYS = 90;
/** Kinesis keeps records this long, so a batch recorded as failed can still be replayed a week later. */
const STREAM_RETENTION = Duration.days(7);
const FUNCTION_TIMEOUT = Duration.minutes(5);
/** Lambda's guidance for SQS event sources: a visibility timeout of six times the function timeout. */
const QUEUE_VISIBILITY = Duration.minutes(30);
const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Bucket for a source's raw logs: a name AWS log delivery can be pointed at, known before deployment. */
export function rawLogBucketName(sourceName: string, account: string, region: string): string {
  const name = `rampart-raw-${sourceName.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${account}-${region}`;
  if (name.length > 63) throw new Error(`raw-log bucket name ${name} is longer than S3's 63 characters`);
  return name;
}

/** The Kinesis stream a Kinesis-fed source reads; producers (e.g. Sysmon forwarders) write to it by this name. */
export const ingestionStreamName = (sourceName: string) => `rampart-${sourceName.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;

/**
 * The ingestion of Security Lake custom sources, where they are registered: per configured source
 * a KMS-encrypted Kinesis stream (Kinesis sources) or a raw-log bucket whose object notifications
 * reach an SQS queue with its own dead-letter queue (S3 sources), and the handler function that
 * maps records to OCSF and writes Parquet through the sources' provider roles. Events it cannot map
 * go to the dead-letter bucket with their reason. Each function may assume only the provider roles
 * of its own source and write only its own prefix of the dead-letter bucket.
 */
export class CustomSourceIngestion extends Construct {
  readonly key: kms.Key;
  readonly deadLetterBucket: s3.Bucket;
  readonly functions = new Map<string, lambda.Function>();
  readonly streams = new Map<string, kinesis.Stream>();
  readonly rawLogBuckets = new Map<string, s3.Bucket>();
  readonly queues = new Map<string, sqs.Queue>();
  private readonly accessLogs: s3.Bucket;
  private readonly layer: lambda.LayerVersion;
  private organizationId?: string;

  constructor(scope: Construct, id: string, props: CustomSourceIngestionProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: 'Rampart: encrypts custom-source streams, queues, dead letters and handler logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3NotificationsIntoEncryptedQueues',
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    letLogGroupsUse(this.key, 'HandlerLogs');

    this.accessLogs = accessLogBucket(this, {
      logsOf: 'the custom-source dead-letter and raw-log buckets\'', expirationDays: Math.max(props.deadLetterRetentionDays, 365),
      notReplicatedBecause: 'Access logs of the custom-source buckets stay in the Region of the buckets they describe',
    });

    this.deadLetterBucket = new s3.Bucket(this, 'DeadLetterBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'dead-letter-bucket/',
      lifecycleRules: [{ expiration: Duration.days(props.deadLetterRetentionDays), noncurrentVersionExpiration: Duration.days(30) }],
    });
    acknowledge(this.deadLetterBucket, replicationAcknowledgements('Rejected custom-source events are kept, with their reason, beside the lake Region they were meant for, for as long as the lake keeps data'));

    this.layer = new lambda.LayerVersion(this, 'DuckDbLayer', {
      code: lambda.Code.fromAsset(duckDbLayerDir()),
      compatibleRuntimes: [HANDLER_RUNTIME],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      description: 'DuckDB for Node.js (Linux x64): the Parquet writer of the Rampart custom-source handlers',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    for (const source of props.sources) this.addSource(source);
  }

  private addSource(source: IngestedSource): void {
    const stack = Stack.of(this);
    const scope = new Construct(this, `Source ${source.name}`);
    const logGroup = new logs.LogGroup(scope, 'Logs', { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
    const statements = [
      new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      new iam.PolicyStatement({ sid: 'WriteAsTheSourcesProviders', actions: ['sts:AssumeRole'], resources: source.routes.map((r) => r.roleArn) }),
      new iam.PolicyStatement({ sid: 'DeadLetters', actions: ['s3:PutObject'], resources: [this.deadLetterBucket.arnForObjects(`dead-letter/${source.name}/*`)] }),
      new iam.PolicyStatement({ sid: 'DeadLetterEncryption', actions: ['kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    ];

    const handler = source.ingestion === 'kinesis' ? 'customSourceKinesis' : 'customSourceS3';
    const code = customSourceCode(handler, source.mapping, source.mappingPath);
    const settings: CustomSourceSettings = {
      name: source.name,
      mapping: code.mappingSetting,
      region: stack.region,
      routes: source.routes.map((r) => ({ sourceName: r.sourceName, classUid: r.classUid, location: r.location, roleArn: r.roleArn, externalId: r.externalId })),
      deadLetterBucket: this.deadLetterBucket.bucketName,
    };

    const policy = new iam.ManagedPolicy(scope, 'Permissions', { description: `Rampart custom source ${source.name}: read its input, write as its providers, dead-letter what it cannot map`, statements });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rampart custom source ${source.name} handler`,
      managedPolicies: [policy],
    });
    const fn = new lambda.Function(scope, 'Handler', {
      code: lambda.Code.fromAsset(code.dir),
      handler: 'index.handler',
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.X86_64,
      layers: [this.layer],
      // Grants go into the managed policy above, where they can be read in one place.
      role: role.withoutPolicyUpdates(),
      logGroup,
      // Lambda gives a second vCPU above 1,769 MB: the S3 function maps on a mapping worker beside the main thread.
      memorySize: source.ingestion === 's3' ? S3_FUNCTION_MEMORY_MB : 2048,
      ephemeralStorageSize: Size.gibibytes(2),
      timeout: FUNCTION_TIMEOUT,
      description: `Rampart custom source ${source.name}: ${source.ingestion === 'kinesis' ? 'Kinesis records' : 'S3 log objects'} to OCSF Parquet in Security Lake`,
      environment: { [CONFIG_VARIABLE]: stack.toJsonString(settings) },
    });
    fn.node.addDependency(policy);
    this.functions.set(source.name, fn);

    if (source.ingestion === 'kinesis') this.kinesisInput(scope, source, fn, policy);
    else this.s3Input(scope, source, fn, policy);
    acknowledgeIngestionFunction(fn, source);
    acknowledge(policy, {
      [`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.deadLetterBucket.node.defaultChild as s3.CfnBucket)}.Arn>/dead-letter/${source.name}/*]`]:
        `Dead letters of ${source.name} are written under their own prefix, one object per batch with a name derived from the batch; the wildcard covers only that prefix`,
      ...(source.ingestion === 's3'
        ? { [`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.rawLogBuckets.get(source.name)?.node.defaultChild as s3.CfnBucket)}.Arn>/*]`]: `The handler reads whichever log object S3 announces in its source's raw-log bucket, named by the log's producer` }
        : {}),
    });
  }

  private kinesisInput(scope: Construct, source: IngestedSource, fn: lambda.Function, policy: iam.ManagedPolicy): void {
    const stream = new kinesis.Stream(scope, 'Stream', {
      streamName: ingestionStreamName(source.name),
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.key,
      retentionPeriod: STREAM_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.streams.set(source.name, stream);
    acknowledge(stream, {
      'AwsSolutions-KDS3': `The ${source.name} stream is encrypted with Rampart's customer managed ingestion key (rotated yearly, its use limited by key policy and logged in CloudTrail), like the queues and dead letters of the same source; the aws/kinesis key allows neither`,
    });
    // Batches Lambda gave up on (after bounded retries) are recorded here with their shard and sequence range, for replay while the stream still holds them.
    const failed = this.queue(scope, 'FailedBatches');
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'ReadTheStream',
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'],
        resources: [stream.streamArn],
      }),
      new iam.PolicyStatement({ sid: 'RecordFailedBatches', actions: ['sqs:SendMessage'], resources: [failed.queueArn] }),
      new iam.PolicyStatement({ sid: 'StreamAndQueueEncryption', actions: ['kms:Decrypt'], resources: [this.key.keyArn] }),
    );
    new lambda.EventSourceMapping(scope, 'StreamMapping', {
      target: fn,
      eventSourceArn: stream.streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(30),
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: 5,
      maxRecordAge: STREAM_RETENTION,
      onFailure: new SqsDlq(failed),
    }).node.addDependency(policy);
    acknowledge(failed, {
      'AwsSolutions-SQS3': `Holds the shard and sequence ranges of Kinesis batches ${source.name} gave up on, for replay from the stream; it is the last stop, so it has no dead-letter queue of its own`,
    });
  }

  private s3Input(scope: Construct, source: IngestedSource, fn: lambda.Function, policy: iam.ManagedPolicy): void {
    const stack = Stack.of(this);
    const bucketName = rawLogBucketName(source.name, stack.account, stack.region);
    const deadLetters = this.queue(scope, 'NotificationDeadLetters');
    acknowledge(deadLetters, { 'AwsSolutions-SQS3': `This is the dead-letter queue of the ${source.name} notification queue; its messages name raw objects that stay in the raw-log bucket for replay` });
    const queue = this.queue(scope, 'Notifications', { queue: deadLetters, maxReceiveCount: 5 });
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ObjectNotificationsFromTheRawLogBucket',
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      // The bucket's name, not a reference: the bucket's notification configuration needs this policy first.
      conditions: { ArnEquals: { 'aws:SourceArn': `arn:${stack.partition}:s3:::${bucketName}` }, StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    this.queues.set(source.name, queue);

    const bucket = new s3.Bucket(scope, 'RawLogBucket', {
      bucketName,
      // AWS log delivery for Application Load Balancer access logs accepts only SSE-S3 on the destination.
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `raw-${source.name}/`,
      lifecycleRules: [{ expiration: Duration.days(RAW_LOG_RETENTION_DAYS), noncurrentVersionExpiration: Duration.days(30) }],
    });
    this.rawLogBuckets.set(source.name, bucket);
    const organization = this.organization();
    const logDelivery = [new iam.ServicePrincipal('delivery.logs.amazonaws.com'), new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')];
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LogDeliveryChecksTheBucket', principals: logDelivery, actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn],
      conditions: { StringEquals: { 'aws:SourceOrgID': organization } },
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'LogDeliveryFromTheOrganization', principals: logDelivery, actions: ['s3:PutObject'], resources: [bucket.arnForObjects('AWSLogs/*')],
      conditions: { StringEquals: { 'aws:SourceOrgID': organization } },
    }));
    const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { queueConfigurations: [{ event: 's3:ObjectCreated:*', queue: queue.queueArn }] };
    // S3 checks that it may send to the queue when the notification is configured.
    cfnBucket.addResourceDependency((queue.node.findChild('Policy') as sqs.QueuePolicy).node.defaultChild as CfnResource);
    const rawReason = `AWS log delivery of Application Load Balancer access logs accepts only SSE-S3 on its destination; raw logs of ${source.name} are transformed into the KMS-encrypted lake and expire after ${RAW_LOG_RETENTION_DAYS} days`;
    acknowledge(bucket, {
      'NIST.800.53.R5-S3DefaultEncryptionKMS': rawReason,
      'PCI.DSS.321-S3DefaultEncryptionKMS': rawReason,
      ...replicationAcknowledgements(`Raw logs of ${source.name} are a transient input: what matters is in the lake, which replicates to its rollup Region`),
    });

    policy.addStatements(
      new iam.PolicyStatement({ sid: 'ReadRawLogs', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [bucket.arnForObjects('*')] }),
      new iam.PolicyStatement({
        sid: 'ConsumeNotifications', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], resources: [queue.queueArn],
      }),
      new iam.PolicyStatement({ sid: 'QueueEncryption', actions: ['kms:Decrypt'], resources: [this.key.keyArn] }),
    );
    new lambda.EventSourceMapping(scope, 'QueueMapping', {
      target: fn,
      eventSourceArn: queue.queueArn,
      // One message is one log object; a few per invocation keep a batch within the function's time and memory.
      batchSize: 5,
      reportBatchItemFailures: true,
      maxConcurrency: 10,
    }).node.addDependency(policy);
  }

  private queue(scope: Construct, id: string, deadLetterQueue?: sqs.DeadLetterQueue): sqs.Queue {
    return new sqs.Queue(scope, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: QUEUE_VISIBILITY,
      ...(deadLetterQueue ? { deadLetterQueue } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The organization id, for the raw-log buckets' log-delivery grants (read once per stack). */
  private organization(): string {
    this.organizationId ??= new HandlerProvider(this, 'OrganizationIdProvider', {
      purpose: 'organization id lookup',
      handler: 'organizationId',
      statements: [new iam.PolicyStatement({ actions: ['organizations:DescribeOrganization'], resources: ['*'] })],
      wildcardReasons: { 'Resource::*': 'organizations:DescribeOrganization takes no resource; it reads the organization the account belongs to' },
    }).resource(this, 'OrganizationId', 'RampartOrganizationId', {}).getAttString('OrganizationId');
    return this.organizationId;
  }
}

function replicationAcknowledgements(reason: string): Record<string, string> {
  return { 'NIST.800.53.R5-S3BucketReplicationEnabled': reason, 'PCI.DSS.321-S3BucketReplicationEnabled': reason };
}

function acknowledgeIngestionFunction(fn: lambda.Function, source: IngestedSource): void {
  const input = source.ingestion === 'kinesis' ? 'its Kinesis event source mapping (one concurrent batch per shard)' : 'its SQS event source mapping (at most 10 concurrent batches)';
  const redelivery = source.ingestion === 'kinesis'
    ? 'failed Kinesis batches are retried, bisected and finally recorded in the failed-batches queue by the event source mapping'
    : 'failed S3 notifications return to the queue and, after five attempts, go to its dead-letter queue';
  acknowledge(fn, {
    'AwsSolutions-L1': `Runs ${HANDLER_RUNTIME.name}, the newest Node.js runtime that cfn-lint 1.51 accepts; nodejs26.x, which cdk-nag asks for, fails template validation (E3030)`,
    'NIST.800.53.R5-LambdaConcurrency': `Concurrency of the ${source.name} handler is bounded by ${input}; reserving more would take capacity from the account`,
    'NIST.800.53.R5-LambdaDLQ': `The ${source.name} handler is invoked synchronously by an event source mapping, which ignores a function dead-letter queue: ${redelivery}`,
    'PCI.DSS.321-LambdaDLQ': `The ${source.name} handler is invoked synchronously by an event source mapping, which ignores a function dead-letter queue: ${redelivery}`,
    'NIST.800.53.R5-LambdaInsideVPC': `The ${source.name} handler calls only public AWS endpoints (S3, STS) and reaches no VPC resource; the account it runs in has no workload VPC to place it in`,
    'PCI.DSS.321-LambdaInsideVPC': `The ${source.name} handler calls only public AWS endpoints (S3, STS) and reaches no VPC resource; the account it runs in has no workload VPC to place it in`,
  });
}
