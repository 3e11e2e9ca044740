import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { flattenOus, resolveCustomSources, type RampartConfig } from '../../config/model';
import { pciGuardrailScps } from '../../engine/pciGuardrails';
import { packRules } from '../../stacks/awsConfig/conformancePacks';
import { EXECUTION_ROLE_STACKSET_NAME, TRUSTED_SERVICE_PRINCIPALS } from '../../stacks/organization/organizationStack';
import { synthesizeLandingZone, type SynthesisResult } from '../../stacks/synthesize';
import { cfnLint, describeFindings } from './cfnLint';

const CONFIG_DIR = 'config/examples/pci-org';
const NOW = new Date('2026-12-04T00:00:00Z');

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

let result: SynthesisResult;
let config: RampartConfig;
let outdir: string;

/** One synthesis (cdk-nag packs included) shared by every assertion below. */
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lz-'));
  result = synthesizeLandingZone({ configDir: CONFIG_DIR, outdir, now: NOW });
  config = result.config;
}, 180_000);

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const template = (stack: string) => result.assembly.getStackByName(stack).template as { Resources: Record<string, Resource> };
const resources = (stack: string, type: string) => Object.entries(template(stack).Resources).filter(([, r]) => r.Type === type);
const accountId = (name: string) => config.organization.accounts.find((a) => a.name === name)?.id as string;
const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });

/** Logical id of the OU resource for a path, found by walking names from the root. */
function ouLogicalId(ouPath: string): string {
  const ous = resources('Rampart-Organization', 'AWS::Organizations::OrganizationalUnit');
  let parent: unknown = getAtt('OrganizationRoot', 'RootId');
  let found = '';
  for (const name of ouPath.split('/')) {
    const match = ous.find(([, r]) => r.Properties.Name === name && JSON.stringify(r.Properties.ParentId) === JSON.stringify(parent));
    if (!match) throw new Error(`no OU resource for ${ouPath}`);
    found = match[0];
    parent = getAtt(found, 'Id');
  }
  return found;
}

describe('deployment targets', () => {
  it('creates one stack per deployment target with explicit account and Region, never one per member account', () => {
    const envs = Object.fromEntries(result.assembly.stacks.map((s) => [s.stackName, `${s.environment.account}/${s.environment.region}`]));
    expect(envs).toEqual({
      'Rampart-Organization': '111111111111/us-east-1',
      'Rampart-SecurityHub': '333333333333/us-east-1',
      'Rampart-Config-us-east-1': '333333333333/us-east-1',
      'Rampart-Config-us-east-2': '333333333333/us-east-2',
      'Rampart-Config-us-west-2': '333333333333/us-west-2',
      'Rampart-AccessAnalyzer-us-east-1': '333333333333/us-east-1',
      'Rampart-AccessAnalyzer-us-east-2': '333333333333/us-east-2',
      'Rampart-AccessAnalyzer-us-west-2': '333333333333/us-west-2',
      'Rampart-SecurityLake-us-east-1': '222222222222/us-east-1',
      'Rampart-SecurityLake-us-east-2': '222222222222/us-east-2',
      'Rampart-SecurityLake-us-west-2': '222222222222/us-west-2',
      'Rampart-Governance': '333333333333/us-east-1',
    });
  });

  it('keeps every stack within 400 resources', () => {
    for (const stack of result.assembly.stacks) expect([stack.stackName, Object.keys(stack.template.Resources).length <= 400]).toEqual([stack.stackName, true]);
  });

  it('orders deployment: organization first, rollup lake before the lakes replicating into it', () => {
    const deps = (name: string) => result.assembly.getStackByName(name).dependencies.map((d) => d.id);
    expect(deps('Rampart-SecurityHub')).toContain('Rampart-Organization');
    expect(deps('Rampart-SecurityLake-us-east-2')).toEqual(expect.arrayContaining(['Rampart-Organization', 'Rampart-SecurityLake-us-east-1']));
    expect(deps('Rampart-SecurityLake-us-east-1')).not.toContain('Rampart-SecurityLake-us-east-2');
  });
});

describe('OrganizationStack', () => {
  it('creates each OU of the tree under its parent', () => {
    const ous = flattenOus(config.organization.organizationalUnits);
    expect(resources('Rampart-Organization', 'AWS::Organizations::OrganizationalUnit')).toHaveLength(ous.length);
    for (const ou of ous) {
      const [, resource] = resources('Rampart-Organization', 'AWS::Organizations::OrganizationalUnit').find(([id]) => id === ouLogicalId(ou.path)) as [string, Resource];
      expect(resource.Properties.Name).toBe(ou.name);
      expect(resource.Properties.ParentId).toEqual(ou.parent === 'Root' ? getAtt('OrganizationRoot', 'RootId') : getAtt(ouLogicalId(ou.parent), 'Id'));
    }
  });

  it('creates each configured SCP with its document and attaches it to exactly its targets', () => {
    for (const scp of config.organization.serviceControlPolicies) {
      Template.fromJSON(template('Rampart-Organization')).hasResourceProperties('AWS::Organizations::Policy', {
        Name: scp.name,
        Type: 'SERVICE_CONTROL_POLICY',
        Content: config.scpDocuments[scp.name],
        TargetIds: scp.targets.organizationalUnits.map((ou) => getAtt(ouLogicalId(ou), 'Id')),
      });
    }
  });

  it('attaches the generated PCI guardrail SCPs to the PCI OU only', () => {
    const guardrails = pciGuardrailScps(config);
    expect(guardrails.map((g) => g.name)).toEqual(['RampartPciGuardrails', 'RampartPciRegionRestriction']);
    for (const scp of guardrails) {
      const [, policy] = resources('Rampart-Organization', 'AWS::Organizations::Policy').find(([, r]) => r.Properties.Name === scp.name) as [string, Resource];
      expect(policy.Properties.Content).toEqual(scp.document);
      expect(policy.Properties.TargetIds).toEqual([getAtt(ouLogicalId('Workloads/Pci'), 'Id')]);
    }
  });

  it('places every member account with an id in its OU', () => {
    const placed = new Map<string, string>();
    for (const [, resource] of resources('Rampart-Organization', 'Custom::RampartAccountPlacement')) {
      for (const placement of resource.Properties.Placements as { OrganizationalUnitId: unknown; AccountIds: string }[]) {
        for (const id of placement.AccountIds.split(',')) placed.set(id, JSON.stringify(placement.OrganizationalUnitId));
      }
    }
    const members = config.organization.accounts.filter((a) => a.ou !== 'Root');
    expect(placed.size).toBe(members.length);
    for (const account of members) expect(placed.get(account.id as string)).toBe(JSON.stringify(getAtt(ouLogicalId(account.ou), 'Id')));
  });

  it('enables trusted access and registers each delegated administrator', () => {
    const org = Template.fromJSON(template('Rampart-Organization'));
    org.hasResourceProperties('Custom::RampartTrustedAccess', { ServicePrincipals: TRUSTED_SERVICE_PRINCIPALS });
    org.hasResourceProperties('AWS::SecurityHub::DelegatedAdmin', { AdminAccountId: accountId('security-tooling') });
    org.hasResourceProperties('Custom::RampartDelegatedAdministrator', {
      AccountId: accountId('security-tooling'), ServicePrincipals: ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'],
    });
    org.hasResourceProperties('Custom::RampartDelegatedAdministrator', { AccountId: accountId('security-tooling'), ServicePrincipals: ['access-analyzer.amazonaws.com'] });
    org.hasResourceProperties('Custom::RampartSecurityLakeAdministrator', { AccountId: accountId('log-archive'), Regions: ['us-east-1', 'us-east-2', 'us-west-2'] });
  });

  it('puts the execution role into every member account with a service-managed StackSet targeted at the top-level OUs', () => {
    const [, stackSet] = resources('Rampart-Organization', 'AWS::CloudFormation::StackSet')[0];
    expect(stackSet.Properties).toMatchObject({ StackSetName: EXECUTION_ROLE_STACKSET_NAME, PermissionModel: 'SERVICE_MANAGED', AutoDeployment: { Enabled: true } });
    expect(stackSet.Properties.StackInstancesGroup).toEqual([{
      DeploymentTargets: { OrganizationalUnitIds: ['Security', 'Workloads', 'Sandbox'].map((ou) => getAtt(ouLogicalId(ou), 'Id')) },
      Regions: ['us-east-1'],
    }]);
    const body = JSON.parse(stackSet.Properties.TemplateBody as string);
    const role = body.Resources.ExecutionRole.Properties;
    expect(role.RoleName).toBe(config.global.executionRoleName);
    const trust = role.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal.AWS['Fn::Sub']).toBe(`arn:\${AWS::Partition}:iam::${accountId('security-tooling')}:root`);
    expect(trust.Condition.ArnLike['aws:PrincipalArn']['Fn::Sub']).toBe(`arn:\${AWS::Partition}:iam::${accountId('security-tooling')}:role/rampart/*`);
    const denies = role.Policies[0].PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Deny').map((s: { Sid: string }) => s.Sid);
    // One deny per exempt role in security.yaml, plus Rampart's own role and service-linked roles.
    expect(denies).toEqual(['KeepOffOwnRole', 'KeepOffServiceLinkedRoles', 'KeepOffExemptRole1', 'KeepOffExemptRole2']);
  });

  it('grants the security-tooling account read access to the organization', () => {
    const [, policy] = resources('Rampart-Organization', 'AWS::Organizations::ResourcePolicy')[0];
    expect((policy.Properties.Content as { Statement: unknown[] }).Statement).toEqual([expect.objectContaining({
      Effect: 'Allow', Principal: { AWS: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${accountId('security-tooling')}:root`]] }] },
      Action: ['organizations:Describe*', 'organizations:List*'],
    })]);
  });
});

describe('SecurityHubStack', () => {
  const policyId = (name: string) => resources('Rampart-SecurityHub', 'AWS::SecurityHub::ConfigurationPolicy').find(([, r]) => r.Properties.Name === name)?.[0] as string;
  const lookupPaths = () => resources('Rampart-SecurityHub', 'Custom::RampartOrganizationalUnitLookup')[0][1].Properties.Paths as string[];
  const targetsOf = (policy: string) =>
    resources('Rampart-SecurityHub', 'AWS::SecurityHub::PolicyAssociation')
      .filter(([, r]) => JSON.stringify(r.Properties.ConfigurationPolicyId) === JSON.stringify(getAtt(policyId(policy), 'Id')))
      .map(([, r]) => lookupPaths()[Number((r.Properties.TargetId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][1].slice(2))]);

  it('enables PCI DSS v4.0.1 and FSBP in the PCI policy, by their standard ARNs', () => {
    const [, pci] = resources('Rampart-SecurityHub', 'AWS::SecurityHub::ConfigurationPolicy').find(([, r]) => r.Properties.Name === 'pci') as [string, Resource];
    expect((pci.Properties.ConfigurationPolicy as { SecurityHub: { EnabledStandardIdentifiers: string[] } }).SecurityHub.EnabledStandardIdentifiers).toEqual([
      'arn:aws:securityhub:us-east-1::standards/pci-dss/v/4.0.1',
      'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
    ]);
  });

  it('associates the PCI policy with exactly the PCI OU, and FSBP with the others', () => {
    expect(targetsOf('pci')).toEqual(['Workloads/Pci']);
    expect(targetsOf('baseline').sort()).toEqual(['Sandbox', 'Security', 'Workloads/NonPci']);
    for (const [, association] of resources('Rampart-SecurityHub', 'AWS::SecurityHub::PolicyAssociation')) expect(association.Properties.TargetType).toBe('ORGANIZATIONAL_UNIT');
  });

  it('disables the configured controls and keeps their reasons with the policy', () => {
    const [, pci] = resources('Rampart-SecurityHub', 'AWS::SecurityHub::ConfigurationPolicy').find(([, r]) => r.Properties.Name === 'pci') as [string, Resource];
    expect(pci.Properties.ConfigurationPolicy).toMatchObject({ SecurityHub: { SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ['Macie.1'] } } });
    expect(pci.Metadata?.RampartDisabledControlReasons).toEqual({ 'Macie.1': expect.stringContaining('SEC-412') });
  });

  it('uses central configuration with a finding aggregator over the other enabled Regions', () => {
    const hub = Template.fromJSON(template('Rampart-SecurityHub'));
    hub.hasResourceProperties('AWS::SecurityHub::FindingAggregator', { RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: ['us-east-2', 'us-west-2'] });
    hub.hasResourceProperties('AWS::SecurityHub::OrganizationConfiguration', { ConfigurationType: 'CENTRAL', AutoEnable: false, AutoEnableStandards: 'NONE' });
  });
});

describe('ConfigStack', () => {
  it('aggregates the organization in the home Region only, over every enabled Region', () => {
    Template.fromJSON(template('Rampart-Config-us-east-1')).hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      ConfigurationAggregatorName: 'rampart-organization',
      OrganizationAggregationSource: { AwsRegions: ['us-east-1', 'us-east-2', 'us-west-2'] },
    });
    expect(resources('Rampart-Config-us-east-2', 'AWS::Config::ConfigurationAggregator')).toHaveLength(0);
  });

  it('deploys each configured conformance pack in every enabled Region, the PCI global-resource rules only where global resources are recorded', () => {
    const ruleNames = (stack: string, pack: string) => {
      const [, resource] = resources(stack, 'AWS::Config::OrganizationConformancePack').find(([, r]) => r.Properties.OrganizationConformancePackName === pack) as [string, Resource];
      const body = JSON.parse(resource.Properties.TemplateBody as string) as { Resources: Record<string, { Properties: { ConfigRuleName: string } }> };
      return Object.values(body.Resources).map((r) => r.Properties.ConfigRuleName);
    };
    expect(ruleNames('Rampart-Config-us-east-1', 'rampart-pci-dss-4')).toEqual(packRules('pci-dss-4.0', true).map((r) => r.name));
    expect(ruleNames('Rampart-Config-us-east-1', 'rampart-pci-dss-4')).toHaveLength(127);
    expect(ruleNames('Rampart-Config-us-west-2', 'rampart-pci-dss-4')).toHaveLength(99);
    expect(ruleNames('Rampart-Config-us-west-2', 'rampart-pci-dss-4')).not.toContain('iam-password-policy');
    expect(ruleNames('Rampart-Config-us-east-2', 'rampart-nist-800-53-r5')).toHaveLength(130);
  });
});

describe('AccessAnalyzerStack', () => {
  it('creates the organization analyzer in each enabled Region and archives findings for the trusted principals', () => {
    for (const region of config.global.enabledRegions) {
      Template.fromJSON(template(`Rampart-AccessAnalyzer-${region}`)).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
        AnalyzerName: 'rampart-organization',
        Type: 'ORGANIZATION',
        ArchiveRules: [{
          RuleName: 'rampart-trusted-1',
          Filter: [
            { Property: 'principal.AWS', Eq: ['arn:aws:iam::999999999999:role/AuditorReadOnly'] },
            { Property: 'resourceOwnerAccount', Eq: [accountId('payments-prod'), accountId('payments-staging')] },
          ],
        }],
      });
    }
  });
});

describe('SecurityLakeRegionalStack', () => {
  const dataLake = (region: string) => resources(`Rampart-SecurityLake-${region}`, 'AWS::SecurityLake::DataLake')[0][1].Properties;

  it('replicates each contributing Region into the rollup Region, with a role AWS accepts', () => {
    for (const region of ['us-east-2', 'us-west-2']) {
      const replication = dataLake(region).ReplicationConfiguration as { Regions: string[]; RoleArn: unknown };
      expect(replication.Regions).toEqual(['us-east-1']);
      const roleId = (replication.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
      expect(template(`Rampart-SecurityLake-${region}`).Resources[roleId].Properties.RoleName).toMatch(/^SecurityLake/);
    }
  });

  it('does not replicate the rollup Region', () => {
    expect(dataLake('us-east-1').ReplicationConfiguration).toBeUndefined();
  });

  it('encrypts each lake with its KMS key and applies the lifecycle', () => {
    for (const region of config.securityLake.regions) {
      const lake = Template.fromJSON(template(`Rampart-SecurityLake-${region}`));
      lake.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/rampart-securitylake' });
      expect(dataLake(region).EncryptionConfiguration).toEqual({ KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LakeKey/), 'Arn'] } });
      expect(dataLake(region).LifecycleConfiguration).toEqual({
        Expiration: { Days: 400 },
        Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER_IR' }],
      });
      expect(dataLake(region).MetaStoreManagerRoleArn).toBeDefined();
    }
  });

  it('collects each AWS source, from all accounts or from the listed ones', () => {
    const sources = Object.fromEntries(resources('Rampart-SecurityLake-us-east-2', 'AWS::SecurityLake::AwsLogSource').map(([, r]) => [r.Properties.SourceName, r.Properties.Accounts ?? 'all']));
    expect(sources).toEqual({
      CLOUD_TRAIL_MGMT: 'all', VPC_FLOW: 'all', SH_FINDINGS: 'all',
      ROUTE53: [accountId('payments-prod'), accountId('payments-staging'), accountId('web-prod')],
    });
  });

  it('registers each custom source, one per OCSF class, in every lake Region', () => {
    const expected = resolveCustomSources(config).map((s) => ({ SourceName: s.sourceName, EventClass: s.eventClass }));
    expect(expected).toEqual([
      { SourceName: 'windows-sysmon-proc', EventClass: 'PROCESS_ACTIVITY' },
      { SourceName: 'windows-sysmon-net', EventClass: 'NETWORK_ACTIVITY' },
      { SourceName: 'windows-sysmon-file', EventClass: 'FILE_ACTIVITY' },
      { SourceName: 'windows-sysmon-dns', EventClass: 'DNS_ACTIVITY' },
      { SourceName: 'network-firewall', EventClass: 'NETWORK_ACTIVITY' },
    ]);
    for (const region of config.securityLake.regions) {
      const registered = resources(`Rampart-SecurityLake-${region}`, 'Custom::RampartSecurityLakeCustomSource').map(([, r]) => ({ SourceName: r.Properties.SourceName, EventClass: r.Properties.EventClass }));
      expect(registered).toEqual(expected);
      for (const [, source] of resources(`Rampart-SecurityLake-${region}`, 'Custom::RampartSecurityLakeCustomSource')) {
        expect(source.Properties).toMatchObject({ SourceVersion: '1.0', ProviderAccountId: accountId('log-archive'), CrawlerRoleArn: expect.anything() });
      }
    }
  });

  it('turns on organization auto-enable for the AWS sources', () => {
    Template.fromJSON(template('Rampart-SecurityLake-us-west-2')).hasResourceProperties('Custom::RampartSecurityLakeAutoEnable', {
      Region: 'us-west-2',
      Sources: config.securityLake.awsSources.map((s) => ({ SourceName: s.source, SourceVersion: s.version })),
    });
  });

  it('creates the query subscribers where data is queried (the rollup Region), with custom sources expanded', () => {
    expect(resources('Rampart-SecurityLake-us-east-2', 'AWS::SecurityLake::Subscriber')).toHaveLength(0);
    Template.fromJSON(template('Rampart-SecurityLake-us-east-1')).hasResourceProperties('AWS::SecurityLake::Subscriber', {
      SubscriberName: 'security-insights',
      AccessTypes: ['LAKEFORMATION'],
      SubscriberIdentity: { Principal: accountId('security-tooling'), ExternalId: 'rampart-security-insights' },
      Sources: [
        { AwsLogSource: { SourceName: 'SH_FINDINGS', SourceVersion: '2.0' } },
        { AwsLogSource: { SourceName: 'CLOUD_TRAIL_MGMT', SourceVersion: '2.0' } },
        { AwsLogSource: { SourceName: 'VPC_FLOW', SourceVersion: '2.0' } },
        { CustomLogSource: { SourceName: 'network-firewall', SourceVersion: '1.0' } },
      ],
    });
  });
});

describe('GovernanceStack', () => {
  const evidence = () => resources('Rampart-Governance', 'AWS::S3::Bucket').find(([, r]) => r.Properties.ObjectLockEnabled) as [string, Resource];

  it('locks evidence objects in compliance mode for the configured retention', () => {
    expect(evidence()[1].Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: config.governance.evidence.retentionDays } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  it('encrypts evidence with the governance KMS key', () => {
    expect(evidence()[1].Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^GovernanceKey/), 'Arn'] } } }],
    });
  });

  it('refuses every request to the evidence bucket that is not TLS 1.2 or later', () => {
    const [bucketId] = evidence();
    const [, policy] = resources('Rampart-Governance', 'AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId })) as [string, Resource];
    const statements = (policy.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: Record<string, Record<string, unknown>> }[] }).Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  it('sends notices to each audience through an encrypted topic', () => {
    const governance = Template.fromJSON(template('Rampart-Governance'));
    governance.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovernanceKey'), 'Arn'] } });
    governance.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security-alerts@example.com', FilterPolicy: { audience: ['security'] } });
    governance.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'compliance@example.com', FilterPolicy: { audience: ['compliance'] } });
  });
});

describe('cfn-lint', () => {
  // The stack templates themselves are linted for every example in examples.test.ts.
  it('finds no errors in the templates embedded in the stacks: the execution-role StackSet and the conformance packs', () => {
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lint-'));
    try {
      const [, stackSet] = resources('Rampart-Organization', 'AWS::CloudFormation::StackSet')[0];
      fs.writeFileSync(path.join(extra, 'execution-role.template.json'), stackSet.Properties.TemplateBody as string);
      for (const [, pack] of resources('Rampart-Config-us-east-1', 'AWS::Config::OrganizationConformancePack')) {
        fs.writeFileSync(path.join(extra, `${pack.Properties.OrganizationConformancePackName}.template.json`), pack.Properties.TemplateBody as string);
      }
      for (const [, pack] of resources('Rampart-Config-us-west-2', 'AWS::Config::OrganizationConformancePack')) {
        fs.writeFileSync(path.join(extra, `${pack.Properties.OrganizationConformancePackName}-regional.template.json`), pack.Properties.TemplateBody as string);
      }
      const lint = cfnLint(fs.readdirSync(extra).map((f) => path.join(extra, f)));
      if ('skipped' in lint) {
        console.warn(`cfn-lint check skipped: ${lint.skipped}`);
        return;
      }
      expect(describeFindings(lint.findings.filter((f) => f.Level === 'Error'))).toEqual([]);
    } finally {
      fs.rmSync(extra, { recursive: true, force: true });
    }
  });
});
