import { CfnResource, Tags, type App, type Stack } from 'aws-cdk-lib';
import { customSourceRegion, type RampartConfig } from '../config/model';
import { AccessAnalyzerStack } from './accessAnalyzer/accessAnalyzerStack';
import { AccountDirectory, SynthesisError } from './accountDirectory';
import { ConfigDeliveryStack } from './awsConfig/configDeliveryStack';
import { ConfigStack } from './awsConfig/configStack';
import { GovernanceStack } from './governance/governanceStack';
import { registerNagPacks } from './nag';
import { OrganizationStack } from './organization/organizationStack';
import { SecurityHubStack } from './securityHub/securityHubStack';
import { CustomSourceIngestionStack } from './securityLake/customSourceIngestionStack';
import { SecurityLakeRegionalStack } from './securityLake/securityLakeRegionalStack';
import { LakeQueryStack } from './securityLake/lakeQueryStack';
import { regionalSubscriptions, unreadableCustomSources } from './securityLake/subscriptions';
import { lakeRegionRole } from './securityLake/topology';

/**
 * Most resources a Rampart stack may hold. CloudFormation allows 500; the margin leaves room for
 * the workflows added to GovernanceStack and for growth between plan and deploy.
 */
export const STACK_RESOURCE_BUDGET = 400;

/** Adds constructs to the governance stack (the workflows and their schedules). */
export type GovernanceExtension = (stack: GovernanceStack) => void;

export interface LandingZoneOptions {
  /** Account ids for accounts that have none in organization.yaml yet (`-c accountIds=...`). */
  accountIds?: Record<string, string>;
  governanceExtensions?: GovernanceExtension[];
  /** Run the cdk-nag packs at synth (default true; tests that only compare templates turn it off). */
  nag?: boolean;
}

/** Every stack of a landing zone, by role. */
export interface LandingZone {
  /** The central AWS Config bucket the member recorders deliver to (log archive, home Region). */
  configDelivery: ConfigDeliveryStack;
  organization: OrganizationStack;
  securityHub: SecurityHubStack;
  config: ConfigStack[];
  accessAnalyzer: AccessAnalyzerStack[];
  securityLake: SecurityLakeRegionalStack[];
  /** Custom-source ingestion in provider accounts other than the Security Lake administrator. */
  customSourceIngestion: CustomSourceIngestionStack[];
  /** Query access of each LAKEFORMATION subscriber, per subscriber Region, in the subscriber's account. */
  lakeQuery: LakeQueryStack[];
  governance: GovernanceStack;
  /** All stacks, in deployment order. */
  all: Stack[];
  /** What the user should know about what the stacks leave out (printed by the CLIs). */
  notices: string[];
}

/**
 * Builds the landing zone's stacks in `app` from a validated configuration: one stack per
 * deployment target (account and Region), never one per member account. Pure over the
 * configuration: the same configuration gives the same templates. Registers the cdk-nag packs.
 * Throws a SynthesisError listing every account whose id is needed but unknown.
 */
export function buildLandingZone(app: App, config: RampartConfig, options: LandingZoneOptions = {}): LandingZone {
  const accounts = new AccountDirectory(config, options.accountIds);
  const { global, organization: org, security, securityLake: lake } = config;
  const env = (accountName: string, region: string, neededFor: string) => ({ account: accounts.idOf(accountName, neededFor), region });
  const common = { config, accounts };

  const configDelivery = new ConfigDeliveryStack(app, 'Rampart-ConfigDelivery', {
    config,
    env: env(org.mandatoryAccounts.logArchive, global.homeRegion, 'ConfigDeliveryStack (log-archive account)'),
    description: 'Rampart: central AWS Config bucket for the recorders of every member account',
  });
  const organization = new OrganizationStack(app, 'Rampart-Organization', {
    ...common,
    env: env(org.mandatoryAccounts.management, global.homeRegion, 'OrganizationStack (management account)'),
    description: 'Rampart: OUs, SCPs, account placement, trusted access, delegated administrators, execution-role and Config recorder StackSets',
  });
  organization.addStackDependency(configDelivery, 'member recorders deliver to the central Config bucket, which must exist first');
  const afterOrganization = <T extends Stack>(stack: T): T => {
    stack.addStackDependency(organization, 'delegated administrators and OUs come first');
    return stack;
  };

  if (security.securityHub.aggregationRegion !== global.homeRegion) {
    // The Security Hub delegated administrator is designated from OrganizationStack, in the home Region.
    throw new SynthesisError([`security.yaml securityHub.aggregationRegion ${security.securityHub.aggregationRegion} differs from global.yaml homeRegion ${global.homeRegion}: ` +
      'central configuration is administered from the Region where the delegated administrator is designated, which Rampart does from the home Region; set aggregationRegion to the home Region']);
  }
  const securityHub = afterOrganization(new SecurityHubStack(app, 'Rampart-SecurityHub', {
    config,
    env: env(security.securityHub.delegatedAdmin, security.securityHub.aggregationRegion, 'SecurityHubStack (Security Hub delegated administrator)'),
    description: 'Rampart: Security Hub central configuration, PCI DSS v4.0.1 on the PCI OU, finding aggregation',
  }));

  const configStacks = global.enabledRegions.map((region) => afterOrganization(new ConfigStack(app, `Rampart-Config-${region}`, {
    ...common,
    env: env(security.config.aggregator.account, region, 'ConfigStack (AWS Config delegated administrator)'),
    description: `Rampart: AWS Config organization conformance packs${region === global.homeRegion ? ' and aggregator' : ''} in ${region}`,
  })));

  const accessAnalyzer = global.enabledRegions.map((region) => afterOrganization(new AccessAnalyzerStack(app, `Rampart-AccessAnalyzer-${region}`, {
    ...common,
    env: env(org.mandatoryAccounts.securityTooling, region, 'AccessAnalyzerStack (security-tooling account)'),
    description: `Rampart: IAM Access Analyzer organization analyzer in ${region}`,
  })));

  const lakeStacks = new Map<string, SecurityLakeRegionalStack>();
  // Rollup Regions first: contributing Regions replicate into them.
  const lakeRegions = [...lake.regions].sort((a, b) => rank(a) - rank(b));
  function rank(region: string): number {
    return lakeRegionRole(lake, region).kind === 'contributing' ? 1 : 0;
  }
  for (const region of lakeRegions) {
    const stack = afterOrganization(new SecurityLakeRegionalStack(app, `Rampart-SecurityLake-${region}`, {
      ...common,
      env: env(lake.delegatedAdmin, region, 'SecurityLakeRegionalStack (Security Lake delegated administrator)'),
      description: `Rampart: Security Lake data lake, sources and subscribers in ${region}`,
    }));
    const role = stack.role;
    if (role.kind === 'contributing') stack.addStackDependency(lakeStacks.get(role.rollupRegion) as Stack, 'replicates into the rollup Region\'s lake');
    lakeStacks.set(region, stack);
  }

  const customRegion = customSourceRegion(config);
  const providerAccounts = [...new Set(lake.customSources.map((c) => c.providerAccount))].filter((name) => name !== lake.delegatedAdmin);
  const customSourceIngestion = providerAccounts.map((providerAccount) => {
    const stack = new CustomSourceIngestionStack(app, `Rampart-CustomSources-${stackNamePart(providerAccount)}`, {
      ...common,
      providerAccount,
      env: env(providerAccount, customRegion, `CustomSourceIngestionStack (provider account of custom sources)`),
      description: `Rampart: ingestion of the Security Lake custom sources written by ${providerAccount}, in ${customRegion}`,
    });
    stack.addStackDependency(lakeStacks.get(customRegion) as Stack, 'reads where the custom sources registered there are written');
    return stack;
  });

  const lakeQuery = regionalSubscriptions(config).filter((s) => s.subscriber.accessType === 'LAKEFORMATION').map((subscription) => {
    const { subscriber, region } = subscription;
    const stack = new LakeQueryStack(app, `Rampart-LakeQuery-${stackNamePart(subscriber.name)}-${region}`, {
      ...common,
      subscription,
      env: env(subscriber.account, region, `LakeQueryStack (Security Lake subscriber ${subscriber.name})`),
      description: `Rampart: Security Lake query access for subscriber ${subscriber.name} in ${region}: resource links, Lake Formation grants, views, named queries`,
    });
    stack.addStackDependency(lakeStacks.get(region) as Stack, 'Security Lake shares the subscribed tables once the subscriber exists');
    return stack;
  });

  const governance = new GovernanceStack(app, 'Rampart-Governance', {
    config,
    env: env(org.mandatoryAccounts.securityTooling, global.homeRegion, 'GovernanceStack (security-tooling account)'),
    description: 'Rampart: evidence bucket, notifications and the drift, remediation and evidence workflows',
  });
  for (const extend of options.governanceExtensions ?? []) extend(governance);

  accounts.assertComplete();
  const all = [configDelivery, organization, securityHub, ...configStacks, ...accessAnalyzer, ...lakeStacks.values(), ...customSourceIngestion, ...lakeQuery, governance];
  assertResourceBudget(all);
  // AWS Config's organization conformance packs take no tags in CloudFormation.
  for (const [key, value] of Object.entries(global.tags)) Tags.of(app).add(key, value, { excludeResourceTypes: ['AWS::Config::OrganizationConformancePack'] });
  if (options.nag !== false) registerNagPacks(app);
  return {
    configDelivery,
    organization,
    securityHub,
    config: configStacks,
    accessAnalyzer,
    securityLake: [...lakeStacks.values()],
    customSourceIngestion,
    lakeQuery,
    governance,
    all,
    notices: landingZoneNotices(config, accounts.withoutIds()),
  };
}

/** A logical name as a part of a stack name (letters, digits and hyphens). */
const stackNamePart = (name: string) => name.replace(/[^A-Za-z0-9-]+/g, '-');

function assertResourceBudget(stacks: Stack[]): void {
  const over = stacks.flatMap((stack) => {
    const count = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && c.stack === stack).length;
    return count > STACK_RESOURCE_BUDGET ? [`${stack.stackName} would hold ${count} resources, over Rampart's budget of ${STACK_RESOURCE_BUDGET} per stack (CloudFormation allows 500)` +
      (stack.stackName === 'Rampart-Organization' ? '; it holds one resource per OU, so the OU tree is too large for one stack: merge OUs, or split the organization into several configurations' : '')] : [];
  });
  if (over.length > 0) throw new SynthesisError(over);
}

function landingZoneNotices(config: RampartConfig, accountsWithoutIds: string[]): string[] {
  const notices: string[] = [];
  if (accountsWithoutIds.length > 0) {
    notices.push(`${accountsWithoutIds.length} account(s) have no id yet and are not placed in their OU: ${accountsWithoutIds.join(', ')}`);
  }
  notices.push(`AWS Config recorders come from a service-managed StackSet, which never deploys to the management account (${config.global.managementAccount}): ` +
    'conformance packs report nothing there unless a recorder is set up by hand');
  notices.push(...unreadableCustomSources(config));
  if (!config.organization.keepFullAwsAccess) {
    notices.push('keepFullAwsAccess: false counts toward the SCP limits, but the stacks leave FullAWSAccess attached: detaching it needs allow-list SCPs, which the configuration does not define');
  }
  return notices;
}
