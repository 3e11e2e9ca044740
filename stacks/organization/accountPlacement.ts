import { createHash } from 'node:crypto';

/** Accounts one placement resource is meant to carry, on average: bounds the work of each isComplete poll. */
export const ACCOUNTS_PER_PLACEMENT = 300;

export interface Placement {
  ouPath: string;
  accountIds: string[];
}

/**
 * Splits account placements into groups, each OU's accounts staying together. An OU's group
 * depends only on its path and the number of groups (a power of two that grows with the
 * organization), so adding or moving an account changes one or two groups, not all of them.
 */
export function placementGroups(placements: readonly Placement[]): Placement[][] {
  const total = placements.reduce((n, p) => n + p.accountIds.length, 0);
  let groupCount = 1;
  while (groupCount * ACCOUNTS_PER_PLACEMENT < total) groupCount *= 2;
  const groups: Placement[][] = Array.from({ length: groupCount }, () => []);
  for (const placement of placements) groups[groupOf(placement.ouPath, groupCount)].push(placement);
  return groups;
}

function groupOf(key: string, groupCount: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % groupCount;
}
