import { customSourceRegion, flattenOus, isUnderOu, pciOuPath, resolveCustomSources, type ConfigFileKey, type PolicyDocument, type RampartConfig } from '../config/model';
import { CONFORMANCE_PACK_TEMPLATES, PCI_STANDARD, SECURITY_HUB_STANDARDS, type ConformancePackTemplate, type SecurityHubStandardName } from '../config/schema/security';
import type { CustomSourceEventClass } from '../config/schema/securitylake';
import type { FieldPath, SourceLocation } from '../config/source';
import { pciGuardrailScps } from './pciGuardrails';

/**
 * DesiredState: what the configuration asks of the live organization, as plain JSON-ready data.
 * Accounts and OUs keep their logical names and paths (ids are resolved against the inventory by
 * detectDrift); every expectation carries `declaredAt`, the place in the configuration that
 * declares it, so a drift can point back at the line to read or change.
 */
export interface DesiredState {
  homeRegion: string;
  /** Every Region the organization uses: Security Hub, Config and Access Analyzer are expected in each. */
  enabledRegions: string[];
  executionRoleName: string;
  organization: DesiredOrganization;
  securityHub: DesiredSecurityHub;
  securityLake: DesiredSecurityLake;
  config: DesiredConfig;
  accessAnalyzer: DesiredAccessAnalyzer;
}

export interface Declared {
  declaredAt: SourceLocation;
}

export interface DesiredOrganization {
  organizationalUnits: DesiredOu[];
  accounts: DesiredAccount[];
  /** Logical names of the mandatory accounts. */
  managementAccount: string;
  logArchiveAccount: string;
  securityToolingAccount: string;
  pciOuPath?: string;
  serviceControlPolicies: DesiredScp[];
  trustedAccess: DesiredTrustedAccess[];
  delegatedAdministrators: DesiredDelegatedAdministrator[];
  /** Where the account list is declared (for accounts found in AWS but not in the configuration). */
  accountsDeclaredAt: SourceLocation;
}

export interface DesiredOu extends Declared {
  /** e.g. `Workloads/Pci`. */
  path: string;
  name: string;
  /** `Root` for top-level OUs. */
  parentPath: string;
  pci: boolean;
}

export interface DesiredAccount extends Declared {
  name: string;
  email: string;
  /** Present once the account exists and its id is written in the configuration. */
  id?: string;
  ouPath: string;
  /** In PCI DSS scope: marked pci: true or under the PCI OU. */
  pci: boolean;
  management: boolean;
  /** Where `ou:` is written. */
  ouDeclaredAt: SourceLocation;
  /** The central configuration policy that governs the account through OU inheritance, if any. */
  securityHubPolicy?: string;
}

export type DesiredScpTarget = { kind: 'ou'; path: string; declaredAt: SourceLocation } | { kind: 'account'; name: string; declaredAt: SourceLocation };

export interface DesiredScp extends Declared {
  name: string;
  description: string;
  document: PolicyDocument;
  /** Generated from `pciGuardrails` rather than written by the user. */
  generated: boolean;
  targets: DesiredScpTarget[];
}

export interface DesiredTrustedAccess extends Declared {
  servicePrincipal: string;
  /** Why the configuration needs it, e.g. "Security Hub central configuration". */
  neededFor: string;
}

export interface DesiredDelegatedAdministrator extends Declared {
  servicePrincipal: string;
  account: string;
}

export interface DesiredStandard extends Declared {
  name: SecurityHubStandardName;
  /** ARN without the Region, e.g. `standards/pci-dss/v/4.0.1`; `standardArnIn(region)` gives the full ARN. */
  resource: string;
  pci: boolean;
}

export interface DesiredConfigurationPolicy extends Declared {
  name: string;
  description: string;
  standards: DesiredStandard[];
  disabledControls: { controlId: string; reason: string; declaredAt: SourceLocation }[];
  targets: { ouPath: string; declaredAt: SourceLocation }[];
}

export interface DesiredSecurityHub extends Declared {
  adminAccount: string;
  aggregationRegion: string;
  /** Regions where every governed account must have Security Hub: the enabled Regions. */
  regions: string[];
  configurationPolicies: DesiredConfigurationPolicy[];
}

export interface DesiredLakeRegion extends Declared {
  region: string;
  /** The rollup Region this one replicates to, or null (rollup Regions and stand-alone ones). */
  replicateTo: string | null;
  replicationDeclaredAt: SourceLocation;
}

export interface DesiredAwsSource extends Declared {
  sourceName: string;
  sourceVersion: string;
  /** `all` configured accounts, or account logical names. */
  accounts: 'all' | string[];
}

export interface DesiredCustomSource extends Declared {
  sourceName: string;
  configName: string;
  sourceVersion: string;
  eventClass: CustomSourceEventClass;
  classUid: number;
  ingestion: 'kinesis' | 's3';
  providerAccount: string;
}

export interface DesiredSecurityLake extends Declared {
  adminAccount: string;
  regions: DesiredLakeRegion[];
  encryption: { kmsKeyAlias?: string; declaredAt: SourceLocation };
  lifecycle: { expirationDays: number; transitions: { days: number; storageClass: string }[]; declaredAt: SourceLocation };
  awsSources: DesiredAwsSource[];
  /** Sources enabled for accounts that join later (the AWS sources scoped to `all`), per lake Region. */
  autoEnable: { enabled: boolean; sources: { sourceName: string; sourceVersion: string }[]; declaredAt: SourceLocation };
  /**
   * The Region where custom sources are registered: the home Region when it has a data lake,
   * else the first rollup Region, else the first lake Region.
   */
  customSourceRegion: string;
  customSources: DesiredCustomSource[];
}

export interface DesiredConformancePack extends Declared {
  name: string;
  template: ConformancePackTemplate;
  /** The AWS sample template it deploys, e.g. Operational-Best-Practices-for-CCCS-Medium. */
  templateName: string;
  excludedAccounts: string[];
}

export interface DesiredConfig {
  /** Recorder expected in every configured account × these Regions; conformance packs in each. */
  regions: string[];
  recorder: { allSupported: boolean; globalResourceRegion: string; declaredAt: SourceLocation };
  aggregator: { name: string; account: string; region: string; declaredAt: SourceLocation };
  conformancePacks: DesiredConformancePack[];
  /** Account that administers Config for the organization (the aggregator account). */
  adminAccount: string;
}

export interface DesiredTrustedPrincipal extends Declared {
  principal: string;
  /** Accounts it may reach; undefined means every account. */
  accounts?: string[];
  reason: string;
}

export type DesiredExemptRole = Declared & { reason: string } & (
  | { match: 'arn'; arn: string }
  | { match: 'pathPrefix'; pathPrefix: string }
  | { match: 'tag'; key: string; value: string }
);

export interface DesiredAccessAnalyzer extends Declared {
  adminAccount: string;
  analyzerName: string;
  /** An organization analyzer is expected in each. */
  regions: string[];
  trustedPrincipals: DesiredTrustedPrincipal[];
  exemptRoles: DesiredExemptRole[];
}

/** Service principals the configuration relies on. */
export const SERVICE_PRINCIPALS = {
  securityHub: 'securityhub.amazonaws.com',
  securityLake: 'securitylake.amazonaws.com',
  config: 'config.amazonaws.com',
  configMultiAccountSetup: 'config-multiaccountsetup.amazonaws.com',
  accessAnalyzer: 'access-analyzer.amazonaws.com',
  stackSets: 'member.org.stacksets.cloudformation.amazonaws.com',
} as const;

export function standardArnIn(resource: string, region: string): string {
  return `arn:aws:securityhub:${region}::${resource}`;
}

/** The Region-independent part of a standards ARN (`standards/...`), for comparing across Regions. */
export function standardResource(standardArn: string): string {
  const index = standardArn.indexOf('::');
  return index >= 0 ? standardArn.slice(index + 2) : standardArn;
}

/** The configuration policy that governs an OU path: the one targeting its nearest configured ancestor (or itself). */
export function governingPolicy(ouPath: string, policies: readonly { name: string; targets: readonly { ouPath: string }[] }[]): { policy: string; via: string } | undefined {
  let best: { policy: string; via: string } | undefined;
  for (const policy of policies) {
    for (const { ouPath: target } of policy.targets) {
      const reaches = target === 'Root' || isUnderOu(ouPath, target);
      if (reaches && (!best || depth(target) > depth(best.via))) best = { policy: policy.name, via: target };
    }
  }
  return best;
}

function depth(ouPath: string): number {
  return ouPath === 'Root' ? 0 : ouPath.split('/').length;
}

/** Derives the desired state from a validated configuration. Pure: reads nothing but `config`. */
export function deriveDesiredState(config: RampartConfig): DesiredState {
  const at = (file: ConfigFileKey, fieldPath: FieldPath, preferKey = false): SourceLocation => {
    const loc = config.locate(file, fieldPath, preferKey);
    return { file: loc.file, line: loc.line, col: loc.col };
  };
  const { global, organization, security, securityLake } = config;
  const mandatory = organization.mandatoryAccounts;
  const pciOu = pciOuPath(config);

  const configurationPolicies: DesiredConfigurationPolicy[] = security.securityHub.configurationPolicies.map((policy, index) => {
    const base = ['securityHub', 'configurationPolicies', index];
    return {
      name: policy.name,
      description: policy.description,
      declaredAt: at('security', base),
      standards: policy.standards.map((name, i) => ({
        name, resource: SECURITY_HUB_STANDARDS[name], pci: name === PCI_STANDARD, declaredAt: at('security', [...base, 'standards', i]),
      })),
      disabledControls: policy.disabledControls.map((control, i) => ({
        controlId: control.control, reason: control.reason, declaredAt: at('security', [...base, 'disabledControls', i]),
      })),
      targets: policy.targets.map((ouPath, i) => ({ ouPath, declaredAt: at('security', [...base, 'targets', i]) })),
    };
  });

  const accounts: DesiredAccount[] = organization.accounts.map((account, index) => ({
    name: account.name,
    email: account.email,
    ...(account.id ? { id: account.id } : {}),
    ouPath: account.ou,
    pci: account.pci || (pciOu !== undefined && isUnderOu(account.ou, pciOu)),
    management: account.name === global.managementAccount,
    declaredAt: at('organization', ['accounts', index]),
    ouDeclaredAt: at('organization', ['accounts', index, 'ou']),
    securityHubPolicy: governingPolicy(account.ou, configurationPolicies)?.policy,
  }));

  const serviceControlPolicies: DesiredScp[] = organization.serviceControlPolicies.map((scp, index) => {
    const base = ['serviceControlPolicies', index];
    return {
      name: scp.name,
      description: scp.description,
      document: config.scpDocuments[scp.name],
      generated: false,
      declaredAt: at('organization', base),
      targets: [
        ...scp.targets.organizationalUnits.map((path, i): DesiredScpTarget => ({ kind: 'ou', path, declaredAt: at('organization', [...base, 'targets', 'organizationalUnits', i]) })),
        ...scp.targets.accounts.map((name, i): DesiredScpTarget => ({ kind: 'account', name, declaredAt: at('organization', [...base, 'targets', 'accounts', i]) })),
      ],
    };
  });
  for (const generated of pciGuardrailScps(config)) {
    const guardrailsAt = at('organization', ['pciGuardrails']);
    serviceControlPolicies.push({
      name: generated.name, description: generated.description, document: generated.document, generated: true, declaredAt: guardrailsAt,
      targets: [{ kind: 'ou', path: (organization.pciGuardrails as { ou: string }).ou, declaredAt: at('organization', ['pciGuardrails', 'ou']) }],
    });
  }

  const shAt = at('security', ['securityHub', 'delegatedAdmin']);
  const lakeAt = at('securityLake', ['delegatedAdmin']);
  const configAt = at('security', ['config', 'aggregator', 'account']);
  const analyzerAt = at('security', ['accessAnalyzer'], true);
  const toolingAt = at('organization', ['mandatoryAccounts', 'securityTooling']);
  const trustedAccess: DesiredTrustedAccess[] = [
    { servicePrincipal: SERVICE_PRINCIPALS.securityHub, neededFor: 'Security Hub central configuration', declaredAt: shAt },
    { servicePrincipal: SERVICE_PRINCIPALS.securityLake, neededFor: 'Security Lake for the organization', declaredAt: lakeAt },
    { servicePrincipal: SERVICE_PRINCIPALS.config, neededFor: 'the organization Config aggregator', declaredAt: configAt },
    { servicePrincipal: SERVICE_PRINCIPALS.configMultiAccountSetup, neededFor: 'organization conformance packs', declaredAt: configAt },
    { servicePrincipal: SERVICE_PRINCIPALS.accessAnalyzer, neededFor: 'the organization analyzer of IAM Access Analyzer', declaredAt: analyzerAt },
    { servicePrincipal: SERVICE_PRINCIPALS.stackSets, neededFor: 'service-managed StackSets that deploy Rampart into member accounts', declaredAt: toolingAt },
  ];
  const delegatedAdministrators: DesiredDelegatedAdministrator[] = [
    { servicePrincipal: SERVICE_PRINCIPALS.securityHub, account: security.securityHub.delegatedAdmin, declaredAt: shAt },
    { servicePrincipal: SERVICE_PRINCIPALS.securityLake, account: securityLake.delegatedAdmin, declaredAt: lakeAt },
    { servicePrincipal: SERVICE_PRINCIPALS.config, account: security.config.aggregator.account, declaredAt: configAt },
    { servicePrincipal: SERVICE_PRINCIPALS.configMultiAccountSetup, account: security.config.aggregator.account, declaredAt: configAt },
    { servicePrincipal: SERVICE_PRINCIPALS.accessAnalyzer, account: mandatory.securityTooling, declaredAt: toolingAt },
  ];

  // Security Lake: contributing Regions replicate to their rollup Region; rollup and stand-alone Regions do not replicate.
  const rollupOf = new Map<string, { region: string; at: SourceLocation }>();
  securityLake.rollupRegions.forEach((rollup, index) => {
    rollup.contributingRegions.forEach((region, i) => {
      rollupOf.set(region, { region: rollup.region, at: at('securityLake', ['rollupRegions', index, 'contributingRegions', i]) });
    });
  });
  const lakeRegions: DesiredLakeRegion[] = securityLake.regions.map((region, index) => {
    const declaredAt = at('securityLake', ['regions', index]);
    const rollup = rollupOf.get(region);
    return { region, declaredAt, replicateTo: rollup?.region ?? null, replicationDeclaredAt: rollup?.at ?? at('securityLake', ['rollupRegions'], true) };
  });
  const awsSources: DesiredAwsSource[] = securityLake.awsSources.map((source, index) => ({
    sourceName: source.source, sourceVersion: source.version, accounts: source.accounts, declaredAt: at('securityLake', ['awsSources', index]),
  }));

  const templateFor = (template: ConformancePackTemplate) => CONFORMANCE_PACK_TEMPLATES[template];

  return {
    homeRegion: global.homeRegion,
    enabledRegions: [...global.enabledRegions],
    executionRoleName: global.executionRoleName,
    organization: {
      organizationalUnits: flattenOus(organization.organizationalUnits).map((ou) => ({
        path: ou.path, name: ou.name, parentPath: ou.parent, pci: ou.pci, declaredAt: at('organization', ou.fieldPath),
      })),
      accounts,
      managementAccount: global.managementAccount,
      logArchiveAccount: mandatory.logArchive,
      securityToolingAccount: mandatory.securityTooling,
      ...(pciOu ? { pciOuPath: pciOu } : {}),
      serviceControlPolicies,
      trustedAccess,
      delegatedAdministrators,
      accountsDeclaredAt: at('organization', ['accounts'], true),
    },
    securityHub: {
      adminAccount: security.securityHub.delegatedAdmin,
      aggregationRegion: security.securityHub.aggregationRegion,
      regions: [...global.enabledRegions],
      configurationPolicies,
      declaredAt: at('security', ['securityHub'], true),
    },
    securityLake: {
      adminAccount: securityLake.delegatedAdmin,
      declaredAt: lakeAt,
      regions: lakeRegions,
      encryption: { ...(securityLake.encryption.kmsKeyAlias ? { kmsKeyAlias: securityLake.encryption.kmsKeyAlias } : {}), declaredAt: at('securityLake', ['encryption'], true) },
      lifecycle: {
        expirationDays: securityLake.lifecycle.expirationDays,
        transitions: securityLake.lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
        declaredAt: at('securityLake', ['lifecycle'], true),
      },
      awsSources,
      autoEnable: {
        enabled: securityLake.organizationAutoEnable,
        sources: awsSources.filter((s) => s.accounts === 'all').map((s) => ({ sourceName: s.sourceName, sourceVersion: s.sourceVersion })),
        declaredAt: at('securityLake', ['organizationAutoEnable'], true),
      },
      customSourceRegion: customSourceRegion(config),
      customSources: resolveCustomSources(config).map((source) => ({
        sourceName: source.sourceName,
        configName: source.configName,
        sourceVersion: source.version,
        eventClass: source.eventClass,
        classUid: source.classUid,
        ingestion: source.ingestion,
        providerAccount: source.providerAccount,
        declaredAt: at('securityLake', ['customSources', source.configIndex]),
      })),
    },
    config: {
      regions: [...global.enabledRegions],
      recorder: {
        allSupported: security.config.recorder.allSupported,
        globalResourceRegion: security.config.recorder.includeGlobalResourceTypesIn ?? global.homeRegion,
        declaredAt: at('security', ['config', 'recorder'], true),
      },
      aggregator: {
        name: security.config.aggregator.name, account: security.config.aggregator.account, region: global.homeRegion,
        declaredAt: at('security', ['config', 'aggregator'], true),
      },
      conformancePacks: security.config.conformancePacks.map((pack, index) => ({
        name: pack.name, template: pack.template, templateName: templateFor(pack.template), excludedAccounts: [...pack.excludedAccounts],
        declaredAt: at('security', ['config', 'conformancePacks', index]),
      })),
      adminAccount: security.config.aggregator.account,
    },
    accessAnalyzer: {
      adminAccount: mandatory.securityTooling,
      analyzerName: security.accessAnalyzer.analyzerName,
      regions: [...global.enabledRegions],
      declaredAt: at('security', ['accessAnalyzer', 'analyzerName'], true),
      trustedPrincipals: security.accessAnalyzer.trustedPrincipals.map((trusted, index) => ({
        principal: trusted.principal,
        ...(trusted.accounts ? { accounts: [...trusted.accounts] } : {}),
        reason: trusted.reason,
        declaredAt: at('security', ['accessAnalyzer', 'trustedPrincipals', index]),
      })),
      exemptRoles: security.accessAnalyzer.exemptRoles.map((role, index): DesiredExemptRole => {
        const common = { reason: role.reason, declaredAt: at('security', ['accessAnalyzer', 'exemptRoles', index]) };
        if (role.arn !== undefined) return { ...common, match: 'arn', arn: role.arn };
        if (role.pathPrefix !== undefined) return { ...common, match: 'pathPrefix', pathPrefix: role.pathPrefix };
        const tag = role.tag as { key: string; value: string };
        return { ...common, match: 'tag', key: tag.key, value: tag.value };
      }),
    },
  };
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
