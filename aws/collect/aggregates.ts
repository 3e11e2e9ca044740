import { standardArnIn, standardResource, type DesiredState } from '../../engine/desiredState';
import type { CollectionError, InventoryConfigurationPolicy, ScopeRef, ScopeSnapshot } from '../../engine/inventory';
import { readAggregators, readConformancePacks, readPackNonCompliance, type Aggregator } from '../awsConfig';
import { toCollectionError, type AwsClients } from '../clients';
import { readRegion } from '../accessAnalyzer';
import { readDelegatedAdministrators, readPolicies, readStructure, readTrustedAccess } from '../organizations';
import { ControlCatalog, coversRegion, readCentralConfiguration, readFailedControlFindings, SELF_MANAGED, type CentralConfiguration } from '../securityHub';
import { readAutoEnable, readCustomSources, readDataLakes, readRegionSources, readSubscribers } from '../securityLake';
import type { AdminAccounts, AggregateUnit } from './plan';
import { okScope, readScopeSafely, sourceOf, unknownScope, type InventoryPart } from './part';

/**
 * The organization-wide views, one unit per service, each a handful of paginated calls to the
 * service's delegated administrator however many accounts there are. A view that cannot be read
 * leaves its scopes unknown with the error; per-account scopes a view vouches for (Security Hub
 * settings a configuration policy applied, Config recorders the aggregator sees delivering) are
 * derived from it, and the rest is left to per-account follow-ups.
 */

export interface CollectionContext {
  clients: AwsClients;
  desired: DesiredState;
  admins: AdminAccounts;
  controlCatalog?: ControlCatalog;
}

type Unit = (ctx: CollectionContext) => Promise<Omit<InventoryPart, 'unit' | 'calls'>>;

export async function collectAggregate(unit: AggregateUnit, ctx: CollectionContext): Promise<InventoryPart> {
  const before = { ...ctx.clients.calls.counts };
  const part = await UNITS[unit](ctx);
  return { unit, ...part, calls: ctx.clients.calls.since(before) };
}

export function adminMissing(ctx: CollectionContext, role: keyof Omit<AdminAccounts, 'unresolved'>, name: string): CollectionError {
  return ctx.admins.unresolved[name] ?? { code: 'AccountNotFound', message: `the ${role} administrator account ${name} could not be resolved` };
}

const organizations: Unit = async ({ clients }) => {
  const scopes = await Promise.all([
    readScopeSafely({ kind: 'organizations.structure' }, () => readStructure(clients)),
    readScopeSafely({ kind: 'organizations.policies' }, () => readPolicies(clients)),
    readScopeSafely({ kind: 'organizations.trustedAccess' }, () => readTrustedAccess(clients)),
    readScopeSafely({ kind: 'organizations.delegatedAdministrators' }, () => readDelegatedAdministrators(clients)),
  ]);
  return {
    scopes,
    sources: [
      sourceOf('organizations.structure', 'aggregate', ['organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent'], 1),
      sourceOf('organizations.policies', 'aggregate', ['organizations:ListPolicies', 'organizations:DescribePolicy', 'organizations:ListTargetsForPolicy'], 1),
      sourceOf('organizations.trustedAccess', 'aggregate', ['organizations:ListAWSServiceAccessForOrganization'], 1),
      sourceOf('organizations.delegatedAdministrators', 'aggregate', ['organizations:ListDelegatedAdministrators', 'organizations:ListDelegatedServicesForAccount'], 1),
    ],
  };
};

const securityhub: Unit = async (ctx) => {
  const { clients, desired } = ctx;
  const ref = { kind: 'securityhub.organization' } as const;
  const admin = ctx.admins.securityHub;
  if (!admin) return { scopes: [unknownScope(ref, adminMissing(ctx, 'securityHub', desired.securityHub.adminAccount))], sources: [] };
  const home = desired.securityHub.aggregationRegion;
  let central: CentralConfiguration;
  try {
    central = await readCentralConfiguration(clients, admin, home, ctx.controlCatalog ?? new ControlCatalog());
  } catch (error) {
    return { scopes: [unknownScope(ref, toCollectionError(error))], sources: [] };
  }
  const { central: _central, regions: _regions, ...view } = central;
  const scopes: ScopeSnapshot[] = [okScope(ref, view)];
  const derived = central.central ? policyAppliedScopes(central, desired.securityHub.regions) : [];
  scopes.push(...derived);
  let findings: InventoryPart['findings'];
  try {
    findings = Object.fromEntries(await readFailedControlFindings(clients, admin, home));
  } catch {
    // Findings are optional in the inventory: without them the scopes stay ok, only without finding counts.
    findings = undefined;
  }
  return {
    scopes,
    ...(findings ? { findings } : {}),
    sources: [
      sourceOf('securityhub.organization', 'aggregate', ['securityhub:ListConfigurationPolicies', 'securityhub:GetConfigurationPolicy', 'securityhub:ListConfigurationPolicyAssociations'], 1),
      sourceOf('securityhub.account', 'aggregate', ['securityhub:ListConfigurationPolicyAssociations', 'securityhub:GetFindings'], derived.length),
    ],
  };
};

/**
 * Accounts whose association succeeded have exactly their policy's settings in every Region the
 * aggregator links (Security Hub applies the policy there and refuses local changes).
 */
function policyAppliedScopes(central: CentralConfiguration, regions: string[]): ScopeSnapshot[] {
  const byId = new Map<string, InventoryConfigurationPolicy>(central.configurationPolicies.map((p) => [p.id, p]));
  const covered = regions.filter((r) => coversRegion(central.regions, r));
  const scopes: ScopeSnapshot[] = [];
  for (const association of central.associations) {
    if (association.targetType !== 'ACCOUNT' || association.status !== 'SUCCESS' || association.configurationPolicyId === SELF_MANAGED) continue;
    const policy = byId.get(association.configurationPolicyId);
    if (!policy) continue;
    for (const region of covered) {
      const accountId = association.targetId;
      scopes.push(okScope({ kind: 'securityhub.account', accountId, region }, policy.serviceEnabled
        ? {
          enabled: true, hubArn: `arn:aws:securityhub:${region}:${accountId}:hub/default`, configurationPolicyId: policy.id,
          standards: policy.enabledStandardArns.map((arn) => ({ standardArn: standardArnIn(standardResource(arn), region), status: 'READY' })),
          disabledControls: policy.disabledControlIds.map((controlId) => ({ controlId, reason: `Disabled by configuration policy ${policy.name}` })),
        }
        : { enabled: false, configurationPolicyId: policy.id, standards: [], disabledControls: [] }));
    }
  }
  return scopes;
}

const securitylake: Unit = async (ctx) => {
  const scopes = await readSecurityLakeRegions(ctx, ctx.desired.securityLake.regions.map((r) => r.region));
  return {
    scopes,
    sources: [sourceOf('securitylake.region', 'aggregate', [
      'securitylake:ListDataLakes', 'securitylake:GetDataLakeSources', 'securitylake:ListLogSources', 'securitylake:GetDataLakeOrganizationConfiguration', 'securitylake:ListSubscribers',
    ], scopes.length)],
  };
};

/**
 * Security Lake Regions through the administrator: the lakes, custom sources, auto-enable and
 * subscribers in one call each from the home Region, and each Region's sources for every account.
 */
export async function readSecurityLakeRegions(ctx: CollectionContext, regions: string[]): Promise<ScopeSnapshot[]> {
  const { clients, desired } = ctx;
  const refs = regions.map((region) => ({ kind: 'securitylake.region' as const, region }));
  const admin = ctx.admins.securityLake;
  if (!admin) return refs.map((ref) => unknownScope(ref, adminMissing(ctx, 'securityLake', desired.securityLake.adminAccount)));
  const lakeRegions = desired.securityLake.regions.map((r) => r.region);
  const home = lakeRegions.includes(desired.homeRegion) ? desired.homeRegion : lakeRegions[0];
  let shared: [Awaited<ReturnType<typeof readDataLakes>>, Awaited<ReturnType<typeof readCustomSources>>, Awaited<ReturnType<typeof readAutoEnable>>, Awaited<ReturnType<typeof readSubscribers>>];
  try {
    shared = await Promise.all([
      readDataLakes(clients, admin, home, regions),
      readCustomSources(clients, admin, home, regions),
      readAutoEnable(clients, admin, home),
      readSubscribers(clients, admin, home),
    ]);
  } catch (error) {
    return refs.map((ref) => unknownScope(ref, toCollectionError(error)));
  }
  const [lakes, custom, autoEnable, subscribers] = shared;
  return Promise.all(refs.map((ref) => readScopeSafely(ref, async () => {
    const dataLake = lakes[ref.region];
    const sources = dataLake ? await readRegionSources(clients, admin, ref.region) : { awsSources: {}, customEventClasses: {} };
    return {
      adminAccountId: admin, dataLake, awsSources: sources.awsSources,
      customSources: dataLake ? custom[ref.region].map((s) => ({ ...s, eventClasses: sources.customEventClasses[s.sourceName] ?? [] })) : [],
      autoEnableNewAccounts: autoEnable[ref.region] ?? [],
      subscribers: subscribers[ref.region] ?? [],
    };
  })));
}

const config: Unit = async (ctx) => {
  const { clients, desired } = ctx;
  const aggregatorsRef = { kind: 'config.aggregators' } as const;
  const packRefs = desired.config.regions.map((region) => ({ kind: 'config.conformancePacks' as const, region }));
  const admin = ctx.admins.config;
  if (!admin) {
    const error = adminMissing(ctx, 'config', desired.config.adminAccount);
    return { scopes: [aggregatorsRef, ...packRefs].map((ref) => unknownScope(ref, error)), sources: [] };
  }
  const home = desired.config.aggregator.region;
  const aggregatorName = desired.config.aggregator.name;
  const [aggregators, nonCompliance] = await Promise.all([
    readScopeSafely(aggregatorsRef, async () => ({ aggregators: await readAggregators(clients, admin, home) })),
    readPackNonCompliance(clients, admin, home, aggregatorName).catch(() => undefined),
  ]);
  const packs = await Promise.all(packRefs.map((ref) => readScopeSafely(ref, async () => ({
    packs: (await readConformancePacks(clients, admin, ref.region)).map((pack) => ({
      ...pack, ...(nonCompliance ? { nonCompliantAccountIds: [...(nonCompliance[ref.region]?.[pack.name] ?? [])].sort() } : {}),
    })),
  }))));
  const recorders = aggregators.state?.status === 'ok' ? recordersSeenDelivering(aggregators.state as unknown as { aggregators: Aggregator[] }, aggregatorName, desired.config.regions) : [];
  return {
    scopes: [aggregators, ...packs, ...recorders],
    sources: [
      sourceOf('config.aggregators', 'aggregate', ['config:DescribeConfigurationAggregators', 'config:DescribeConfigurationAggregatorSourcesStatus'], 1),
      sourceOf('config.conformancePacks', 'aggregate', ['config:DescribeOrganizationConformancePacks', 'config:DescribeOrganizationConformancePackStatuses', 'config:DescribeAggregateComplianceByConformancePacks'], packs.length),
      sourceOf('config.recorder', 'aggregate', ['config:DescribeConfigurationAggregatorSourcesStatus'], recorders.length),
    ],
  };
};

/** A source account × Region (an organization aggregator lists each account) whose last delivery succeeded has a recording recorder. */
function recordersSeenDelivering(state: { aggregators: Aggregator[] }, name: string, regions: string[]): ScopeSnapshot[] {
  const aggregator = state.aggregators.find((a) => a.name === name && a.organizationWide);
  if (!aggregator) return [];
  const wanted = new Set(regions);
  return aggregator.sources
    .filter((s) => /^\d{12}$/.test(s.sourceId) && wanted.has(s.region) && s.lastUpdateStatus === 'SUCCEEDED')
    .map((s) => okScope({ kind: 'config.recorder', accountId: s.sourceId, region: s.region }, { recorder: { recording: true, lastStatus: 'Success' } }));
}

const accessanalyzer: Unit = async (ctx) => {
  const { clients, desired } = ctx;
  const refs = desired.accessAnalyzer.regions.map((region) => ({ kind: 'accessanalyzer.region' as const, region }));
  const admin = ctx.admins.accessAnalyzer;
  if (!admin) return { scopes: refs.map((ref) => unknownScope(ref, adminMissing(ctx, 'accessAnalyzer', desired.accessAnalyzer.adminAccount))), sources: [] };
  const scopes = await Promise.all(refs.map((ref) => readScopeSafely(ref, () => readRegion(clients, admin, ref.region))));
  return { scopes, sources: [sourceOf('accessanalyzer.region', 'aggregate', ['access-analyzer:ListAnalyzers', 'access-analyzer:ListFindings'], scopes.length)] };
};

const UNITS: Record<AggregateUnit, Unit> = { organizations, securityhub, securitylake, config, accessanalyzer };


/** The organization-level scopes a unit reads (what a failed unit leaves unknown; its per-account derivations are re-read by follow-ups). */
export function scopesOfUnit(unit: AggregateUnit, desired: DesiredState): ScopeRef[] {
  switch (unit) {
    case 'organizations': return [{ kind: 'organizations.structure' }, { kind: 'organizations.policies' }, { kind: 'organizations.trustedAccess' }, { kind: 'organizations.delegatedAdministrators' }];
    case 'securityhub': return [{ kind: 'securityhub.organization' }];
    case 'securitylake': return desired.securityLake.regions.map((r) => ({ kind: 'securitylake.region', region: r.region }));
    case 'config': return [{ kind: 'config.aggregators' }, ...desired.config.regions.map((region) => ({ kind: 'config.conformancePacks' as const, region }))];
    case 'accessanalyzer': return desired.accessAnalyzer.regions.map((region) => ({ kind: 'accessanalyzer.region', region }));
  }
}
