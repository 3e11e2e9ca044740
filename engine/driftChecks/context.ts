import type { SourceLocation } from '../../config/source';
import type { DesiredAccount, DesiredState } from '../desiredState';
import { driftId, type Drift, type DriftFacts, type DriftScope, type JsonValue, type ScopeCount, type UnknownScope } from '../drift';
import { DRIFT_TYPES, type DriftType } from '../driftTypes';
import type { InventoryAccount, Inventory, KnownScope, OrganizationStructure, ScopeKind, ScopeRef, Scoped } from '../inventory';
import { scopeRefKey } from '../inventory';

/** A configured account whose id is known, to be checked account by account. */
export type CheckedAccount = DesiredAccount & { id: string };

export interface DriftDetails<T extends DriftType> {
  message: string;
  expected: JsonValue;
  actual: JsonValue;
  declaredAt: SourceLocation;
  facts: DriftFacts[T];
  /** Set when part of what the drift was computed from is unknown. */
  unknownBecause?: string;
}

const STRUCTURE_DEPENDENTS: DriftType[] = [
  'AccountMovedOu', 'AccountRemoved', 'AccountNotInConfig', 'OuDeleted', 'ScpDetached', 'ConfigurationPolicyAssociationMismatch', 'PciSegmentationPath',
];

/**
 * What every drift check reads: the desired state, the inventory indexed once (OU ids and paths,
 * accounts by id, configured names resolved to ids), and the sinks for drifts, unknown scopes
 * and scope counts.
 */
export class DriftCheckContext {
  readonly drifts: Drift[] = [];
  private readonly unknown = new Map<string, UnknownScope>();
  private readonly seen = new Set<string>();
  private readonly counts = new Map<ScopeKind, ScopeCount>();

  /** The organization's structure, when it could be read. */
  readonly structure?: KnownScope<OrganizationStructure>;
  /** OU path (and `Root`) → id; id → path. */
  readonly ouIdByPath = new Map<string, string>();
  readonly ouPathById = new Map<string, string>();
  readonly orgAccounts = new Map<string, InventoryAccount>();
  /** Configured logical name → account id (from the configuration, else matched by e-mail or name). */
  readonly accountIdByName = new Map<string, string>();
  readonly accountNameById = new Map<string, string>();
  /** Configured accounts that exist and are active (or, with the organization unknown, that have an id). */
  readonly checkedAccounts: CheckedAccount[] = [];
  readonly managementAccountId?: string;
  readonly desiredAccountByName: ReadonlyMap<string, DesiredAccount>;

  constructor(
    readonly desired: DesiredState,
    readonly inventory: Inventory,
    private readonly types?: ReadonlySet<DriftType>,
  ) {
    this.desiredAccountByName = new Map(desired.organization.accounts.map((a) => [a.name, a]));
    this.structure = this.read({ kind: 'organizations.structure' }, inventory.organization.structure, STRUCTURE_DEPENDENTS);
    const structure = this.structure;
    if (structure) {
      this.ouIdByPath.set('Root', structure.rootId);
      this.ouPathById.set(structure.rootId, 'Root');
      for (const ou of structure.organizationalUnits) {
        this.ouIdByPath.set(ou.path, ou.id);
        this.ouPathById.set(ou.id, ou.path);
      }
      for (const account of structure.accounts) this.orgAccounts.set(account.id, account);
    }
    const byEmail = new Map<string, string>();
    const byName = new Map<string, string>();
    if (structure) {
      for (const account of structure.accounts) {
        byEmail.set(account.email.toLowerCase(), account.id);
        byName.set(account.name, account.id);
      }
    }
    const claimed = new Set(desired.organization.accounts.flatMap((a) => (a.id ? [a.id] : [])));
    for (const account of desired.organization.accounts) {
      let id = account.id;
      if (!id) {
        const candidate = byEmail.get(account.email.toLowerCase()) ?? byName.get(account.name);
        if (candidate && !claimed.has(candidate)) {
          id = candidate;
          claimed.add(candidate);
        }
      }
      if (!id) continue;
      this.accountIdByName.set(account.name, id);
      this.accountNameById.set(id, account.name);
      const live = this.orgAccounts.get(id);
      if (structure ? live?.status === 'ACTIVE' : true) this.checkedAccounts.push({ ...account, id });
    }
    const management = desired.organization.managementAccount;
    this.managementAccountId = structure?.managementAccountId ?? this.accountIdByName.get(management);
  }

  /** Whether any of these drift types is being checked. */
  wants(...types: DriftType[]): boolean {
    return !this.types || types.some((type) => this.types?.has(type));
  }

  /**
   * Reads a scope for the checks of `affects`: its data when it is ok; otherwise records it
   * as unknown (absent scopes as NotCollected) and returns undefined so nothing is concluded.
   */
  read<S extends Scoped<object>>(ref: ScopeRef, state: S | undefined, affects: DriftType[]): KnownScope<S> | undefined {
    const wanted = this.types ? affects.filter((type) => this.types?.has(type)) : affects;
    // A focused check still reads the organization to resolve accounts, but reports only the scopes of its types.
    if (wanted.length === 0) return state?.status === 'ok' ? (state as KnownScope<S>) : undefined;
    const key = scopeRefKey(ref);
    const firstTime = !this.seen.has(key);
    this.seen.add(key);
    const count = this.counts.get(ref.kind) ?? { kind: ref.kind, ok: 0, unknown: 0 };
    this.counts.set(ref.kind, count);
    if (state?.status === 'ok') {
      if (firstTime) count.ok += 1;
      return state as KnownScope<S>;
    }
    if (firstTime) count.unknown += 1;
    const existing = this.unknown.get(key);
    if (existing) {
      for (const type of wanted) if (!existing.affects.includes(type)) existing.affects.push(type);
      return undefined;
    }
    const accountId = 'accountId' in ref ? ref.accountId : undefined;
    const accountName = accountId ? this.accountNameById.get(accountId) : undefined;
    this.unknown.set(key, {
      kind: ref.kind,
      ...(accountId ? { accountId } : {}),
      ...(accountName ? { accountName } : {}),
      ...('region' in ref ? { region: ref.region } : {}),
      error: state?.status === 'unknown' ? state.error : { code: 'NotCollected', message: 'the inventory holds no state for this scope' },
      affects: [...wanted],
    });
    return undefined;
  }

  add<T extends DriftType>(type: T, scope: DriftScope, subject: string, details: DriftDetails<T>): void {
    if (this.types && !this.types.has(type)) return;
    const { unknownBecause, ...rest } = details;
    this.drifts.push({
      id: driftId(type, scope, subject),
      type,
      severity: DRIFT_TYPES[type].severity,
      scope,
      subject,
      ...rest,
      scopeKnown: unknownBecause === undefined,
      ...(unknownBecause !== undefined ? { unknownBecause } : {}),
    } as Drift);
  }

  /** The scope of a drift on a configured account: its id, name and configured OU. */
  accountScope(account: Pick<DesiredAccount, 'name' | 'ouPath'> & { id?: string }, region?: string): DriftScope {
    return { ...(account.id ? { accountId: account.id } : {}), accountName: account.name, ouPath: account.ouPath, ...(region ? { region } : {}) };
  }

  /** The scope of a drift on any account, configured or not. */
  scopeOfAccountId(accountId: string, region?: string): DriftScope {
    const name = this.accountNameById.get(accountId);
    const configured = name ? this.desiredAccountByName.get(name) : undefined;
    const live = this.orgAccounts.get(accountId);
    const ouPath = configured?.ouPath ?? (live ? this.ouPathById.get(live.parentId) : undefined);
    return { accountId, ...(name ? { accountName: name } : live ? { accountName: live.name } : {}), ...(ouPath ? { ouPath } : {}), ...(region ? { region } : {}) };
  }

  /** Where an account actually sits, when the organization was read. */
  actualOuPath(accountId: string): string | undefined {
    const live = this.orgAccounts.get(accountId);
    return live ? this.ouPathById.get(live.parentId) : undefined;
  }

  unknownScopes(): UnknownScope[] {
    return [...this.unknown.values()];
  }

  scopeCounts(): ScopeCount[] {
    return [...this.counts.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  }
}

/** JSON with object keys sorted, so documents compare by content, not key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    const setA = new Set(a);
    const setB = new Set(b);
    return setA.size === setB.size && [...setA].every((x) => setB.has(x));
  }
  const setB = new Set(b);
  return a.every((x) => setB.has(x)) && new Set(a).size === setB.size;
}

export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}
