/**
 * The public data sets Rampart ships in frameworks/data (copied unchanged from the compliance
 * data sets; each file names its source, retrieval date and known gaps). Imported as modules so
 * bundled Lambda handlers carry them without file-system paths.
 */
import cccsPackJson from './data/config-conformance-pack-cccs-medium.json';
import pciPackJson from './data/config-conformance-pack-pci-dss-4.json';
import nistJson from './data/nist-800-53-r5-catalog.json';
import pciJson from './data/pci-dss-v4.0-requirements.json';
import securityHubPciJson from './data/securityhub-pci-dss-v4.0.1.json';
import type { ResponsibilitySplit } from './model';

interface DataSetHeader {
  dataset: string;
  source: string;
  retrieved: string;
  notes: string[];
}

export interface PciRequirementsData extends DataSetHeader {
  counts: { principalRequirements: number; secondLevelSubRequirements: number; thirdLevelIdsListed: number };
  serverlessReferenceArchitectureSplitTotals: ResponsibilitySplit;
  requirements: {
    id: string;
    shortTitle: string;
    serverlessReferenceArchitectureSplit: ResponsibilitySplit;
    subRequirements: { id: string; shortTitle: string; thirdLevelIds: string[] }[];
  }[];
}

export type SecurityHubSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export interface SecurityHubControlData {
  securityControlId: string;
  shortTitle: string;
  severity: string;
  resourceTypes: string[];
  /** The AWS Config rule behind the control; null when Security Hub evaluates it itself. */
  awsConfigRule: string | null;
  /** Name of the rule Security Hub creates for the control, where the documentation gives it. */
  createdConfigRuleName?: string;
  /** True when the rule is one Security Hub creates, not an AWS managed rule of that name. */
  configRuleIsCustomSecurityHubRule: boolean;
  relatedRequirements: string[];
  category: string;
  unverifiedFields?: string[];
  docRevisionNote?: string;
}

export interface SecurityHubPciData extends DataSetHeader {
  standardsArn: string;
  counts: { controls: number; controlsInLatestDocRevision: number; distinctPciRequirementsReferenced: number; bySeverity: Record<string, number>; withUnverifiedFields: number };
  controls: SecurityHubControlData[];
  requirementToControls: Record<string, string[]>;
}

export interface ConformancePackRuleData {
  configRuleName: string;
  sourceIdentifier: string;
  owner: string;
  hasInputParameters: boolean;
  scopeResourceTypes?: string[];
  securityHubPciDss401Crossref?: { securityControlId: string; relatedRequirements: string[] }[];
  inExcludingGlobalVariant?: boolean;
}

export interface ConformancePackData extends DataSetHeader {
  counts: Record<string, number>;
  mappingComplete: boolean;
  controlIdFormat: string;
  rules: ConformancePackRuleData[];
  controlToRules: { controlId: string; configRules: string[] }[];
  ruleToControls: Record<string, string[]>;
}

export interface NistControlData {
  id: string;
  family: string;
  title: string;
  isEnhancement: boolean;
  withdrawn: boolean;
  parent?: string;
  baselines?: string[];
}

export interface NistCatalogData extends DataSetHeader {
  counts: { total: number; baseControls: number; enhancements: number; withdrawn: number; active: number; families: number; baseline: Record<string, number> };
  families: { id: string; title: string }[];
  controls: NistControlData[];
}

export interface BuiltinCatalogs {
  pci: PciRequirementsData;
  securityHubPci: SecurityHubPciData;
  pciPack: ConformancePackData;
  cccsPack: ConformancePackData;
  nist: NistCatalogData;
}

/** The shipped data sets, typed. The compiler checks each JSON file against its interface. */
export const BUILTIN_CATALOGS: BuiltinCatalogs = {
  pci: pciJson satisfies PciRequirementsData,
  securityHubPci: securityHubPciJson satisfies SecurityHubPciData,
  pciPack: pciPackJson satisfies ConformancePackData,
  cccsPack: cccsPackJson satisfies ConformancePackData,
  nist: nistJson satisfies NistCatalogData,
};

/** File names of the data sets, as shipped in frameworks/data (the basis named on mappings). */
export const DATA_SET_NAMES = {
  pci: 'pci-dss-v4.0-requirements',
  securityHubPci: 'securityhub-pci-dss-v4.0.1',
  pciPack: 'config-conformance-pack-pci-dss-4',
  cccsPack: 'config-conformance-pack-cccs-medium',
  nist: 'nist-800-53-r5-catalog',
} as const;
