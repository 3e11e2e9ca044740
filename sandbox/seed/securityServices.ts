import { customSourceRegion, resolveCustomSources, type RampartConfig } from '../../config/model';
import { securityHubStandardArn } from '../../config/schema/security';
import generatedPacks from '../catalog/conformancePacks.json';
import type { FakeAws } from '../fakeAws';
import type { SeedReport } from './fromConfig';

/** The ids seeding needs from the organization: logical names and OU paths resolved. */
export type OrganizationIds = Pick<SeedReport, 'managementAccountId' | 'rootId' | 'accountIds' | 'ouIds'>;

interface PackCatalog {
  packs: Record<string, { title: string; rules: { name: string; sourceIdentifier: string; globalOnly?: boolean }[] }>;
}
const PACKS = (generatedPacks as PackCatalog).packs;

function idOf(ids: OrganizationIds, name: string, what: string): string {
  const id = ids.accountIds[name];
  if (!id) throw new Error(`${what} names account "${name}", which organization.yaml does not define`);
  return id;
}

function ouOf(ids: OrganizationIds, path: string, what: string): { OrganizationalUnitId: string } | { RootId: string } {
  if (path === 'Root') return { RootId: ids.rootId };
  const id = ids.ouIds[path];
  if (!id) throw new Error(`${what} targets OU "${path}", which organization.yaml does not define`);
  return { OrganizationalUnitId: id };
}

/**
 * Security Hub as SecurityHubStack leaves it: the delegated administrator enabled, a finding
 * aggregator in the aggregation Region linking the other enabled Regions, central configuration,
 * and each configured policy associated with its target OUs.
 */
export async function seedSecurityHub(fake: FakeAws, config: RampartConfig, ids: OrganizationIds): Promise<{ policies: Record<string, string> }> {
  const hub = config.security.securityHub;
  const admin = idOf(ids, hub.delegatedAdmin, 'security.yaml securityHub.delegatedAdmin');
  const home = hub.aggregationRegion;
  const asAdmin = { account: admin, region: home };
  await fake.invoke('securityhub', 'EnableOrganizationAdminAccount', { AdminAccountId: admin }, { account: ids.managementAccountId, region: home });
  await fake.invoke('securityhub', 'EnableSecurityHub', { EnableDefaultStandards: false }, asAdmin);
  const linked = config.global.enabledRegions.filter((r) => r !== home);
  await fake.invoke('securityhub', 'CreateFindingAggregator', linked.length ? { RegionLinkingMode: 'SPECIFIED_REGIONS', Regions: linked } : { RegionLinkingMode: 'NO_REGIONS' }, asAdmin);
  await fake.invoke('securityhub', 'UpdateOrganizationConfiguration', { AutoEnable: false, AutoEnableStandards: 'NONE', OrganizationConfiguration: { ConfigurationType: 'CENTRAL' } }, asAdmin);
  const policies: Record<string, string> = {};
  for (const policy of hub.configurationPolicies) {
    const created = await fake.invoke<{ Id: string }>('securityhub', 'CreateConfigurationPolicy', {
      Name: policy.name,
      ...(policy.description ? { Description: policy.description } : {}),
      ConfigurationPolicy: {
        SecurityHub: {
          ServiceEnabled: true,
          EnabledStandardIdentifiers: policy.standards.map((s) => securityHubStandardArn(s, home)),
          SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: policy.disabledControls.map((c) => c.control) },
        },
      },
    }, asAdmin);
    policies[policy.name] = created.Id;
    for (const target of policy.targets) {
      await fake.invoke('securityhub', 'StartConfigurationPolicyAssociation', {
        ConfigurationPolicyIdentifier: created.Id, Target: ouOf(ids, target, `security.yaml configuration policy ${policy.name}`),
      }, asAdmin);
    }
  }
  return { policies };
}

/** Name of the replication role of a contributing Region (SecurityLakeRegionalStack's name; AWS requires the SecurityLake prefix). */
export const replicationRoleName = (region: string) => `SecurityLakeRampartReplication-${region}`;

/**
 * Security Lake as SecurityLakeRegionalStack leaves it in every configured Region: the data lake
 * (encryption, lifecycle, replication from contributing Regions to their rollup Region), the AWS
 * sources for the configured accounts, organization auto-enable, the custom sources and, outside
 * contributing Regions, the subscribers.
 */
export async function seedSecurityLake(fake: FakeAws, config: RampartConfig, ids: OrganizationIds): Promise<{ customSources: string[]; subscribers: number }> {
  const lake = config.securityLake;
  const admin = idOf(ids, lake.delegatedAdmin, 'securitylake.yaml delegatedAdmin');
  const home = config.global.homeRegion;
  await fake.invoke('securitylake', 'RegisterDataLakeDelegatedAdministrator', { accountId: admin }, { account: ids.managementAccountId, region: home });
  const rollupOf = (region: string) => lake.rollupRegions.find((r) => (r.contributingRegions as readonly string[]).includes(region))?.region;
  await fake.invoke('securitylake', 'CreateDataLake', {
    metaStoreManagerRoleArn: `arn:aws:iam::${admin}:role/service-role/AmazonSecurityLakeMetaStoreManagerV2`,
    configurations: lake.regions.map((region) => {
      const rollup = rollupOf(region);
      return {
        region,
        encryptionConfiguration: { kmsKeyId: lake.encryption.kmsKeyAlias ?? 'S3_MANAGED_KEY' },
        lifecycleConfiguration: {
          expiration: { days: lake.lifecycle.expirationDays },
          transitions: lake.lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
        },
        ...(rollup ? { replicationConfiguration: { regions: [rollup], roleArn: `arn:aws:iam::${admin}:role/${replicationRoleName(region)}` } } : {}),
      };
    }),
  }, { account: admin, region: home });
  const asAdmin = (region: string) => ({ account: admin, region });
  await fake.invoke('securitylake', 'CreateAwsLogSource', {
    sources: lake.awsSources.map((source) => ({
      sourceName: source.source, sourceVersion: source.version, regions: lake.regions,
      ...(source.accounts === 'all' ? {} : { accounts: source.accounts.map((name) => idOf(ids, name, `securitylake.yaml awsSources ${source.source}`)) }),
    })),
  }, asAdmin(home));
  if (lake.organizationAutoEnable) {
    await fake.invoke('securitylake', 'CreateDataLakeOrganizationConfiguration', {
      autoEnableNewAccount: lake.regions.map((region) => ({ region, sources: lake.awsSources.map((s) => ({ sourceName: s.source, sourceVersion: s.version })) })),
    }, asAdmin(home));
  }
  // Registered once, in the Region the Security Lake stacks register them in.
  const custom = resolveCustomSources(config);
  for (const region of [customSourceRegion(config)]) {
    for (const source of custom) {
      const provider = idOf(ids, source.providerAccount, `securitylake.yaml custom source ${source.configName}`);
      await fake.invoke('securitylake', 'CreateCustomLogSource', {
        sourceName: source.sourceName, sourceVersion: source.version, eventClasses: [source.eventClass],
        configuration: {
          crawlerConfiguration: { roleArn: `arn:aws:iam::${admin}:role/RampartSecurityLakeCustomSourceCrawler-${region}` },
          providerIdentity: { principal: provider, externalId: `rampart-${source.sourceName}-${provider}` },
        },
      }, asAdmin(region));
    }
  }
  let subscribers = 0;
  for (const region of lake.regions.filter((r) => !rollupOf(r))) {
    for (const subscriber of lake.subscribers) {
      const sources = subscriber.sources.flatMap((name): Record<string, unknown>[] => {
        const aws = lake.awsSources.find((s) => s.source === name);
        if (aws) return [{ awsLogSource: { sourceName: aws.source, sourceVersion: aws.version } }];
        const resolved = custom.filter((c) => c.configName === name || c.sourceName === name);
        if (!resolved.length) throw new Error(`securitylake.yaml subscriber ${subscriber.name} names source "${name}", which is neither an AWS source nor a custom source of the configuration`);
        return resolved.map((c) => ({ customLogSource: { sourceName: c.sourceName, sourceVersion: c.version } }));
      });
      await fake.invoke('securitylake', 'CreateSubscriber', {
        subscriberName: subscriber.name, accessTypes: [subscriber.accessType], sources,
        subscriberIdentity: { principal: idOf(ids, subscriber.account, `securitylake.yaml subscriber ${subscriber.name}`), externalId: subscriber.externalId },
      }, asAdmin(region));
      subscribers++;
    }
  }
  return { customSources: custom.map((c) => c.sourceName), subscribers };
}

/** The conformance pack template FakeAws seeds for a configured pack (the rule lists in sandbox/catalog). */
export function conformancePackTemplate(template: string, recordsGlobalResources: boolean): string {
  const pack = PACKS[template];
  if (!pack) throw new Error(`no conformance pack template ${template} in sandbox/catalog/conformancePacks.json`);
  const resources: Record<string, unknown> = {};
  for (const rule of pack.rules) {
    if (rule.globalOnly && !recordsGlobalResources) continue;
    resources[rule.name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')] = {
      Type: 'AWS::Config::ConfigRule',
      Properties: { ConfigRuleName: rule.name, Source: { Owner: 'AWS', SourceIdentifier: rule.sourceIdentifier } },
    };
  }
  return JSON.stringify({ Description: pack.title, Resources: resources });
}

/** The recorder every account has in every enabled Region (recording global resources in one Region). */
export async function seedConfigRecorder(fake: FakeAws, account: string, region: string, globalRegion: string, deliveryBucket: string): Promise<void> {
  const at = { account, region };
  await fake.invoke('config', 'PutConfigurationRecorder', {
    ConfigurationRecorder: {
      name: 'default', roleARN: `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === globalRegion },
    },
  }, at);
  await fake.invoke('config', 'PutDeliveryChannel', { DeliveryChannel: { name: 'default', s3BucketName: deliveryBucket } }, at);
  await fake.invoke('config', 'StartConfigurationRecorder', { ConfigurationRecorderName: 'default' }, at);
}

/**
 * AWS Config as ConfigStack and the StackSets leave it: a recording recorder with a delivery
 * channel in every account and enabled Region, the organization aggregator in the home Region,
 * and each configured organization conformance pack in every enabled Region.
 */
export async function seedConfig(fake: FakeAws, config: RampartConfig, ids: OrganizationIds): Promise<{ recorders: number; packs: number }> {
  const settings = config.security.config;
  const home = config.global.homeRegion;
  const globalRegion = settings.recorder.includeGlobalResourceTypesIn ?? home;
  const aggregatorAccount = idOf(ids, settings.aggregator.account, 'security.yaml config.aggregator.account');
  const logArchive = idOf(ids, config.organization.mandatoryAccounts.logArchive, 'organization.yaml mandatoryAccounts.logArchive');
  let recorders = 0;
  for (const account of Object.values(ids.accountIds)) {
    for (const region of config.global.enabledRegions) {
      await seedConfigRecorder(fake, account, region, globalRegion, `rampart-config-${logArchive}-${home}`);
      recorders++;
    }
  }
  await fake.invoke('config', 'PutConfigurationAggregator', {
    ConfigurationAggregatorName: settings.aggregator.name,
    OrganizationAggregationSource: { RoleArn: `arn:aws:iam::${aggregatorAccount}:role/RampartConfigAggregator`, AwsRegions: config.global.enabledRegions },
  }, { account: aggregatorAccount, region: home });
  let packs = 0;
  for (const region of config.global.enabledRegions) {
    for (const pack of settings.conformancePacks) {
      await fake.invoke('config', 'PutOrganizationConformancePack', {
        OrganizationConformancePackName: pack.name,
        TemplateBody: conformancePackTemplate(pack.template, region === globalRegion),
        ExcludedAccounts: pack.excludedAccounts.map((name) => idOf(ids, name, `security.yaml conformance pack ${pack.name}`)),
      }, { account: aggregatorAccount, region });
      packs++;
    }
  }
  return { recorders, packs };
}

/**
 * IAM Access Analyzer as AccessAnalyzerStack leaves it: the organization analyzer in every enabled
 * Region of the security tooling account, each trusted principal an archive rule.
 */
export async function seedAccessAnalyzer(fake: FakeAws, config: RampartConfig, ids: OrganizationIds): Promise<{ analyzers: number }> {
  const settings = config.security.accessAnalyzer;
  const owner = idOf(ids, config.organization.mandatoryAccounts.securityTooling, 'organization.yaml mandatoryAccounts.securityTooling');
  const archiveRules = settings.trustedPrincipals.map((trusted, index) => ({
    ruleName: `rampart-trusted-${index + 1}`,
    filter: {
      [trusted.principal.endsWith('.amazonaws.com') ? 'principal.Service' : 'principal.AWS']: { eq: [trusted.principal] },
      ...(trusted.accounts ? { resourceOwnerAccount: { eq: trusted.accounts.map((name) => idOf(ids, name, `security.yaml trusted principal ${trusted.principal}`)) } } : {}),
    },
  }));
  for (const region of config.global.enabledRegions) {
    await fake.invoke('accessanalyzer', 'CreateAnalyzer', { analyzerName: settings.analyzerName, type: 'ORGANIZATION', archiveRules }, { account: owner, region });
  }
  return { analyzers: config.global.enabledRegions.length };
}

export interface SecurityServicesReport {
  securityHubPolicies: Record<string, string>;
  customSources: string[];
  subscribers: number;
  configRecorders: number;
  conformancePacks: number;
  analyzers: number;
}

/** Every security service of the landing zone, in the order Rampart's stacks deploy them. */
export async function seedSecurityServices(fake: FakeAws, config: RampartConfig, ids: OrganizationIds): Promise<SecurityServicesReport> {
  const hub = await seedSecurityHub(fake, config, ids);
  const lake = await seedSecurityLake(fake, config, ids);
  const cfg = await seedConfig(fake, config, ids);
  const analyzer = await seedAccessAnalyzer(fake, config, ids);
  return {
    securityHubPolicies: hub.policies, customSources: lake.customSources, subscribers: lake.subscribers,
    configRecorders: cfg.recorders, conformancePacks: cfg.packs, analyzers: analyzer.analyzers,
  };
}
