import { RemovalPolicy, Stack, type CustomResource, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as securitylake from 'aws-cdk-lib/aws-securitylake';
import type { Construct, IDependable } from 'constructs';
import { customSourceRegion, resolveCustomSources, resolveMappingPath, type RampartConfig, type ResolvedCustomSource } from '../../config/model';
import type { AccountDirectory } from '../accountDirectory';
import { HandlerProvider } from '../customResourceProvider';
import { acknowledge } from '../nag';
import { CustomSourceIngestion } from './customSourceIngestion';
import { LakeSubscribers } from './lakeSubscribers';
import { regionalSubscriptions } from './subscriptions';
import { customSourceCrawlerRoleName, customSourceReaderRoleName, lakeRegionRole, metaStoreManagerRoleName, providerExternalId, replicationRoleName, type LakeRegionRole } from './topology';

export interface SecurityLakeRegionalStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
}

const SECURITY_LAKE_WILDCARD = 'Security Lake acts on the Region\'s single data lake and on sources by name; its API reference documents no narrower resource for these actions';

/**
 * Amazon Security Lake in one Region of the delegated administrator (log-archive) account: the
 * data lake (KMS, lifecycle and, in a contributing Region, replication into its rollup Region),
 * the AWS log sources for the configured accounts, the custom sources, organization auto-enable
 * for accounts that join later, and (where data is queried) the subscribers.
 */
export class SecurityLakeRegionalStack extends Stack {
  readonly role: LakeRegionRole;
  readonly dataLake: securitylake.CfnDataLake;
  readonly key?: kms.Key;
  /** Custom-source resources by registered source name. */
  readonly customSources = new Map<string, IDependable>();
  readonly subscribers?: LakeSubscribers;
  /** Ingestion of the custom sources this account writes (in the custom-source Region). */
  ingestion?: CustomSourceIngestion;

  constructor(scope: Construct, id: string, props: SecurityLakeRegionalStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const lake = config.securityLake;
    this.role = lakeRegionRole(lake, this.region);
    const alias = lake.encryption.kmsKeyAlias;

    if (alias) {
      this.key = new kms.Key(this, 'LakeKey', {
        alias,
        description: `Rampart: encrypts the Security Lake data lake in ${this.region}`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'SecurityLakeUsesTheKey',
        principals: [new iam.ServicePrincipal('securitylake.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }));
    }

    const metaStoreManager = new iam.Role(this, 'MetaStoreManagerRole', {
      roleName: metaStoreManagerRoleName(this.region),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Security Lake metastore manager: registers new data partitions in the Glue Data Catalog',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonSecurityLakeMetastoreManager'), ...this.keyUsePolicy('MetaStoreKeyUse')],
    });
    acknowledge(metaStoreManager, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonSecurityLakeMetastoreManager]':
        'AmazonSecurityLakeMetastoreManager is the policy Security Lake documents for its metastore manager Lambda; AWS keeps it in step with the lake\'s Glue and SQS layout',
    });

    const replication = this.role.kind === 'contributing' ? this.replicationRole(this.role.rollupRegion, alias) : undefined;
    this.dataLake = new securitylake.CfnDataLake(this, 'DataLake', {
      metaStoreManagerRoleArn: metaStoreManager.roleArn,
      ...(this.key ? { encryptionConfiguration: { kmsKeyId: this.key.keyArn } } : {}),
      lifecycleConfiguration: {
        expiration: { days: lake.lifecycle.expirationDays },
        transitions: lake.lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
      },
      ...(replication && this.role.kind === 'contributing'
        ? { replicationConfiguration: { regions: [this.role.rollupRegion], roleArn: replication.roleArn } }
        : {}),
    });

    for (const source of lake.awsSources) {
      new securitylake.CfnAwsLogSource(this, `Source ${source.source}`, {
        dataLakeArn: this.dataLake.attrArn,
        sourceName: source.source,
        sourceVersion: source.version,
        // Without accounts, Security Lake collects from every account of the organization, joined later or not.
        ...(source.accounts === 'all' ? {} : { accounts: source.accounts.map((name) => accounts.idOf(name, `${source.source} log source`)) }),
      });
    }

    if (lake.organizationAutoEnable) {
      new HandlerProvider(this, 'AutoEnableProvider', {
        purpose: 'Security Lake organization auto-enable',
        handler: 'securityLakeAutoEnable',
        statements: [new iam.PolicyStatement({
          actions: ['securitylake:CreateDataLakeOrganizationConfiguration', 'securitylake:DeleteDataLakeOrganizationConfiguration', 'organizations:DescribeOrganization'],
          resources: ['*'],
        })],
        wildcardReasons: { 'Resource::*': `The organization configuration belongs to the Region's data lake, not to a resource with its own ARN; ${SECURITY_LAKE_WILDCARD}` },
      }).resource(this, 'OrganizationAutoEnable', 'RampartSecurityLakeAutoEnable', {
        Region: this.region,
        Sources: lake.awsSources.map((s) => ({ SourceName: s.source, SourceVersion: s.version })),
      }).node.addDependency(this.dataLake);
    }

    // Custom sources live in one Region (the engine's desired state says the same, through the same function).
    const customSources = this.region === customSourceRegion(config) ? resolveCustomSources(config) : [];
    if (customSources.length > 0) {
      const registered = this.registerCustomSources(customSources, accounts);
      this.ingestCustomSources(config, customSources, registered, accounts);
    }

    const subscriptions = regionalSubscriptions(config).filter((s) => s.region === this.region);
    if (subscriptions.length > 0) {
      this.subscribers = new LakeSubscribers(this, 'Subscribers', {
        dataLakeArn: this.dataLake.attrArn,
        subscriptions,
        accounts,
        dependsOn: [...this.customSources.values()],
      });
    }
  }

  /**
   * Ingestion for the custom sources written by this account runs here, fed what
   * CreateCustomLogSource returned. Sources of other provider accounts are ingested there
   * (CustomSourceIngestionStack), which reads the same through a read-only role offered here.
   */
  private ingestCustomSources(config: RampartConfig, customSources: readonly ResolvedCustomSource[], registered: Map<string, CustomResource>, accounts: AccountDirectory): void {
    const lake = config.securityLake;
    const local = lake.customSources.filter((c) => c.providerAccount === lake.delegatedAdmin);
    if (local.length > 0) {
      this.ingestion = new CustomSourceIngestion(this, 'CustomSourceIngestion', {
        deadLetterRetentionDays: lake.lifecycle.expirationDays,
        sources: local.map((entry) => ({
          name: entry.name,
          ingestion: entry.ingestion,
          mapping: entry.mapping,
          mappingPath: resolveMappingPath(config.dir, entry.mapping),
          routes: customSources.filter((s) => s.configName === entry.name).map((s) => {
            const resource = registered.get(s.sourceName) as CustomResource;
            return {
              sourceName: s.sourceName, classUid: s.classUid,
              roleArn: resource.getAttString('ProviderRoleArn'), externalId: resource.getAttString('ProviderExternalId'), location: resource.getAttString('Location'),
            };
          }),
        })),
      });
    }
    const providers = [...new Set(lake.customSources.filter((c) => c.providerAccount !== lake.delegatedAdmin).map((c) => c.providerAccount))];
    if (providers.length > 0) {
      const readerPermissions = new iam.ManagedPolicy(this, 'CustomSourceReaderPermissions', {
        description: 'Read-only: where this Region\'s custom sources are written',
        statements: [new iam.PolicyStatement({ actions: ['securitylake:ListLogSources'], resources: ['*'] })],
      });
      new iam.Role(this, 'CustomSourceReaderRole', {
        roleName: customSourceReaderRoleName(this.region),
        description: 'Lets the provider accounts of Security Lake custom sources read where their sources are written',
        assumedBy: new iam.CompositePrincipal(...providers.map((name) => new iam.AccountPrincipal(accounts.idOf(name, 'provider account of a custom source')))),
        managedPolicies: [readerPermissions],
      });
      acknowledge(readerPermissions, {
        'AwsSolutions-IAM5[Resource::*]': `securitylake:ListLogSources lists the sources of the Region's single data lake; ${SECURITY_LAKE_WILDCARD}`,
      });
    }
  }

  /** A managed policy that lets a role use the lake key through S3 and Glue, when the lake has one. */
  private keyUsePolicy(id: string): iam.IManagedPolicy[] {
    if (!this.key) return [];
    return [new iam.ManagedPolicy(this, id, {
      statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] })],
    })];
  }

  /** S3 replication into the rollup Region's lake bucket, as Security Lake documents it. */
  private replicationRole(rollupRegion: string, alias: string | undefined): iam.Role {
    const bucket = (region: string) => `arn:${this.partition}:s3:::aws-security-data-lake-${region}*`;
    const sameAccount = { StringEquals: { 's3:ResourceAccount': this.account } };
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadContributingLake',
        actions: ['s3:ListBucket', 's3:GetReplicationConfiguration', 's3:GetObjectVersionForReplication', 's3:GetObjectVersion',
          's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
        resources: [bucket(this.region), `${bucket(this.region)}/*`],
        conditions: sameAccount,
      }),
      new iam.PolicyStatement({
        sid: 'ReplicateIntoRollupLake',
        actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:GetObjectVersionTagging', 's3:ObjectOwnerOverrideToBucketOwner'],
        resources: [`${bucket(rollupRegion)}/*`],
        conditions: sameAccount,
      }),
    ];
    if (alias) {
      const lakeKeys = (region: string) => `arn:${this.partition}:kms:${region}:${this.account}:key/*`;
      const viaS3 = (region: string) => ({ StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` }, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } });
      statements.push(
        new iam.PolicyStatement({ sid: 'DecryptContributingLake', actions: ['kms:Decrypt'], resources: [lakeKeys(this.region)], conditions: viaS3(this.region) }),
        new iam.PolicyStatement({ sid: 'EncryptRollupLake', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [lakeKeys(rollupRegion)], conditions: viaS3(rollupRegion) }),
      );
    }
    const policy = new iam.ManagedPolicy(this, 'ReplicationPermissions', { statements, description: `Security Lake replication ${this.region} -> ${rollupRegion}` });
    const lakeBucketReason = 'Security Lake names its bucket aws-security-data-lake-<Region>-<random suffix>; the suffix is unknown before the lake exists, so the grant is limited to that prefix and to this account (s3:ResourceAccount)';
    acknowledge(policy, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*]`]: lakeBucketReason,
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*/*]`]: lakeBucketReason,
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${rollupRegion}*/*]`]: lakeBucketReason,
      ...(alias
        ? {
          [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${this.region}:${this.account}:key/*]`]:
            `The lake key of each Region is created by its own stack; the grant is limited to keys with alias ${alias}, used through S3`,
          [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${rollupRegion}:${this.account}:key/*]`]:
            `The rollup lake key is created by the rollup Region's stack; the grant is limited to keys with alias ${alias}, used through S3`,
        }
        : {}),
    });
    return new iam.Role(this, 'ReplicationRole', {
      roleName: replicationRoleName(this.region),
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `Security Lake replication from ${this.region} into the rollup Region ${rollupRegion}`,
      managedPolicies: [policy],
    });
  }

  private registerCustomSources(customSources: readonly ResolvedCustomSource[], accounts: AccountDirectory): Map<string, CustomResource> {
    const lakeObjects = `arn:${this.partition}:s3:::aws-security-data-lake-${this.region}*`;
    const crawlerAccess = new iam.ManagedPolicy(this, 'CrawlerPermissions', {
      description: 'Glue crawler of Security Lake custom sources: reads the sources\' partitions',
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket'], resources: [lakeObjects, `${lakeObjects}/ext/*`] })],
    });
    acknowledge(crawlerAccess, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*]`]:
        'The lake bucket is named by Security Lake with a random suffix; the crawler is limited to that bucket prefix',
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*/ext/*]`]:
        'Custom sources write under ext/<source name>/; the crawler reads only that part of the lake bucket',
    });
    const crawlerRole = new iam.Role(this, 'CustomSourceCrawlerRole', {
      roleName: customSourceCrawlerRoleName(this.region),
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'Glue crawler that catalogs Security Lake custom sources',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSGlueServiceRole'), crawlerAccess, ...this.keyUsePolicy('CrawlerKeyUse')],
    });
    acknowledge(crawlerRole, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSGlueServiceRole]':
        'Security Lake documents AWSGlueServiceRole for the crawler role of a custom source; it holds the Glue catalog permissions the crawler needs',
    });

    const provider = new HandlerProvider(this, 'CustomSourceProvider', {
      purpose: 'Security Lake custom source',
      handler: 'securityLakeCustomSource',
      statements: [
        new iam.PolicyStatement({ actions: ['securitylake:CreateCustomLogSource', 'securitylake:DeleteCustomLogSource', 'securitylake:ListLogSources'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['glue:CreateCrawler', 'glue:DeleteCrawler', 'glue:GetCrawler', 'glue:UpdateCrawler', 'glue:StartCrawlerSchedule', 'glue:StopCrawlerSchedule',
            'glue:CreateDatabase', 'glue:GetDatabase', 'glue:CreateTable', 'glue:GetTable'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ actions: ['lakeformation:RegisterResource', 'lakeformation:GrantPermissions', 'lakeformation:RevokePermissions'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['iam:CreateRole', 'iam:GetRole', 'iam:DeleteRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
          resources: [`arn:${this.partition}:iam::${this.account}:role/AmazonSecurityLake-Provider-*`],
        }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [crawlerRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } } }),
        new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:PutObject'], resources: [lakeObjects, `${lakeObjects}/*`] }),
        ...(this.key ? [new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] })] : []),
      ],
      wildcardReasons: {
        'Resource::*': `CreateCustomLogSource creates the Glue crawler, database and table and the Lake Formation registration on Security Lake's behalf, with names it chooses; ${SECURITY_LAKE_WILDCARD}`,
        [`Resource::arn:<AWS::Partition>:iam::${this.account}:role/AmazonSecurityLake-Provider-*`]:
          'Security Lake creates one provider role per custom source, named AmazonSecurityLake-Provider-<source>-<Region>; the grant is limited to that name prefix',
        [`Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*`]: 'The lake bucket is named by Security Lake with a random suffix; the grant is limited to that bucket prefix',
        [`Resource::arn:<AWS::Partition>:s3:::aws-security-data-lake-${this.region}*/*`]: 'Security Lake writes the custom source\'s location marker into the lake bucket, whose name has a random suffix',
      },
    });
    const registered = new Map<string, CustomResource>();
    for (const source of customSources) {
      const providerAccountId = accounts.idOf(source.providerAccount, `provider of custom source ${source.sourceName}`);
      const resource = provider.resource(this, `CustomSource ${source.sourceName}`, 'RampartSecurityLakeCustomSource', {
        SourceName: source.sourceName,
        SourceVersion: source.version,
        EventClass: source.eventClass,
        CrawlerRoleArn: crawlerRole.roleArn,
        ProviderAccountId: providerAccountId,
        ProviderExternalId: providerExternalId(source.sourceName, providerAccountId),
      });
      resource.node.addDependency(this.dataLake);
      this.customSources.set(source.sourceName, resource);
      registered.set(source.sourceName, resource);
    }
    return registered;
  }
}
