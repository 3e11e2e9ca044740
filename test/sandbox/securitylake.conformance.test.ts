import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import * as SL from '@aws-sdk/client-securitylake';
import { ACCOUNTS, openSecurityOrganization, type SecurityOrganization } from './securityOrganization';
import { errorOf, TRANSPORTS } from './transports';

const ROLLUP = 'us-east-1';
const CONTRIBUTING = 'us-east-2';
const META_STORE = `arn:aws:iam::${ACCOUNTS.log}:role/service-role/AmazonSecurityLakeMetaStoreManagerV2`;
const REPLICATION = `arn:aws:iam::${ACCOUNTS.log}:role/SecurityLakeReplication`;

/** Written from the Amazon Security Lake API reference; each test names the behaviour it checks. */
describe.each(TRANSPORTS)('Security Lake conformance (%s)', (transport) => {
  let sandbox: SecurityOrganization;
  const lake = (account: string, region = ROLLUP) => new SL.SecurityLakeClient(sandbox.client({ account, region }));

  beforeEach(async () => {
    sandbox = await openSecurityOrganization(transport);
  });
  afterEach(() => sandbox.close());

  /** The log archive account as delegated administrator, with lakes in a rollup and a contributing Region. */
  async function lakes(): Promise<SL.SecurityLakeClient> {
    await lake(ACCOUNTS.management).send(new SL.RegisterDataLakeDelegatedAdministratorCommand({ accountId: ACCOUNTS.log }));
    const admin = lake(ACCOUNTS.log);
    await admin.send(new SL.CreateDataLakeCommand({
      metaStoreManagerRoleArn: META_STORE,
      configurations: [
        { region: ROLLUP, encryptionConfiguration: { kmsKeyId: 'alias/lake' }, lifecycleConfiguration: { expiration: { days: 400 }, transitions: [{ days: 30, storageClass: 'STANDARD_IA' }] } },
        { region: CONTRIBUTING, replicationConfiguration: { regions: [ROLLUP], roleArn: REPLICATION } },
      ],
    }));
    return admin;
  }

  describe('delegated administrator', () => {
    it('is registered and deregistered from the management account only, through Organizations', async () => {
      expect((await errorOf(lake(ACCOUNTS.web).send(new SL.RegisterDataLakeDelegatedAdministratorCommand({ accountId: ACCOUNTS.log })))).name).toBe('AccessDeniedException');
      await lake(ACCOUNTS.management).send(new SL.RegisterDataLakeDelegatedAdministratorCommand({ accountId: ACCOUNTS.log }));
      const orgs = new O.OrganizationsClient(sandbox.client({ account: ACCOUNTS.management }));
      const admins = await orgs.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securitylake.amazonaws.com' }));
      expect(admins.DelegatedAdministrators?.map((a) => a.Id)).toEqual([ACCOUNTS.log]);
      const services = await orgs.send(new O.ListAWSServiceAccessForOrganizationCommand({}));
      expect(services.EnabledServicePrincipals?.map((s) => s.ServicePrincipal)).toContain('securitylake.amazonaws.com');
      expect((await errorOf(lake(ACCOUNTS.management).send(new SL.RegisterDataLakeDelegatedAdministratorCommand({ accountId: ACCOUNTS.web })))).name).toBe('ConflictException');
      await lake(ACCOUNTS.management).send(new SL.DeregisterDataLakeDelegatedAdministratorCommand({}));
      expect((await orgs.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'securitylake.amazonaws.com' }))).DelegatedAdministrators).toEqual([]);
      expect((await errorOf(lake(ACCOUNTS.management).send(new SL.DeregisterDataLakeDelegatedAdministratorCommand({})))).name).toBe('ResourceNotFoundException');
    });

    it('refuses the lake operations of other member accounts once an administrator is registered', async () => {
      await lakes();
      const error = await errorOf(lake(ACCOUNTS.web).send(new SL.ListDataLakesCommand({})));
      expect(error.name).toBe('AccessDeniedException');
      expect(error.$metadata?.httpStatusCode).toBe(403);
    });
  });

  describe('data lakes', () => {
    it('creates lakes per Region (INITIALIZED, then COMPLETED) with encryption, lifecycle and replication', async () => {
      await lake(ACCOUNTS.management).send(new SL.RegisterDataLakeDelegatedAdministratorCommand({ accountId: ACCOUNTS.log }));
      const created = await lake(ACCOUNTS.log).send(new SL.CreateDataLakeCommand({
        metaStoreManagerRoleArn: META_STORE,
        configurations: [{ region: ROLLUP }, { region: CONTRIBUTING, replicationConfiguration: { regions: [ROLLUP], roleArn: REPLICATION } }],
      }));
      expect(created.dataLakes?.map((d) => [d.region, d.createStatus])).toEqual([[ROLLUP, 'INITIALIZED'], [CONTRIBUTING, 'INITIALIZED']]);
      const listed = await lake(ACCOUNTS.log).send(new SL.ListDataLakesCommand({}));
      expect(listed.dataLakes?.find((d) => d.region === CONTRIBUTING)).toEqual(expect.objectContaining({
        dataLakeArn: `arn:aws:securitylake:${CONTRIBUTING}:${ACCOUNTS.log}:data-lake/default`, createStatus: 'COMPLETED',
        s3BucketArn: expect.stringMatching(new RegExp(`^arn:aws:s3:::aws-security-data-lake-${CONTRIBUTING}-[a-z0-9]+$`)),
        replicationConfiguration: { regions: [ROLLUP], roleArn: REPLICATION },
      }));
      const one = await lake(ACCOUNTS.log).send(new SL.ListDataLakesCommand({ regions: [ROLLUP] }));
      expect(one.dataLakes?.map((d) => d.region)).toEqual([ROLLUP]);
    });

    it('refuses a second lake in a Region, replication to itself and replication without a role', async () => {
      const admin = await lakes();
      expect((await errorOf(admin.send(new SL.CreateDataLakeCommand({ metaStoreManagerRoleArn: META_STORE, configurations: [{ region: ROLLUP }] })))).name).toBe('ConflictException');
      const self = await errorOf(admin.send(new SL.CreateDataLakeCommand({ metaStoreManagerRoleArn: META_STORE, configurations: [{ region: 'us-west-2', replicationConfiguration: { regions: ['us-west-2'], roleArn: REPLICATION } }] })));
      expect(self.name).toBe('BadRequestException');
      const noRole = await errorOf(admin.send(new SL.CreateDataLakeCommand({ metaStoreManagerRoleArn: META_STORE, configurations: [{ region: 'us-west-2', replicationConfiguration: { regions: [ROLLUP] } }] })));
      expect(noRole.name).toBe('BadRequestException');
      expect((await errorOf(admin.send(new SL.CreateDataLakeCommand({ metaStoreManagerRoleArn: 'not-a-role', configurations: [{ region: 'us-west-2' }] })))).name).toBe('BadRequestException');
    });

    it('updates a lake\'s settings as a whole (what the configuration omits is removed) and deletes lakes', async () => {
      const admin = await lakes();
      const updated = await admin.send(new SL.UpdateDataLakeCommand({ configurations: [{ region: CONTRIBUTING, lifecycleConfiguration: { expiration: { days: 30 } } }] }));
      expect(updated.dataLakes?.[0].replicationConfiguration).toBeUndefined();
      expect(updated.dataLakes?.[0].lifecycleConfiguration).toEqual({ expiration: { days: 30 } });
      expect((await errorOf(admin.send(new SL.UpdateDataLakeCommand({ configurations: [{ region: 'eu-west-1' }] })))).name).toBe('ResourceNotFoundException');
      await admin.send(new SL.DeleteDataLakeCommand({ regions: [CONTRIBUTING] }));
      expect((await admin.send(new SL.ListDataLakesCommand({}))).dataLakes?.map((d) => d.region)).toEqual([ROLLUP]);
      expect((await errorOf(admin.send(new SL.DeleteDataLakeCommand({ regions: [CONTRIBUTING] })))).name).toBe('ResourceNotFoundException');
    });

    it('reports a contributing Region that replicates to a Region without a lake as an exception', async () => {
      const admin = await lakes();
      expect((await admin.send(new SL.ListDataLakeExceptionsCommand({}))).exceptions).toEqual([]);
      await admin.send(new SL.DeleteDataLakeCommand({ regions: [ROLLUP] }));
      const exceptions = await admin.send(new SL.ListDataLakeExceptionsCommand({ regions: [CONTRIBUTING] }));
      expect(exceptions.exceptions).toEqual([expect.objectContaining({ region: CONTRIBUTING, exception: expect.stringContaining(ROLLUP), remediation: expect.any(String), timestamp: expect.any(Date) })]);
    });

    it('keeps an exception subscription', async () => {
      const admin = await lakes();
      expect((await errorOf(admin.send(new SL.GetDataLakeExceptionSubscriptionCommand({})))).name).toBe('ResourceNotFoundException');
      await admin.send(new SL.CreateDataLakeExceptionSubscriptionCommand({ notificationEndpoint: 'security@example.com', subscriptionProtocol: 'email', exceptionTimeToLive: 7 }));
      expect(await admin.send(new SL.GetDataLakeExceptionSubscriptionCommand({}))).toEqual(expect.objectContaining({ notificationEndpoint: 'security@example.com', subscriptionProtocol: 'email', exceptionTimeToLive: 7 }));
    });
  });

  describe('AWS log sources', () => {
    it('enables sources for the organization\'s accounts and shows them per account in GetDataLakeSources', async () => {
      const admin = await lakes();
      const created = await admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ regions: [ROLLUP, CONTRIBUTING], sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' }] }));
      expect(created.failed).toEqual([]);
      await admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ accounts: [ACCOUNTS.pci1], regions: [ROLLUP], sourceName: 'ROUTE53' }] }));
      let sources: SL.DataLakeSource[] = [];
      for await (const page of SL.paginateGetDataLakeSources({ client: admin, pageSize: 10 }, {})) sources = sources.concat(page.dataLakeSources ?? []);
      expect(sources).toHaveLength(6 * 8);
      const status = (account: string, name: string) => sources.find((s) => s.account === account && s.sourceName === name)?.sourceStatuses?.[0].status;
      expect(status(ACCOUNTS.web, 'CLOUD_TRAIL_MGMT')).toBe('COLLECTING');
      expect(status(ACCOUNTS.pci1, 'ROUTE53')).toBe('COLLECTING');
      expect(status(ACCOUNTS.pci2, 'ROUTE53')).toBe('NOT_COLLECTING');
      expect(sources.find((s) => s.sourceName === 'VPC_FLOW')?.eventClasses).toEqual(['NETWORK_ACTIVITY']);
      const one = await admin.send(new SL.GetDataLakeSourcesCommand({ accounts: [ACCOUNTS.pci1] }));
      expect(one.dataLakeArn).toBe(`arn:aws:securitylake:${ROLLUP}:${ACCOUNTS.log}:data-lake/default`);
      expect(new Set(one.dataLakeSources?.map((s) => s.account))).toEqual(new Set([ACCOUNTS.pci1]));
      expect((await errorOf(admin.send(new SL.GetDataLakeSourcesCommand({ accounts: ['999999999999'] })))).name).toBe('AccessDeniedException');
    });

    it('stops a source for one account and Region, reports accounts outside the organization as failed', async () => {
      const admin = await lakes();
      await admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ regions: [ROLLUP, CONTRIBUTING], sourceName: 'VPC_FLOW' }] }));
      const deleted = await admin.send(new SL.DeleteAwsLogSourceCommand({ sources: [{ accounts: [ACCOUNTS.pci1, '999999999999'], regions: [CONTRIBUTING], sourceName: 'VPC_FLOW' }] }));
      expect(deleted.failed).toEqual(['999999999999']);
      const contributing = await lake(ACCOUNTS.log, CONTRIBUTING).send(new SL.GetDataLakeSourcesCommand({ accounts: [ACCOUNTS.pci1] }));
      expect(contributing.dataLakeSources?.find((s) => s.sourceName === 'VPC_FLOW')?.sourceStatuses?.[0].status).toBe('NOT_COLLECTING');
      const rollup = await admin.send(new SL.GetDataLakeSourcesCommand({ accounts: [ACCOUNTS.pci1] }));
      expect(rollup.dataLakeSources?.find((s) => s.sourceName === 'VPC_FLOW')?.sourceStatuses?.[0].status).toBe('COLLECTING');
      expect((await errorOf(admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ regions: ['eu-west-1'], sourceName: 'WAF' }] })))).name).toBe('ResourceNotFoundException');
      expect((await errorOf(admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ regions: [ROLLUP], sourceName: 'NOPE' as SL.AwsLogSourceName }] })))).name).toBe('BadRequestException');
    });

    it('lists sources per account and Region, filtered by source', async () => {
      const admin = await lakes();
      await admin.send(new SL.CreateAwsLogSourceCommand({ sources: [{ accounts: [ACCOUNTS.pci1, ACCOUNTS.pci2], regions: [ROLLUP], sourceName: 'SH_FINDINGS' }] }));
      const listed = await admin.send(new SL.ListLogSourcesCommand({ sources: [{ awsLogSource: { sourceName: 'SH_FINDINGS' } }] }));
      expect(listed.sources?.map((s) => [s.account, s.region])).toEqual([[ACCOUNTS.pci1, ROLLUP], [ACCOUNTS.pci2, ROLLUP]]);
      expect(listed.sources?.[0].sources).toEqual([{ awsLogSource: { sourceName: 'SH_FINDINGS', sourceVersion: '2.0' } }]);
      const paged = await admin.send(new SL.ListLogSourcesCommand({ maxResults: 1 }));
      expect(paged.sources).toHaveLength(1);
      expect(paged.nextToken).toEqual(expect.any(String));
    });

    it('enables the organization configuration\'s sources for accounts that join later', async () => {
      const admin = await lakes();
      await admin.send(new SL.CreateDataLakeOrganizationConfigurationCommand({ autoEnableNewAccount: [{ region: ROLLUP, sources: [{ sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' }] }] }));
      const config = await admin.send(new SL.GetDataLakeOrganizationConfigurationCommand({}));
      expect(config.autoEnableNewAccount).toEqual([{ region: ROLLUP, sources: [{ sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' }] }]);
      sandbox.fake.clock.advance(60_000);
      const orgs = new O.OrganizationsClient(sandbox.client({ account: ACCOUNTS.management }));
      const created = await orgs.send(new O.CreateAccountCommand({ Email: 'new@example.com', AccountName: 'new' }));
      const newAccount = (await orgs.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus?.Id }))).CreateAccountStatus?.AccountId as string;
      const sources = await admin.send(new SL.GetDataLakeSourcesCommand({ accounts: [newAccount, ACCOUNTS.web] }));
      const status = (account: string) => sources.dataLakeSources?.find((s) => s.account === account && s.sourceName === 'CLOUD_TRAIL_MGMT')?.sourceStatuses?.[0].status;
      expect(status(newAccount)).toBe('COLLECTING');
      expect(status(ACCOUNTS.web)).toBe('NOT_COLLECTING');
      await admin.send(new SL.DeleteDataLakeOrganizationConfigurationCommand({ autoEnableNewAccount: [{ region: ROLLUP, sources: [{ sourceName: 'CLOUD_TRAIL_MGMT' }] }] }));
      expect((await admin.send(new SL.GetDataLakeOrganizationConfigurationCommand({}))).autoEnableNewAccount).toEqual([]);
      expect((await errorOf(lake(ACCOUNTS.web).send(new SL.GetDataLakeOrganizationConfigurationCommand({})))).name).toBe('AccessDeniedException');
    });
  });

  describe('custom sources', () => {
    const create = (client: SL.SecurityLakeClient, sourceName: string, principal: string = ACCOUNTS.log) => client.send(new SL.CreateCustomLogSourceCommand({
      sourceName, sourceVersion: '1.0', eventClasses: ['PROCESS_ACTIVITY'],
      configuration: { crawlerConfiguration: { roleArn: `arn:aws:iam::${ACCOUNTS.log}:role/crawler` }, providerIdentity: { principal, externalId: 'rampart-sysmon' } },
    }));

    it('creates the source with its provider role, S3 location and Glue resources', async () => {
      const admin = await lakes();
      const { source } = await create(admin, 'sysmon');
      expect(source).toEqual({
        sourceName: 'sysmon', sourceVersion: '1.0',
        provider: { roleArn: `arn:aws:iam::${ACCOUNTS.log}:role/AmazonSecurityLake-Provider-sysmon-${ROLLUP}`, location: expect.stringMatching(new RegExp(`^s3://aws-security-data-lake-${ROLLUP}-[a-z0-9]+/ext/sysmon/1\\.0/$`)) },
        attributes: {
          crawlerArn: `arn:aws:glue:${ROLLUP}:${ACCOUNTS.log}:crawler/sysmon`,
          databaseArn: `arn:aws:glue:${ROLLUP}:${ACCOUNTS.log}:database/amazon_security_lake_glue_db_us_east_1`,
          tableArn: `arn:aws:glue:${ROLLUP}:${ACCOUNTS.log}:table/amazon_security_lake_table_us_east_1_ext_sysmon`,
        },
      });
      const iam = new I.IAMClient(sandbox.client({ account: ACCOUNTS.log }));
      const role = await iam.send(new I.GetRoleCommand({ RoleName: `AmazonSecurityLake-Provider-sysmon-${ROLLUP}` }));
      expect(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument as string)).Statement[0]).toEqual(expect.objectContaining({
        Principal: { AWS: `arn:aws:iam::${ACCOUNTS.log}:root` }, Condition: { StringEquals: { 'sts:ExternalId': 'rampart-sysmon' } },
      }));
      const listed = await admin.send(new SL.ListLogSourcesCommand({ sources: [{ customLogSource: { sourceName: 'sysmon' } }] }));
      expect(listed.sources?.[0].sources?.[0].customLogSource?.sourceName).toBe('sysmon');
    });

    it('refuses a duplicate, a name too long for the provider role, an unknown event class and a Region without a lake', async () => {
      const admin = await lakes();
      await create(admin, 'sysmon');
      expect((await errorOf(create(admin, 'sysmon'))).name).toBe('ConflictException');
      expect((await errorOf(create(admin, 'a-very-long-custom-source-name-indeed'))).name).toBe('BadRequestException');
      const badClass = await errorOf(admin.send(new SL.CreateCustomLogSourceCommand({
        sourceName: 'x', eventClasses: ['NOT_A_CLASS'],
        configuration: { crawlerConfiguration: { roleArn: `arn:aws:iam::${ACCOUNTS.log}:role/crawler` }, providerIdentity: { principal: ACCOUNTS.log, externalId: 'xx' } },
      })));
      expect(badClass.name).toBe('BadRequestException');
      expect((await errorOf(create(lake(ACCOUNTS.log, 'eu-west-1'), 'sysmon'))).name).toBe('ResourceNotFoundException');
    });

    it('deletes the source and its provider role', async () => {
      const admin = await lakes();
      await create(admin, 'sysmon');
      await admin.send(new SL.DeleteCustomLogSourceCommand({ sourceName: 'sysmon' }));
      const iam = new I.IAMClient(sandbox.client({ account: ACCOUNTS.log }));
      expect((await errorOf(iam.send(new I.GetRoleCommand({ RoleName: `AmazonSecurityLake-Provider-sysmon-${ROLLUP}` })))).name).toBe('NoSuchEntityException');
      expect((await errorOf(admin.send(new SL.DeleteCustomLogSourceCommand({ sourceName: 'sysmon' })))).name).toBe('ResourceNotFoundException');
    });
  });

  describe('subscribers', () => {
    it('creates, gets, lists and deletes subscribers', async () => {
      const admin = await lakes();
      const { subscriber } = await admin.send(new SL.CreateSubscriberCommand({
        subscriberName: 'security-insights', subscriberIdentity: { principal: ACCOUNTS.admin, externalId: 'insights' }, accessTypes: ['LAKEFORMATION'],
        sources: [{ awsLogSource: { sourceName: 'CLOUD_TRAIL_MGMT', sourceVersion: '2.0' } }],
      }));
      expect(subscriber).toEqual(expect.objectContaining({
        subscriberId: expect.stringMatching(/^[0-9a-f-]{36}$/), subscriberArn: expect.stringMatching(new RegExp(`^arn:aws:securitylake:${ROLLUP}:${ACCOUNTS.log}:subscriber/`)),
        subscriberName: 'security-insights', subscriberStatus: 'ACTIVE', accessTypes: ['LAKEFORMATION'], resourceShareArn: expect.stringContaining('arn:aws:ram:'),
        subscriberIdentity: { principal: ACCOUNTS.admin, externalId: 'insights' }, createdAt: expect.any(Date),
      }));
      const got = await admin.send(new SL.GetSubscriberCommand({ subscriberId: subscriber?.subscriberId }));
      expect(got.subscriber?.subscriberName).toBe('security-insights');
      expect((await admin.send(new SL.ListSubscribersCommand({}))).subscribers?.map((s) => s.subscriberId)).toEqual([subscriber?.subscriberId]);
      await admin.send(new SL.DeleteSubscriberCommand({ subscriberId: subscriber?.subscriberId }));
      expect((await errorOf(admin.send(new SL.GetSubscriberCommand({ subscriberId: subscriber?.subscriberId })))).name).toBe('ResourceNotFoundException');
    });

    it('refuses a subscriber of a custom source that does not exist', async () => {
      const admin = await lakes();
      const error = await errorOf(admin.send(new SL.CreateSubscriberCommand({
        subscriberName: 's', subscriberIdentity: { principal: ACCOUNTS.admin, externalId: 'xx' }, sources: [{ customLogSource: { sourceName: 'missing' } }],
      })));
      expect(error.name).toBe('ResourceNotFoundException');
    });
  });
});
