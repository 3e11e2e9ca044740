import * as AA from '@aws-sdk/client-accessanalyzer';
import * as C from '@aws-sdk/client-config-service';
import * as I from '@aws-sdk/client-iam';
import * as SH from '@aws-sdk/client-securityhub';
import * as SL from '@aws-sdk/client-securitylake';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import { resolveCustomSources, type RampartConfig } from '../../config/model';
import { FakeAws } from '../../sandbox';
import { seedLandingZone, type SeedReport } from '../../sandbox/seed/fromConfig';
import type { SecurityServicesReport } from '../../sandbox/seed/securityServices';

const EXAMPLE = 'config/examples/pci-org';
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

function exampleConfig(): RampartConfig {
  const result = loadConfig(EXAMPLE, { now: new Date('2026-12-04T00:00:00Z') });
  if (!result.config) throw new Error(`${EXAMPLE} does not load`);
  return result.config;
}

describe('seeding the security services of config/examples/pci-org', () => {
  const config = exampleConfig();
  let fake: FakeAws;
  let report: SeedReport & { security: SecurityServicesReport };
  const id = (name: string) => report.accountIds[name];
  const client = <T>(Client: new (config: object) => T, account: string, region = 'us-east-1') => new Client(fake.clientConfig({ account: id(account) ?? account, region }));

  beforeAll(async () => {
    fake = FakeAws.create({ seed: 1, now: new Date('2026-12-04T00:00:00Z') });
    report = await seedLandingZone(fake, config);
  });

  it('reports what it built', () => {
    expect(resolveCustomSources(config).map((s) => s.sourceName)).toEqual(expect.arrayContaining(['windows-sysmon-proc', 'network-firewall']));
    expect(report.security).toEqual({
      securityHubPolicies: { pci: expect.any(String), baseline: expect.any(String) },
      customSources: resolveCustomSources(config).map((s) => s.sourceName),
      subscribers: 1, configRecorders: 8 * 3, conformancePacks: 2 * 3, analyzers: 3,
    });
  });

  describe('Security Hub', () => {
    it('runs central configuration from security-tooling with an aggregator over the enabled Regions', async () => {
      const admin = client(SH.SecurityHubClient, 'security-tooling');
      const organization = await admin.send(new SH.DescribeOrganizationConfigurationCommand({}));
      expect(organization.OrganizationConfiguration?.ConfigurationType).toBe('CENTRAL');
      const [aggregator] = (await admin.send(new SH.ListFindingAggregatorsCommand({}))).FindingAggregators ?? [];
      const got = await admin.send(new SH.GetFindingAggregatorCommand({ FindingAggregatorArn: aggregator.FindingAggregatorArn }));
      expect(got).toEqual(expect.objectContaining({ FindingAggregationRegion: 'us-east-1', RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: ['us-east-2', 'us-west-2'] }));
      const associations = await admin.send(new SH.ListConfigurationPolicyAssociationsCommand({ Filters: { AssociationType: 'APPLIED' } }));
      const byOu = Object.fromEntries(Object.entries(report.ouIds).map(([p, ou]) => [ou, p]));
      const applied = Object.fromEntries(associations.ConfigurationPolicyAssociationSummaries?.map((a) => [byOu[a.TargetId as string], a.ConfigurationPolicyId]) ?? []);
      const { pci, baseline } = report.security.securityHubPolicies;
      expect(applied).toEqual({ 'Workloads/Pci': pci, Security: baseline, 'Workloads/NonPci': baseline, Sandbox: baseline });
    });

    it('gives the PCI accounts PCI DSS v4.0.1 and FSBP (Macie.1 off), the others FSBP, in every enabled Region', async () => {
      for (const region of REGIONS) {
        for (const account of config.organization.accounts.filter((a) => a.name !== 'management')) {
          const enabled = await client(SH.SecurityHubClient, account.name, region).send(new SH.GetEnabledStandardsCommand({}));
          const standards = enabled.StandardsSubscriptions?.map((s) => s.StandardsArn?.split('::')[1]).sort();
          expect(standards).toEqual(account.pci
            ? ['standards/aws-foundational-security-best-practices/v/1.0.0', 'standards/pci-dss/v/4.0.1']
            : ['standards/aws-foundational-security-best-practices/v/1.0.0']);
        }
      }
      const macie = await client(SH.SecurityHubClient, 'payments-prod').send(new SH.ListStandardsControlAssociationsCommand({ SecurityControlId: 'Macie.1' }));
      expect(macie.StandardsControlAssociationSummaries?.map((a) => a.AssociationStatus)).toEqual(['DISABLED']);
    });

    it('has no failed control findings anywhere: a fresh landing zone is clean', async () => {
      const admin = client(SH.SecurityHubClient, 'security-tooling');
      const failed = await admin.send(new SH.GetFindingsCommand({ Filters: { ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }] } }));
      expect(failed.Findings).toEqual([]);
      const pci = await admin.send(new SH.GetFindingsCommand({
        Filters: { AwsAccountId: [{ Value: id('payments-prod'), Comparison: 'EQUALS' }], ComplianceAssociatedStandardsId: [{ Value: 'standards/pci-dss/v/4.0.1', Comparison: 'EQUALS' }], RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] },
        MaxResults: 100,
      }));
      expect(pci.Findings).toHaveLength(100);
      expect(pci.NextToken).toEqual(expect.any(String));
    });
  });

  describe('Security Lake', () => {
    it('has a lake in every configured Region, the contributing ones replicating to the rollup Region', async () => {
      const lakes = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.ListDataLakesCommand({}));
      expect(Object.fromEntries(lakes.dataLakes?.map((l) => [l.region, l.replicationConfiguration?.regions ?? []]) ?? [])).toEqual({
        'us-east-1': [], 'us-east-2': ['us-east-1'], 'us-west-2': ['us-east-1'],
      });
      expect(lakes.dataLakes?.[0]).toEqual(expect.objectContaining({
        encryptionConfiguration: { kmsKeyId: 'alias/rampart-securitylake' },
        lifecycleConfiguration: { expiration: { days: 400 }, transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER_IR' }] },
      }));
      expect((await client(SL.SecurityLakeClient, 'log-archive').send(new SL.ListDataLakeExceptionsCommand({}))).exceptions).toEqual([]);
    });

    it('collects the configured AWS sources for the configured accounts in every Region', async () => {
      for (const region of REGIONS) {
        const out = await client(SL.SecurityLakeClient, 'log-archive', region).send(new SL.GetDataLakeSourcesCommand({ maxResults: 100 }));
        let sources = out.dataLakeSources ?? [];
        let token = out.nextToken;
        while (token) {
          const next = await client(SL.SecurityLakeClient, 'log-archive', region).send(new SL.GetDataLakeSourcesCommand({ nextToken: token }));
          sources = sources.concat(next.dataLakeSources ?? []);
          token = next.nextToken;
        }
        for (const account of config.organization.accounts) {
          const collecting = sources.filter((s) => s.account === account.id && s.sourceStatuses?.[0].status === 'COLLECTING').map((s) => s.sourceName);
          const route53 = ['payments-prod', 'payments-staging', 'web-prod'].includes(account.name) ? ['ROUTE53'] : [];
          // Custom sources are registered once, in the custom-source Region (the home Region here).
          const custom = account.name === 'log-archive' && region === config.global.homeRegion ? resolveCustomSources(config).map((s) => s.sourceName) : [];
          expect(collecting.sort()).toEqual(['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'SH_FINDINGS', ...route53, ...custom].sort());
        }
      }
    });

    it('registers the custom sources with their provider roles, auto-enables sources for new accounts and has the subscriber in the rollup Region', async () => {
      const iam = client(I.IAMClient, 'log-archive');
      const role = await iam.send(new I.GetRoleCommand({ RoleName: `AmazonSecurityLake-Provider-network-firewall-${config.global.homeRegion}` }));
      expect(role.Role?.Arn).toBe(`arn:aws:iam::${id('log-archive')}:role/AmazonSecurityLake-Provider-network-firewall-${config.global.homeRegion}`);
      await expect(iam.send(new I.GetRoleCommand({ RoleName: 'AmazonSecurityLake-Provider-network-firewall-us-west-2' }))).rejects.toThrow(/cannot be found/);
      const organization = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.GetDataLakeOrganizationConfigurationCommand({}));
      expect(organization.autoEnableNewAccount?.map((a) => [a.region, a.sources?.map((s) => s.sourceName)])).toEqual(REGIONS.map((r) => [r, ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'SH_FINDINGS', 'ROUTE53']]));
      const subscribers = await client(SL.SecurityLakeClient, 'log-archive').send(new SL.ListSubscribersCommand({}));
      expect(subscribers.subscribers?.map((s) => [s.subscriberName, s.subscriberIdentity?.principal, s.accessTypes, s.sources?.length])).toEqual([
        ['security-insights', id('security-tooling'), ['LAKEFORMATION'], 4],
      ]);
    });
  });

  describe('AWS Config', () => {
    it('records in every account and Region, and the organization aggregator sees every source succeed', async () => {
      const admin = client(C.ConfigServiceClient, 'security-tooling');
      let statuses: C.AggregatedSourceStatus[] = [];
      for await (const page of C.paginateDescribeConfigurationAggregatorSourcesStatus({ client: admin }, { ConfigurationAggregatorName: 'rampart-organization' })) statuses = statuses.concat(page.AggregatedSourceStatusList ?? []);
      expect(statuses).toHaveLength(8 * 3);
      expect(new Set(statuses.map((s) => s.LastUpdateStatus))).toEqual(new Set(['SUCCEEDED']));
      const recorders = await client(C.ConfigServiceClient, 'payments-prod', 'us-east-2').send(new C.DescribeConfigurationRecordersCommand({}));
      expect(recorders.ConfigurationRecorders?.[0].recordingGroup).toEqual(expect.objectContaining({ allSupported: true, includeGlobalResourceTypes: false }));
      const home = await client(C.ConfigServiceClient, 'payments-prod').send(new C.DescribeConfigurationRecordersCommand({}));
      expect(home.ConfigurationRecorders?.[0].recordingGroup?.includeGlobalResourceTypes).toBe(true);
    });

    it('deploys both conformance packs to every account in every Region, compliant', async () => {
      for (const region of REGIONS) {
        const admin = client(C.ConfigServiceClient, 'security-tooling', region);
        const packs = await admin.send(new C.DescribeOrganizationConformancePackStatusesCommand({}));
        expect(packs.OrganizationConformancePackStatuses?.map((p) => [p.OrganizationConformancePackName, p.Status])).toEqual([
          ['rampart-pci-dss-4', 'CREATE_SUCCESSFUL'], ['rampart-nist-800-53-r5', 'CREATE_SUCCESSFUL'],
        ]);
      }
      const member = client(C.ConfigServiceClient, 'payments-prod');
      const deployed = await member.send(new C.DescribeConformancePacksCommand({}));
      const pci = deployed.ConformancePackDetails?.find((p) => p.ConformancePackName?.includes('rampart-pci-dss-4'))?.ConformancePackName as string;
      let rules: C.ConformancePackRuleCompliance[] = [];
      for await (const page of C.paginateDescribeConformancePackCompliance({ client: member }, { ConformancePackName: pci })) rules = rules.concat(page.ConformancePackRuleComplianceList ?? []);
      expect(rules).toHaveLength(127);
      const global = client(C.ConfigServiceClient, 'payments-prod', 'us-west-2');
      const regional = (await global.send(new C.DescribeConformancePacksCommand({}))).ConformancePackDetails?.find((p) => p.ConformancePackName?.includes('rampart-pci-dss-4'))?.ConformancePackName as string;
      let regionalRules: C.ConformancePackRuleCompliance[] = [];
      for await (const page of C.paginateDescribeConformancePackCompliance({ client: global }, { ConformancePackName: regional })) regionalRules = regionalRules.concat(page.ConformancePackRuleComplianceList ?? []);
      expect(regionalRules).toHaveLength(99);
      const aggregate = await client(C.ConfigServiceClient, 'security-tooling').send(new C.DescribeAggregateComplianceByConformancePacksCommand({ ConfigurationAggregatorName: 'rampart-organization', Filters: { ComplianceType: 'NON_COMPLIANT' } }));
      expect(aggregate.AggregateComplianceByConformancePacks).toEqual([]);
    });
  });

  describe('Access Analyzer', () => {
    it('has the organization analyzer in every Region with the trusted-principal archive rule, and no active finding', async () => {
      for (const region of REGIONS) {
        const analyzer = client(AA.AccessAnalyzerClient, 'security-tooling', region);
        const got = await analyzer.send(new AA.GetAnalyzerCommand({ analyzerName: 'rampart-organization' }));
        expect(got.analyzer?.type).toBe('ORGANIZATION');
        const rules = await analyzer.send(new AA.ListArchiveRulesCommand({ analyzerName: 'rampart-organization' }));
        expect(rules.archiveRules?.map((r) => [r.ruleName, r.filter])).toEqual([['rampart-trusted-1', {
          'principal.AWS': { eq: ['arn:aws:iam::999999999999:role/AuditorReadOnly'] }, resourceOwnerAccount: { eq: [id('payments-prod'), id('payments-staging')] },
        }]]);
        const active = await analyzer.send(new AA.ListFindingsCommand({ analyzerArn: got.analyzer?.arn, filter: { status: { eq: ['ACTIVE'] } } }));
        expect(active.findings).toEqual([]);
      }
    });
  });

  it('saves and loads the landing zone with the same answers', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-seed-')), 'state.json');
    fake.save(file);
    const loaded = FakeAws.load(file);
    const hub = new SH.SecurityHubClient(loaded.clientConfig({ account: id('payments-staging'), region: 'us-west-2' }));
    expect((await hub.send(new SH.GetEnabledStandardsCommand({}))).StandardsSubscriptions).toHaveLength(2);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
