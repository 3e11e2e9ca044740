import type { ConfigIssue } from '../errors';
import { CONFIG_FILES, flattenOus, type ConfigFileKey, type FlatOu, type PolicyDocument, type RampartConfig } from '../model';
import { closest } from '../suggest';
import { formatFieldPath, type FieldPath } from '../source';

/** The files that passed their schema (any may be missing), with the directory and positions. */
export type DraftConfig = Pick<RampartConfig, 'dir' | 'locate'> & Partial<Pick<RampartConfig, ConfigFileKey>>;

/**
 * One check over the configuration. It runs when every file it `needs` passed its schema, so a
 * mistake in one file never hides the problems the other files can still reveal.
 */
export interface CrossFileRule {
  /** What it checks, as named to the user when it had to wait for a file to be fixed. */
  title: string;
  needs: readonly ConfigFileKey[];
  check(ctx: RuleContext): void;
}

export interface Finding {
  found: string;
  expected: string;
  hint: string;
  rule: string;
  severity?: 'error' | 'warning';
  /** Point at the key rather than its value (for unknown or duplicate names). */
  atKey?: boolean;
}

/** What every rule reads, plus the sinks it reports into. */
export class RuleContext {
  readonly issues: ConfigIssue[] = [];
  readonly scpDocuments: Record<string, PolicyDocument> = {};
  readonly mappings: Record<string, unknown> = {};
  private declared: ReadonlySet<ConfigFileKey> = new Set();
  private flatOus?: FlatOu[];
  private ouPathSet?: Set<string>;
  private accountNameSet?: Set<string>;

  constructor(
    private readonly draft: DraftConfig,
    readonly now: Date,
  ) {}

  get dir(): string {
    return this.draft.dir;
  }

  /** Runs one rule, letting it read only the files it declares. */
  run(rule: CrossFileRule): void {
    this.declared = new Set(rule.needs);
    try {
      rule.check(this);
    } finally {
      this.declared = new Set();
    }
  }

  /** A parsed file; reading one the running rule did not declare is a programming error. */
  file<K extends ConfigFileKey>(key: K): RampartConfig[K] {
    const value = this.draft[key];
    if (!this.declared.has(key) || value === undefined) {
      throw new Error(`a configuration rule read ${CONFIG_FILES[key].file} without listing it in needs`);
    }
    return value as RampartConfig[K];
  }

  get ous(): FlatOu[] {
    const organization = this.file('organization');
    this.flatOus ??= flattenOus(organization.organizationalUnits);
    return this.flatOus;
  }

  /** `Root` and every OU path. */
  get ouPaths(): Set<string> {
    const ous = this.ous;
    this.ouPathSet ??= new Set(['Root', ...ous.map((ou) => ou.path)]);
    return this.ouPathSet;
  }

  get accountNames(): Set<string> {
    const organization = this.file('organization');
    this.accountNameSet ??= new Set(organization.accounts.map((a) => a.name));
    return this.accountNameSet;
  }

  report(file: ConfigFileKey, fieldPath: FieldPath, finding: Finding): void {
    const { atKey, severity, ...rest } = finding;
    this.issues.push({
      ...this.draft.locate(file, fieldPath, atKey),
      field: formatFieldPath(fieldPath),
      severity: severity ?? 'error',
      ...rest,
    });
  }

  /** Reports when `name` is not a configured account; returns whether it is one. */
  checkAccount(file: ConfigFileKey, fieldPath: FieldPath, name: string): boolean {
    const names = this.accountNames;
    if (names.has(name)) return true;
    const suggestion = closest(name, [...names]);
    this.report(file, fieldPath, {
      rule: 'ref.account', found: `account "${name}"`, expected: 'the name of an account in organization.yaml',
      hint: suggestion ? `did you mean "${suggestion}"?` : 'add the account to organization.yaml accounts or correct the name',
    });
    return false;
  }

  checkOu(file: ConfigFileKey, fieldPath: FieldPath, ouPath: string): boolean {
    const paths = this.ouPaths;
    if (paths.has(ouPath)) return true;
    const suggestion = closest(ouPath, [...paths]);
    this.report(file, fieldPath, {
      rule: 'ref.ou', found: `OU "${ouPath}"`, expected: 'an OU path defined in organization.yaml organizationalUnits, e.g. "Workloads/Pci"',
      hint: suggestion ? `did you mean "${suggestion}"?` : 'write the full path from the root with "/" between OU names',
    });
    return false;
  }

  checkEnabledRegion(file: ConfigFileKey, fieldPath: FieldPath, region: string): boolean {
    const enabled = this.file('global').enabledRegions;
    if (enabled.includes(region as (typeof enabled)[number])) return true;
    this.report(file, fieldPath, {
      rule: 'ref.region', found: `Region ${region}`, expected: `one of the enabled Regions in global.yaml: ${enabled.join(', ')}`,
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
      const firstLoc = this.draft.locate(file, [...basePath, first, field]);
      this.report(file, [...basePath, index, field], {
        rule: 'unique', found: `${what} "${value}" again`, expected: `a unique ${what}`,
        hint: `it is already used at line ${firstLoc.line}; rename or remove one of them`,
      });
    });
  }
}
