import type { ConfigIssue } from '../errors';
import { flattenOus, type ConfigFileKey, type FlatOu, type PolicyDocument, type RampartConfig } from '../model';
import { closest } from '../schemaIssues';
import type { FieldPath } from '../source';

export type DraftConfig = Omit<RampartConfig, 'scpDocuments' | 'mappings'>;

export interface Finding {
  found: string;
  expected: string;
  hint: string;
  rule: string;
  severity?: 'error' | 'warning';
  /** Point at the key rather than its value (for unknown or duplicate names). */
  atKey?: boolean;
}

/** What every cross-file rule reads, plus the sink it reports into. */
export class RuleContext {
  readonly issues: ConfigIssue[] = [];
  readonly ous: FlatOu[];
  readonly ouPaths: Set<string>;
  readonly accountNames: Set<string>;
  readonly enabledRegions: Set<string>;
  readonly scpDocuments: Record<string, PolicyDocument> = {};
  readonly mappings: Record<string, unknown> = {};

  constructor(
    readonly config: DraftConfig,
    readonly now: Date,
  ) {
    this.ous = flattenOus(config.organization.organizationalUnits);
    this.ouPaths = new Set(['Root', ...this.ous.map((ou) => ou.path)]);
    this.accountNames = new Set(config.organization.accounts.map((a) => a.name));
    this.enabledRegions = new Set(config.global.enabledRegions);
  }

  report(file: ConfigFileKey, fieldPath: FieldPath, finding: Finding): void {
    const { atKey, severity, ...rest } = finding;
    this.issues.push({
      ...this.config.locate(file, fieldPath, atKey),
      field: fieldPath.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, ''),
      severity: severity ?? 'error',
      ...rest,
    });
  }

  /** Reports when `name` is not a configured account; returns whether it is one. */
  checkAccount(file: ConfigFileKey, fieldPath: FieldPath, name: string): boolean {
    if (this.accountNames.has(name)) return true;
    const suggestion = closest(name, [...this.accountNames]);
    this.report(file, fieldPath, {
      rule: 'ref.account', found: `account "${name}"`, expected: 'the name of an account in organization.yaml',
      hint: suggestion ? `did you mean "${suggestion}"?` : 'add the account to organization.yaml accounts or correct the name',
    });
    return false;
  }

  checkOu(file: ConfigFileKey, fieldPath: FieldPath, ouPath: string): boolean {
    if (this.ouPaths.has(ouPath)) return true;
    const suggestion = closest(ouPath, [...this.ouPaths]);
    this.report(file, fieldPath, {
      rule: 'ref.ou', found: `OU "${ouPath}"`, expected: 'an OU path defined in organization.yaml organizationalUnits, e.g. "Workloads/Pci"',
      hint: suggestion ? `did you mean "${suggestion}"?` : 'write the full path from the root with "/" between OU names',
    });
    return false;
  }

  checkEnabledRegion(file: ConfigFileKey, fieldPath: FieldPath, region: string): boolean {
    if (this.enabledRegions.has(region)) return true;
    this.report(file, fieldPath, {
      rule: 'ref.region', found: `Region ${region}`, expected: `one of the enabled Regions in global.yaml: ${[...this.enabledRegions].join(', ')}`,
      hint: `add ${region} to global.yaml enabledRegions or use an enabled Region`,
    });
    return false;
  }

  /** Reports every repeated value of `key(item)` in `items`, at the repeat. */
  checkUnique<T>(file: ConfigFileKey, basePath: FieldPath, items: readonly T[], key: (item: T) => string | undefined, what: string, field: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const value = key(item);
      if (value === undefined) return;
      const normalized = value.toLowerCase();
      const first = seen.get(normalized);
      if (first === undefined) {
        seen.set(normalized, index);
        return;
      }
      const firstLoc = this.config.locate(file, [...basePath, first, field]);
      this.report(file, [...basePath, index, field], {
        rule: 'unique', found: `${what} "${value}" again`, expected: `a unique ${what}`,
        hint: `it is already used at line ${firstLoc.line}; rename or remove one of them`,
      });
    });
  }
}
