import type { DesiredState } from './desiredState';
import { standardArnIn } from './desiredState';
import { INVENTORY_SCHEMA_VERSION, type AccountState, type AwsLogSourceState, type Inventory, type InventoryOu, type InventoryPolicyDocument, type InventoryScp } from './inventory';

export interface InventoryFromDesiredOptions {
  /** The inventory's collectedAt (the engine never reads the clock). */
  collectedAt: string;
  /** Ids for configured accounts that have none in the configuration, by logical name. */
  accountIds?: Readonly<Record<string, string>>;
}

/** Ids the fixture gives to things AWS would name: deterministic, and valid in AWS's formats. */
const ROOT_ID = 'r-root';
const ouId = (index: number) => `ou-root-${(index + 1).toString(16).padStart(8, '0')}`;
const policyId = (index: number) => `p-${(index + 1).toString(16).padStart(8, '0')}`;
const configurationPolicyId = (index: number) => `00000000-0000-4000-8000-${(index + 1).toString(16).padStart(12, '0')}`;

/**
 * The inventory of an organization that is exactly as the desired state asks: the clean
 * baseline that tests mutate one fact at a time, benchmarks scale, and the sandbox can seed from.
 * Pure; throws when a configured account has no id and none is given.
 */
export function inventoryFromDesired(desired: DesiredState, options: InventoryFromDesiredOptions): Inventory {
  const org = desired.organization;
  const idOf = new Map<string, string>();
  for (const account of org.accounts) {
    const id = account.id ?? options.accountIds?.[account.name];
    if (!id) throw new Error(`account ${account.name} has no id in the configuration; pass one in accountIds (e.g. { "${account.name}": "123456789012" })`);
    idOf.set(account.name, id);
  }
  const accountId = (name: string) => idOf.get(name) as string;

  const ous: InventoryOu[] = [];
  const ouIdByPath = new Map<string, string>([['Root', ROOT_ID]]);
  org.organizationalUnits.forEach((ou, index) => {
    const id = ouId(index);
    ouIdByPath.set(ou.path, id);
    ous.push({ id, name: ou.name, parentId: ouIdByPath.get(ou.parentPath) as string, path: ou.path });
  });

  const scps: InventoryScp[] = [{
    id: 'p-FullAWSAccess', name: 'FullAWSAccess', description: 'Allows access to every operation', awsManaged: true,
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    targets: [{ targetId: ROOT_ID, type: 'ROOT' }],
  }];
  org.serviceControlPolicies.forEach((scp, index) => {
    scps.push({
      id: policyId(index), name: scp.name, description: scp.description, awsManaged: false,
      document: structuredClone(scp.document) as InventoryPolicyDocument,
      targets: scp.targets.map((target) => (target.kind === 'ou'
        ? { targetId: ouIdByPath.get(target.path) as string, type: target.path === 'Root' ? 'ROOT' as const : 'ORGANIZATIONAL_UNIT' as const }
        : { targetId: accountId(target.name), type: 'ACCOUNT' as const })),
    });
  });

  const byServicePrincipal: Record<string, string[]> = {};
  for (const admin of org.delegatedAdministrators) {
    (byServicePrincipal[admin.servicePrincipal] ??= []).push(accountId(admin.account));
  }

  const hub = desired.securityHub;
  const hubAdmin = accountId(hub.adminAccount);
  const policies = hub.configurationPolicies.map((policy, index) => {
    const id = configurationPolicyId(index);
    return {
      id, arn: `arn:aws:securityhub:${hub.aggregationRegion}:${hubAdmin}:configuration-policy/${id}`, name: policy.name, description: policy.description,
      serviceEnabled: true,
      enabledStandardArns: policy.standards.map((s) => standardArnIn(s.resource, hub.aggregationRegion)),
      disabledControlIds: policy.disabledControls.map((c) => c.controlId),
    };
  });
  const policyByName = new Map(hub.configurationPolicies.map((p, index) => [p.name, { desired: p, id: policies[index].id }]));

  const lake = desired.securityLake;
  const lakeAdmin = accountId(lake.adminAccount);
  const recorder = desired.config.recorder;
  const toolingId = accountId(org.securityToolingAccount);

  const accounts: Record<string, AccountState> = {};
  for (const account of org.accounts) {
    const id = accountId(account.name);
    const governing = account.securityHubPolicy ? policyByName.get(account.securityHubPolicy)?.desired : undefined;
    const regions: AccountState['regions'] = {};
    for (const region of new Set([...hub.regions, ...desired.config.regions])) {
      regions[region] = {
        securityHub: governing
          ? {
            status: 'ok', enabled: true, hubArn: `arn:aws:securityhub:${region}:${id}:hub/default`,
            standards: governing.standards.map((s) => ({
              standardArn: standardArnIn(s.resource, region), subscriptionArn: `arn:aws:securityhub:${region}:${id}:subscription/${s.resource.slice('standards/'.length)}`, status: 'READY' as const,
            })),
            disabledControls: governing.disabledControls.map((c) => ({ controlId: c.controlId, reason: c.reason })),
          }
          : { status: 'ok', enabled: false, standards: [], disabledControls: [] },
        config: {
          status: 'ok',
          recorder: { name: 'default', recording: true, lastStatus: 'Success', allSupported: recorder.allSupported, includeGlobalResourceTypes: region === recorder.globalResourceRegion },
        },
      };
    }
    accounts[id] = {
      regions,
      iam: {
        status: 'ok',
        roles: [{
          arn: `arn:aws:iam::${id}:role/${desired.executionRoleName}`, name: desired.executionRoleName, path: '/', tags: {},
          trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${toolingId}:root` }, Action: 'sts:AssumeRole' }] },
        }],
      },
    };
  }

  const sourcesByAccount = new Map<string, AwsLogSourceState[]>();
  for (const source of lake.awsSources) {
    const names = source.accounts === 'all' ? org.accounts.map((a) => a.name) : source.accounts;
    for (const name of names) {
      const list = sourcesByAccount.get(accountId(name)) ?? [];
      list.push({ sourceName: source.sourceName, sourceVersion: source.sourceVersion, status: 'COLLECTING' });
      sourcesByAccount.set(accountId(name), list);
    }
  }
  const securityLakeRegions: Inventory['securityLake']['regions'] = {};
  for (const lakeRegion of lake.regions) {
    const { region } = lakeRegion;
    securityLakeRegions[region] = {
      status: 'ok',
      adminAccountId: lakeAdmin,
      dataLake: {
        arn: `arn:aws:securitylake:${region}:${lakeAdmin}:data-lake/default`,
        encryption: lake.encryption.kmsKeyAlias ? { kmsKeyId: lake.encryption.kmsKeyAlias, kmsKeyAlias: lake.encryption.kmsKeyAlias } : { kmsKeyId: 'S3_MANAGED_KEY' },
        lifecycle: { expirationDays: lake.lifecycle.expirationDays, transitions: lake.lifecycle.transitions.map((t) => ({ ...t })) },
        replication: lakeRegion.replicateTo
          ? { regions: [lakeRegion.replicateTo], roleArn: `arn:aws:iam::${lakeAdmin}:role/service-role/AmazonSecurityLakeS3ReplicationRole` }
          : null,
        status: 'COMPLETED',
      },
      awsSources: Object.fromEntries([...sourcesByAccount].map(([id, list]) => [id, list.map((s) => ({ ...s }))])),
      customSources: region === lake.customSourceRegion
        ? lake.customSources.map((source) => ({
          sourceName: source.sourceName, sourceVersion: source.sourceVersion, eventClasses: [source.eventClass],
          providerAccountId: accountId(source.providerAccount),
          providerRoleArn: `arn:aws:iam::${lakeAdmin}:role/AmazonSecurityLake-Provider-${source.sourceName}-${region}`,
        }))
        : [],
      autoEnableNewAccounts: lake.autoEnable.enabled ? lake.autoEnable.sources.map((s) => ({ ...s })) : [],
      subscribers: [],
    };
  }

  const configAdmin = accountId(desired.config.adminAccount);
  const conformancePacks: Inventory['config']['conformancePacks'] = {};
  for (const region of desired.config.regions) {
    conformancePacks[region] = {
      status: 'ok',
      packs: desired.config.conformancePacks.map((pack) => ({
        name: pack.name, status: 'CREATE_SUCCESSFUL' as const, excludedAccountIds: pack.excludedAccounts.map(accountId), rules: [],
      })),
    };
  }

  const analyzer = desired.accessAnalyzer;
  const analyzerAdmin = accountId(analyzer.adminAccount);
  const accessAnalyzerRegions: Inventory['accessAnalyzer']['regions'] = {};
  for (const region of analyzer.regions) {
    accessAnalyzerRegions[region] = {
      status: 'ok',
      analyzers: [{
        arn: `arn:aws:access-analyzer:${region}:${analyzerAdmin}:analyzer/${analyzer.analyzerName}`, name: analyzer.analyzerName,
        accountId: analyzerAdmin, type: 'ORGANIZATION', status: 'ACTIVE',
      }],
      findings: [],
    };
  }

  const aggregator = desired.config.aggregator;
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    collectedAt: options.collectedAt,
    metadata: {
      collector: 'fixture (inventoryFromDesired)',
      regions: [...new Set([...desired.enabledRegions, ...lake.regions.map((r) => r.region)])],
      sources: [],
      callCounts: {},
    },
    organization: {
      structure: {
        status: 'ok', rootId: ROOT_ID, managementAccountId: accountId(org.managementAccount), organizationalUnits: ous,
        accounts: org.accounts.map((account) => ({
          id: accountId(account.name), name: account.name, email: account.email, status: 'ACTIVE' as const, parentId: ouIdByPath.get(account.ouPath) as string,
        })),
      },
      policies: { status: 'ok', serviceControlPolicies: scps },
      trustedAccess: { status: 'ok', servicePrincipals: org.trustedAccess.map((t) => t.servicePrincipal) },
      delegatedAdministrators: { status: 'ok', byServicePrincipal },
    },
    securityHub: {
      organization: {
        status: 'ok', adminAccountId: hubAdmin, homeRegion: hub.aggregationRegion, configurationPolicies: policies,
        associations: hub.configurationPolicies.flatMap((policy, index) => policy.targets.map((target) => ({
          targetId: ouIdByPath.get(target.ouPath) as string,
          targetType: target.ouPath === 'Root' ? 'ROOT' as const : 'ORGANIZATIONAL_UNIT' as const,
          configurationPolicyId: policies[index].id, associationType: 'APPLIED' as const, status: 'SUCCESS' as const,
        }))),
      },
    },
    securityLake: { regions: securityLakeRegions },
    config: {
      aggregators: {
        status: 'ok',
        aggregators: [{
          name: aggregator.name, accountId: configAdmin, region: aggregator.region, organizationWide: true, allRegions: false,
          regions: [...desired.config.regions],
          sources: desired.config.regions.map((region) => ({ sourceId: ROOT_ID, sourceType: 'ORGANIZATION' as const, region, lastUpdateStatus: 'SUCCEEDED' as const })),
        }],
      },
      conformancePacks,
    },
    accessAnalyzer: { regions: accessAnalyzerRegions },
    accounts,
  };
}
