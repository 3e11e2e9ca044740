import { readRegion } from '../aws/accessAnalyzer';
import { collectAccounts } from '../aws/collect/accounts';
import { collectAggregate } from '../aws/collect/aggregates';
import { assembleInventory } from '../aws/collect/assemble';
import { collectionRegions } from '../aws/collect/collectInventory';
import { mapLimited } from '../aws/collect/concurrency';
import { okScope, readScopeSafely, type InventoryPart } from '../aws/collect/part';
import { planCollection } from '../aws/collect/plan';
import { readAggregators, readConformancePacks } from '../aws/awsConfig';
import type { AwsClients } from '../aws/clients';
import { ControlCatalog, readCentralConfiguration } from '../aws/securityHub';
import { readAutoEnable, readCustomSources, readDataLakes, readRegionSources, readSubscribers } from '../aws/securityLake';
import type { DesiredState } from '../engine/desiredState';
import type { AwsLogSourceState, Inventory, ScopeSnapshot } from '../engine/inventory';

/**
 * The baseline the drift check is measured against: a collector that reads every account × Region
 * where it lives, as one would without organization-wide views. It lists the organization, then
 * for every member account assumes the execution role and reads Security Hub, the Config recorder
 * and IAM there, and asks Security Lake's administrator for that account's sources Region by
 * Region. It fills the same inventory scopes, so both collections can be checked for the same drift.
 */
export async function collectNaively(clients: AwsClients, desired: DesiredState, options: { collectedAt: string; maxConcurrency: number }): Promise<Inventory> {
  const plan = await planCollection(clients, desired, options.collectedAt);
  const admins = plan.admins;
  const catalog = new ControlCatalog();
  const organization = await collectAggregate('organizations', { clients, desired, admins });
  const structure = organization.scopes.find((s) => s.ref.kind === 'organizations.structure')?.state;
  const active = structure?.status === 'ok' ? (structure.accounts as { id: string; status: string }[]).filter((a) => a.status === 'ACTIVE').map((a) => a.id) : [];
  const lakeAdmin = admins.securityLake as string;
  const lakeRegions = desired.securityLake.regions.map((r) => r.region);
  const home = desired.homeRegion;

  const perAccount = await mapLimited(active, options.maxConcurrency, async (accountId) => {
    // Rampart assumes no role in the management account; Security Lake's administrator still reports its sources.
    const part = accountId === admins.management ? undefined
      : await collectAccounts([{ accountId, iam: true, securityHubRegions: desired.securityHub.regions, configRegions: desired.config.regions }], { clients, controlCatalog: catalog });
    // One Region after another: the administrator's request rate is shared by every account's reads.
    const sources: (readonly [string, AwsLogSourceState[]])[] = [];
    for (const region of lakeRegions) sources.push([region, (await readRegionSources(clients, lakeAdmin, region, [accountId])).awsSources[accountId] ?? []]);
    return { part, sources };
  });

  const [lakes, custom, autoEnable, subscribers, central] = await Promise.all([
    readDataLakes(clients, lakeAdmin, home, lakeRegions), readCustomSources(clients, lakeAdmin, home, lakeRegions),
    readAutoEnable(clients, lakeAdmin, home), readSubscribers(clients, lakeAdmin, home),
    readCentralConfiguration(clients, admins.securityHub as string, desired.securityHub.aggregationRegion, catalog),
  ]);
  const adminSources = await Promise.all(lakeRegions.map((region) => readRegionSources(clients, lakeAdmin, region, [lakeAdmin])));
  const lakeScopes: ScopeSnapshot[] = lakeRegions.map((region, i) => {
    const awsSources: Record<string, AwsLogSourceState[]> = {};
    for (const [index, accountId] of active.entries()) awsSources[accountId] = [...(perAccount[index].sources.find(([r]) => r === region)?.[1] ?? [])];
    return okScope({ kind: 'securitylake.region', region }, {
      adminAccountId: lakeAdmin, dataLake: lakes[region], awsSources,
      customSources: custom[region].map((s) => ({ ...s, eventClasses: adminSources[i].customEventClasses[s.sourceName] ?? [] })),
      autoEnableNewAccounts: autoEnable[region] ?? [], subscribers: subscribers[region] ?? [],
    });
  });
  const { central: _central, regions: _regions, ...hubView } = central;
  const configAdmin = admins.config as string;
  const analyzerAdmin = admins.accessAnalyzer as string;
  const organizationWide: InventoryPart = {
    unit: 'naive', sources: [], calls: {},
    scopes: [
      okScope({ kind: 'securityhub.organization' }, hubView),
      await readScopeSafely({ kind: 'config.aggregators' }, async () => ({ aggregators: await readAggregators(clients, configAdmin, desired.config.aggregator.region) })),
      ...lakeScopes,
      ...(await Promise.all(desired.config.regions.map((region) => readScopeSafely({ kind: 'config.conformancePacks', region }, async () => ({ packs: await readConformancePacks(clients, configAdmin, region) }))))),
      ...(await Promise.all(desired.accessAnalyzer.regions.map((region) => readScopeSafely({ kind: 'accessanalyzer.region', region }, () => readRegion(clients, analyzerAdmin, region))))),
    ],
  };
  return assembleInventory({
    collectedAt: options.collectedAt, regions: collectionRegions(desired), collector: 'naive per-account collector (benchmark baseline)',
    parts: [organization, ...perAccount.flatMap((a) => (a.part ? [a.part] : [])), organizationWide],
  });
}
