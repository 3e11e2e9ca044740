import type { CheckDescriber } from '../frameworks/checks';
import { checkRef } from '../frameworks/model';
import type { CheckResult, CheckStatus } from './checkResult';

/** An account as the configuration knows it: logical name, OU path, PCI flag. */
export interface AccountInfo {
  id: string;
  name: string;
  ou: string;
  pci: boolean;
}

/** Accounts by position, so sets of accounts can be bitsets; accounts only seen in results are added. */
export class AccountDirectory {
  readonly accounts: { id: string; name?: string; ou?: string; pci: boolean; known: boolean }[] = [];
  private readonly positions = new Map<string, number>();

  constructor(accounts: readonly AccountInfo[] = []) {
    for (const a of accounts) this.add(a.id, { name: a.name, ou: a.ou, pci: a.pci, known: true });
  }

  get size(): number {
    return this.accounts.length;
  }

  /** Position of the account, adding it (from a result's scope) when the configuration does not list it. */
  position(accountId: string, seen: { name?: string; ou?: string }): number {
    return this.positions.get(accountId) ?? this.add(accountId, { name: seen.name, ou: seen.ou, pci: false, known: false });
  }

  private add(id: string, info: { name?: string; ou?: string; pci: boolean; known: boolean }): number {
    const existing = this.positions.get(id);
    if (existing !== undefined) return existing;
    this.accounts.push({ id, ...info });
    this.positions.set(id, this.accounts.length - 1);
    return this.accounts.length - 1;
  }
}

export const STATUS_CODES: readonly CheckStatus[] = ['pass', 'fail', 'unknown', 'not-applicable'];
const STATUS_CODE: Record<CheckStatus, number> = { pass: 0, fail: 1, unknown: 2, 'not-applicable': 3 };

/**
 * Check results ordered by check reference, then account, then Region, with the fields evidence
 * aggregates on as typed columns: hundreds of thousands of results are read in that order many
 * times, and chasing each result object through memory would dominate the time.
 */
export class ResultIndex {
  private readonly wholeChecks = new Map<string, number[]>();

  constructor(
    readonly results: CheckResult[],
    /** Canonical check reference (Config rules by template name). */
    readonly refs: string[],
    /** Position in the account directory; -1 for results with no account. */
    readonly accounts: Int32Array,
    /** Index into STATUS_CODES. */
    readonly statuses: Uint8Array,
    /** Index into `regionNames`; -1 for results with no Region. */
    readonly regions: Int32Array,
    readonly regionNames: readonly string[],
    /** 1 for the first result of a reference and scope, 2 and up for repeats. */
    private readonly repeats: Uint32Array,
    private readonly accountIds: readonly string[],
    /** Result positions by canonical reference. */
    private readonly byRef: ReadonlyMap<string, readonly number[]>,
    /** Results whose check or item is not in the catalogue, counted by reference. */
    readonly unknown: ReadonlyMap<string, number>,
  ) {}

  get size(): number {
    return this.results.length;
  }

  /** Positions of the results a mapping reference covers: one item (`check:item`), or a check with all its items. */
  positions(ref: string): readonly number[] {
    if (ref.includes(':')) return this.byRef.get(ref) ?? [];
    let all = this.wholeChecks.get(ref);
    if (!all) {
      all = [...(this.byRef.get(ref) ?? [])];
      for (const [key, list] of this.byRef) if (key.startsWith(`${ref}:`)) for (const p of list) all.push(p);
      all.sort((a, b) => a - b);
      this.wholeChecks.set(ref, all);
    }
    return all;
  }

  /** Stable id of a result: `<ref>@<account id or org>[/<region>]`, `#n` appended to repeats. */
  resultId(position: number): string {
    const account = this.accounts[position];
    const region = this.regions[position];
    const repeat = this.repeats[position];
    return `${this.refs[position]}@${account < 0 ? 'org' : this.accountIds[account]}${region < 0 ? '' : `/${this.regionNames[region]}`}${repeat > 1 ? `#${repeat}` : ''}`;
  }
}

/** Canonicalizes references and orders the results so their ids are stable whatever order they came in. */
export function indexResults(input: readonly CheckResult[], describer: CheckDescriber, directory: AccountDirectory): ResultIndex {
  const n = input.length;
  const unknown = new Map<string, number>();
  const groups = new Map<string, number[]>();
  // One pass in input order reads every field needed later into typed columns.
  const accountOf = new Int32Array(n);
  const regionOf = new Int32Array(n);
  const statusOf = new Uint8Array(n);
  const accountIndex = new Map<string, number>();
  const firstSeen: number[] = [];
  const regionIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const result = input[i];
    const ref = describer.canonicalRef(result.checkId, result.item);
    if (ref === undefined) {
      const raw = checkRef(result.checkId, result.item);
      unknown.set(raw, (unknown.get(raw) ?? 0) + 1);
      continue;
    }
    const group = groups.get(ref);
    if (group) group.push(i);
    else groups.set(ref, [i]);
    const { accountId, region } = result.scope;
    if (accountId === undefined) accountOf[i] = -1;
    else {
      let a = accountIndex.get(accountId);
      if (a === undefined) {
        accountIndex.set(accountId, (a = firstSeen.length));
        firstSeen.push(i);
      }
      accountOf[i] = a;
    }
    if (region === undefined) regionOf[i] = -1;
    else {
      let r = regionIndex.get(region);
      if (r === undefined) regionIndex.set(region, (r = regionIndex.size));
      regionOf[i] = r;
    }
    statusOf[i] = STATUS_CODE[result.status];
  }

  // Accounts join the directory in id order and are ranked the same way, so the order never depends on arrival.
  const accountIdsSeen = [...accountIndex.keys()].sort();
  const accountRank = new Int32Array(accountIndex.size);
  const accountPosition = new Int32Array(accountIndex.size);
  accountIdsSeen.forEach((id, rank) => {
    const a = accountIndex.get(id) as number;
    accountRank[a] = rank;
    const { accountName, ou } = input[firstSeen[a]].scope;
    accountPosition[a] = directory.position(id, { name: accountName, ou });
  });
  const regionNames = [...regionIndex.keys()];
  const regionRank = new Int32Array(regionNames.length);
  [...regionNames].sort().forEach((name, rank) => (regionRank[regionIndex.get(name) as number] = rank));
  // Organization-wide results sort after accounts, and results without a Region before those with one.
  const width = regionNames.length + 1;
  const scopeKey = (i: number) =>
    (accountOf[i] < 0 ? accountIdsSeen.length : accountRank[accountOf[i]]) * width + (regionOf[i] < 0 ? 0 : regionRank[regionOf[i]] + 1);
  const byScope = (a: number, b: number) => {
    const ka = scopeKey(a);
    const kb = scopeKey(b);
    if (ka !== kb) return ka - kb;
    // Repeats of one check and scope: by content, so their #n ids do not depend on arrival order.
    const ra = input[a];
    const rb = input[b];
    if (ra.observedAt !== rb.observedAt) return ra.observedAt < rb.observedAt ? -1 : 1;
    if (ra.status !== rb.status) return ra.status < rb.status ? -1 : 1;
    if (ra.detail !== rb.detail) return ra.detail < rb.detail ? -1 : 1;
    if ((ra.item ?? '') !== (rb.item ?? '')) return (ra.item ?? '') < (rb.item ?? '') ? -1 : 1;
    return a - b;
  };

  let total = 0;
  for (const list of groups.values()) total += list.length;
  const results: CheckResult[] = [];
  const refs: string[] = [];
  const accounts = new Int32Array(total);
  const statuses = new Uint8Array(total);
  const regions = new Int32Array(total);
  const repeats = new Uint32Array(total);
  const byRef = new Map<string, readonly number[]>();
  let p = 0;
  for (const ref of [...groups.keys()].sort()) {
    const list = (groups.get(ref) as number[]).sort(byScope);
    const positions: number[] = [];
    for (let k = 0; k < list.length; k++, p++) {
      const i = list[k];
      results.push(input[i]);
      refs.push(ref);
      positions.push(p);
      accounts[p] = accountOf[i] < 0 ? -1 : accountPosition[accountOf[i]];
      statuses[p] = statusOf[i];
      regions[p] = regionOf[i];
      repeats[p] = k > 0 && scopeKey(list[k - 1]) === scopeKey(i) ? repeats[p - 1] + 1 : 1;
    }
    byRef.set(ref, positions);
  }
  return new ResultIndex(results, refs, accounts, statuses, regions, regionNames, repeats, directory.accounts.map((a) => a.id), byRef, unknown);
}
