import { createHash } from 'node:crypto';

/** Accounts one placement resource carries: keeps each custom-resource event far below Lambda's payload limit. */
export const ACCOUNTS_PER_PLACEMENT = 300;

export interface Placement {
  ouPath: string;
  accountIds: string[];
}

/**
 * Splits account placements into groups of bounded size. An account's group depends only on
 * its id and the number of groups (a power of two, growing with the organization), so adding
 * an account changes one group, not all of them.
 */
export function placementGroups(placements: readonly Placement[]): Placement[][] {
  const total = placements.reduce((n, p) => n + p.accountIds.length, 0);
  let groupCount = 1;
  while (groupCount * ACCOUNTS_PER_PLACEMENT < total) groupCount *= 2;
  const groups: Map<string, string[]>[] = Array.from({ length: groupCount }, () => new Map());
  for (const placement of placements) {
    for (const accountId of placement.accountIds) {
      const group = groups[groupOf(accountId, groupCount)];
      group.set(placement.ouPath, [...(group.get(placement.ouPath) ?? []), accountId]);
    }
  }
  return groups.map((group) => [...group].map(([ouPath, accountIds]) => ({ ouPath, accountIds })));
}

function groupOf(accountId: string, groupCount: number): number {
  return createHash('sha256').update(accountId).digest().readUInt32BE(0) % groupCount;
}
