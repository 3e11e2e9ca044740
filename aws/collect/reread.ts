import type { ScopeRef, ScopeSnapshot } from '../../engine/inventory';
import { readRegion } from '../accessAnalyzer';
import { readAggregators, readConformancePacks, readRecorder } from '../awsConfig';
import { readRoles } from '../iam';
import { readDelegatedAdministrators, readPolicies, readStructure, readTrustedAccess } from '../organizations';
import { ControlCatalog, readAccountHub, readCentralConfiguration } from '../securityHub';
import { adminMissing, readSecurityLakeRegions, type CollectionContext } from './aggregates';
import { readScopeSafely, unknownScope } from './part';

/**
 * Reads single scopes again, directly (not through the organization-wide derivations): what the
 * executor reads before writing (precondition) and after (verification).
 */
export async function rereadScopes(refs: readonly ScopeRef[], ctx: CollectionContext): Promise<ScopeSnapshot[]> {
  const catalog = ctx.controlCatalog ?? new ControlCatalog();
  const lakeRegions = refs.flatMap((r) => (r.kind === 'securitylake.region' ? [r.region] : []));
  const lakes = lakeRegions.length ? await readSecurityLakeRegions(ctx, lakeRegions) : [];
  return Promise.all(refs.map((ref) => (ref.kind === 'securitylake.region'
    ? Promise.resolve(lakes.find((s) => s.ref.kind === ref.kind && s.ref.region === ref.region) as ScopeSnapshot)
    : rereadOne(ref, ctx, catalog))));
}

function rereadOne(ref: ScopeRef, ctx: CollectionContext, catalog: ControlCatalog): Promise<ScopeSnapshot> {
  const { clients, desired, admins } = ctx;
  const inManagement = 'accountId' in ref && ref.accountId === admins.management;
  if (inManagement) {
    return Promise.resolve(unknownScope(ref, { code: 'ManagementAccountNotRead', message: `Rampart assumes no role in the management account (${ref.accountId})` }));
  }
  switch (ref.kind) {
    case 'organizations.structure': return readScopeSafely(ref, () => readStructure(clients));
    case 'organizations.policies': return readScopeSafely(ref, () => readPolicies(clients));
    case 'organizations.trustedAccess': return readScopeSafely(ref, () => readTrustedAccess(clients));
    case 'organizations.delegatedAdministrators': return readScopeSafely(ref, () => readDelegatedAdministrators(clients));
    case 'securityhub.organization': {
      const admin = admins.securityHub;
      if (!admin) return Promise.resolve(unknownScope(ref, adminMissing(ctx, 'securityHub', desired.securityHub.adminAccount)));
      return readScopeSafely(ref, async () => {
        const { central: _central, regions: _regions, ...view } = await readCentralConfiguration(clients, admin, desired.securityHub.aggregationRegion, catalog);
        return view;
      });
    }
    case 'securityhub.account': return readScopeSafely(ref, () => readAccountHub(clients, ref.accountId, ref.region, catalog));
    case 'config.recorder': return readScopeSafely(ref, () => readRecorder(clients, ref.accountId, ref.region));
    case 'config.aggregators': {
      const admin = admins.config;
      if (!admin) return Promise.resolve(unknownScope(ref, adminMissing(ctx, 'config', desired.config.adminAccount)));
      return readScopeSafely(ref, async () => ({ aggregators: await readAggregators(clients, admin, desired.config.aggregator.region) }));
    }
    case 'config.conformancePacks': {
      const admin = admins.config;
      if (!admin) return Promise.resolve(unknownScope(ref, adminMissing(ctx, 'config', desired.config.adminAccount)));
      return readScopeSafely(ref, async () => ({ packs: await readConformancePacks(clients, admin, ref.region) }));
    }
    case 'accessanalyzer.region': {
      const admin = admins.accessAnalyzer;
      if (!admin) return Promise.resolve(unknownScope(ref, adminMissing(ctx, 'accessAnalyzer', desired.accessAnalyzer.adminAccount)));
      return readScopeSafely(ref, () => readRegion(clients, admin, ref.region));
    }
    case 'iam.account': return readScopeSafely(ref, async () => ({ roles: await readRoles(clients, ref.accountId) }));
    case 'securitylake.region': throw new Error('Security Lake Regions are read together');
  }
}
