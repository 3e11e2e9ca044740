import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { createRole, deleteRole, findRole } from './iam';
import { defineSlot, GLOBAL_REGION, type SandboxState } from './sandboxState';

export const SECURITY_LAKE_PRINCIPAL = 'securitylake.amazonaws.com';

export const AWS_LOG_SOURCES = ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS', 'LAMBDA_EXECUTION', 'S3_DATA', 'EKS_AUDIT', 'WAF'] as const;
export type AwsLogSourceName = (typeof AWS_LOG_SOURCES)[number];

/** Sources Security Lake enables for new accounts when an organization configuration names none (Security Lake User Guide). */
const DEFAULT_AUTO_ENABLE: AwsLogSourceName[] = ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS'];

/** The OCSF event classes each AWS source writes (source version 2.0, Security Lake User Guide "Collecting data from AWS services"). */
export const AWS_SOURCE_EVENT_CLASSES: Record<AwsLogSourceName, string[]> = {
  CLOUD_TRAIL_MGMT: ['API_ACTIVITY', 'AUTHENTICATION', 'ACCOUNT_CHANGE'],
  VPC_FLOW: ['NETWORK_ACTIVITY'],
  ROUTE53: ['DNS_ACTIVITY'],
  SH_FINDINGS: ['COMPLIANCE_FINDING', 'VULNERABILITY_FINDING', 'DETECTION_FINDING'],
  LAMBDA_EXECUTION: ['API_ACTIVITY'],
  S3_DATA: ['API_ACTIVITY'],
  EKS_AUDIT: ['API_ACTIVITY'],
  WAF: ['HTTP_ACTIVITY'],
};

/** OCSF event classes a custom source may declare. */
export const CUSTOM_SOURCE_EVENT_CLASSES = [
  'ACCESS_ACTIVITY', 'FILE_ACTIVITY', 'KERNEL_ACTIVITY', 'KERNEL_EXTENSION', 'MEMORY_ACTIVITY', 'MODULE_ACTIVITY', 'PROCESS_ACTIVITY',
  'REGISTRY_KEY_ACTIVITY', 'REGISTRY_VALUE_ACTIVITY', 'RESOURCE_ACTIVITY', 'SCHEDULED_JOB_ACTIVITY', 'SECURITY_FINDING', 'ACCOUNT_CHANGE',
  'AUTHENTICATION', 'AUTHORIZATION', 'ENTITY_MANAGEMENT_AUDIT', 'DHCP_ACTIVITY', 'NETWORK_ACTIVITY', 'DNS_ACTIVITY', 'FTP_ACTIVITY',
  'HTTP_ACTIVITY', 'RDP_ACTIVITY', 'SMB_ACTIVITY', 'SSH_ACTIVITY', 'CONFIG_STATE', 'INVENTORY_INFO', 'EMAIL_ACTIVITY', 'API_ACTIVITY',
  'CLOUD_API', 'DEVICE_INVENTORY_INFO', 'DEVICE_CONFIG_STATE', 'EMAIL_FILE_ACTIVITY', 'EMAIL_URL_ACTIVITY', 'NETWORK_FILE_ACTIVITY',
  'WEB_RESOURCE_ACCESS_ACTIVITY', 'WEB_RESOURCE_ACTIVITY', 'APPLICATION_LIFECYCLE', 'COMPLIANCE_FINDING', 'DETECTION_FINDING',
  'VULNERABILITY_FINDING', 'INCIDENT_FINDING',
];

export interface DataLakeRecord {
  arn: string;
  createdAt: string;
  bucketName: string;
  metaStoreManagerRoleArn: string;
  encryption?: { kmsKeyId?: string };
  lifecycle?: { expiration?: { days?: number }; transitions?: { days?: number; storageClass?: string }[] };
  replication?: { regions: string[]; roleArn?: string };
}

export interface CustomSourceRecord {
  name: string;
  version: string;
  eventClasses: string[];
  providerPrincipal: string;
  externalId: string;
  crawlerRoleArn: string;
  roleArn: string;
  location: string;
  createdAt: string;
}

export interface SubscriberRecord {
  id: string;
  arn: string;
  name: string;
  description?: string;
  identity: { principal: string; externalId: string };
  accessTypes: ('LAKEFORMATION' | 'S3')[];
  sources: Record<string, unknown>[];
  createdAt: string;
  updatedAt: string;
  region: string;
}

/** Security Lake in one account and Region. */
export interface SecurityLakeRegionState {
  /** The account's data lake here (the delegated administrator's, in an organization). */
  dataLake?: DataLakeRecord;
  /** AWS sources enabled for this account here: source → version. */
  awsSources: Partial<Record<AwsLogSourceName, { version: string; at: string }>>;
  /** Sources auto-enabled for a new account that were turned off since. */
  stopped: AwsLogSourceName[];
  customSources: Record<string, CustomSourceRecord>;
  subscribers: Record<string, SubscriberRecord>;
}

/** Settings of the administrator that span Regions. */
export interface SecurityLakeAccountState {
  /** Region → sources enabled for accounts that join the organization after `since`. */
  autoEnable: Record<string, { sources: { sourceName: AwsLogSourceName; sourceVersion: string }[]; since: string }>;
  exceptionSubscription?: { notificationEndpoint: string; subscriptionProtocol: string; exceptionTimeToLive?: number };
}

export const securityLakeSlot = defineSlot<SecurityLakeRegionState>('securitylake', () => ({ awsSources: {}, stopped: [], customSources: {}, subscribers: {} }));
export const securityLakeAccountSlot = defineSlot<SecurityLakeAccountState>('securitylake-account', () => ({ autoEnable: {} }), { global: true });

function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message);
}

function notFound(message: string, resourceName?: string, resourceType?: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, { fields: { ...(resourceName ? { resourceName } : {}), ...(resourceType ? { resourceType } : {}) } });
}

function conflict(message: string, resourceName?: string, resourceType?: string): AwsError {
  return new AwsError('ConflictException', message, { fields: { ...(resourceName ? { resourceName } : {}), ...(resourceType ? { resourceType } : {}) } });
}

// ── Delegated administrator ──────────────────────────────────────────────────────────────────

export function securityLakeAdmin(state: SandboxState): string | undefined {
  return state.organization?.delegatedAdministrators(SECURITY_LAKE_PRINCIPAL)[0]?.accountId;
}

export function registerAdmin(state: SandboxState, account: string, now: Date): void {
  const org = state.organization;
  if (!org) throw new AwsError('AccessDeniedException', 'The account is not in an organization.', { fields: { errorCode: 'AccessDenied' } });
  if (!org.account(account)) throw notFound(`Account ${account} is not a member of the organization.`, account, 'AWS::Organizations::Account');
  const current = securityLakeAdmin(state);
  if (current === account) return;
  if (current) throw conflict(`Account ${current} is already the Security Lake delegated administrator.`, current, 'DelegatedAdministrator');
  // Security Lake enables trusted access and registers the administrator with Organizations itself.
  org.enableServiceAccess(SECURITY_LAKE_PRINCIPAL, now);
  org.registerDelegatedAdministrator(account, SECURITY_LAKE_PRINCIPAL, now);
}

export function deregisterAdmin(state: SandboxState): void {
  const current = securityLakeAdmin(state);
  if (!current) throw notFound('The organization has no Security Lake delegated administrator.', undefined, 'DelegatedAdministrator');
  state.organization?.deregisterDelegatedAdministrator(current, SECURITY_LAKE_PRINCIPAL);
}

/** The accounts whose sources the caller manages: the organization's for the administrator, else its own. */
export function managedAccounts(state: SandboxState, caller: string): string[] {
  const org = state.organization;
  if (org && securityLakeAdmin(state) === caller) return org.accounts().filter((a) => a.state === 'ACTIVE').map((a) => a.id);
  return [caller];
}

// ── Data lakes ───────────────────────────────────────────────────────────────────────────────

export interface LakeConfiguration {
  region: string;
  encryptionConfiguration?: { kmsKeyId?: string };
  lifecycleConfiguration?: DataLakeRecord['lifecycle'];
  replicationConfiguration?: { regions?: string[]; roleArn?: string };
}

function checkConfiguration(configuration: LakeConfiguration): Pick<DataLakeRecord, 'encryption' | 'lifecycle' | 'replication'> {
  const replication = configuration.replicationConfiguration;
  if (replication?.regions?.length) {
    if (replication.regions.includes(configuration.region)) throw badRequest(`Region ${configuration.region} cannot replicate to itself.`);
    if (!replication.roleArn) throw badRequest(`replicationConfiguration.roleArn is required when ${configuration.region} replicates to ${replication.regions.join(', ')}.`);
  }
  const lifecycle = configuration.lifecycleConfiguration;
  const expiration = lifecycle?.expiration?.days;
  for (const transition of lifecycle?.transitions ?? []) {
    if (expiration !== undefined && transition.days !== undefined && transition.days >= expiration) {
      throw badRequest(`A transition after ${transition.days} days comes at or after the expiration (${expiration} days).`);
    }
  }
  return {
    ...(configuration.encryptionConfiguration ? { encryption: configuration.encryptionConfiguration } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(replication?.regions?.length ? { replication: { regions: [...new Set(replication.regions)], roleArn: replication.roleArn } } : {}),
  };
}

export function createDataLakes(state: SandboxState, account: string, configurations: LakeConfiguration[], metaStoreManagerRoleArn: string, random: SeededRandom, now: Date): DataLakeRecord[] {
  const regions = configurations.map((c) => c.region);
  if (new Set(regions).size !== regions.length) throw badRequest('Each Region can appear once in configurations.');
  for (const region of regions) {
    if (state.find(securityLakeSlot, account, region)?.dataLake) throw conflict(`A data lake already exists in ${region}.`, `arn:aws:securitylake:${region}:${account}:data-lake/default`, 'DataLake');
  }
  const checked = configurations.map((c) => ({ region: c.region, settings: checkConfiguration(c) }));
  return checked.map(({ region, settings }) => {
    const slot = state.get(securityLakeSlot, account, region);
    slot.dataLake = {
      arn: `arn:aws:securitylake:${region}:${account}:data-lake/default`, createdAt: now.toISOString(),
      bucketName: `aws-security-data-lake-${region}-${random.lowerAlnum(30)}`, metaStoreManagerRoleArn, ...settings,
    };
    return slot.dataLake;
  });
}

/** Replaces the settings of existing data lakes: what a configuration omits (replication, say) is removed. */
export function updateDataLakes(state: SandboxState, account: string, configurations: LakeConfiguration[]): DataLakeRecord[] {
  const checked = configurations.map((c) => {
    const lake = state.find(securityLakeSlot, account, c.region)?.dataLake;
    if (!lake) throw notFound(`There is no data lake in ${c.region}; create it with CreateDataLake.`, c.region, 'DataLake');
    return { lake, settings: checkConfiguration(c) };
  });
  return checked.map(({ lake, settings }) => {
    delete lake.encryption;
    delete lake.lifecycle;
    delete lake.replication;
    Object.assign(lake, settings);
    return lake;
  });
}

export function deleteDataLakes(state: SandboxState, account: string, regions: string[]): void {
  for (const region of regions) {
    if (!state.find(securityLakeSlot, account, region)?.dataLake) throw notFound(`There is no data lake in ${region}.`, region, 'DataLake');
  }
  for (const region of regions) delete state.get(securityLakeSlot, account, region).dataLake;
}

export function dataLakeIn(state: SandboxState, account: string, region: string): DataLakeRecord | undefined {
  return state.find(securityLakeSlot, account, region)?.dataLake;
}

export function requireDataLake(state: SandboxState, account: string, region: string): DataLakeRecord {
  const lake = dataLakeIn(state, account, region);
  if (!lake) throw notFound(`Security Lake is not enabled in ${region} for account ${account}: there is no data lake there.`, region, 'DataLake');
  return lake;
}

/** Regions where the account has a data lake. */
export function lakeRegions(state: SandboxState, account: string): string[] {
  const out: string[] = [];
  for (const { account: owner, region, value } of state.entries(securityLakeSlot)) if (owner === account && value.dataLake) out.push(region);
  return out.sort();
}

/** Replication problems, derived from the lakes: a contributing Region replicating to a Region without a data lake. */
export function replicationExceptions(state: SandboxState, account: string): { region: string; exception: string; remediation: string; at: string }[] {
  const out: { region: string; exception: string; remediation: string; at: string }[] = [];
  for (const region of lakeRegions(state, account)) {
    const lake = dataLakeIn(state, account, region) as DataLakeRecord;
    for (const rollup of lake.replication?.regions ?? []) {
      if (!dataLakeIn(state, account, rollup)) {
        out.push({
          region, at: lake.createdAt,
          exception: `Replication from ${region} to ${rollup} failed: there is no data lake in ${rollup}.`,
          remediation: `Create the data lake in the rollup Region ${rollup}, or remove it from the replication configuration of ${region}.`,
        });
      }
    }
  }
  return out;
}

// ── AWS log sources (per account × Region) ───────────────────────────────────────────────────

/** The AWS sources collecting for an account in a Region: those enabled for it, and those auto-enabled when it joined. */
export function effectiveAwsSources(state: SandboxState, admin: string, account: string, region: string): Partial<Record<AwsLogSourceName, string>> {
  const out: Partial<Record<AwsLogSourceName, string>> = {};
  if (!dataLakeIn(state, admin, region)) return out;
  const slot = state.find(securityLakeSlot, account, region);
  const auto = state.find(securityLakeAccountSlot, admin, GLOBAL_REGION)?.autoEnable[region];
  const joined = state.organization?.account(account)?.joinedAt;
  if (auto && joined && joined > auto.since && admin !== account) {
    for (const source of auto.sources) if (!slot?.stopped.includes(source.sourceName)) out[source.sourceName] = source.sourceVersion;
  }
  for (const [name, enabled] of Object.entries(slot?.awsSources ?? {})) out[name as AwsLogSourceName] = enabled.version;
  return out;
}

export interface SourceRequest {
  accounts?: string[];
  regions: string[];
  sourceName: AwsLogSourceName;
  sourceVersion?: string;
}

/** Enables (or turns off) AWS sources for accounts × Regions; returns the accounts it could not act for. */
export function changeAwsSources(state: SandboxState, admin: string, requests: SourceRequest[], enable: boolean, now: Date): string[] {
  const allowed = new Set(managedAccounts(state, admin));
  const failed = new Set<string>();
  for (const request of requests) {
    for (const region of request.regions) requireDataLake(state, admin, region);
  }
  for (const request of requests) {
    const accounts = request.accounts?.length ? request.accounts : [...allowed];
    const version = !request.sourceVersion || request.sourceVersion === 'latest' ? '2.0' : request.sourceVersion;
    for (const account of accounts) {
      if (!allowed.has(account)) {
        failed.add(account);
        continue;
      }
      for (const region of request.regions) {
        const slot = state.get(securityLakeSlot, account, region);
        if (enable) {
          slot.awsSources[request.sourceName] = { version, at: now.toISOString() };
          slot.stopped = slot.stopped.filter((s) => s !== request.sourceName);
        } else {
          delete slot.awsSources[request.sourceName];
          if (!slot.stopped.includes(request.sourceName)) slot.stopped.push(request.sourceName);
        }
      }
    }
  }
  return [...failed];
}

// ── Custom sources ───────────────────────────────────────────────────────────────────────────

/** The IAM role Security Lake creates for a custom source's provider. */
export function providerRoleName(sourceName: string, region: string): string {
  return `AmazonSecurityLake-Provider-${sourceName}-${region}`;
}

export function createCustomSource(state: SandboxState, account: string, region: string, input: { sourceName: string; sourceVersion?: string; eventClasses?: string[]; crawlerRoleArn: string; principal: string; externalId: string }, random: SeededRandom, now: Date): CustomSourceRecord {
  const lake = requireDataLake(state, account, region);
  const slot = state.get(securityLakeSlot, account, region);
  if (slot.customSources[input.sourceName]) throw conflict(`Custom source ${input.sourceName} already exists in ${region}.`, input.sourceName, 'CustomLogSource');
  for (const eventClass of input.eventClasses ?? []) {
    if (!CUSTOM_SOURCE_EVENT_CLASSES.includes(eventClass)) throw badRequest(`${eventClass} is not an OCSF event class Security Lake accepts for custom sources.`);
  }
  const roleName = providerRoleName(input.sourceName, region);
  if (roleName.length > 64) throw badRequest(`The provider role name ${roleName} would be longer than IAM's 64 characters; use a shorter source name.`);
  if (findRole(state, account, roleName)) throw conflict(`IAM role ${roleName} already exists.`, roleName, 'AWS::IAM::Role');
  const principal = /^\d{12}$/.test(input.principal) ? { AWS: `arn:aws:iam::${input.principal}:root` } : { Service: input.principal };
  const role = createRole(state, account, {
    name: roleName,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': input.externalId } } }],
    }),
    description: `Lets ${input.principal} write the ${input.sourceName} custom source into Security Lake`,
  }, now, random);
  const version = input.sourceVersion ?? '1.0';
  const record: CustomSourceRecord = {
    name: input.sourceName, version, eventClasses: input.eventClasses ?? [], providerPrincipal: input.principal, externalId: input.externalId,
    crawlerRoleArn: input.crawlerRoleArn, roleArn: role.arn, location: `s3://${lake.bucketName}/ext/${input.sourceName}/${version}/`,
    createdAt: now.toISOString(),
  };
  slot.customSources[input.sourceName] = record;
  return record;
}

export function deleteCustomSource(state: SandboxState, account: string, region: string, sourceName: string, version?: string): CustomSourceRecord {
  const slot = state.find(securityLakeSlot, account, region);
  const source = slot?.customSources[sourceName];
  if (!slot || !source || (version !== undefined && version !== source.version)) {
    throw notFound(`Custom source ${sourceName}${version ? ` version ${version}` : ''} does not exist in ${region}.`, sourceName, 'CustomLogSource');
  }
  delete slot.customSources[sourceName];
  const roleName = providerRoleName(sourceName, region);
  if (findRole(state, account, roleName)) deleteRole(state, account, roleName);
  return source;
}

export function customSourceAttributes(account: string, region: string, source: CustomSourceRecord): Record<string, string> {
  const r = region.replace(/-/g, '_');
  return {
    crawlerArn: `arn:aws:glue:${region}:${account}:crawler/${source.name}`,
    databaseArn: `arn:aws:glue:${region}:${account}:database/amazon_security_lake_glue_db_${r}`,
    tableArn: `arn:aws:glue:${region}:${account}:table/amazon_security_lake_table_${r}_ext_${source.name.replace(/-/g, '_')}`,
  };
}

// ── Organization configuration ───────────────────────────────────────────────────────────────

export function createOrganizationConfiguration(state: SandboxState, admin: string, entries: { region: string; sources: { sourceName: AwsLogSourceName; sourceVersion?: string }[] }[] | undefined, now: Date): void {
  const account = state.get(securityLakeAccountSlot, admin, GLOBAL_REGION);
  const wanted: { region: string; sources: { sourceName: AwsLogSourceName; sourceVersion?: string }[] }[] = entries?.length
    ? entries
    : lakeRegions(state, admin).map((region) => ({ region, sources: DEFAULT_AUTO_ENABLE.map((sourceName) => ({ sourceName })) }));
  for (const entry of wanted) requireDataLake(state, admin, entry.region);
  for (const entry of wanted) {
    const current = account.autoEnable[entry.region];
    const sources = [...(current?.sources ?? [])];
    for (const s of entry.sources) {
      const version = !s.sourceVersion || s.sourceVersion === 'latest' ? '2.0' : s.sourceVersion;
      const at = sources.findIndex((x) => x.sourceName === s.sourceName);
      if (at >= 0) sources[at] = { sourceName: s.sourceName, sourceVersion: version };
      else sources.push({ sourceName: s.sourceName, sourceVersion: version });
    }
    account.autoEnable[entry.region] = { sources, since: current?.since ?? now.toISOString() };
  }
}

export function deleteOrganizationConfiguration(state: SandboxState, admin: string, entries: { region: string; sources: { sourceName: AwsLogSourceName }[] }[] | undefined): void {
  const account = state.get(securityLakeAccountSlot, admin, GLOBAL_REGION);
  if (!entries?.length) {
    account.autoEnable = {};
    return;
  }
  for (const entry of entries) {
    const current = account.autoEnable[entry.region];
    if (!current) continue;
    const drop = new Set(entry.sources.map((s) => s.sourceName));
    current.sources = current.sources.filter((s) => !drop.has(s.sourceName));
    if (!current.sources.length) delete account.autoEnable[entry.region];
  }
}
