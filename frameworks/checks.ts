import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { BuiltinCatalogs, ConformancePackRuleData, SecurityHubControlData } from './catalogs';
import { checkRef, parseCheckRef, type CheckRef } from './model';

/** What one result of a check covers. */
export const CHECK_SCOPES = ['organization', 'account', 'account-region', 'region'] as const;
export type CheckScopeKind = (typeof CHECK_SCOPES)[number];

export const CHECK_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type CheckSeverity = (typeof CHECK_SEVERITIES)[number];

/**
 * Checks reported per item. Items of the first two are AWS's own controls and rules, mapped
 * through the shipped data sets; log-source items are Security Lake source names.
 */
export const CHECK_ITEM_KINDS = ['securityhub-pci-controls', 'config-rules', 'log-sources'] as const;
export type CheckItemKind = (typeof CHECK_ITEM_KINDS)[number];

/** Frameworks Rampart's own checks are mapped to directly; CCCS Medium follows from NIST. */
export const CHECK_MAPPING_FRAMEWORKS = ['pci-dss-4.0', 'nist-800-53-r5'] as const;

const mappingRow = z.strictObject({
  framework: z.enum(CHECK_MAPPING_FRAMEWORKS),
  control: z.string().min(1),
  item: z.string().min(1).optional(),
  why: z.string().min(10),
});

const checkDefinition = z.strictObject({
  id: z.string().regex(/^[a-z]+\.[A-Za-z0-9-]+$/, 'a check id such as org.pci-accounts-isolated'),
  title: z.string().min(1),
  scope: z.enum(CHECK_SCOPES),
  severity: z.enum(CHECK_SEVERITIES).optional(),
  items: z.enum(CHECK_ITEM_KINDS).optional(),
  remediation: z.string().min(1),
  maps: z.array(mappingRow),
});

const catalogueFile = z.strictObject({ checks: z.array(checkDefinition).min(1) });

export type CheckMappingRow = z.infer<typeof mappingRow>;
export type CheckDefinition = z.infer<typeof checkDefinition>;

export interface CheckCatalogue {
  checks: CheckDefinition[];
  byId: ReadonlyMap<string, CheckDefinition>;
}

export const CHECK_CATALOGUE_FILE = path.join(__dirname, 'data', 'rampart-checks.yaml');

/** Well-known check ids whose items map through the data sets. */
export const SECURITY_HUB_CONTROL_RESULTS = 'securityhub.control-results';
export const CONFIG_RULE_COMPLIANCE = 'config.conformance-pack-compliance';

/** Parses the check catalogue; a malformed shipped file is a defect, so it throws with the reason. */
export function parseCheckCatalogue(text: string, fileName = 'rampart-checks.yaml'): CheckCatalogue {
  const result = catalogueFile.safeParse(parse(text));
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`${fileName}: ${first.path.join('.')}: ${first.message}`);
  }
  const byId = new Map<string, CheckDefinition>();
  for (const check of result.data.checks) {
    if (byId.has(check.id)) throw new Error(`${fileName}: check id ${check.id} appears twice`);
    byId.set(check.id, check);
  }
  return { checks: result.data.checks, byId };
}

let shipped: CheckCatalogue | undefined;

/** The check catalogue shipped in frameworks/data/rampart-checks.yaml (read once). */
export function loadCheckCatalogue(): CheckCatalogue {
  shipped ??= parseCheckCatalogue(fs.readFileSync(CHECK_CATALOGUE_FILE, 'utf8'));
  return shipped;
}

/** Config rules of both shipped conformance packs, findable by rule name or source identifier. */
export class ConfigRuleIndex {
  private readonly byName = new Map<string, ConformancePackRuleData>();

  constructor(catalogs: Pick<BuiltinCatalogs, 'pciPack' | 'cccsPack'>) {
    for (const rule of [...catalogs.pciPack.rules, ...catalogs.cccsPack.rules]) {
      this.byName.set(rule.configRuleName, rule);
      this.byName.set(rule.sourceIdentifier, rule);
    }
  }

  /**
   * The template's rule name for a rule name, source identifier, or the documentation's name for
   * a rule (the PCI DSS 4.0 page names some rules after their source identifier).
   */
  canonicalName(name: string): string | undefined {
    return (this.byName.get(name) ?? this.byName.get(name.toUpperCase().replace(/-/g, '_')))?.configRuleName;
  }

  get(name: string): ConformancePackRuleData | undefined {
    const canonical = this.canonicalName(name);
    return canonical === undefined ? undefined : this.byName.get(canonical);
  }
}

export interface CheckDescription {
  title: string;
  severity?: CheckSeverity;
  remediation: string;
}

/** Title, severity and remediation hint for a check reference, items included. */
export class CheckDescriber {
  private readonly securityHubControls: ReadonlyMap<string, SecurityHubControlData>;
  private readonly configRules: ConfigRuleIndex;
  private readonly cache = new Map<CheckRef, CheckDescription | undefined>();
  private readonly refCache = new Map<string, Map<string, CheckRef | undefined>>();

  constructor(private readonly catalogue: CheckCatalogue, catalogs: BuiltinCatalogs) {
    this.securityHubControls = new Map(catalogs.securityHubPci.controls.map((c) => [c.securityControlId, c]));
    this.configRules = new ConfigRuleIndex(catalogs);
  }

  /**
   * The reference mappings use for a result: Config rules by their template name (a result may
   * name the rule's source identifier); undefined when the check or item is not in the catalogue.
   */
  canonicalRef(checkId: string, item?: string): CheckRef | undefined {
    // Called once per check result (hundreds of thousands): answers are cached per check and item.
    let byItem = this.refCache.get(checkId);
    if (!byItem) this.refCache.set(checkId, (byItem = new Map()));
    const key = item ?? '';
    if (!byItem.has(key)) byItem.set(key, this.computeCanonicalRef(checkId, item));
    return byItem.get(key);
  }

  private computeCanonicalRef(checkId: string, item?: string): CheckRef | undefined {
    const check = this.catalogue.byId.get(checkId);
    if (!check) return undefined;
    if (item === undefined) return check.items === undefined || check.items === 'log-sources' ? checkId : undefined;
    if (check.items === 'config-rules') {
      const name = this.configRules.canonicalName(item);
      return name === undefined ? undefined : checkRef(checkId, name);
    }
    if (check.items === 'securityhub-pci-controls') return this.securityHubControls.has(item) ? checkRef(checkId, item) : undefined;
    return check.items === 'log-sources' ? checkRef(checkId, item) : undefined;
  }

  describe(ref: CheckRef): CheckDescription | undefined {
    if (!this.cache.has(ref)) this.cache.set(ref, this.compute(ref));
    return this.cache.get(ref);
  }

  private compute(ref: CheckRef): CheckDescription | undefined {
    const { checkId, item } = parseCheckRef(ref);
    const check = this.catalogue.byId.get(checkId);
    if (!check) return undefined;
    if (item === undefined) return { title: check.title, severity: check.severity, remediation: check.remediation };
    if (check.items === 'securityhub-pci-controls') {
      const control = this.securityHubControls.get(item);
      if (!control) return undefined;
      return {
        title: `Security Hub ${control.securityControlId}: ${control.shortTitle}`,
        severity: control.severity as CheckSeverity,
        remediation: `Fix the resources failing Security Hub control ${control.securityControlId} (${control.shortTitle}); the control's remediation is linked from its findings.`,
      };
    }
    if (check.items === 'config-rules') {
      const rule = this.configRules.get(item);
      if (!rule) return undefined;
      // Config rules carry no severity; where Security Hub runs the same rule as a control, its severity applies.
      const control = rule.securityHubPciDss401Crossref?.map((x) => this.securityHubControls.get(x.securityControlId)).find((c) => c !== undefined);
      return {
        title: `AWS Config rule ${rule.configRuleName}`,
        severity: control?.severity as CheckSeverity | undefined,
        remediation: `Fix the resources AWS Config rule ${rule.configRuleName} reports NON_COMPLIANT (see its compliance details in AWS Config).`,
      };
    }
    return { title: `${check.title}: ${item}`, severity: check.severity, remediation: check.remediation };
  }
}
