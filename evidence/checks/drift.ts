import { isUnderOu } from '../../config/model';
import type { Drift, DriftFacts } from '../../engine/drift';
import { DRIFT_TYPE_NAMES, DRIFT_TYPES, type DriftType } from '../../engine/driftTypes';
import type { CheckContext, ResultScope } from './context';
import { unreadable } from './context';

/**
 * One check per drift type (`drift.<Type>`), over the scopes drift detection examines for it:
 * a scope passes when it was read and has no drift of the type, fails with each drift found in it,
 * and is unknown when drift detection could not read what the type needs there. Drifts that change
 * an OU, an SCP or a configuration policy fail in each account they affect, so the report names
 * the accounts and PCI DSS judges only its own.
 */

/** The scopes a drift type is examined over. */
type Domain =
  | 'organization'
  | 'live-accounts'
  | 'configured-accounts'
  | 'active-accounts'
  | 'pci-accounts'
  | 'governed-account-regions'
  | 'pci-standard-account-regions'
  | 'config-account-regions'
  | 'source-account-regions'
  | 'lake-regions'
  | 'auto-enable-regions'
  | 'custom-source-regions'
  | 'config-regions'
  | 'analyzer-regions';

const DOMAINS: Record<DriftType, Domain> = {
  AccountMovedOu: 'active-accounts',
  AccountRemoved: 'configured-accounts',
  AccountNotInConfig: 'live-accounts',
  OuDeleted: 'active-accounts',
  ScpMissing: 'active-accounts',
  ScpUpdated: 'active-accounts',
  ScpDetached: 'active-accounts',
  TrustedAccessDisabled: 'organization',
  DelegatedAdminMismatch: 'organization',
  SecurityHubDisabled: 'governed-account-regions',
  PciStandardMissing: 'pci-standard-account-regions',
  StandardMissing: 'governed-account-regions',
  StandardNotConfigured: 'governed-account-regions',
  SecurityHubControlDisabled: 'governed-account-regions',
  ConfigurationPolicyMismatch: 'active-accounts',
  ConfigurationPolicyAssociationMismatch: 'active-accounts',
  DataLakeMissing: 'lake-regions',
  DataLakeConfigurationMismatch: 'lake-regions',
  ReplicationMismatch: 'lake-regions',
  AwsSourceNotCollecting: 'source-account-regions',
  CustomSourceMissing: 'custom-source-regions',
  CustomSourceWrongClass: 'custom-source-regions',
  OrgAutoEnableOff: 'auto-enable-regions',
  ConfigRecorderStopped: 'config-account-regions',
  ConformancePackMissing: 'config-regions',
  ConfigAggregatorMissing: 'organization',
  AnalyzerMissing: 'analyzer-regions',
  ExternalTrustOnRole: 'active-accounts',
  PciSegmentationPath: 'pci-accounts',
};

const ACCOUNT_DOMAINS = new Set<Domain>([
  'live-accounts', 'configured-accounts', 'active-accounts', 'pci-accounts',
  'governed-account-regions', 'pci-standard-account-regions', 'config-account-regions', 'source-account-regions',
]);

interface Element {
  key: string;
  scope: ResultScope;
  where: { accountId?: string; region?: string };
}

export function driftCheckId(type: DriftType): string {
  return `drift.${type}`;
}

export function checkDrift(ctx: CheckContext): void {
  const byType = new Map<DriftType, Drift[]>();
  for (const drift of ctx.input.driftReport.drifts) {
    const list = byType.get(drift.type) ?? [];
    list.push(drift);
    byType.set(drift.type, list);
  }
  for (const type of DRIFT_TYPE_NAMES) checkType(ctx, type, byType.get(type) ?? []);
}

function checkType(ctx: CheckContext, type: DriftType, drifts: Drift[]): void {
  const checkId = driftCheckId(type);
  const domain = DOMAINS[type];
  const found = new Map<string, { drift: Drift; scope: ResultScope }[]>();
  for (const drift of drifts) {
    for (const placed of placements(ctx, domain, drift)) {
      const list = found.get(placed.key) ?? [];
      list.push({ drift, scope: placed.scope });
      found.set(placed.key, list);
    }
  }
  const emitted = new Set<string>();
  for (const element of elements(ctx, domain)) {
    const here = found.get(element.key);
    if (here) continue;
    const unknown = ctx.unknownFor(type, element.where);
    if (unknown) ctx.add(checkId, 'unknown', element.scope, unreadable(`${unknown.kind}${unknown.accountId ? ` of ${unknown.accountId}` : ''}${unknown.region ? ` in ${unknown.region}` : ''}`, unknown.error));
    else ctx.add(checkId, 'pass', element.scope, `checked; not found: ${DRIFT_TYPES[type].summary.charAt(0).toLowerCase()}${DRIFT_TYPES[type].summary.slice(1)}`);
  }
  for (const list of found.values()) {
    for (const { drift, scope } of list) {
      const key = `${drift.id}|${scope.accountId ?? ''}|${scope.region ?? ''}`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      ctx.add(checkId, 'fail', scope, drift.scopeKnown ? drift.message : `${drift.message} (partly unknown: ${drift.unknownBecause})`, {
        driftId: drift.id, type: drift.type, subject: drift.subject, expected: drift.expected, actual: drift.actual,
        declaredAt: `${drift.declaredAt.file}:${drift.declaredAt.line}:${drift.declaredAt.col}`, scopeKnown: drift.scopeKnown,
      });
    }
  }
}

function accountElement(ctx: CheckContext, accountId: string, region?: string): Element {
  return { key: region ? `${accountId}@${region}` : accountId, scope: ctx.accountScope(accountId, region), where: { accountId, ...(region ? { region } : {}) } };
}

function regionElements(ctx: CheckContext, regions: readonly string[], accountName: string): Element[] {
  return regions.map((region) => ({ key: region, scope: ctx.organizationScope({ accountName, region }), where: { region } }));
}

function accountRegionElements(ctx: CheckContext, accountIds: readonly string[], regions: readonly string[]): Element[] {
  return accountIds.flatMap((id) => regions.map((region) => accountElement(ctx, id, region)));
}

/** The scopes drift detection examines for the domain. */
function elements(ctx: CheckContext, domain: Domain): Element[] {
  const { desired } = ctx.input;
  const active = ctx.activeAccounts();
  const policies = new Map(desired.securityHub.configurationPolicies.map((p) => [p.name, p]));
  const governed = active.filter((a) => a.securityHubPolicy !== undefined && policies.has(a.securityHubPolicy));
  const lakeRegions = desired.securityLake.regions.map((r) => r.region);
  switch (domain) {
    case 'organization':
      return [{ key: 'organization', scope: ctx.organizationScope(), where: {} }];
    case 'live-accounts':
      return ctx.actualOuPath.size ? [...ctx.actualOuPath.keys()].map((id) => accountElement(ctx, id)) : [{ key: 'organization', scope: ctx.organizationScope(), where: {} }];
    case 'configured-accounts':
      return desired.organization.accounts.map((account) => {
        const id = ctx.input.driftReport.accountIds[account.name];
        return id ? accountElement(ctx, id) : { key: `name:${account.name}`, scope: { accountName: account.name, ou: account.ouPath }, where: {} };
      });
    case 'active-accounts':
      return active.map((a) => accountElement(ctx, a.id));
    case 'pci-accounts':
      return active.filter((a) => ctx.inPciScope(a.id)).map((a) => accountElement(ctx, a.id));
    case 'governed-account-regions':
      return accountRegionElements(ctx, governed.map((a) => a.id), desired.securityHub.regions);
    case 'pci-standard-account-regions':
      return accountRegionElements(ctx, governed.filter((a) => a.pci && policies.get(a.securityHubPolicy as string)?.standards.some((s) => s.pci)).map((a) => a.id), desired.securityHub.regions);
    case 'config-account-regions':
      return accountRegionElements(ctx, active.map((a) => a.id), desired.config.regions);
    case 'source-account-regions': {
      const covered = new Set(desired.securityLake.awsSources.flatMap((s) => (s.accounts === 'all' ? active.map((a) => a.name) : s.accounts)));
      return accountRegionElements(ctx, active.filter((a) => covered.has(a.name)).map((a) => a.id), lakeRegions);
    }
    case 'lake-regions':
      return regionElements(ctx, lakeRegions, desired.securityLake.adminAccount);
    case 'auto-enable-regions':
      return desired.securityLake.autoEnable.enabled ? regionElements(ctx, lakeRegions, desired.securityLake.adminAccount) : [];
    case 'custom-source-regions':
      // Custom sources are registered in one Region (desired.securityLake.customSourceRegion), not in every lake Region.
      return desired.securityLake.customSources.length ? regionElements(ctx, [desired.securityLake.customSourceRegion], desired.securityLake.adminAccount) : [];
    case 'config-regions':
      return regionElements(ctx, desired.config.regions, desired.config.adminAccount);
    case 'analyzer-regions':
      return regionElements(ctx, desired.accessAnalyzer.regions, desired.accessAnalyzer.adminAccount);
  }
}

/** Where a drift is reported: the elements of its domain it falls in, or (when none) its own scope. */
function placements(ctx: CheckContext, domain: Domain, drift: Drift): { key: string; scope: ResultScope }[] {
  const own = driftScope(ctx, drift);
  switch (domain) {
    case 'organization':
      return [{ key: 'organization', scope: own }];
    case 'lake-regions':
    case 'auto-enable-regions':
    case 'custom-source-regions':
    case 'config-regions':
    case 'analyzer-regions':
      return [{ key: drift.scope.region ?? 'organization', scope: own }];
    default: {
      const affected = affectedAccounts(ctx, drift);
      if (affected.length === 0) return [{ key: drift.scope.accountId ?? (drift.scope.accountName ? `name:${drift.scope.accountName}` : drift.id), scope: own }];
      return affected.map((id) => {
        const element = accountElement(ctx, id, drift.scope.region);
        return { key: element.key, scope: element.scope };
      });
    }
  }
}

/** A drift's own scope as a result scope; organization- and Region-wide drifts carry no account id, so every framework judges them. */
function driftScope(ctx: CheckContext, drift: Drift): ResultScope {
  const { accountId, accountName, ouPath, region } = drift.scope;
  if (accountId && ACCOUNT_DOMAINS.has(DOMAINS[drift.type])) return ctx.accountScope(accountId, region);
  const where = accountName ?? (ouPath ? undefined : administeredFrom(ctx, drift));
  return { ...(where ? { accountName: where } : {}), ...(ouPath ? { ou: ouPath } : {}), ...(region ? { region } : {}) };
}

/** The account an organization-wide setting is managed from, for drifts that name none. */
function administeredFrom(ctx: CheckContext, drift: Drift): string {
  const { organization, securityHub } = ctx.input.desired;
  switch (drift.type) {
    case 'DelegatedAdminMismatch': {
      const expected = (drift.facts as DriftFacts['DelegatedAdminMismatch']).expectedAccountId;
      return ctx.accountById.get(expected)?.name ?? expected;
    }
    case 'ConfigurationPolicyMismatch':
    case 'ConfigurationPolicyAssociationMismatch':
      return securityHub.adminAccount;
    default:
      return organization.managementAccount;
  }
}

/** The configured accounts a drift takes away what the configuration gives them. */
function affectedAccounts(ctx: CheckContext, drift: Drift): string[] {
  const active = ctx.activeAccounts();
  const under = (path: string) => active.filter((a) => path === 'Root' || isUnderOu(a.ouPath, path)).map((a) => a.id);
  const named = (name: string) => active.filter((a) => a.name === name).map((a) => a.id);
  switch (drift.type) {
    case 'OuDeleted':
      return under((drift.facts as DriftFacts['OuDeleted']).ouPath);
    case 'ScpMissing':
      return [...new Set((drift.facts as DriftFacts['ScpMissing']).targets.flatMap((t) => (t.kind === 'ou' ? under(t.name) : named(t.name))))];
    case 'ScpUpdated': {
      const scp = ctx.input.desired.organization.serviceControlPolicies.find((p) => p.name === (drift.facts as DriftFacts['ScpUpdated']).policyName);
      return [...new Set((scp?.targets ?? []).flatMap((t) => (t.kind === 'ou' ? under(t.path) : named(t.name))))];
    }
    case 'ScpDetached': {
      const { target } = drift.facts as DriftFacts['ScpDetached'];
      return target.kind === 'ou' ? under(target.name) : [target.targetId];
    }
    case 'ConfigurationPolicyMismatch': {
      const policy = (drift.facts as DriftFacts['ConfigurationPolicyMismatch']).policyName;
      return active.filter((a) => a.securityHubPolicy === policy).map((a) => a.id);
    }
    case 'ConfigurationPolicyAssociationMismatch': {
      const { policyName, targetPath } = drift.facts as DriftFacts['ConfigurationPolicyAssociationMismatch'];
      return under(targetPath).filter((id) => ctx.accountById.get(id)?.securityHubPolicy === policyName);
    }
    default:
      return drift.scope.accountId ? [drift.scope.accountId] : [];
  }
}
