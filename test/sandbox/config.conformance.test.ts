import * as C from '@aws-sdk/client-config-service';
import { stringify } from 'yaml';
import { setRuleEvaluation } from '../../sandbox/state/awsConfig';
import { ACCOUNTS, delegate, openSecurityOrganization, type SecurityOrganization } from './securityOrganization';
import { errorOf, TRANSPORTS } from './transports';

const REGION = 'us-east-1';
const role = (account: string) => `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
const rule = (name: string, identifier: string) => ({ Type: 'AWS::Config::ConfigRule', Properties: { ConfigRuleName: name, Source: { Owner: 'AWS', SourceIdentifier: identifier } } });
const TEMPLATE = JSON.stringify({
  Resources: {
    AccessKeysRotated: rule('access-keys-rotated', 'ACCESS_KEYS_ROTATED'),
    CloudTrailEnabled: rule('cloudtrail-enabled', 'CLOUD_TRAIL_ENABLED'),
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
  },
});

/** Written from the AWS Config API reference; each test names the behaviour it checks. */
describe.each(TRANSPORTS)('AWS Config conformance (%s)', (transport) => {
  let sandbox: SecurityOrganization;
  const config = (account: string, region = REGION) => new C.ConfigServiceClient(sandbox.client({ account, region }));

  beforeEach(async () => {
    sandbox = await openSecurityOrganization(transport);
  });
  afterEach(() => sandbox.close());

  async function recording(account: string, region = REGION): Promise<void> {
    const client = config(account, region);
    await client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: role(account), recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } } }));
    await client.send(new C.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-bucket' } }));
    await client.send(new C.StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  }

  /** Recorders in the PCI accounts, the admin as delegated administrator, a pack deployed everywhere but the web account. */
  async function organizationPack(): Promise<C.ConfigServiceClient> {
    for (const account of [ACCOUNTS.pci1, ACCOUNTS.pci2, ACCOUNTS.admin]) await recording(account);
    delegate(sandbox, 'config-multiaccountsetup.amazonaws.com');
    delegate(sandbox, 'config.amazonaws.com');
    const admin = config(ACCOUNTS.admin);
    await admin.send(new C.PutOrganizationConformancePackCommand({ OrganizationConformancePackName: 'rampart-pci', TemplateBody: TEMPLATE, ExcludedAccounts: [ACCOUNTS.web] }));
    return admin;
  }

  describe('configuration recorders and delivery channels', () => {
    it('puts, describes, starts, stops and deletes the recorder', async () => {
      const client = config(ACCOUNTS.web);
      await client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: role(ACCOUNTS.web), recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } } }));
      const described = await client.send(new C.DescribeConfigurationRecordersCommand({}));
      expect(described.ConfigurationRecorders).toEqual([expect.objectContaining({
        name: 'default', roleARN: role(ACCOUNTS.web),
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [], exclusionByResourceTypes: { resourceTypes: [] }, recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } },
      })]);
      expect((await client.send(new C.DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus).toEqual([expect.objectContaining({ name: 'default', recording: false })]);
      expect((await errorOf(client.send(new C.StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' })))).name).toBe('NoAvailableDeliveryChannelException');
      await client.send(new C.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-bucket', s3KeyPrefix: 'config' } }));
      expect((await client.send(new C.DescribeDeliveryChannelsCommand({}))).DeliveryChannels).toEqual([expect.objectContaining({ name: 'default', s3BucketName: 'config-bucket', s3KeyPrefix: 'config' })]);
      await client.send(new C.StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      const started = (await client.send(new C.DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: ['default'] }))).ConfigurationRecordersStatus?.[0];
      expect(started).toEqual(expect.objectContaining({ recording: true, lastStatus: 'Success', lastStartTime: expect.any(Date) }));
      await client.send(new C.StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      expect((await client.send(new C.DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus?.[0]).toEqual(expect.objectContaining({ recording: false, lastStopTime: expect.any(Date) }));
      await client.send(new C.DeleteConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      expect((await client.send(new C.DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toEqual([]);
    });

    it('names its errors: unknown recorder, a second recorder, an invalid role, an invalid recording group, a channel without a recorder', async () => {
      const client = config(ACCOUNTS.web);
      expect((await errorOf(client.send(new C.DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ['nope'] })))).name).toBe('NoSuchConfigurationRecorderException');
      expect((await errorOf(client.send(new C.StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'nope' })))).name).toBe('NoSuchConfigurationRecorderException');
      expect((await errorOf(client.send(new C.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'b' } })))).name).toBe('NoAvailableConfigurationRecorderException');
      expect((await errorOf(client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'not-a-role' } })))).name).toBe('InvalidRoleException');
      const badGroup = await errorOf(client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: role(ACCOUNTS.web), recordingGroup: { allSupported: true, resourceTypes: ['AWS::S3::Bucket'] } } })));
      expect(badGroup.name).toBe('InvalidRecordingGroupException');
      await client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: role(ACCOUNTS.web) } }));
      expect((await errorOf(client.send(new C.PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'second', roleARN: role(ACCOUNTS.web) } })))).name).toBe('MaxNumberOfConfigurationRecordersExceededException');
      expect((await errorOf(client.send(new C.PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default' } })))).name).toBe('NoSuchBucketException');
      expect((await errorOf(client.send(new C.DescribeDeliveryChannelsCommand({ DeliveryChannelNames: ['nope'] })))).name).toBe('NoSuchDeliveryChannelException');
    });

    it('keeps recorders per Region', async () => {
      await recording(ACCOUNTS.web, 'us-west-2');
      expect((await config(ACCOUNTS.web).send(new C.DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toEqual([]);
      expect((await config(ACCOUNTS.web, 'us-west-2').send(new C.DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders).toHaveLength(1);
    });
  });

  describe('aggregators', () => {
    it('puts an organization aggregator from the management account and describes it', async () => {
      const client = config(ACCOUNTS.management);
      const put = await client.send(new C.PutConfigurationAggregatorCommand({
        ConfigurationAggregatorName: 'rampart-organization', OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.management}:role/agg`, AwsRegions: [REGION, 'us-west-2'] },
      }));
      expect(put.ConfigurationAggregator).toEqual(expect.objectContaining({
        ConfigurationAggregatorName: 'rampart-organization', ConfigurationAggregatorArn: expect.stringMatching(new RegExp(`^arn:aws:config:${REGION}:${ACCOUNTS.management}:config-aggregator/config-aggregator-[a-z0-9]{8}$`)),
        OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.management}:role/agg`, AwsRegions: [REGION, 'us-west-2'], AllAwsRegions: false }, CreationTime: expect.any(Date),
      }));
      const described = await client.send(new C.DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: ['rampart-organization'] }));
      expect(described.ConfigurationAggregators?.map((a) => a.ConfigurationAggregatorName)).toEqual(['rampart-organization']);
      expect((await errorOf(client.send(new C.DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: ['nope'] })))).name).toBe('NoSuchConfigurationAggregatorException');
    });

    it('answers OrganizationAccessDeniedException to an organization aggregator from an account that is not an administrator', async () => {
      const error = await errorOf(config(ACCOUNTS.web).send(new C.PutConfigurationAggregatorCommand({
        ConfigurationAggregatorName: 'org', OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.web}:role/agg`, AllAwsRegions: true },
      })));
      expect(error.name).toBe('OrganizationAccessDeniedException');
      const both = await errorOf(config(ACCOUNTS.management).send(new C.PutConfigurationAggregatorCommand({
        ConfigurationAggregatorName: 'both', AccountAggregationSources: [{ AccountIds: [ACCOUNTS.web], AllAwsRegions: true }],
        OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.management}:role/agg`, AllAwsRegions: true },
      })));
      expect(both.name).toBe('InvalidParameterValueException');
    });

    it('reports each source account and Region: SUCCEEDED when recording, OUTDATED when stopped, FAILED without a recorder', async () => {
      await recording(ACCOUNTS.pci1);
      await recording(ACCOUNTS.pci2);
      await config(ACCOUNTS.pci2).send(new C.StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      const client = config(ACCOUNTS.management);
      await client.send(new C.PutConfigurationAggregatorCommand({ ConfigurationAggregatorName: 'accounts', AccountAggregationSources: [{ AccountIds: [ACCOUNTS.pci1, ACCOUNTS.pci2, ACCOUNTS.web], AwsRegions: [REGION] }] }));
      const statuses = await client.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'accounts' }));
      expect(statuses.AggregatedSourceStatusList?.map((s) => [s.SourceId, s.SourceType, s.LastUpdateStatus])).toEqual([
        [ACCOUNTS.pci1, 'ACCOUNT', 'SUCCEEDED'], [ACCOUNTS.pci2, 'ACCOUNT', 'OUTDATED'], [ACCOUNTS.web, 'ACCOUNT', 'FAILED'],
      ]);
      const failed = await client.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'accounts', UpdateStatus: ['FAILED'] }));
      expect(failed.AggregatedSourceStatusList?.map((s) => s.SourceId)).toEqual([ACCOUNTS.web]);
      const paged = await client.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'accounts', Limit: 2 }));
      expect(paged.AggregatedSourceStatusList).toHaveLength(2);
      const rest = await client.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'accounts', Limit: 2, NextToken: paged.NextToken }));
      expect(rest.AggregatedSourceStatusList?.map((s) => s.SourceId)).toEqual([ACCOUNTS.web]);
      expect((await errorOf(client.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'accounts', NextToken: 'bad' })))).name).toBe('InvalidNextTokenException');
    });
  });

  describe('organization conformance packs', () => {
    it('deploys the pack to every account but the excluded ones, and reports the deployment per account', async () => {
      const admin = await organizationPack();
      const described = await admin.send(new C.DescribeOrganizationConformancePacksCommand({}));
      expect(described.OrganizationConformancePacks).toEqual([expect.objectContaining({
        OrganizationConformancePackName: 'rampart-pci', ExcludedAccounts: [ACCOUNTS.web], LastUpdateTime: expect.any(Date),
        OrganizationConformancePackArn: expect.stringMatching(new RegExp(`^arn:aws:config:${REGION}:${ACCOUNTS.management}:organization-conformance-pack/rampart-pci-[a-z0-9]+$`)),
      })]);
      const detailed = await admin.send(new C.GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'rampart-pci' }));
      const byAccount = Object.fromEntries(detailed.OrganizationConformancePackDetailedStatuses?.map((s) => [s.AccountId, s.Status]) ?? []);
      expect(byAccount).toEqual({ [ACCOUNTS.management]: 'CREATE_FAILED', [ACCOUNTS.admin]: 'CREATE_SUCCESSFUL', [ACCOUNTS.log]: 'CREATE_FAILED', [ACCOUNTS.pci1]: 'CREATE_SUCCESSFUL', [ACCOUNTS.pci2]: 'CREATE_SUCCESSFUL' });
      const onlyFailed = await admin.send(new C.GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'rampart-pci', Filters: { Status: 'CREATE_FAILED' } }));
      expect(onlyFailed.OrganizationConformancePackDetailedStatuses?.every((s) => s.ErrorCode)).toBe(true);
      const status = await admin.send(new C.DescribeOrganizationConformancePackStatusesCommand({}));
      expect(status.OrganizationConformancePackStatuses?.[0]).toEqual(expect.objectContaining({ OrganizationConformancePackName: 'rampart-pci', Status: 'CREATE_FAILED' }));
      const member = await config(ACCOUNTS.pci1).send(new C.DescribeConformancePacksCommand({}));
      expect(member.ConformancePackDetails).toEqual([expect.objectContaining({
        ConformancePackName: expect.stringMatching(/^OrgConformsPack-rampart-pci-[a-z0-9]+$/), ConformancePackId: expect.stringMatching(/^conformance-pack-/),
        CreatedBy: 'config-multiaccountsetup.amazonaws.com',
      })]);
      expect((await config(ACCOUNTS.web).send(new C.DescribeConformancePacksCommand({}))).ConformancePackDetails).toEqual([]);
    });

    it('reads rules from a YAML template too, and refuses templates without rules or with a TemplateS3Uri', async () => {
      delegate(sandbox, 'config-multiaccountsetup.amazonaws.com');
      const admin = config(ACCOUNTS.admin);
      await admin.send(new C.PutOrganizationConformancePackCommand({ OrganizationConformancePackName: 'yaml-pack', TemplateBody: stringify(JSON.parse(TEMPLATE)) }));
      const refuse = (input: Partial<C.PutOrganizationConformancePackRequest>) => errorOf(admin.send(new C.PutOrganizationConformancePackCommand({ OrganizationConformancePackName: 'bad', ...input })));
      expect((await refuse({ TemplateBody: JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }) })).name).toBe('OrganizationConformancePackTemplateValidationException');
      expect((await refuse({ TemplateBody: '{ not: [valid' })).name).toBe('OrganizationConformancePackTemplateValidationException');
      expect((await refuse({ TemplateS3Uri: 's3://bucket/pack.yaml' })).name).toBe('OrganizationConformancePackTemplateValidationException');
      expect((await refuse({})).name).toBe('ValidationException');
    });

    it('lets only the management account or a delegated administrator manage organization packs', async () => {
      await organizationPack();
      const web = config(ACCOUNTS.web);
      expect((await errorOf(web.send(new C.PutOrganizationConformancePackCommand({ OrganizationConformancePackName: 'x', TemplateBody: TEMPLATE })))).name).toBe('OrganizationAccessDeniedException');
      expect((await errorOf(web.send(new C.DescribeOrganizationConformancePacksCommand({})))).name).toBe('OrganizationAccessDeniedException');
      expect((await errorOf(web.send(new C.DeleteOrganizationConformancePackCommand({ OrganizationConformancePackName: 'rampart-pci' })))).name).toBe('OrganizationAccessDeniedException');
      const management = config(ACCOUNTS.management);
      expect((await management.send(new C.DescribeOrganizationConformancePacksCommand({}))).OrganizationConformancePacks).toHaveLength(1);
    });

    it('deletes the pack from the organization and every member account', async () => {
      const admin = await organizationPack();
      await admin.send(new C.DeleteOrganizationConformancePackCommand({ OrganizationConformancePackName: 'rampart-pci' }));
      expect((await config(ACCOUNTS.pci1).send(new C.DescribeConformancePacksCommand({}))).ConformancePackDetails).toEqual([]);
      expect((await errorOf(admin.send(new C.DeleteOrganizationConformancePackCommand({ OrganizationConformancePackName: 'rampart-pci' })))).name).toBe('NoSuchOrganizationConformancePackException');
      expect((await errorOf(admin.send(new C.GetOrganizationConformancePackDetailedStatusCommand({ OrganizationConformancePackName: 'rampart-pci' })))).name).toBe('NoSuchOrganizationConformancePackException');
    });
  });

  describe('rule compliance', () => {
    it('reports each pack rule\'s compliance, per resource, in the member account', async () => {
      await organizationPack();
      setRuleEvaluation(sandbox.fake.state, ACCOUNTS.pci1, REGION, 'access-keys-rotated', { type: 'AWS::IAM::User', id: 'AIDAEXAMPLE' }, 'NON_COMPLIANT', sandbox.fake.clock.now());
      const client = config(ACCOUNTS.pci1);
      const pack = (await client.send(new C.DescribeConformancePacksCommand({}))).ConformancePackDetails?.[0].ConformancePackName as string;
      const compliance = await client.send(new C.DescribeConformancePackComplianceCommand({ ConformancePackName: pack }));
      expect(compliance.ConformancePackRuleComplianceList?.map((r) => [r.ConfigRuleName?.replace(/-conformance-pack-[a-z0-9]+$/, ''), r.ComplianceType])).toEqual([
        ['access-keys-rotated', 'NON_COMPLIANT'], ['cloudtrail-enabled', 'COMPLIANT'],
      ]);
      const ruleName = compliance.ConformancePackRuleComplianceList?.[0].ConfigRuleName as string;
      expect(ruleName.length).toBeLessThanOrEqual(64);
      const summary = await client.send(new C.GetConformancePackComplianceSummaryCommand({ ConformancePackNames: [pack] }));
      expect(summary.ConformancePackComplianceSummaryList).toEqual([{ ConformancePackName: pack, ConformancePackComplianceStatus: 'NON_COMPLIANT' }]);
      const byRule = await client.send(new C.DescribeComplianceByConfigRuleCommand({ ComplianceTypes: ['NON_COMPLIANT'] }));
      expect(byRule.ComplianceByConfigRules).toEqual([{ ConfigRuleName: ruleName, Compliance: { ComplianceType: 'NON_COMPLIANT', ComplianceContributorCount: { CappedCount: 1, CapExceeded: false } } }]);
      const details = await client.send(new C.GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: ruleName }));
      expect(details.EvaluationResults?.map((e) => [e.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType, e.ComplianceType])).toEqual([
        ['AWS::::Account', 'COMPLIANT'], ['AWS::IAM::User', 'NON_COMPLIANT'],
      ]);
      const onlyBad = await client.send(new C.GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: ruleName, ComplianceTypes: ['NON_COMPLIANT'] }));
      expect(onlyBad.EvaluationResults?.[0].EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId).toBe('AIDAEXAMPLE');
      expect((await errorOf(client.send(new C.GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'nope' })))).name).toBe('NoSuchConfigRuleException');
      expect((await errorOf(client.send(new C.DescribeConformancePackComplianceCommand({ ConformancePackName: 'nope' })))).name).toBe('NoSuchConformancePackException');
      expect((await errorOf(client.send(new C.DescribeConformancePackComplianceCommand({ ConformancePackName: pack, Filters: { ConfigRuleNames: ['nope'] } })))).name).toBe('NoSuchConfigRuleInConformancePackException');
    });

    it('aggregates pack and rule compliance across the organization from each account\'s own answers', async () => {
      const admin = await organizationPack();
      setRuleEvaluation(sandbox.fake.state, ACCOUNTS.pci2, REGION, 'cloudtrail-enabled', { type: 'AWS::::Account', id: ACCOUNTS.pci2 }, 'NON_COMPLIANT', sandbox.fake.clock.now());
      await admin.send(new C.PutConfigurationAggregatorCommand({ ConfigurationAggregatorName: 'org', OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.admin}:role/agg`, AwsRegions: [REGION] } }));
      const packs = await admin.send(new C.DescribeAggregateComplianceByConformancePacksCommand({ ConfigurationAggregatorName: 'org' }));
      expect(packs.AggregateComplianceByConformancePacks?.map((p) => [p.AccountId, p.Compliance?.ComplianceType, p.Compliance?.NonCompliantRuleCount, p.Compliance?.TotalRuleCount])).toEqual([
        [ACCOUNTS.admin, 'COMPLIANT', 0, 2], [ACCOUNTS.pci1, 'COMPLIANT', 0, 2], [ACCOUNTS.pci2, 'NON_COMPLIANT', 1, 2],
      ]);
      for (const p of packs.AggregateComplianceByConformancePacks ?? []) {
        const own = await config(p.AccountId as string).send(new C.GetConformancePackComplianceSummaryCommand({ ConformancePackNames: [p.ConformancePackName as string] }));
        expect(own.ConformancePackComplianceSummaryList?.[0].ConformancePackComplianceStatus).toBe(p.Compliance?.ComplianceType);
      }
      const summary = await admin.send(new C.GetAggregateConformancePackComplianceSummaryCommand({ ConfigurationAggregatorName: 'org', GroupByKey: 'AWS_REGION' }));
      expect(summary.AggregateConformancePackComplianceSummaries).toEqual([{ GroupName: REGION, ComplianceSummary: { CompliantConformancePackCount: 2, NonCompliantConformancePackCount: 1 } }]);
      const rules = await admin.send(new C.DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'org', Filters: { ComplianceType: 'NON_COMPLIANT' } }));
      expect(rules.AggregateComplianceByConfigRules?.map((r) => [r.AccountId, r.AwsRegion, r.ConfigRuleName?.startsWith('cloudtrail-enabled-conformance-pack-')])).toEqual([[ACCOUNTS.pci2, REGION, true]]);
      const oneAccount = await admin.send(new C.DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'org', Filters: { AccountId: ACCOUNTS.pci1 } }));
      expect(oneAccount.AggregateComplianceByConfigRules).toHaveLength(2);
      expect((await errorOf(admin.send(new C.DescribeAggregateComplianceByConfigRulesCommand({ ConfigurationAggregatorName: 'nope' })))).name).toBe('NoSuchConfigurationAggregatorException');
    });

    it('stops answering for the organization once the aggregator account is no longer an administrator', async () => {
      const admin = await organizationPack();
      await admin.send(new C.PutConfigurationAggregatorCommand({ ConfigurationAggregatorName: 'org', OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ACCOUNTS.admin}:role/agg`, AllAwsRegions: true } }));
      sandbox.fake.organization?.deregisterDelegatedAdministrator(ACCOUNTS.admin, 'config.amazonaws.com');
      const statuses = await admin.send(new C.DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: 'org' }));
      expect(statuses.AggregatedSourceStatusList).toEqual([expect.objectContaining({ SourceType: 'ORGANIZATION', LastUpdateStatus: 'FAILED', LastErrorCode: 'OrganizationAccessDeniedException' })]);
      expect((await admin.send(new C.DescribeAggregateComplianceByConformancePacksCommand({ ConfigurationAggregatorName: 'org' }))).AggregateComplianceByConformancePacks).toEqual([]);
    });
  });
});
