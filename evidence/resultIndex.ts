import type { CheckDescriber } from '../frameworks/checks';
import { checkRef } from '../frameworks/model';
import type { CheckResult } from './checkResult';

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

/**
 * Check results ordered by check reference, then account, then Region, as parallel columns
 * (hundreds of thousands of results: no per-result objects beyond the results themselves).
 */
export class ResultIndex {
  constructor(
    readonly results: CheckResult[],
    /** Canonical check reference (Config rules by template name). */
    readonly refs: string[],
    /** Position in the account directory; -1 for results with no account. */
    readonly accounts: Int32Array,
    /** 1 for the first result of a reference and scope, 2 and up for repeats. */
    private readonly repeats: Uint32Array,
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

  private readonly wholeChecks = new Map<string, number[]>();

  /** Stable id of a result: `<ref>@<account id or org>[/<region>]`, `#n` appended to repeats. */
  resultId(position: number): string {
    const { accountId, region } = this.results[position].scope;
    const repeat = this.repeats[position];
    return `${this.refs[position]}@${accountId ?? 'org'}${region ? `/${region}` : ''}${repeat > 1 ? `#${repeat}` : ''}`;
  }
}

/** Canonicalizes references and orders the results so their ids are stable whatever order they came in. */
export function indexResults(input: readonly CheckResult[], describer: CheckDescriber, directory: AccountDirectory): ResultIndex {
  const unknown = new Map<string, number>();
  const groups = new Map<string, number[]>();
  for (let i = 0; i < input.length; i++) {
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
  }

  // Within a reference, by account then Region; collectors emit results nearly in this order, which the sort exploits.
  const byScope = (a: number, b: number) => {
    const sa = input[a].scope;
    const sb = input[b].scope;
    const accountA = sa.accountId ?? 'org';
    const accountB = sb.accountId ?? 'org';
    if (accountA !== accountB) return accountA < accountB ? -1 : 1;
    const regionA = sa.region ?? '';
    const regionB = sb.region ?? '';
    if (regionA !== regionB) return regionA < regionB ? -1 : 1;
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
  const results: CheckResult[] = new Array(total);
  const refs: string[] = new Array(total);
  const accounts = new Int32Array(total);
  const repeats = new Uint32Array(total);
  const byRef = new Map<string, readonly number[]>();
  let p = 0;
  for (const ref of [...groups.keys()].sort()) {
    const list = (groups.get(ref) as number[]).sort(byScope);
    const positions: number[] = new Array(list.length);
    for (let k = 0; k < list.length; k++, p++) {
      const result = input[list[k]];
      results[p] = result;
      refs[p] = ref;
      positions[k] = p;
      const { accountId, accountName, ou, region } = result.scope;
      const previous = k > 0 ? input[list[k - 1]].scope : undefined;
      accounts[p] =
        accountId === undefined ? -1 : previous && previous.accountId === accountId ? accounts[p - 1] : directory.position(accountId, { name: accountName, ou });
      repeats[p] = previous && previous.accountId === accountId && previous.region === region ? repeats[p - 1] + 1 : 1;
    }
    byRef.set(ref, positions);
  }
  return new ResultIndex(results, refs, accounts, repeats, byRef, unknown);
}
