import {
  BatchDisableStandardsCommand, BatchEnableStandardsCommand, BatchGetStandardsControlAssociationsCommand, BatchImportFindingsCommand,
  BatchUpdateStandardsControlAssociationsCommand, CreateConfigurationPolicyCommand, DescribeHubCommand, DescribeOrganizationConfigurationCommand,
  EnableOrganizationAdminAccountCommand, EnableSecurityHubCommand, GetConfigurationPolicyAssociationCommand, GetConfigurationPolicyCommand,
  GetFindingAggregatorCommand, SecurityHubClient, StartConfigurationPolicyAssociationCommand, UpdateConfigurationPolicyCommand,
  paginateGetEnabledStandards, paginateGetFindings, paginateListConfigurationPolicies, paginateListConfigurationPolicyAssociations,
  paginateListFindingAggregators, paginateListSecurityControlDefinitions, paginateListStandardsControlAssociations,
  type AwsSecurityFinding, type ConfigurationPolicyAssociationSummary,
} from '@aws-sdk/client-securityhub';
import { SECURITY_HUB_SEVERITIES, type InventoryConfigurationPolicy, type InventoryPolicyAssociation, type SecurityHubAccountState } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * AWS Security Hub: central configuration (policies, every target's association, the Regions the
 * finding aggregator links) and failed-control findings from the delegated administrator in the
 * aggregation Region; one account's own hub where central configuration does not decide it; and
 * the writes remediation and drift publishing make.
 */

const SecurityHub = SecurityHubClient as ClientConstructor<SecurityHubClient>;
export const SELF_MANAGED = 'SELF_MANAGED_SECURITY_HUB';

function hubClient(clients: AwsClients, account: string, region: string): SecurityHubClient {
  return clients.client(SecurityHub, 'securityhub', { account, region });
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

export interface CentralConfiguration {
  adminAccountId: string;
  homeRegion: string;
  /** Central configuration is on: policies decide governed accounts' settings in `regions`. */
  central: boolean;
  /** The aggregation Region and the Regions linked to it. */
  regions: string[];
  configurationPolicies: InventoryConfigurationPolicy[];
  /** Every root, OU and account with the association that governs it. */
  associations: InventoryPolicyAssociation[];
}

/** Central configuration as the delegated administrator sees it in the home (aggregation) Region. */
export async function readCentralConfiguration(clients: AwsClients, adminAccountId: string, homeRegion: string, controlCatalog: ControlCatalog): Promise<CentralConfiguration> {
  const client = hubClient(clients, adminAccountId, homeRegion);
  const [organization, aggregators] = await Promise.all([
    client.send(new DescribeOrganizationConfigurationCommand({})),
    all(paginateListFindingAggregators({ client }, {})),
  ]);
  const aggregatorArn = aggregators.flatMap((p) => p.FindingAggregators ?? [])[0]?.FindingAggregatorArn;
  const aggregator = aggregatorArn ? await client.send(new GetFindingAggregatorCommand({ FindingAggregatorArn: aggregatorArn })) : undefined;
  const regions = [homeRegion, ...(aggregator?.FindingAggregationRegion === homeRegion ? linkedRegions(aggregator.RegionLinkingMode, aggregator.Regions ?? []) : [])];
  if (organization.OrganizationConfiguration?.ConfigurationType !== 'CENTRAL') {
    return { adminAccountId, homeRegion, central: false, regions, configurationPolicies: [], associations: [] };
  }
  const [policyPages, associationPages] = await Promise.all([
    all(paginateListConfigurationPolicies({ client }, {})),
    all(paginateListConfigurationPolicyAssociations({ client }, {})),
  ]);
  const configurationPolicies = await Promise.all(policyPages.flatMap((p) => p.ConfigurationPolicySummaries ?? []).map(async (summary): Promise<InventoryConfigurationPolicy> => {
    const policy = await client.send(new GetConfigurationPolicyCommand({ Identifier: summary.Id }));
    const settings = policy.ConfigurationPolicy?.SecurityHub;
    const enabledStandardArns = settings?.EnabledStandardIdentifiers ?? [];
    const controls = settings?.SecurityControlsConfiguration;
    let disabledControlIds = controls?.DisabledSecurityControlIdentifiers ?? [];
    if (controls?.EnabledSecurityControlIdentifiers) {
      // A policy written as an enabled list disables every other control of its standards.
      const enabled = new Set(controls.EnabledSecurityControlIdentifiers);
      const inStandards = await Promise.all(enabledStandardArns.map((arn) => controlCatalog.controlsOf(client, arn)));
      disabledControlIds = [...new Set(inStandards.flat())].filter((id) => !enabled.has(id)).sort();
    }
    return {
      id: policy.Id as string, arn: policy.Arn as string, name: policy.Name as string, description: policy.Description ?? '',
      serviceEnabled: settings?.ServiceEnabled ?? false, enabledStandardArns, disabledControlIds,
    };
  }));
  const associations = associationPages.flatMap((p) => p.ConfigurationPolicyAssociationSummaries ?? []).map(associationOf);
  return { adminAccountId, homeRegion, central: true, regions, configurationPolicies, associations };
}

function linkedRegions(mode: string | undefined, listed: string[]): string[] {
  // ALL_REGIONS and ALL_REGIONS_EXCEPT_SPECIFIED link Regions Rampart does not enumerate; callers intersect with the enabled Regions.
  if (mode === 'ALL_REGIONS') return ['*'];
  if (mode === 'ALL_REGIONS_EXCEPT_SPECIFIED') return listed.map((r) => `!${r}`);
  return mode === 'SPECIFIED_REGIONS' ? listed : [];
}

/** Whether the aggregator links `region` to the aggregation Region (central configuration applies there). */
export function coversRegion(regions: readonly string[], region: string): boolean {
  if (regions.includes(region)) return true;
  if (regions.includes('*')) return true;
  const excluded = regions.filter((r) => r.startsWith('!'));
  return excluded.length > 0 && !excluded.includes(`!${region}`);
}

function associationOf(summary: ConfigurationPolicyAssociationSummary): InventoryPolicyAssociation {
  return {
    targetId: summary.TargetId as string,
    targetType: summary.TargetType as InventoryPolicyAssociation['targetType'],
    configurationPolicyId: summary.ConfigurationPolicyId as string,
    associationType: summary.AssociationType as InventoryPolicyAssociation['associationType'],
    status: (summary.AssociationStatus ?? 'SUCCESS') as InventoryPolicyAssociation['status'],
    ...(summary.AssociationStatusMessage ? { statusMessage: summary.AssociationStatusMessage } : {}),
  };
}

/** The association that governs one account (a re-read of one account's scope). */
export async function readAccountAssociation(clients: AwsClients, adminAccountId: string, homeRegion: string, accountId: string): Promise<InventoryPolicyAssociation> {
  const out = await hubClient(clients, adminAccountId, homeRegion).send(new GetConfigurationPolicyAssociationCommand({ Target: { AccountId: accountId } }));
  return associationOf(out);
}

/** Control ids per standard (the same for every account): read once per Region and standard. */
export class ControlCatalog {
  private readonly byStandard = new Map<string, Promise<string[]>>();

  controlsOf(client: SecurityHubClient, standardArn: string): Promise<string[]> {
    let controls = this.byStandard.get(standardArn);
    if (!controls) {
      controls = all(paginateListSecurityControlDefinitions({ client }, { StandardsArn: standardArn }))
        .then((pages) => pages.flatMap((p) => p.SecurityControlDefinitions ?? []).map((d) => d.SecurityControlId as string));
      controls.catch(() => this.byStandard.delete(standardArn));
      this.byStandard.set(standardArn, controls);
    }
    return controls;
  }
}

type AccountHub = Omit<Extract<SecurityHubAccountState, { status: 'ok' }>, 'status'>;

/** One account's hub in one Region, read in the account: subscription, standards and disabled controls. */
export async function readAccountHub(clients: AwsClients, accountId: string, region: string, controlCatalog: ControlCatalog): Promise<AccountHub> {
  const client = hubClient(clients, accountId, region);
  let hubArn: string;
  try {
    hubArn = (await client.send(new DescribeHubCommand({}))).HubArn as string;
  } catch (error) {
    // Security Hub answers InvalidAccessException to an account that is not subscribed.
    if ((error as Error).name === 'InvalidAccessException') return { enabled: false, standards: [], disabledControls: [] };
    throw error;
  }
  const subscriptions = (await all(paginateGetEnabledStandards({ client }, {}))).flatMap((p) => p.StandardsSubscriptions ?? []);
  const standards = subscriptions.map((s) => ({
    standardArn: s.StandardsArn as string, subscriptionArn: s.StandardsSubscriptionArn as string,
    status: s.StandardsStatus as AccountHub['standards'][number]['status'],
  }));
  const pairs = (await Promise.all(standards.map(async (s) => (await controlCatalog.controlsOf(client, s.standardArn)).map((controlId) => ({ StandardsArn: s.standardArn, SecurityControlId: controlId })))))
    .flat();
  const disabled = new Map<string, string | undefined>();
  for (let i = 0; i < pairs.length; i += 100) {
    const out = await client.send(new BatchGetStandardsControlAssociationsCommand({ StandardsControlAssociationIds: pairs.slice(i, i + 100) }));
    for (const detail of out.StandardsControlAssociationDetails ?? []) {
      if (detail.AssociationStatus === 'DISABLED' && !disabled.has(detail.SecurityControlId as string)) disabled.set(detail.SecurityControlId as string, detail.UpdatedReason);
    }
  }
  return {
    enabled: true, hubArn, standards,
    disabledControls: [...disabled].sort(([a], [b]) => a.localeCompare(b)).map(([controlId, reason]) => ({ controlId, ...(reason ? { reason } : {}) })),
  };
}

export type FindingSummary = NonNullable<AccountHub['findings']>;

/** Active, failed control findings of the organization (every account and linked Region), summarized per account and Region. */
export async function readFailedControlFindings(clients: AwsClients, adminAccountId: string, homeRegion: string): Promise<Map<string, FindingSummary>> {
  const client = hubClient(clients, adminAccountId, homeRegion);
  const summaries = new Map<string, FindingSummary>();
  const pages = paginateGetFindings({ client, pageSize: 100 }, {
    Filters: {
      ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }, { Value: 'NOTIFIED', Comparison: 'EQUALS' }],
    },
  });
  for await (const page of pages) {
    for (const finding of page.Findings ?? []) addFinding(summaries, finding);
  }
  return summaries;
}

export function findingKey(accountId: string, region: string): string {
  return `${accountId}|${region}`;
}

function addFinding(summaries: Map<string, FindingSummary>, finding: AwsSecurityFinding): void {
  const key = findingKey(finding.AwsAccountId as string, finding.Region as string);
  const summary: FindingSummary = summaries.get(key) ?? { failedControlIds: [], activeBySeverity: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 } };
  const control = finding.Compliance?.SecurityControlId;
  if (control && !summary.failedControlIds.includes(control)) summary.failedControlIds.push(control);
  const label = finding.Severity?.Label;
  if (label && (SECURITY_HUB_SEVERITIES as readonly string[]).includes(label)) {
    const severity = label as (typeof SECURITY_HUB_SEVERITIES)[number];
    summary.activeBySeverity[severity] += 1;
  }
  summaries.set(key, summary);
}

// ---------------------------------------------------------------------------------------------
// Writes

export async function enableSecurityHub(clients: AwsClients, accountId: string, region: string, standardArns: string[]): Promise<void> {
  const client = hubClient(clients, accountId, region);
  try {
    await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceConflictException') throw error; // subscribed meanwhile
  }
  if (standardArns.length) await client.send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: standardArns.map((StandardsArn) => ({ StandardsArn })) }));
}

export async function enableStandard(clients: AwsClients, accountId: string, region: string, standardArn: string): Promise<void> {
  await hubClient(clients, accountId, region).send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: standardArn }] }));
}

export async function disableStandard(clients: AwsClients, accountId: string, region: string, standardArn: string, subscriptionArn?: string): Promise<void> {
  const client = hubClient(clients, accountId, region);
  const subscription = subscriptionArn ?? (await all(paginateGetEnabledStandards({ client }, {})))
    .flatMap((p) => p.StandardsSubscriptions ?? []).find((s) => s.StandardsArn === standardArn)?.StandardsSubscriptionArn;
  if (!subscription) return; // not enabled any more
  await client.send(new BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription] }));
}

/** Enables a control in every enabled standard of the account that has it disabled. */
export async function enableSecurityControl(clients: AwsClients, accountId: string, region: string, controlId: string): Promise<void> {
  const client = hubClient(clients, accountId, region);
  const associations = (await all(paginateListStandardsControlAssociations({ client }, { SecurityControlId: controlId })))
    .flatMap((p) => p.StandardsControlAssociationSummaries ?? []).filter((a) => a.AssociationStatus === 'DISABLED');
  if (!associations.length) return;
  await client.send(new BatchUpdateStandardsControlAssociationsCommand({
    StandardsControlAssociationUpdates: associations.map((a) => ({ StandardsArn: a.StandardsArn, SecurityControlId: controlId, AssociationStatus: 'ENABLED' })),
  }));
}

export interface PolicySettings {
  policyName: string;
  description: string;
  standardArns: string[];
  disabledControlIds: string[];
}

function policyBody(settings: PolicySettings) {
  return {
    SecurityHub: {
      ServiceEnabled: true, EnabledStandardIdentifiers: settings.standardArns,
      SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: settings.disabledControlIds },
    },
  };
}

export async function createConfigurationPolicy(clients: AwsClients, adminAccountId: string, region: string, settings: PolicySettings): Promise<string> {
  const out = await hubClient(clients, adminAccountId, region).send(new CreateConfigurationPolicyCommand({
    Name: settings.policyName, Description: settings.description, ConfigurationPolicy: policyBody(settings),
  }));
  return out.Id as string;
}

export async function updateConfigurationPolicy(clients: AwsClients, adminAccountId: string, region: string, policyId: string, settings: PolicySettings): Promise<void> {
  await hubClient(clients, adminAccountId, region).send(new UpdateConfigurationPolicyCommand({
    Identifier: policyId, Name: settings.policyName, Description: settings.description, ConfigurationPolicy: policyBody(settings),
  }));
}

export async function associateConfigurationPolicy(clients: AwsClients, adminAccountId: string, region: string, policyId: string, target: { targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT' }): Promise<void> {
  await hubClient(clients, adminAccountId, region).send(new StartConfigurationPolicyAssociationCommand({
    ConfigurationPolicyIdentifier: policyId,
    Target: target.targetType === 'ROOT' ? { RootId: target.targetId } : { OrganizationalUnitId: target.targetId },
  }));
}

/** Designates the Security Hub administrator (management account, organization role). */
export async function enableOrganizationAdmin(clients: AwsClients, managementAccountId: string, region: string, adminAccountId: string): Promise<void> {
  const client = clients.client(SecurityHub, 'securityhub', { account: managementAccountId, region, as: 'organization' });
  await client.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: adminAccountId }));
}

/** Imports findings into the home account's default product, 100 per call (the API's batch size). */
export async function importFindings(clients: AwsClients, findings: AwsSecurityFinding[]): Promise<{ imported: number; failed: { id: string; reason: string }[] }> {
  const client = hubClient(clients, clients.homeAccountId, clients.homeRegion);
  let imported = 0;
  const failed: { id: string; reason: string }[] = [];
  for (let i = 0; i < findings.length; i += 100) {
    const out = await client.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
    imported += out.SuccessCount ?? 0;
    for (const f of out.FailedFindings ?? []) failed.push({ id: f.Id as string, reason: `${f.ErrorCode}: ${f.ErrorMessage}` });
  }
  return { imported, failed };
}

