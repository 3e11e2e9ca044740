import * as path from 'node:path';
import { globalSchema, type GlobalConfig } from './schema/global';
import { governanceSchema, type GovernanceConfig } from './schema/governance';
import { organizationSchema, type OrganizationalUnitInput, type OrganizationConfig } from './schema/organization';
import { securitySchema, type SecurityConfig } from './schema/security';
import { CUSTOM_SOURCE_EVENT_CLASSES, securityLakeSchema, type CustomSourceEventClass, type SecurityLakeConfig } from './schema/securitylake';
import type { FieldPath, SourceLocation } from './source';

/** One YAML file per concern. */
export const CONFIG_FILES = {
  global: { file: 'global.yaml', schema: globalSchema },
  organization: { file: 'organization.yaml', schema: organizationSchema },
  security: { file: 'security.yaml', schema: securitySchema },
  securityLake: { file: 'securitylake.yaml', schema: securityLakeSchema },
  governance: { file: 'governance.yaml', schema: governanceSchema },
} as const;
export type ConfigFileKey = keyof typeof CONFIG_FILES;

export type PolicyDocument = { Version?: string; Statement: unknown } & Record<string, unknown>;

/** A validated configuration directory. */
export interface RampartConfig {
  /** Absolute path of the configuration directory. */
  dir: string;
  global: GlobalConfig;
  organization: OrganizationConfig;
  security: SecurityConfig;
  securityLake: SecurityLakeConfig;
  governance: GovernanceConfig;
  /** Configured SCP documents by policy name, from file or inline. */
  scpDocuments: Record<string, PolicyDocument>;
  /** Parsed custom-source mapping files by custom source name. */
  mappings: Record<string, unknown>;
  /** Where a field was declared, for messages that point back at the configuration. */
  locate(file: ConfigFileKey, fieldPath: FieldPath, preferKey?: boolean): SourceLocation;
}

export interface FlatOu {
  /** Path from the root, e.g. `Workloads/Pci`. */
  path: string;
  name: string;
  /** Parent path; `Root` for top-level OUs. */
  parent: string;
  pci: boolean;
  /** Position of the OU in organizationalUnits, e.g. ['organizationalUnits', 1, 'children', 0]. */
  fieldPath: (string | number)[];
}

/** The OU tree as a list, parents before children. */
export function flattenOus(ous: readonly OrganizationalUnitInput[]): FlatOu[] {
  const out: FlatOu[] = [];
  const walk = (list: readonly OrganizationalUnitInput[], parent: string, basePath: (string | number)[]) => {
    list.forEach((ou, index) => {
      const ouPath = parent === 'Root' ? ou.name : `${parent}/${ou.name}`;
      const fieldPath = [...basePath, index];
      out.push({ path: ouPath, name: ou.name, parent, pci: ou.pci === true, fieldPath });
      if (ou.children) walk(ou.children, ouPath, [...fieldPath, 'children']);
    });
  };
  walk(ous, 'Root', ['organizationalUnits']);
  return out;
}

/** True when `ouPath` is `ancestor` or lies beneath it. */
export function isUnderOu(ouPath: string, ancestor: string): boolean {
  return ouPath === ancestor || ouPath.startsWith(`${ancestor}/`);
}

/** The PCI OU: the one marked `pci: true` (the validator guarantees there is at most one). */
export function pciOuPath(config: Pick<RampartConfig, 'organization'>): string | undefined {
  return flattenOus(config.organization.organizationalUnits).find((ou) => ou.pci)?.path;
}

/** Names of the SCPs Rampart generates from `pciGuardrails` (engine/pciGuardrails.ts writes their documents). */
export function pciGuardrailPolicyNames(guardrails: OrganizationConfig['pciGuardrails']): string[] {
  if (!guardrails) return [];
  const names: string[] = [];
  if (guardrails.denyLeaveOrganization || guardrails.denyDisablingSecurityServices || guardrails.protectRampartRoles) names.push('RampartPciGuardrails');
  if (guardrails.denyRegionsOutsideConfig) names.push('RampartPciRegionRestriction');
  return names;
}

/** AWS Organizations quotas for SCPs. */
export const SCP_MAX_CHARACTERS = 5120;
export const SCP_MAX_PER_TARGET = 5;

/** Mapping files shipped with Rampart, referred to as `builtin:<name>`. */
export const BUILTIN_MAPPINGS_DIR = path.resolve(__dirname, '..', 'ocsf', 'mappings');

export function resolveMappingPath(configDir: string, mapping: string): string {
  return mapping.startsWith('builtin:')
    ? path.join(BUILTIN_MAPPINGS_DIR, `${mapping.slice('builtin:'.length)}.json`)
    : path.resolve(configDir, mapping);
}

/** The OCSF class_uids a mapping file (transformation-library format) produces, in order of appearance. */
export function mappingClassUids(mapping: unknown): number[] {
  const entries = (mapping as { custom_source_events?: { ocsf_mapping?: Record<string, { schema_mapping?: { class_uid?: unknown } }> } })
    ?.custom_source_events?.ocsf_mapping;
  const uids: number[] = [];
  for (const entry of Object.values(entries ?? {})) {
    const uid = Number(entry?.schema_mapping?.class_uid);
    if (Number.isInteger(uid) && !uids.includes(uid)) uids.push(uid);
  }
  return uids;
}

/** One Security Lake custom source: a configured entry, split per OCSF class when it names none. */
export interface ResolvedCustomSource {
  /** The name registered in Security Lake. */
  sourceName: string;
  /** The configured entry it comes from. */
  configName: string;
  configIndex: number;
  eventClass: CustomSourceEventClass;
  classUid: number;
  version: string;
  mappingPath: string;
  ingestion: 'kinesis' | 's3';
  providerAccount: string;
}

const EVENT_CLASS_BY_UID = new Map(
  (Object.entries(CUSTOM_SOURCE_EVENT_CLASSES) as [CustomSourceEventClass, { uid: number; code: string }][]).map(([name, meta]) => [meta.uid, name]),
);

export function eventClassForUid(uid: number): CustomSourceEventClass | undefined {
  return EVENT_CLASS_BY_UID.get(uid);
}

/**
 * The Region where custom sources are registered (and their ingestion runs): the home Region when
 * it has a data lake, else the first rollup Region, else the first lake Region. The engine's
 * desired state and the stacks both use it, so they cannot disagree.
 */
export function customSourceRegion(config: Pick<RampartConfig, 'global' | 'securityLake'>): string {
  const lake = config.securityLake;
  return lake.regions.includes(config.global.homeRegion) ? config.global.homeRegion : (lake.rollupRegions[0]?.region ?? lake.regions[0]);
}

/** Security Lake custom sources as they will be registered (one OCSF class each, as Security Lake advises). */
export function resolveCustomSources(config: Pick<RampartConfig, 'dir' | 'securityLake' | 'mappings'>): ResolvedCustomSource[] {
  const out: ResolvedCustomSource[] = [];
  config.securityLake.customSources.forEach((source, configIndex) => {
    const common = {
      configName: source.name, configIndex, version: source.version, ingestion: source.ingestion, providerAccount: source.providerAccount,
      mappingPath: resolveMappingPath(config.dir, source.mapping),
    };
    if (source.eventClass) {
      out.push({ ...common, sourceName: source.name, eventClass: source.eventClass, classUid: CUSTOM_SOURCE_EVENT_CLASSES[source.eventClass].uid });
      return;
    }
    const classes = mappingClassUids(config.mappings[source.name]).flatMap((uid) => {
      const eventClass = eventClassForUid(uid);
      return eventClass ? [{ eventClass, uid }] : [];
    });
    for (const { eventClass, uid } of classes) {
      const sourceName = classes.length === 1 ? source.name : `${source.name}-${CUSTOM_SOURCE_EVENT_CLASSES[eventClass].code}`;
      out.push({ ...common, sourceName, eventClass, classUid: uid });
    }
  });
  return out;
}
