import fc from 'fast-check';
import { FakeAws } from '../../sandbox';
import { setRuleEvaluation } from '../../sandbox/state/awsConfig';
import { createRole } from '../../sandbox/state/iam';
import { setControlEvaluation } from '../../sandbox/state/securityHub';

const MANAGEMENT = '111111111111';
const ADMIN = '222222222222';
const HOME = 'us-east-1';
const LINKED = 'us-west-2';
const REGIONS = [HOME, LINKED];
const EXTERNAL = '999999999999';
const STANDARDS = ['standards/pci-dss/v/4.0.1', 'standards/aws-foundational-security-best-practices/v/1.0.0', 'standards/cis-aws-foundations-benchmark/v/3.0.0'];
const CONTROLS = ['S3.5', 'IAM.6', 'CloudTrail.2', 'EC2.8', 'Macie.1', 'IAM.3'];
const SOURCES = ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS'];
const RULES = ['access-keys-rotated', 'cloudtrail-enabled', 's3-bucket-ssl-requests-only'];

/** A random organization and a random state of every security service on it. */
interface World {
  ouParents: number[];
  accountParents: number[];
  policies: { standards: boolean[]; disabled: boolean[] }[];
  associations: { target: number; policy: number }[];
  failures: { account: number; control: number; region: number }[];
  sources: { account: number; source: number; region: number; enable: boolean }[];
  recorders: { account: number; region: number; state: number }[];
  excluded: number[];
  evaluations: { account: number; rule: number; region: number }[];
  trusts: { account: number; principal: number }[];
}

const small = fc.nat(20);
const world: fc.Arbitrary<World> = fc.record({
  ouParents: fc.array(small, { maxLength: 4 }),
  accountParents: fc.array(small, { minLength: 1, maxLength: 6 }),
  policies: fc.array(fc.record({ standards: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), disabled: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
  associations: fc.array(fc.record({ target: small, policy: small }), { maxLength: 6 }),
  failures: fc.array(fc.record({ account: small, control: fc.nat(5), region: fc.nat(1) }), { maxLength: 6 }),
  sources: fc.array(fc.record({ account: small, source: fc.nat(3), region: fc.nat(1), enable: fc.boolean() }), { maxLength: 12 }),
  recorders: fc.array(fc.record({ account: small, region: fc.nat(1), state: fc.nat(2) }), { maxLength: 12 }),
  excluded: fc.array(small, { maxLength: 2 }),
  evaluations: fc.array(fc.record({ account: small, rule: fc.nat(2), region: fc.nat(1) }), { maxLength: 6 }),
  trusts: fc.array(fc.record({ account: small, principal: fc.nat(20) }), { maxLength: 8 }),
});

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length];

async function pages<T>(fake: FakeAws, service: string, operation: string, input: Record<string, unknown>, key: string, who: { account: string; region?: string }, token = 'NextToken'): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined;
  do {
    const page = await fake.invoke<Record<string, unknown>>(service, operation, { ...input, ...(next ? { [token]: next } : {}) }, who);
    out.push(...((page[key] as T[] | undefined) ?? []));
    next = page[token] as string | undefined;
  } while (next);
  return out;
}

async function build(w: World): Promise<{ fake: FakeAws; accounts: string[] }> {
  const fake = FakeAws.create({ seed: 5, now: new Date('2026-06-01T00:00:00Z') });
  const org = fake.createOrganization({ managementAccountId: MANAGEMENT, email: 'm@example.com' });
  const now = fake.clock.now();
  const parents = [org.rootId];
  w.ouParents.forEach((p, i) => parents.push(org.createOu(pick(parents, p), `ou${i}`, fake.state.random).id));
  org.addAccount({ id: ADMIN, name: 'admin', email: 'a@example.com', parentId: org.rootId }, now);
  const accounts = [MANAGEMENT, ADMIN];
  w.accountParents.forEach((p, i) => {
    const id = String(300000000000 + i);
    org.addAccount({ id, name: `w${i}`, email: `${id}@example.com`, parentId: pick(parents, p) }, now);
    accounts.push(id);
  });
  for (const principal of ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', 'access-analyzer.amazonaws.com']) {
    org.enableServiceAccess(principal, now);
    org.registerDelegatedAdministrator(ADMIN, principal, now);
  }
  const asAdmin = (region = HOME) => ({ account: ADMIN, region });

  // Security Hub: central configuration with random policies and associations.
  await fake.invoke('securityhub', 'EnableOrganizationAdminAccount', { AdminAccountId: ADMIN }, { account: MANAGEMENT });
  await fake.invoke('securityhub', 'EnableSecurityHub', { EnableDefaultStandards: false }, asAdmin());
  await fake.invoke('securityhub', 'CreateFindingAggregator', { RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: [LINKED] }, asAdmin());
  await fake.invoke('securityhub', 'UpdateOrganizationConfiguration', { AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL' } }, asAdmin());
  const policyIds: string[] = ['SELF_MANAGED_SECURITY_HUB'];
  for (const [i, p] of w.policies.entries()) {
    const created = await fake.invoke<{ Id: string }>('securityhub', 'CreateConfigurationPolicy', {
      Name: `p${i}`,
      ConfigurationPolicy: { SecurityHub: {
        ServiceEnabled: true,
        EnabledStandardIdentifiers: STANDARDS.filter((_, s) => p.standards[s]).map((s) => `arn:aws:securityhub:${HOME}::${s}`),
        SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: CONTROLS.filter((_, c) => p.disabled[c]) },
      } },
    }, asAdmin());
    policyIds.push(created.Id);
  }
  const targets = [...parents, ...accounts];
  for (const a of w.associations) {
    const target = pick(targets, a.target);
    const kind = org.targetKind(target);
    const key = kind === 'ROOT' ? 'RootId' : kind === 'ORGANIZATIONAL_UNIT' ? 'OrganizationalUnitId' : 'AccountId';
    await fake.invoke('securityhub', 'StartConfigurationPolicyAssociation', { ConfigurationPolicyIdentifier: pick(policyIds, a.policy), Target: { [key]: target } }, asAdmin());
  }
  for (const f of w.failures) setControlEvaluation(fake.state, pick(accounts, f.account), REGIONS[f.region], CONTROLS[f.control], 'FAILED', now);

  // Security Lake: lakes in both Regions, random sources per account and Region.
  await fake.invoke('securitylake', 'RegisterDataLakeDelegatedAdministrator', { accountId: ADMIN }, { account: MANAGEMENT });
  await fake.invoke('securitylake', 'CreateDataLake', { metaStoreManagerRoleArn: `arn:aws:iam::${ADMIN}:role/meta`, configurations: REGIONS.map((region) => ({ region })) }, asAdmin());
  for (const s of w.sources) {
    await fake.invoke('securitylake', s.enable ? 'CreateAwsLogSource' : 'DeleteAwsLogSource', {
      sources: [{ accounts: [pick(accounts, s.account)], regions: [REGIONS[s.region]], sourceName: SOURCES[s.source] }],
    }, asAdmin());
  }

  // Config: random recorders (none, stopped, recording), an organization pack, random failed evaluations.
  for (const r of w.recorders) {
    const at = { account: pick(accounts, r.account), region: REGIONS[r.region] };
    await fake.invoke('config', 'PutConfigurationRecorder', { ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${at.account}:role/config`, recordingGroup: { allSupported: true } } }, at);
    await fake.invoke('config', 'PutDeliveryChannel', { DeliveryChannel: { name: 'default', s3BucketName: 'b' } }, at);
    await fake.invoke('config', r.state === 0 ? 'StopConfigurationRecorder' : 'StartConfigurationRecorder', { ConfigurationRecorderName: 'default' }, at);
  }
  const template = JSON.stringify({ Resources: Object.fromEntries(RULES.map((name, i) => [`R${i}`, { Type: 'AWS::Config::ConfigRule', Properties: { ConfigRuleName: name, Source: { Owner: 'AWS', SourceIdentifier: name.toUpperCase().replace(/-/g, '_') } } }])) });
  for (const region of REGIONS) {
    await fake.invoke('config', 'PutOrganizationConformancePack', { OrganizationConformancePackName: 'pack', TemplateBody: template, ExcludedAccounts: [...new Set(w.excluded.map((e) => pick(accounts, e)))] }, asAdmin(region));
  }
  await fake.invoke('config', 'PutConfigurationAggregator', { ConfigurationAggregatorName: 'org', OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${ADMIN}:role/agg`, AwsRegions: REGIONS } }, asAdmin());
  for (const e of w.evaluations) setRuleEvaluation(fake.state, pick(accounts, e.account), REGIONS[e.region], RULES[e.rule], { type: 'AWS::S3::Bucket', id: `bucket-${e.account}` }, 'NON_COMPLIANT', now);

  // Access Analyzer: roles trusting organization accounts, an external account, a federated provider or everyone.
  w.trusts.forEach((t, i) => {
    const owner = pick(accounts, t.account);
    const principals = [...accounts.map((a) => ({ AWS: `arn:aws:iam::${a}:root` })), { AWS: EXTERNAL }, { Federated: 'accounts.google.com' }, { AWS: '*' }];
    const principal: Record<string, string> = pick(principals, t.principal);
    createRole(fake.state, owner, {
      name: `r${i}`, assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: principal.Federated ? 'sts:AssumeRoleWithWebIdentity' : 'sts:AssumeRole' }] }),
    }, now, fake.state.random);
  });
  return { fake, accounts };
}

describe('organization-wide views over random organizations agree with per-account views', () => {
  it('Security Hub: associations, enabled standards and aggregated findings', async () => {
    await fc.assert(fc.asyncProperty(world, async (w) => {
      const { fake, accounts } = await build(w);
      const listed = await pages<{ TargetId: string; ConfigurationPolicyId: string; AssociationType: string }>(fake, 'securityhub', 'ListConfigurationPolicyAssociations', {}, 'ConfigurationPolicyAssociationSummaries', { account: ADMIN, region: HOME });
      for (const account of accounts) {
        const own = await fake.invoke<{ ConfigurationPolicyId: string; AssociationType: string }>('securityhub', 'GetConfigurationPolicyAssociation', { Target: { AccountId: account } }, { account: ADMIN, region: HOME });
        const entry = listed.find((l) => l.TargetId === account);
        expect([entry?.ConfigurationPolicyId, entry?.AssociationType]).toEqual([own.ConfigurationPolicyId, own.AssociationType]);
        let expected: string[] = [];
        if (own.ConfigurationPolicyId !== 'SELF_MANAGED_SECURITY_HUB') {
          const policy = await fake.invoke<{ ConfigurationPolicy: { SecurityHub: { EnabledStandardIdentifiers: string[] } } }>('securityhub', 'GetConfigurationPolicy', { Identifier: own.ConfigurationPolicyId }, { account: ADMIN, region: HOME });
          expected = policy.ConfigurationPolicy.SecurityHub.EnabledStandardIdentifiers.map((arn) => arn.split('::')[1]).sort();
        }
        const perAccount: { Id: string; Region: string; Compliance: { Status: string }; RecordState: string }[] = [];
        for (const region of REGIONS) {
          let standards: string[] = [];
          try {
            const enabled = await fake.invoke<{ StandardsSubscriptions: { StandardsArn: string }[] }>('securityhub', 'GetEnabledStandards', {}, { account, region });
            standards = enabled.StandardsSubscriptions.map((s) => s.StandardsArn.split('::')[1]).sort();
            // The account's own findings (the administrator's own view also holds its members').
            perAccount.push(...await pages<(typeof perAccount)[number]>(fake, 'securityhub', 'GetFindings', {
              Filters: { AwsAccountId: [{ Value: account, Comparison: 'EQUALS' }], Region: [{ Value: region, Comparison: 'EQUALS' }], ProductName: [{ Value: 'Security Hub', Comparison: 'EQUALS' }] },
            }, 'Findings', { account, region }));
          } catch (error) {
            expect((error as Error).name).toBe('InvalidAccessException');
          }
          // A self-managed account keeps whatever settings it had; a governed one has exactly its policy's.
          if (own.ConfigurationPolicyId !== 'SELF_MANAGED_SECURITY_HUB') expect(standards).toEqual(expected);
        }
        const aggregated = await pages<(typeof perAccount)[number]>(fake, 'securityhub', 'GetFindings', {
          Filters: { AwsAccountId: [{ Value: account, Comparison: 'EQUALS' }], ProductName: [{ Value: 'Security Hub', Comparison: 'EQUALS' }] },
        }, 'Findings', { account: ADMIN, region: HOME });
        const key = (f: (typeof perAccount)[number]) => `${f.Id}|${f.Region}|${f.Compliance.Status}|${f.RecordState}`;
        expect(aggregated.map(key).sort()).toEqual(perAccount.map(key).sort());
      }
    }), { numRuns: 15 });
  });

  it('Security Lake: GetDataLakeSources and ListLogSources report the same sources per account and Region', async () => {
    await fc.assert(fc.asyncProperty(world, async (w) => {
      const { fake, accounts } = await build(w);
      for (const region of REGIONS) {
        const sources = await pages<{ account: string; sourceName: string; sourceStatuses: { status: string }[] }>(fake, 'securitylake', 'GetDataLakeSources', {}, 'dataLakeSources', { account: ADMIN, region }, 'nextToken');
        const listed = await pages<{ account: string; region: string; sources: { awsLogSource?: { sourceName: string } }[] }>(fake, 'securitylake', 'ListLogSources', { regions: [region] }, 'sources', { account: ADMIN, region }, 'nextToken');
        for (const account of accounts) {
          const collecting = sources.filter((s) => s.account === account && s.sourceStatuses[0].status === 'COLLECTING').map((s) => s.sourceName).sort();
          const own = (listed.find((l) => l.account === account)?.sources ?? []).flatMap((s) => (s.awsLogSource ? [s.awsLogSource.sourceName] : [])).sort();
          expect(collecting).toEqual(own);
        }
      }
    }), { numRuns: 25 });
  });

  it('AWS Config: aggregated pack and rule compliance and source status equal each account\'s own answers', async () => {
    await fc.assert(fc.asyncProperty(world, async (w) => {
      const { fake, accounts } = await build(w);
      const who = { account: ADMIN, region: HOME };
      const packs = await pages<{ AccountId: string; AwsRegion: string; ConformancePackName: string; Compliance: { ComplianceType: string; NonCompliantRuleCount: number } }>(fake, 'config', 'DescribeAggregateComplianceByConformancePacks', { ConfigurationAggregatorName: 'org' }, 'AggregateComplianceByConformancePacks', who);
      const rules = await pages<{ AccountId: string; AwsRegion: string; ConfigRuleName: string; Compliance: { ComplianceType: string } }>(fake, 'config', 'DescribeAggregateComplianceByConfigRules', { ConfigurationAggregatorName: 'org' }, 'AggregateComplianceByConfigRules', who);
      const statuses = await pages<{ SourceId: string; AwsRegion: string; LastUpdateStatus: string }>(fake, 'config', 'DescribeConfigurationAggregatorSourcesStatus', { ConfigurationAggregatorName: 'org' }, 'AggregatedSourceStatusList', who);
      for (const account of accounts) {
        for (const region of REGIONS) {
          const at = { account, region };
          const ownPacks = await pages<{ ConformancePackName: string }>(fake, 'config', 'DescribeConformancePacks', {}, 'ConformancePackDetails', at);
          const aggregatedPacks = packs.filter((p) => p.AccountId === account && p.AwsRegion === region);
          expect(aggregatedPacks.map((p) => p.ConformancePackName)).toEqual(ownPacks.map((p) => p.ConformancePackName));
          for (const pack of aggregatedPacks) {
            const summary = await fake.invoke<{ ConformancePackComplianceSummaryList: { ConformancePackComplianceStatus: string }[] }>('config', 'GetConformancePackComplianceSummary', { ConformancePackNames: [pack.ConformancePackName] }, at);
            expect(summary.ConformancePackComplianceSummaryList[0].ConformancePackComplianceStatus).toBe(pack.Compliance.ComplianceType);
            const detail = await pages<{ ComplianceType: string }>(fake, 'config', 'DescribeConformancePackCompliance', { ConformancePackName: pack.ConformancePackName }, 'ConformancePackRuleComplianceList', at);
            expect(detail.filter((r) => r.ComplianceType === 'NON_COMPLIANT')).toHaveLength(pack.Compliance.NonCompliantRuleCount);
          }
          const ownRules = await pages<{ ConfigRuleName: string; Compliance: { ComplianceType: string } }>(fake, 'config', 'DescribeComplianceByConfigRule', {}, 'ComplianceByConfigRules', at);
          const aggregatedRules = rules.filter((r) => r.AccountId === account && r.AwsRegion === region);
          expect(aggregatedRules.map((r) => `${r.ConfigRuleName}=${r.Compliance.ComplianceType}`)).toEqual(ownRules.map((r) => `${r.ConfigRuleName}=${r.Compliance.ComplianceType}`));
          const recorder = (await fake.invoke<{ ConfigurationRecordersStatus: { recording: boolean }[] }>('config', 'DescribeConfigurationRecorderStatus', {}, at)).ConfigurationRecordersStatus[0];
          const status = statuses.find((s) => s.SourceId === account && s.AwsRegion === region)?.LastUpdateStatus;
          expect(status).toBe(!recorder ? 'FAILED' : recorder.recording ? 'SUCCEEDED' : 'OUTDATED');
        }
      }
    }), { numRuns: 25 });
  });

  it('Access Analyzer: the organization analyzer finds exactly the account analyzers\' findings whose principal is outside the organization', async () => {
    await fc.assert(fc.asyncProperty(world, async (w) => {
      const { fake, accounts } = await build(w);
      const orgAnalyzer = await fake.invoke<{ arn: string }>('accessanalyzer', 'CreateAnalyzer', { analyzerName: 'org', type: 'ORGANIZATION' }, { account: ADMIN });
      const orgFindings = await pages<{ resource: string; principal: Record<string, string>; status: string }>(fake, 'accessanalyzer', 'ListFindings', { analyzerArn: orgAnalyzer.arn }, 'findings', { account: ADMIN }, 'nextToken');
      const insideOrg = (principal: Record<string, string>) => accounts.some((a) => principal.AWS === `arn:aws:iam::${a}:root`);
      const expected: string[] = [];
      for (const account of accounts) {
        const own = await fake.invoke<{ arn: string }>('accessanalyzer', 'CreateAnalyzer', { analyzerName: 'mine', type: 'ACCOUNT' }, { account });
        const found = await pages<{ resource: string; principal: Record<string, string>; status: string }>(fake, 'accessanalyzer', 'ListFindings', { analyzerArn: own.arn }, 'findings', { account }, 'nextToken');
        expected.push(...found.filter((f) => !insideOrg(f.principal)).map((f) => `${f.resource}|${JSON.stringify(f.principal)}|${f.status}`));
      }
      expect(orgFindings.map((f) => `${f.resource}|${JSON.stringify(f.principal)}|${f.status}`).sort()).toEqual(expected.sort());
    }), { numRuns: 25 });
  });
});
