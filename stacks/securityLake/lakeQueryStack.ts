import { DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import { customTableAttribute } from '../../handlers/customResources/securityLakeSharedTables';
import { athenaNamedQueries, athenaViewStatements } from '../../query/athena';
import { DEFAULT_LOOKBACK_DAYS, INSIGHTS_DATABASE, NAMED_QUERIES, VIEWS } from '../../query/catalog';
import { NATIVE_SOURCE_NAMES, NATIVE_SOURCES, securityLakeTable, type NativeSource, type TableName } from '../../query/securityLakeTables';
import { SynthesisError, type AccountDirectory } from '../accountDirectory';
import { HandlerProvider } from '../customResourceProvider';
import { acknowledge } from '../nag';
import { accessLogBucket } from '../accessLogBucket';
import { PRIVATE_BUCKET } from '../privateBucket';
import type { RegionalSubscription } from './subscriptions';

/** The subscriber account's Glue database holding the resource links to Security Lake's shared tables. */
export const LAKE_LINKS_DATABASE = 'rampart_security_lake';
export const INSIGHTS_WORKGROUP = 'rampart-security-insights';

/** Name of the resource link for a native source's table, e.g. sh_findings_2_0. */
export const nativeLinkName = (source: NativeSource) => NATIVE_SOURCES[source].tableSuffix;
/** Name of the resource link for a custom source's table, e.g. ext_network_firewall. */
export const customLinkName = (sourceName: string) => `ext_${sourceName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;

export interface LakeQueryStackProps extends StackProps {
  config: RampartConfig;
  accounts: AccountDirectory;
  /** A LAKEFORMATION subscriber in one Region. */
  subscription: RegionalSubscription;
}

interface QueryResults {
  workgroup: athena.CfnWorkGroup;
  bucket: s3.Bucket;
  key: kms.Key;
}

/** One shared table as the subscriber account reaches it: the target in the lake account's catalog and its local resource link. */
interface LinkedTable {
  label: string;
  target: { catalogId: string; databaseName: string; name: string };
  link: TableName;
  resource: glue.CfnTable;
}

/**
 * Query access in a subscriber (visualization) account, one stack per subscriber Region: resource
 * links to the Security Lake tables shared with the account, Lake Formation grants (SELECT on each
 * shared table, DESCRIBE on its link) for the configured principals, the rampart_security_insights
 * views created through Athena DDL, the named queries, and an Athena workgroup whose results are
 * encrypted with a KMS key in a TLS-only bucket.
 */
export class LakeQueryStack extends Stack {
  constructor(scope: Construct, id: string, props: LakeQueryStackProps) {
    super(scope, id, props);
    const { subscription, accounts, config } = props;
    const { subscriber } = subscription;
    const lakeAccount = accounts.idOf(config.securityLake.delegatedAdmin, `query access of subscriber ${subscriber.name}`);
    const sharedDatabase = securityLakeTable(this.region, 'SH_FINDINGS').database;
    const nativeSources = subscription.awsSources.map((s) => s.source).filter((s): s is NativeSource => s in NATIVE_SOURCES);
    const index = config.securityLake.subscribers.indexOf(subscriber);
    const subscriberAccount = accounts.tryIdOf(subscriber.account);
    const foreign = subscriber.principals.flatMap((arn, i) => {
      // Without the account's id yet, synthesis stops on the missing id instead.
      if (!subscriberAccount || arn.split(':')[4] === subscriberAccount) return [];
      const where = config.locate('securityLake', ['subscribers', index, 'principals', i]);
      return [`${where.file}:${where.line}:${where.col}  subscribers[${index}].principals[${i}] ${arn} is not in the subscriber account ${subscriber.account} (${this.account})  ` +
        'hint: Lake Formation grants on the resource links reach principals of the subscriber account only; name a role of that account'];
    });
    if (foreign.length > 0) throw new SynthesisError(foreign);

    // Grants on tables another account shares can only be made by a Lake Formation administrator of this account.
    const administrators = new lakeformation.CfnDataLakeSettings(this, 'DeployerIsLakeAdministrator', {
      mutationType: 'APPEND',
      admins: [{ dataLakePrincipalIdentifier: this.deploymentRoleArn() }],
    });

    const shares = new HandlerProvider(this, 'SharedTablesProvider', {
      purpose: 'Security Lake shared tables',
      handler: 'securityLakeSharedTables',
      isComplete: true,
      statements: [
        new iam.PolicyStatement({ actions: ['ram:GetResourceShareInvitations', 'ram:AcceptResourceShareInvitation'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['glue:GetTables', 'glue:GetDatabase'],
          resources: [`arn:${this.partition}:glue:${this.region}:${lakeAccount}:catalog`, this.glueArn(lakeAccount, 'database', sharedDatabase), this.glueArn(lakeAccount, 'table', `${sharedDatabase}/*`)],
        }),
      ],
      wildcardReasons: {
        'Resource::*': 'AWS RAM invitations have ARNs that exist only once Security Lake sends them; the handler accepts only those from the lake account',
        [`Resource::arn:<AWS::Partition>:glue:${this.region}:${lakeAccount}:table/${sharedDatabase}/*`]:
          'The handler lists the tables Security Lake shares from its database to find the custom sources\' tables, whose names Security Lake chooses',
      },
    }).resource(this, 'SharedTables', 'RampartSecurityLakeSharedTables', {
      LakeAccountId: lakeAccount,
      DatabaseName: sharedDatabase,
      NativeTables: nativeSources.map((s) => securityLakeTable(this.region, s).table),
      CustomSources: subscription.customSources.map((s) => s.sourceName),
    });

    const links = new glue.CfnDatabase(this, 'LinksDatabase', {
      catalogId: this.account,
      databaseInput: { name: LAKE_LINKS_DATABASE, description: `Rampart: resource links to the Security Lake tables shared with subscriber ${subscriber.name}` },
    });
    links.addResourceDependency(administrators);
    const targets: { label: string; name: string; table: string }[] = [
      ...nativeSources.map((s) => ({ label: s, name: nativeLinkName(s), table: securityLakeTable(this.region, s).table })),
      ...subscription.customSources.map((s, index) => ({ label: s.sourceName, name: customLinkName(s.sourceName), table: shares.getAttString(customTableAttribute(index)) })),
    ];
    const tables: LinkedTable[] = targets.map((target) => {
      const link = new glue.CfnTable(this, `Link ${target.label}`, {
        catalogId: this.account,
        databaseName: LAKE_LINKS_DATABASE,
        tableInput: { name: target.name, targetTable: { catalogId: lakeAccount, databaseName: sharedDatabase, name: target.table, region: this.region } },
      });
      link.addResourceDependency(links);
      link.node.addDependency(shares);
      return { label: target.label, target: { catalogId: lakeAccount, databaseName: sharedDatabase, name: target.table }, link: { database: LAKE_LINKS_DATABASE, table: target.name }, resource: link };
    });

    const insights = new glue.CfnDatabase(this, 'InsightsDatabase', {
      catalogId: this.account,
      databaseInput: { name: INSIGHTS_DATABASE, description: 'Rampart: views over Security Lake for Security Hub findings, CloudTrail management events and VPC flows' },
    });
    insights.addResourceDependency(administrators);

    const results = this.workgroup();
    const { workgroup } = results;
    // Every view is written against its link's name; only the views of subscribed sources are created.
    const views = athenaViewStatements({
      sources: Object.fromEntries(NATIVE_SOURCE_NAMES.map((s) => [s, { database: LAKE_LINKS_DATABASE, table: nativeLinkName(s) }])) as Record<NativeSource, TableName>,
      lookbackDays: subscriber.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    }).filter((view) => nativeSources.includes((VIEWS.find((v) => v.name === view.name) as { source: NativeSource }).source));

    const viewProvider = new HandlerProvider(this, 'ViewsProvider', {
      purpose: 'Athena views',
      handler: 'athenaViews',
      isComplete: true,
      totalTimeout: Duration.minutes(30),
      statements: this.viewCreatorStatements(results, lakeAccount, sharedDatabase),
      wildcardReasons: this.viewCreatorWildcards(results, lakeAccount, sharedDatabase),
    });

    // Lake Formation: the configured principals read the views and, through the links, the shared tables; the view creator needs the same to create them.
    const readers = [...subscriber.principals.map((arn, i) => ({ id: `Principal${i + 1}`, arn })), { id: 'ViewCreator', arn: viewProvider.role.roleArn }];
    const grants = new Construct(this, 'Grants');
    for (const reader of readers) {
      const grant = (id: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permissions: string[]) => {
        const permission = new lakeformation.CfnPrincipalPermissions(grants, `${reader.id} ${id}`, {
          catalog: this.account,
          principal: { dataLakePrincipalIdentifier: reader.arn },
          resource,
          permissions,
          permissionsWithGrantOption: [],
        });
        permission.addResourceDependency(administrators);
        return permission;
      };
      for (const table of tables) {
        grant(`Select ${table.label}`, { table: { catalogId: table.target.catalogId, databaseName: table.target.databaseName, name: table.target.name } }, ['SELECT'])
          .addResourceDependency(table.resource);
        grant(`Describe link ${table.label}`, { table: { catalogId: this.account, databaseName: table.link.database, name: table.link.table } }, ['DESCRIBE'])
          .addResourceDependency(table.resource);
      }
      grant('Describe links database', { database: { catalogId: this.account, name: LAKE_LINKS_DATABASE } }, ['DESCRIBE']).addResourceDependency(links);
      if (reader.id === 'ViewCreator') {
        grant('Create views', { database: { catalogId: this.account, name: INSIGHTS_DATABASE } }, ['CREATE_TABLE', 'DESCRIBE']).addResourceDependency(insights);
      } else {
        grant('Describe insights database', { database: { catalogId: this.account, name: INSIGHTS_DATABASE } }, ['DESCRIBE']).addResourceDependency(insights);
        grant('Select views', { table: { catalogId: this.account, databaseName: INSIGHTS_DATABASE, tableWildcard: {} } }, ['SELECT', 'DESCRIBE']).addResourceDependency(insights);
      }
    }

    if (views.length > 0) {
      viewProvider.resource(this, 'Views', 'RampartAthenaViews', {
        WorkGroup: workgroup.name,
        Database: INSIGHTS_DATABASE,
        Views: views.map((v) => ({ Name: v.name, Sql: v.createViewSql })),
      }).node.addDependency(grants, insights, workgroup);
    }

    // A named query is offered where all the views it reads exist.
    const viewNames = new Set(views.map((v) => v.name));
    for (const query of athenaNamedQueries()) {
      const reads = NAMED_QUERIES.find((q) => q.name === query.name)?.views ?? [];
      if (!reads.every((view) => viewNames.has(view))) continue;
      new athena.CfnNamedQuery(this, `Query ${query.name}`, {
        name: query.name,
        description: query.description.slice(0, 1024),
        database: query.database,
        queryString: query.queryString,
        workGroup: workgroup.name,
      }).addResourceDependency(workgroup);
    }
  }

  /** The role CloudFormation deploys this stack with (the CDK bootstrap's execution role). */
  private deploymentRoleArn(): string {
    const synthesizer = this.synthesizer;
    if (!(synthesizer instanceof DefaultStackSynthesizer)) throw new Error(`${this.stackName} needs the CDK default synthesizer: its deployment role becomes a Lake Formation administrator`);
    const arn = synthesizer.cloudFormationExecutionRoleArn;
    return !Token.isUnresolved(arn) && arn.includes('${') ? Fn.sub(arn) : arn;
  }

  private glueArn(account: string, kind: 'database' | 'table', name: string): string {
    return `arn:${this.partition}:glue:${this.region}:${account}:${kind}/${name}`;
  }

  /** The Athena workgroup, with query results encrypted by a KMS key in a TLS-only bucket. */
  private workgroup(): QueryResults {
    const key = new kms.Key(this, 'QueryResultsKey', {
      description: 'Rampart: encrypts Athena query results of the security insights workgroup',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = accessLogBucket(this, {
      logsOf: 'the query-results bucket\'s', expirationDays: 365,
      notReplicatedBecause: 'Access logs of the query-results bucket stay in its Region; a cross-Region copy is not part of the configuration',
    });
    const results = new s3.Bucket(this, 'QueryResultsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'query-results/',
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(7) }],
    });
    const resultsReason = 'Athena query results are working copies of lake data that expire after 30 days; the lake itself is the record and replicates to its rollup Region';
    acknowledge(results, { 'NIST.800.53.R5-S3BucketReplicationEnabled': resultsReason, 'PCI.DSS.321-S3BucketReplicationEnabled': resultsReason });
    const workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: INSIGHTS_WORKGROUP,
      description: 'Rampart: queries over Security Lake and the rampart_security_insights views',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });
    return { workgroup, bucket: results, key };
  }

  private viewCreatorStatements({ workgroup, bucket, key }: QueryResults, lakeAccount: string, sharedDatabase: string): iam.PolicyStatement[] {
    const catalog = (account: string) => `arn:${this.partition}:glue:${this.region}:${account}:catalog`;
    return [
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution'],
        resources: [`arn:${this.partition}:athena:${this.region}:${this.account}:workgroup/${workgroup.name}`],
      }),
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable'],
        resources: [catalog(this.account), this.glueArn(this.account, 'database', INSIGHTS_DATABASE), this.glueArn(this.account, 'table', `${INSIGHTS_DATABASE}/*`)],
      }),
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          this.glueArn(this.account, 'database', LAKE_LINKS_DATABASE), this.glueArn(this.account, 'table', `${LAKE_LINKS_DATABASE}/*`),
          catalog(lakeAccount), this.glueArn(lakeAccount, 'database', sharedDatabase), this.glueArn(lakeAccount, 'table', `${sharedDatabase}/*`),
        ],
      }),
      new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [bucket.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], resources: [bucket.arnForObjects('results/*')] }),
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    ];
  }

  private viewCreatorWildcards({ bucket }: QueryResults, lakeAccount: string, sharedDatabase: string): Record<string, string> {
    const results = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    return {
      'Resource::*': 'lakeformation:GetDataAccess takes no resource: Lake Formation decides per table from its own grants, which this stack limits to the linked tables',
      [`Resource::arn:<AWS::Partition>:glue:${this.region}:${this.account}:table/${INSIGHTS_DATABASE}/*`]: `The handler creates, replaces and drops the views of ${INSIGHTS_DATABASE}, and only there`,
      [`Resource::arn:<AWS::Partition>:glue:${this.region}:${this.account}:table/${LAKE_LINKS_DATABASE}/*`]: `Athena resolves the views' sources through the resource links in ${LAKE_LINKS_DATABASE}`,
      [`Resource::arn:<AWS::Partition>:glue:${this.region}:${lakeAccount}:table/${sharedDatabase}/*`]: 'Athena reads the shared Security Lake tables behind the links; custom sources\' table names are chosen by Security Lake',
      [`Resource::<${results}.Arn>/results/*`]: 'Athena writes each statement\'s result under results/ with a name it chooses',
    };
  }
}

