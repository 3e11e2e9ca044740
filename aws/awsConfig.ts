import {
  ConfigServiceClient, DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand, DescribeDeliveryChannelsCommand,
  PutConfigurationAggregatorCommand, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, PutOrganizationConformancePackCommand,
  StartConfigurationRecorderCommand, paginateDescribeAggregateComplianceByConformancePacks, paginateDescribeConfigurationAggregators,
  paginateDescribeConfigurationAggregatorSourcesStatus, paginateDescribeOrganizationConformancePacks, paginateDescribeOrganizationConformancePackStatuses,
} from '@aws-sdk/client-config-service';
import type { ConfigRecorderState, InventoryConformancePack } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * AWS Config: the organization aggregator and its per-source status (which accounts × Regions
 * deliver, i.e. record), organization conformance packs and their compliance, read from the Config
 * delegated administrator; one account's recorder where the aggregator cannot tell; and the writes
 * remediation makes.
 */

const ConfigService = ConfigServiceClient as ClientConstructor<ConfigServiceClient>;

function configClient(clients: AwsClients, account: string, region: string): ConfigServiceClient {
  return clients.client(ConfigService, 'config', { account, region });
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

export interface AggregatorSourceStatus {
  sourceId: string;
  sourceType: 'ACCOUNT' | 'ORGANIZATION';
  region: string;
  lastUpdateStatus: 'SUCCEEDED' | 'FAILED' | 'OUTDATED';
  lastErrorCode?: string;
}

export interface Aggregator {
  name: string;
  accountId: string;
  region: string;
  organizationWide: boolean;
  allRegions: boolean;
  regions: string[];
  sources: AggregatorSourceStatus[];
}

/** The administrator's aggregators in the home Region, each with the status of every source account × Region. */
export async function readAggregators(clients: AwsClients, adminAccountId: string, homeRegion: string): Promise<Aggregator[]> {
  const client = configClient(clients, adminAccountId, homeRegion);
  const aggregators = (await all(paginateDescribeConfigurationAggregators({ client }, {}))).flatMap((p) => p.ConfigurationAggregators ?? []);
  return Promise.all(aggregators.map(async (aggregator): Promise<Aggregator> => {
    const name = aggregator.ConfigurationAggregatorName as string;
    const statuses = (await all(paginateDescribeConfigurationAggregatorSourcesStatus({ client, pageSize: 100 }, { ConfigurationAggregatorName: name })))
      .flatMap((p) => p.AggregatedSourceStatusList ?? []);
    const organization = aggregator.OrganizationAggregationSource;
    const accountSources = aggregator.AccountAggregationSources ?? [];
    return {
      name, accountId: adminAccountId, region: homeRegion,
      organizationWide: organization !== undefined,
      allRegions: organization?.AllAwsRegions ?? accountSources.some((s) => s.AllAwsRegions) ?? false,
      regions: [...(organization?.AwsRegions ?? accountSources.flatMap((s) => s.AwsRegions ?? []))],
      sources: statuses.map((s) => ({
        sourceId: s.SourceId as string, sourceType: s.SourceType as 'ACCOUNT' | 'ORGANIZATION', region: s.AwsRegion as string,
        lastUpdateStatus: s.LastUpdateStatus as AggregatorSourceStatus['lastUpdateStatus'],
        ...(s.LastErrorCode ? { lastErrorCode: s.LastErrorCode } : {}),
      })),
    };
  }));
}

/** The organization conformance packs of one Region with their deployment status. */
export async function readConformancePacks(clients: AwsClients, adminAccountId: string, region: string): Promise<InventoryConformancePack[]> {
  const client = configClient(clients, adminAccountId, region);
  const [packs, statuses] = await Promise.all([
    all(paginateDescribeOrganizationConformancePacks({ client }, {})),
    all(paginateDescribeOrganizationConformancePackStatuses({ client }, {})),
  ]);
  const statusByName = new Map(statuses.flatMap((p) => p.OrganizationConformancePackStatuses ?? []).map((s) => [s.OrganizationConformancePackName, s]));
  return packs.flatMap((p) => p.OrganizationConformancePacks ?? []).map((pack) => {
    const status = statusByName.get(pack.OrganizationConformancePackName);
    return {
      name: pack.OrganizationConformancePackName as string,
      status: (status?.Status ?? 'CREATE_IN_PROGRESS') as InventoryConformancePack['status'],
      ...(status?.ErrorCode ? { errorCode: status.ErrorCode } : {}),
      excludedAccountIds: [...(pack.ExcludedAccounts ?? [])].sort(),
      rules: [],
    };
  });
}

/** Accounts where each conformance pack is NON_COMPLIANT, per Region and pack, from the aggregator. */
export async function readPackNonCompliance(clients: AwsClients, adminAccountId: string, homeRegion: string, aggregatorName: string): Promise<Record<string, Record<string, string[]>>> {
  const client = configClient(clients, adminAccountId, homeRegion);
  const byRegion: Record<string, Record<string, string[]>> = {};
  const pages = paginateDescribeAggregateComplianceByConformancePacks({ client, pageSize: 100 }, {
    ConfigurationAggregatorName: aggregatorName, Filters: { ComplianceType: 'NON_COMPLIANT' },
  });
  for await (const page of pages) {
    for (const item of page.AggregateComplianceByConformancePacks ?? []) {
      const region = item.AwsRegion as string;
      const list = ((byRegion[region] ??= {})[organizationPackName(item.ConformancePackName as string)] ??= []);
      list.push(item.AccountId as string);
    }
  }
  return byRegion;
}

/** The organization pack a member account's pack was deployed from: AWS Config names it OrgConformsPack-<name>-<suffix>. */
export function organizationPackName(memberPackName: string): string {
  return /^OrgConformsPack-(.+)-[^-]+$/.exec(memberPackName)?.[1] ?? memberPackName;
}

/** One account's recorder in one Region (null when it has none). */
export async function readRecorder(clients: AwsClients, accountId: string, region: string): Promise<Omit<Extract<ConfigRecorderState, { status: 'ok' }>, 'status'>> {
  const client = configClient(clients, accountId, region);
  const [recorders, statuses] = await Promise.all([
    client.send(new DescribeConfigurationRecordersCommand({})),
    client.send(new DescribeConfigurationRecorderStatusCommand({})),
  ]);
  // The customer-managed recorder; service-linked recorders belong to other AWS services.
  const recorder = (recorders.ConfigurationRecorders ?? []).find((r) => !r.servicePrincipal);
  if (!recorder?.name) return { recorder: null };
  const status = (statuses.ConfigurationRecordersStatus ?? []).find((s) => s.name === recorder.name);
  return {
    recorder: {
      name: recorder.name,
      recording: status?.recording ?? false,
      ...(status?.lastStatus ? { lastStatus: status.lastStatus as 'Pending' | 'Success' | 'Failure' | 'NotApplicable' } : {}),
      ...(recorder.recordingGroup?.allSupported !== undefined ? { allSupported: recorder.recordingGroup.allSupported } : {}),
      ...(recorder.recordingGroup?.includeGlobalResourceTypes !== undefined ? { includeGlobalResourceTypes: recorder.recordingGroup.includeGlobalResourceTypes } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface NewRecorder {
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  /** Delivery bucket for a channel, when the account has none in the Region. */
  deliveryBucket: string;
}

/** Starts a recorder; creates it (with a delivery channel where missing) first when asked. */
export async function startRecorder(clients: AwsClients, accountId: string, region: string, recorderName: string, create?: NewRecorder): Promise<void> {
  const client = configClient(clients, accountId, region);
  if (create) {
    await client.send(new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: recorderName,
        roleARN: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: create.allSupported, includeGlobalResourceTypes: create.includeGlobalResourceTypes },
      },
    }));
    const channels = await client.send(new DescribeDeliveryChannelsCommand({}));
    if (!channels.DeliveryChannels?.length) {
      await client.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: create.deliveryBucket } }));
    }
  }
  await client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: recorderName }));
}

export async function putOrganizationConformancePack(clients: AwsClients, adminAccountId: string, region: string, pack: { name: string; templateBody: string; excludedAccountIds: string[] }): Promise<void> {
  await configClient(clients, adminAccountId, region).send(new PutOrganizationConformancePackCommand({
    OrganizationConformancePackName: pack.name, TemplateBody: pack.templateBody, ExcludedAccounts: pack.excludedAccountIds,
  }));
}

export async function putOrganizationAggregator(clients: AwsClients, accountId: string, region: string, aggregator: { name: string; regions: string[]; roleArn: string }): Promise<void> {
  await configClient(clients, accountId, region).send(new PutConfigurationAggregatorCommand({
    ConfigurationAggregatorName: aggregator.name,
    OrganizationAggregationSource: { RoleArn: aggregator.roleArn, AwsRegions: aggregator.regions },
  }));
}
