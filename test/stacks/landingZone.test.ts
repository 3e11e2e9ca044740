import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { flattenOus, resolveCustomSources, type RampartConfig } from '../../config/model';
import { deriveDesiredState } from '../../engine/desiredState';
import { pciGuardrailScps } from '../../engine/pciGuardrails';
import { packRules } from '../../stacks/awsConfig/conformancePacks';
import { CONFIG_RECORDER_STACKSET_NAME, SERVICE_LINKED_ROLE_FUNCTION } from '../../stacks/awsConfig/configRecorder';
import { EXECUTION_ROLE_STACKSET_NAME, TRUSTED_SERVICE_PRINCIPALS } from '../../stacks/organization/organizationStack';
import { customSourceSettingsSchema } from '../../handlers/customSourceSetup';
import { athenaNamedQueries, athenaViewStatements } from '../../query/athena';
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

/** A CloudFormation string as text, with each reference written as <LogicalId.Attribute> or <LogicalId>. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: string[]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(joined).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v.Ref) return `<${v.Ref}>`;
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}

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
      'Rampart-ConfigDelivery': '222222222222/us-east-1',
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
      'Rampart-LakeQuery-security-insights-us-east-1': '333333333333/us-east-1',
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
    expect(deps('Rampart-Organization').filter((d) => !d.endsWith('.assets'))).toEqual(['Rampart-ConfigDelivery']);
    expect(deps('Rampart-LakeQuery-security-insights-us-east-1')).toContain('Rampart-SecurityLake-us-east-1');
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
    const [, stackSet] = resources('Rampart-Organization', 'AWS::CloudFormation::StackSet').find(([, r]) => r.Properties.StackSetName === EXECUTION_ROLE_STACKSET_NAME) as [string, Resource];
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

  it('puts an AWS Config recorder into every member account and enabled Region with a service-managed StackSet', () => {
    const [, stackSet] = resources('Rampart-Organization', 'AWS::CloudFormation::StackSet').find(([, r]) => r.Properties.StackSetName === CONFIG_RECORDER_STACKSET_NAME) as [string, Resource];
    expect(stackSet.Properties).toMatchObject({ PermissionModel: 'SERVICE_MANAGED', AutoDeployment: { Enabled: true }, Capabilities: ['CAPABILITY_IAM'] });
    expect(stackSet.Properties.StackInstancesGroup).toEqual([{
      DeploymentTargets: { OrganizationalUnitIds: ['Security', 'Workloads', 'Sandbox'].map((ou) => getAtt(ouLogicalId(ou), 'Id')) },
      Regions: ['us-east-1', 'us-east-2', 'us-west-2'],
    }]);
    const body = JSON.parse(stackSet.Properties.TemplateBody as string);
    // Global resource types (IAM) are recorded only in includeGlobalResourceTypesIn.
    expect(body.Conditions.RecordsGlobalResources).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(body.Resources.ConfigurationRecorder).toEqual({
      Type: 'AWS::Config::ConfigurationRecorder',
      DependsOn: 'ConfigServiceLinkedRole',
      Properties: {
        Name: 'default',
        RoleARN: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig' },
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { 'Fn::If': ['RecordsGlobalResources', true, false] } },
      },
    });
    expect(body.Resources.DeliveryChannel.Properties).toMatchObject({ S3BucketName: `rampart-config-${accountId('log-archive')}-us-east-1` });
    expect(body.Resources.ServiceLinkedRoleFunction.Properties.Code.ZipFile).toBe(SERVICE_LINKED_ROLE_FUNCTION);
    expect(body.Resources.ServiceLinkedRoleFunctionRole.Properties.Policies[0].PolicyDocument.Statement[0]).toMatchObject({
      Action: 'iam:CreateServiceLinkedRole', Condition: { StringEquals: { 'iam:AWSServiceName': 'config.amazonaws.com' } },
    });
  });

  it('grants the security-tooling account read access to the organization', () => {
    const [, policy] = resources('Rampart-Organization', 'AWS::Organizations::ResourcePolicy')[0];
    expect((policy.Properties.Content as { Statement: unknown[] }).Statement).toEqual([expect.objectContaining({
      Effect: 'Allow', Principal: { AWS: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${accountId('security-tooling')}:root`]] }] },
      Action: ['organizations:Describe*', 'organizations:List*'],
    })]);
  });
});

describe('ConfigDeliveryStack', () => {
  const bucket = () => resources('Rampart-ConfigDelivery', 'AWS::S3::Bucket').find(([, r]) => r.Properties.BucketName === `rampart-config-${accountId('log-archive')}-us-east-1`) as [string, Resource];
  const orgId = { 'Fn::GetAtt': ['OrganizationId', 'OrganizationId'] };

  it('keeps the central Config bucket in the log-archive account, KMS-encrypted, versioned, private and with a lifecycle', () => {
    expect(bucket()[1].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^ConfigDeliveryKey/), 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: config.governance.evidence.retentionDays })] },
    });
  });

  it('lets AWS Config deliver from the organization\'s accounts only, over TLS, as AWS documents for organization delivery', () => {
    const [bucketId] = bucket();
    const [, policy] = resources('Rampart-ConfigDelivery', 'AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId })) as [string, Resource];
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
    const config = { Service: 'config.amazonaws.com' };
    expect(bySid('AWSConfigBucketPermissionsCheck')).toMatchObject({ Effect: 'Allow', Principal: config, Action: 's3:GetBucketAcl', Condition: { StringEquals: { 'aws:SourceOrgID': orgId } } });
    expect(bySid('AWSConfigBucketExistenceCheck')).toMatchObject({ Effect: 'Allow', Principal: config, Action: 's3:ListBucket', Condition: { StringEquals: { 'aws:SourceOrgID': orgId } } });
    expect(bySid('AWSConfigBucketDelivery')).toMatchObject({
      Effect: 'Allow', Principal: config, Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/AWSLogs/*/Config/*']] },
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceOrgID': orgId } },
    });
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
    Template.fromJSON(template('Rampart-ConfigDelivery')).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: config, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'aws:SourceOrgID': orgId } } })]) },
    });
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

  it('registers each custom source, one per OCSF class, only in the Region the engine\'s desired state names', () => {
    const expected = resolveCustomSources(config).map((s) => ({ SourceName: s.sourceName, EventClass: s.eventClass }));
    expect(expected).toEqual([
      { SourceName: 'windows-sysmon-proc', EventClass: 'PROCESS_ACTIVITY' },
      { SourceName: 'windows-sysmon-net', EventClass: 'NETWORK_ACTIVITY' },
      { SourceName: 'windows-sysmon-file', EventClass: 'FILE_ACTIVITY' },
      { SourceName: 'windows-sysmon-dns', EventClass: 'DNS_ACTIVITY' },
      { SourceName: 'network-firewall', EventClass: 'NETWORK_ACTIVITY' },
    ]);
    const customRegion = deriveDesiredState(config).securityLake.customSourceRegion;
    expect(customRegion).toBe('us-east-1');
    for (const region of config.securityLake.regions) {
      const registered = resources(`Rampart-SecurityLake-${region}`, 'Custom::RampartSecurityLakeCustomSource').map(([, r]) => ({ SourceName: r.Properties.SourceName, EventClass: r.Properties.EventClass }));
      expect([region, registered]).toEqual([region, region === customRegion ? expected : []]);
    }
    for (const [, source] of resources('Rampart-SecurityLake-us-east-1', 'Custom::RampartSecurityLakeCustomSource')) {
      expect(source.Properties).toMatchObject({
        SourceVersion: '1.0', ProviderAccountId: accountId('log-archive'), CrawlerRoleArn: expect.anything(),
        ProviderExternalId: `rampart-${source.Properties.SourceName}-${accountId('log-archive')}`,
      });
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

describe('custom-source ingestion (in the custom-source Region, written by the lake account)', () => {
  const lake = 'Rampart-SecurityLake-us-east-1';
  const policyOf = (source: string) => resources(lake, 'AWS::IAM::ManagedPolicy').find(([id]) => id.startsWith(`CustomSourceIngestionSource${source.replace(/-/g, '')}Permissions`))?.[1]
    .Properties.PolicyDocument as { Statement: { Sid?: string; Action: string | string[]; Resource: unknown }[] };
  const functionOf = (source: string) => resources(lake, 'AWS::Lambda::Function').find(([id]) => id.startsWith(`CustomSourceIngestionSource${source.replace(/-/g, '')}Handler`)) as [string, Resource];
  /** The settings variable with CloudFormation's references written as <LogicalId.Attribute>. */
  const settingsOf = (source: string) => JSON.parse(joined((functionOf(source)[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables.RAMPART_CUSTOM_SOURCE));

  it('runs nowhere but the custom-source Region', () => {
    for (const region of ['us-east-2', 'us-west-2']) {
      expect(resources(`Rampart-SecurityLake-${region}`, 'AWS::Kinesis::Stream')).toHaveLength(0);
      expect(resources(`Rampart-SecurityLake-${region}`, 'AWS::Lambda::EventSourceMapping')).toHaveLength(0);
    }
  });

  it('feeds a Kinesis source from a KMS-encrypted stream, with partial batch failures, bisecting and bounded retries', () => {
    const [streamId, stream] = resources(lake, 'AWS::Kinesis::Stream')[0];
    expect(stream.Properties).toMatchObject({
      Name: 'rampart-windows-sysmon', RetentionPeriodHours: 168, StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [expect.stringMatching(/^CustomSourceIngestionKey/), 'Arn'] } },
    });
    const [, mapping] = resources(lake, 'AWS::Lambda::EventSourceMapping').find(([, r]) => JSON.stringify(r.Properties.EventSourceArn) === JSON.stringify(getAtt(streamId, 'Arn'))) as [string, Resource];
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: functionOf('windows-sysmon')[0] }, StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.stringMatching(/FailedBatches/), 'Arn'] } } },
    });
  });

  it('feeds an S3 source from its raw-log bucket\'s notifications through an encrypted queue with its own dead-letter queue', () => {
    const [bucketId, bucket] = resources(lake, 'AWS::S3::Bucket').find(([, r]) => r.Properties.BucketName === `rampart-raw-network-firewall-${accountId('log-archive')}-us-east-1`) as [string, Resource];
    const [queueId, queue] = resources(lake, 'AWS::SQS::Queue').find(([id]) => id.includes('networkfirewallNotifications')) as [string, Resource];
    expect(bucket.Properties.NotificationConfiguration).toEqual({ QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: getAtt(queueId, 'Arn') }] });
    expect(queue.Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^CustomSourceIngestionKey/), 'Arn'] },
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/networkfirewallNotificationDeadLetters/), 'Arn'] } },
    });
    const [dlqId] = resources(lake, 'AWS::SQS::Queue').find(([id]) => id.includes('networkfirewallNotificationDeadLetters')) as [string, Resource];
    expect(template(lake).Resources[dlqId].Properties.KmsMasterKeyId).toBeDefined();
    // S3 checks the queue policy when the notification is configured.
    expect((template(lake).Resources[bucketId] as Resource & { DependsOn?: string[] }).DependsOn).toEqual([expect.stringMatching(/networkfirewallNotificationsPolicy/)]);
    Template.fromJSON(template(lake)).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(queueId, 'Arn'), FunctionName: { Ref: functionOf('network-firewall')[0] }, FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps rejected events in a KMS-encrypted, TLS-only, versioned dead-letter bucket for as long as the lake keeps data', () => {
    const [bucketId, bucket] = resources(lake, 'AWS::S3::Bucket').find(([id]) => id.startsWith('CustomSourceIngestionDeadLetterBucket')) as [string, Resource];
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: config.securityLake.lifecycle.expirationDays })] },
    });
    const [, policy] = resources(lake, 'AWS::S3::BucketPolicy').find(([, r]) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: bucketId })) as [string, Resource];
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('configures each handler from what CreateCustomLogSource returned, and its settings are what the handler accepts', () => {
    const settings = settingsOf('windows-sysmon');
    const sources = resolveCustomSources(config).filter((s) => s.configName === 'windows-sysmon');
    expect(settings).toMatchObject({ name: 'windows-sysmon', mapping: 'builtin:windows-sysmon', region: 'us-east-1', deadLetterBucket: expect.stringMatching(/^<CustomSourceIngestionDeadLetterBucket/) });
    expect(settings.routes).toEqual(sources.map((s) => {
      const id = `CustomSource${s.sourceName.replace(/-/g, '')}`;
      return { sourceName: s.sourceName, classUid: s.classUid, location: `<${id}.Location>`, roleArn: `<${id}.ProviderRoleArn>`, externalId: `<${id}.ProviderExternalId>` };
    }));
    // With the references filled in as CloudFormation would, the handler's own schema accepts the settings.
    const deployed = JSON.stringify(settings)
      .replace(/<(CustomSource[\w]+)\.ProviderRoleArn>/g, `arn:aws:iam::${accountId('log-archive')}:role/AmazonSecurityLake-Provider-$1-us-east-1`)
      .replace(/<(CustomSource[\w]+)\.Location>/g, 's3://aws-security-data-lake-us-east-1-abc/ext/$1/1.0/')
      .replace(/<[\w.]+>/g, 'resolved-value');
    expect(customSourceSettingsSchema.safeParse(JSON.parse(deployed)).success).toBe(true);
    expect(functionOf('windows-sysmon')[1].Properties).toMatchObject({ Architectures: ['x86_64'], Layers: [{ Ref: expect.stringMatching(/^CustomSourceIngestionDuckDbLayer/) }] });
  });

  it('lets each handler assume only its own sources\' provider roles and write only its own dead-letter prefix', () => {
    for (const name of ['windows-sysmon', 'network-firewall']) {
      const statements = policyOf(name).Statement;
      const assume = statements.filter((st) => [st.Action].flat().includes('sts:AssumeRole'));
      const own = resolveCustomSources(config).filter((s) => s.configName === name).map((s) => getAtt(`CustomSource${s.sourceName.replace(/-/g, '')}`, 'ProviderRoleArn'));
      expect(assume.map((st) => [st.Resource].flat())).toEqual([own]);
      const writes = statements.filter((st) => [st.Action].flat().includes('s3:PutObject'));
      expect(writes.map((st) => st.Resource)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^CustomSourceIngestionDeadLetterBucket/), 'Arn'] }, `/dead-letter/${name}/*`]] }]);
      expect(statements.every((st) => st.Resource !== '*')).toBe(true);
    }
  });
});

describe('LakeQueryStack (rollup Region us-east-1, subscriber account security-tooling)', () => {
  const query = 'Rampart-LakeQuery-security-insights-us-east-1';
  const analyst = 'arn:aws:iam::333333333333:role/SecurityAnalyst';
  const grantsTo = (principal: unknown) => resources(query, 'AWS::LakeFormation::PrincipalPermissions')
    .filter(([, r]) => JSON.stringify((r.Properties.Principal as { DataLakePrincipalIdentifier: unknown }).DataLakePrincipalIdentifier) === JSON.stringify(principal))
    .map(([, r]) => ({ resource: r.Properties.Resource, permissions: r.Properties.Permissions }));
  const sharedTable = (suffix: string) => ({ Table: { CatalogId: accountId('log-archive'), DatabaseName: 'amazon_security_lake_glue_db_us_east_1', Name: `amazon_security_lake_table_us_east_1_${suffix}` } });

  it('links the shared _2_0 tables of the three native sources and the subscribed custom source', () => {
    const links = Object.fromEntries(resources(query, 'AWS::Glue::Table').map(([, r]) => {
      const input = r.Properties.TableInput as { Name: string; TargetTable: unknown };
      return [input.Name, input.TargetTable];
    }));
    const target = (name: unknown) => ({ CatalogId: accountId('log-archive'), DatabaseName: 'amazon_security_lake_glue_db_us_east_1', Name: name, Region: 'us-east-1' });
    expect(links).toEqual({
      sh_findings_2_0: target('amazon_security_lake_table_us_east_1_sh_findings_2_0'),
      cloud_trail_mgmt_2_0: target('amazon_security_lake_table_us_east_1_cloud_trail_mgmt_2_0'),
      vpc_flow_2_0: target('amazon_security_lake_table_us_east_1_vpc_flow_2_0'),
      ext_network_firewall: target(getAtt('SharedTables', 'CustomTable0')),
    });
    Template.fromJSON(template(query)).hasResourceProperties('Custom::RampartSecurityLakeSharedTables', {
      LakeAccountId: accountId('log-archive'), CustomSources: ['network-firewall'],
    });
  });

  it('grants each configured principal SELECT on every shared table and DESCRIBE on its resource link', () => {
    const grants = grantsTo(analyst);
    for (const suffix of ['sh_findings_2_0', 'cloud_trail_mgmt_2_0', 'vpc_flow_2_0']) {
      expect(grants).toContainEqual({ resource: sharedTable(suffix), permissions: ['SELECT'] });
      expect(grants).toContainEqual({ resource: { Table: { CatalogId: '333333333333', DatabaseName: 'rampart_security_lake', Name: suffix } }, permissions: ['DESCRIBE'] });
    }
    expect(grants).toContainEqual({ resource: { Table: { CatalogId: accountId('log-archive'), DatabaseName: 'amazon_security_lake_glue_db_us_east_1', Name: getAtt('SharedTables', 'CustomTable0') } }, permissions: ['SELECT'] });
    expect(grants).toContainEqual({ resource: { Table: { CatalogId: '333333333333', DatabaseName: 'rampart_security_lake', Name: 'ext_network_firewall' } }, permissions: ['DESCRIBE'] });
    expect(grants).toContainEqual({ resource: { Table: { CatalogId: '333333333333', DatabaseName: 'rampart_security_insights', TableWildcard: {} } }, permissions: ['SELECT', 'DESCRIBE'] });
    Template.fromJSON(template(query)).hasResourceProperties('AWS::LakeFormation::DataLakeSettings', { MutationType: 'APPEND' });
  });

  it('creates the three views in rampart_security_insights through Athena DDL over the links, with the default look-back', () => {
    const [, views] = resources(query, 'Custom::RampartAthenaViews')[0];
    expect(views.Properties).toMatchObject({ WorkGroup: 'rampart-security-insights', Database: 'rampart_security_insights' });
    const statements = views.Properties.Views as { Name: string; Sql: string }[];
    expect(statements.map((v) => v.Name)).toEqual(['security_hub_findings', 'cloudtrail_management', 'vpc_flow']);
    const expected = athenaViewStatements({
      sources: { SH_FINDINGS: { database: 'rampart_security_lake', table: 'sh_findings_2_0' }, CLOUD_TRAIL_MGMT: { database: 'rampart_security_lake', table: 'cloud_trail_mgmt_2_0' }, VPC_FLOW: { database: 'rampart_security_lake', table: 'vpc_flow_2_0' } },
      lookbackDays: 90,
    });
    expect(statements.map((v) => v.Sql)).toEqual(expected.map((v) => v.createViewSql));
    for (const view of statements) expect(view.Sql).toMatch(new RegExp(`^CREATE OR REPLACE VIEW rampart_security_insights\\.${view.Name} AS`));
    expect(statements[2].Sql).toContain('rampart_security_lake.vpc_flow_2_0');
  });

  it('offers the named queries in a workgroup whose results are KMS-encrypted', () => {
    const queries = resources(query, 'AWS::Athena::NamedQuery').map(([, r]) => r.Properties);
    expect(queries.map((q) => q.Name)).toEqual(athenaNamedQueries().map((q) => q.name));
    for (const q of queries) expect(q).toMatchObject({ Database: 'rampart_security_insights', WorkGroup: 'rampart-security-insights' });
    Template.fromJSON(template(query)).hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'rampart-security-insights',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueryResultsKey'), 'Arn'] } } },
      },
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

  it('every bucket of every stack is private, versioned and refuses requests that are not TLS 1.2 or later', () => {
    let buckets = 0;
    for (const stack of result.assembly.stacks) {
      const policies = resources(stack.stackName, 'AWS::S3::BucketPolicy');
      for (const [bucketId, bucket] of resources(stack.stackName, 'AWS::S3::Bucket')) {
        buckets++;
        expect([stack.stackName, bucketId, bucket.Properties.PublicAccessBlockConfiguration]).toEqual([stack.stackName, bucketId, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }]);
        expect([bucketId, bucket.Properties.VersioningConfiguration]).toEqual([bucketId, { Status: 'Enabled' }]);
        const policy = policies.find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }));
        expect([bucketId, JSON.stringify(policy?.[1].Properties.PolicyDocument)]).toEqual([bucketId, expect.stringContaining('"s3:TlsVersion":1.2')]);
      }
    }
    expect(buckets).toBeGreaterThanOrEqual(8);
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
  it('finds no errors in the templates embedded in the stacks: the execution-role and Config recorder StackSets and the conformance packs', () => {
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lint-'));
    try {
      for (const [, stackSet] of resources('Rampart-Organization', 'AWS::CloudFormation::StackSet')) {
        fs.writeFileSync(path.join(extra, `${stackSet.Properties.StackSetName}.template.json`), stackSet.Properties.TemplateBody as string);
      }
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
