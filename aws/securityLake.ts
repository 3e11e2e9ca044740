import {
  CreateAwsLogSourceCommand, CreateCustomLogSourceCommand, CreateDataLakeCommand, CreateDataLakeOrganizationConfigurationCommand, DeleteCustomLogSourceCommand,
  GetDataLakeOrganizationConfigurationCommand, ListDataLakesCommand, RegisterDataLakeDelegatedAdministratorCommand, SecurityLakeClient, UpdateDataLakeCommand,
  paginateGetDataLakeSources, paginateListLogSources, paginateListSubscribers,
  AwsLogSourceName, type DataLakeConfiguration, type DataLakeResource,
} from '@aws-sdk/client-securitylake';
import type { AwsLogSourceState, CustomLogSourceState, InventoryDataLake, SecurityLakeRegionState } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * Amazon Security Lake, through its delegated administrator: the data lakes of every Region in one
 * call, each Region's sources for every account (GetDataLakeSources), custom sources, the
 * organization's auto-enable settings and subscribers; and the writes remediation makes.
 */

const SecurityLake = SecurityLakeClient as ClientConstructor<SecurityLakeClient>;

function lakeClient(clients: AwsClients, adminAccountId: string, region: string): SecurityLakeClient {
  return clients.client(SecurityLake, 'securitylake', { account: adminAccountId, region });
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

function dataLakeOf(resource: DataLakeResource): InventoryDataLake {
  const kmsKeyId = resource.encryptionConfiguration?.kmsKeyId ?? 'S3_MANAGED_KEY';
  const lifecycle = resource.lifecycleConfiguration;
  const replication = resource.replicationConfiguration;
  return {
    arn: resource.dataLakeArn as string,
    encryption: { kmsKeyId, ...(kmsKeyId.startsWith('alias/') ? { kmsKeyAlias: kmsKeyId } : {}) },
    lifecycle: {
      ...(lifecycle?.expiration?.days ? { expirationDays: lifecycle.expiration.days } : {}),
      transitions: (lifecycle?.transitions ?? []).map((t) => ({ days: t.days as number, storageClass: t.storageClass as string })),
    },
    replication: replication?.regions?.length ? { regions: [...replication.regions], ...(replication.roleArn ? { roleArn: replication.roleArn } : {}) } : null,
    status: (resource.createStatus ?? 'COMPLETED') as InventoryDataLake['status'],
  };
}

/** The data lake of each Region (null where there is none), in one call from the home Region. */
export async function readDataLakes(clients: AwsClients, adminAccountId: string, homeRegion: string, regions: string[]): Promise<Record<string, InventoryDataLake | null>> {
  const out = await lakeClient(clients, adminAccountId, homeRegion).send(new ListDataLakesCommand({ regions }));
  const byRegion: Record<string, InventoryDataLake | null> = Object.fromEntries(regions.map((r) => [r, null]));
  for (const lake of out.dataLakes ?? []) if (lake.region && lake.region in byRegion) byRegion[lake.region] = dataLakeOf(lake);
  return byRegion;
}

export interface RegionSources {
  awsSources: Record<string, AwsLogSourceState[]>;
  /** Event classes of the administrator's custom sources, by source name. */
  customEventClasses: Record<string, string[]>;
}

const AWS_SOURCE_NAMES = new Set<string>(Object.values(AwsLogSourceName));

/** Every account's (or the given accounts') AWS sources in one Region with their collection status, and the custom sources' event classes. */
export async function readRegionSources(clients: AwsClients, adminAccountId: string, region: string, accounts?: string[]): Promise<RegionSources> {
  const client = lakeClient(clients, adminAccountId, region);
  const awsSources: Record<string, AwsLogSourceState[]> = {};
  const customEventClasses: Record<string, string[]> = {};
  for await (const page of paginateGetDataLakeSources({ client, pageSize: 100 }, accounts ? { accounts } : {})) {
    for (const source of page.dataLakeSources ?? []) {
      const account = source.account as string;
      const name = source.sourceName as string;
      const status = source.sourceStatuses?.[0];
      if (!AWS_SOURCE_NAMES.has(name)) {
        if (account === adminAccountId) customEventClasses[name] = [...(source.eventClasses ?? [])];
        continue;
      }
      const version = status?.resource?.split('/')[1] ?? '';
      (awsSources[account] ??= []).push({ sourceName: name, sourceVersion: version || 'unknown', status: (status?.status ?? 'NOT_COLLECTING') as AwsLogSourceState['status'] });
    }
  }
  return { awsSources, customEventClasses };
}

/** Custom sources of the administrator per Region (name, version, provider), in one listing from the home Region. */
export async function readCustomSources(clients: AwsClients, adminAccountId: string, homeRegion: string, regions: string[]): Promise<Record<string, Omit<CustomLogSourceState, 'eventClasses'>[]>> {
  const client = lakeClient(clients, adminAccountId, homeRegion);
  const byRegion: Record<string, Omit<CustomLogSourceState, 'eventClasses'>[]> = Object.fromEntries(regions.map((r) => [r, []]));
  for await (const page of paginateListLogSources({ client }, { accounts: [adminAccountId], regions })) {
    for (const entry of page.sources ?? []) {
      for (const resource of entry.sources ?? []) {
        const custom = resource.customLogSource;
        if (!custom?.sourceName || !entry.region || !(entry.region in byRegion)) continue;
        byRegion[entry.region].push({
          sourceName: custom.sourceName, sourceVersion: custom.sourceVersion ?? '1.0',
          ...(custom.provider?.roleArn ? { providerRoleArn: custom.provider.roleArn } : {}),
          ...(custom.provider?.location ? { location: custom.provider.location } : {}),
        });
      }
    }
  }
  return byRegion;
}

/** Sources enabled for accounts that join later, per Region. */
export async function readAutoEnable(clients: AwsClients, adminAccountId: string, homeRegion: string): Promise<Record<string, { sourceName: string; sourceVersion: string }[]>> {
  const out = await lakeClient(clients, adminAccountId, homeRegion).send(new GetDataLakeOrganizationConfigurationCommand({}));
  const byRegion: Record<string, { sourceName: string; sourceVersion: string }[]> = {};
  for (const entry of out.autoEnableNewAccount ?? []) {
    byRegion[entry.region as string] = (entry.sources ?? []).map((s) => ({ sourceName: s.sourceName as string, sourceVersion: s.sourceVersion ?? '2.0' }));
  }
  return byRegion;
}

export async function readSubscribers(clients: AwsClients, adminAccountId: string, homeRegion: string): Promise<Record<string, SecurityLakeRegionStateData['subscribers']>> {
  const client = lakeClient(clients, adminAccountId, homeRegion);
  const byRegion: Record<string, SecurityLakeRegionStateData['subscribers']> = {};
  for (const page of await all(paginateListSubscribers({ client }, {}))) {
    for (const s of page.subscribers ?? []) {
      const region = (s.subscriberArn as string).split(':')[3];
      (byRegion[region] ??= []).push({
        name: s.subscriberName as string, principal: s.subscriberIdentity?.principal as string,
        ...(s.subscriberIdentity?.externalId ? { externalId: s.subscriberIdentity.externalId } : {}),
        accessTypes: [...(s.accessTypes ?? [])],
        sources: (s.sources ?? []).map((src) => src.awsLogSource?.sourceName ?? src.customLogSource?.sourceName ?? '').filter(Boolean),
        ...(s.subscriberStatus ? { status: s.subscriberStatus } : {}),
      });
    }
  }
  return byRegion;
}

type SecurityLakeRegionStateData = Omit<Extract<SecurityLakeRegionState, { status: 'ok' }>, 'status'>;

// ---------------------------------------------------------------------------------------------
// Writes (the delegated administrator)

export interface LakeSettings {
  kmsKeyAlias?: string;
  expirationDays: number;
  transitions: { days: number; storageClass: string }[];
}

function configuration(region: string, settings: LakeSettings, replication: { regions: string[]; roleArn: string } | null): DataLakeConfiguration {
  return {
    region,
    encryptionConfiguration: { kmsKeyId: settings.kmsKeyAlias ?? 'S3_MANAGED_KEY' },
    lifecycleConfiguration: {
      expiration: { days: settings.expirationDays },
      transitions: settings.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
    },
    ...(replication && replication.regions.length ? { replicationConfiguration: replication } : {}),
  };
}

export async function createDataLake(clients: AwsClients, adminAccountId: string, region: string, settings: LakeSettings, metaStoreManagerRoleArn: string, replication: { regions: string[]; roleArn: string } | null): Promise<void> {
  await lakeClient(clients, adminAccountId, region).send(new CreateDataLakeCommand({
    metaStoreManagerRoleArn, configurations: [configuration(region, settings, replication)],
  }));
}

/** Rewrites a Region's lake settings, keeping what is not given (UpdateDataLake replaces the whole configuration). */
export async function updateDataLake(clients: AwsClients, adminAccountId: string, region: string, change: { settings?: LakeSettings; replication?: { regions: string[]; roleArn: string } | null }): Promise<void> {
  const client = lakeClient(clients, adminAccountId, region);
  const current = (await client.send(new ListDataLakesCommand({ regions: [region] }))).dataLakes?.find((l) => l.region === region);
  if (!current) throw new Error(`there is no data lake in ${region} to update`);
  const live = dataLakeOf(current);
  const settings: LakeSettings = change.settings ?? {
    ...(live.encryption.kmsKeyId !== 'S3_MANAGED_KEY' ? { kmsKeyAlias: live.encryption.kmsKeyAlias ?? live.encryption.kmsKeyId } : {}),
    expirationDays: live.lifecycle.expirationDays ?? 0,
    transitions: live.lifecycle.transitions,
  };
  const replication = change.replication !== undefined ? change.replication
    : live.replication?.roleArn ? { regions: live.replication.regions, roleArn: live.replication.roleArn } : null;
  const config = configuration(region, settings, replication);
  if (!change.settings && !live.lifecycle.expirationDays) delete config.lifecycleConfiguration?.expiration;
  await client.send(new UpdateDataLakeCommand({ configurations: [config] }));
}

export async function createAwsLogSource(clients: AwsClients, adminAccountId: string, region: string, source: { sourceName: string; sourceVersion: string; accountIds: string[] }): Promise<void> {
  const out = await lakeClient(clients, adminAccountId, region).send(new CreateAwsLogSourceCommand({
    sources: [{ sourceName: source.sourceName as AwsLogSourceName, sourceVersion: source.sourceVersion, regions: [region], accounts: source.accountIds }],
  }));
  if (out.failed?.length) throw new Error(`Security Lake did not enable ${source.sourceName} for ${out.failed.join(', ')} in ${region}`);
}

export interface CustomSourceRegistration {
  sourceName: string;
  sourceVersion: string;
  eventClasses: string[];
  crawlerRoleArn: string;
  providerAccountId: string;
  externalId: string;
}

export async function createCustomLogSource(clients: AwsClients, adminAccountId: string, region: string, source: CustomSourceRegistration): Promise<void> {
  await lakeClient(clients, adminAccountId, region).send(new CreateCustomLogSourceCommand({
    sourceName: source.sourceName, sourceVersion: source.sourceVersion, eventClasses: source.eventClasses,
    configuration: {
      crawlerConfiguration: { roleArn: source.crawlerRoleArn },
      providerIdentity: { principal: source.providerAccountId, externalId: source.externalId },
    },
  }));
}

export async function deleteCustomLogSource(clients: AwsClients, adminAccountId: string, region: string, sourceName: string): Promise<void> {
  try {
    await lakeClient(clients, adminAccountId, region).send(new DeleteCustomLogSourceCommand({ sourceName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
}

export async function createOrganizationConfiguration(clients: AwsClients, adminAccountId: string, region: string, sources: { sourceName: string; sourceVersion: string }[]): Promise<void> {
  await lakeClient(clients, adminAccountId, region).send(new CreateDataLakeOrganizationConfigurationCommand({
    autoEnableNewAccount: [{ region, sources: sources.map((s) => ({ sourceName: s.sourceName as AwsLogSourceName, sourceVersion: s.sourceVersion })) }],
  }));
}

/** Designates the Security Lake administrator (management account, organization role); Security Lake registers it with Organizations. */
export async function registerDelegatedAdministrator(clients: AwsClients, managementAccountId: string, region: string, adminAccountId: string): Promise<void> {
  const client = clients.client(SecurityLake, 'securitylake', { account: managementAccountId, region, as: 'organization' });
  await client.send(new RegisterDataLakeDelegatedAdministratorCommand({ accountId: adminAccountId }));
}
