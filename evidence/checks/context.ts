import { isUnderOu } from '../../config/model';
import type { DesiredAccount, DesiredState } from '../../engine/desiredState';
import type { DriftReport, UnknownScope } from '../../engine/drift';
import type { DriftType } from '../../engine/driftTypes';
import type { CollectionError, Inventory, KnownScope, Scoped } from '../../engine/inventory';
import type { CheckResult, CheckStatus } from '../checkResult';
import type { EvidenceBucketObservation } from './evidenceBucket';

/** What the checks read: all plain data, so the Evidence workflow's handlers can carry it. */
export interface CheckInput {
  desired: DesiredState;
  inventory: Inventory;
  /** detectDrift(desired, inventory): its drifts and unknown scopes are the drift.<Type> checks. */
  driftReport: DriftReport;
  /** governance.yaml evidence.retentionDays: the Object Lock retention the evidence bucket must enforce. */
  evidenceRetentionDays: number;
  /**
   * The template rule names of each configured conformance pack, by pack name: the rules that go
   * unevaluated where the pack is missing, failed, or could not be read.
   */
  conformancePackRules: Readonly<Record<string, readonly string[]>>;
  /** The evidence bucket as the evidence writer inspected it; absent when the set is written elsewhere (a local directory). */
  evidenceBucket?: EvidenceBucketObservation;
}

/** A configured account with its id, as the drift report resolved it. */
export interface CheckedAccount {
  id: string;
  name: string;
  /** The configured OU path. */
  ouPath: string;
  /** In PCI DSS scope by the configuration (pci: true or under the PCI OU). */
  pci: boolean;
  /** The central configuration policy the configuration makes govern it, if any. */
  securityHubPolicy?: string;
  /** ACTIVE in the organization (or assumed so when the organization could not be read). */
  active: boolean;
}

export type ResultScope = CheckResult['scope'];

/**
 * Shared state of one evaluation: the configured accounts resolved to ids, where each account
 * actually sits, the unknown scopes of the drift report, and the sink the check families write
 * results into. Every result carries the inventory's collection time as its observation time.
 */
export class CheckContext {
  readonly results: CheckResult[] = [];
  readonly observedAt: string;
  readonly accounts: CheckedAccount[] = [];
  readonly accountById = new Map<string, CheckedAccount>();
  /** Where each live account sits (OU path; `Root` at the root), when the organization was read. */
  readonly actualOuPath = new Map<string, string>();
  /** Live account names, for accounts the configuration does not list. */
  readonly liveAccountName = new Map<string, string>();
  readonly pciOuPath?: string;
  private readonly unknownByType = new Map<DriftType, UnknownScope[]>();

  constructor(readonly input: CheckInput) {
    const { desired, inventory, driftReport } = input;
    this.observedAt = inventory.collectedAt;
    this.pciOuPath = desired.organization.pciOuPath;
    const structure = inventory.organization.structure;
    if (structure.status === 'ok') {
      const paths = new Map<string, string>([[structure.rootId, 'Root'], ...structure.organizationalUnits.map((ou): [string, string] => [ou.id, ou.path])]);
      for (const account of structure.accounts) {
        if (account.status !== 'ACTIVE') continue;
        this.actualOuPath.set(account.id, paths.get(account.parentId) ?? account.parentId);
        this.liveAccountName.set(account.id, account.name);
      }
    }
    for (const account of desired.organization.accounts) {
      const id = driftReport.accountIds[account.name];
      if (!id) continue;
      const checked = checkedAccount(account, id, structure.status === 'ok' ? this.actualOuPath.has(id) : true);
      this.accounts.push(checked);
      this.accountById.set(id, checked);
    }
    for (const scope of driftReport.unknownScopes) {
      for (const type of scope.affects) {
        const list = this.unknownByType.get(type) ?? [];
        list.push(scope);
        this.unknownByType.set(type, list);
      }
    }
  }

  /** Configured accounts that exist and are active. */
  activeAccounts(): CheckedAccount[] {
    return this.accounts.filter((a) => a.active);
  }

  /** Whether an account is in PCI DSS scope: flagged so by the configuration, or sitting under the PCI OU. */
  inPciScope(accountId: string): boolean {
    if (this.accountById.get(accountId)?.pci) return true;
    const actual = this.actualOuPath.get(accountId);
    return this.pciOuPath !== undefined && actual !== undefined && isUnderOu(actual, this.pciOuPath);
  }

  /** The scope of a result about one account (configured name and OU, else the live ones). */
  accountScope(accountId: string, region?: string): ResultScope {
    const configured = this.accountById.get(accountId);
    const name = configured?.name ?? this.liveAccountName.get(accountId);
    const ou = configured?.ouPath ?? this.actualOuPath.get(accountId);
    return { accountId, ...(name ? { accountName: name } : {}), ...(ou ? { ou } : {}), ...(region ? { region } : {}) };
  }

  /** The scope of an organization-wide result, optionally naming the account that holds the service and the Region. */
  organizationScope(options: { accountName?: string; ou?: string; region?: string } = {}): ResultScope {
    return { ...(options.accountName ? { accountName: options.accountName } : {}), ...(options.ou ? { ou: options.ou } : {}), ...(options.region ? { region: options.region } : {}) };
  }

  add(checkId: string, status: CheckStatus, scope: ResultScope, detail: string, evidence?: unknown, item?: string): void {
    this.results.push({ checkId, ...(item !== undefined ? { item } : {}), status, scope, observedAt: this.observedAt, detail, ...(evidence !== undefined ? { evidence } : {}) });
  }

  /**
   * The unknown scope (from the drift report) that kept a drift type from being checked for an
   * account and Region, if any: one without an account covers every account, one without a
   * Region every Region.
   */
  unknownFor(type: DriftType, where: { accountId?: string; region?: string }): UnknownScope | undefined {
    return this.unknownByType.get(type)?.find((scope) =>
      (scope.accountId === undefined || where.accountId === undefined || scope.accountId === where.accountId)
      && (scope.region === undefined || where.region === undefined || scope.region === where.region));
  }
}

function checkedAccount(account: DesiredAccount, id: string, active: boolean): CheckedAccount {
  return { id, name: account.name, ouPath: account.ouPath, pci: account.pci, ...(account.securityHubPolicy ? { securityHubPolicy: account.securityHubPolicy } : {}), active };
}

/** The data of a scope that was read, or the reason it was not (absent: never collected). */
export function readScope<S extends Scoped<object>>(state: S | undefined): { known: KnownScope<S>; error?: undefined } | { known?: undefined; error: CollectionError } {
  if (state?.status === 'ok') return { known: state as KnownScope<S> };
  return { error: state?.status === 'unknown' ? state.error : { code: 'NotCollected', message: 'the inventory holds no state for this scope' } };
}

export function unreadable(what: string, error: CollectionError): string {
  return `${what} could not be read (${error.code}: ${error.message}); nothing is concluded from it`;
}
