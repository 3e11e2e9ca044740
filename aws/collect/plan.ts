import type { DesiredState } from '../../engine/desiredState';
import type { CollectionError } from '../../engine/inventory';
import { toCollectionError, type AwsClients } from '../clients';
import { describeManagementAccount, findAccountIds } from '../organizations';

/**
 * What one collection reads, planned before reading: the organization-wide views first, one
 * unit per service, each read through that service's delegated administrator. Per-account work
 * is planned afterwards (planFollowUps), for what no view showed.
 */

export const AGGREGATE_UNITS = ['organizations', 'securityhub', 'securitylake', 'config', 'accessanalyzer'] as const;
export type AggregateUnit = (typeof AGGREGATE_UNITS)[number];

/** The accounts the organization-wide views are read from, by role; an unresolved one carries why. */
export interface AdminAccounts {
  management?: string;
  securityHub?: string;
  securityLake?: string;
  config?: string;
  accessAnalyzer?: string;
  /** Accounts whose id could not be found, by logical name. */
  unresolved: Record<string, CollectionError>;
}

export interface CollectionPlan {
  /** The inventory's collectedAt (the clock is read by the caller). */
  collectedAt: string;
  admins: AdminAccounts;
  units: AggregateUnit[];
}

/** Ids of the administrator accounts: from the configuration, else found in the organization by e-mail or name. */
export async function planCollection(clients: AwsClients, desired: DesiredState, collectedAt: string): Promise<CollectionPlan> {
  const roles = {
    securityHub: desired.securityHub.adminAccount,
    securityLake: desired.securityLake.adminAccount,
    config: desired.config.adminAccount,
    accessAnalyzer: desired.accessAnalyzer.adminAccount,
  };
  const configured = new Map(desired.organization.accounts.map((a) => [a.name, a]));
  const ids: Record<string, string> = {};
  const missing = [...new Set(Object.values(roles))].filter((name) => {
    const id = configured.get(name)?.id;
    if (id) ids[name] = id;
    return !id;
  });
  const unresolved: Record<string, CollectionError> = {};
  const [found, management] = await Promise.all([
    missing.length
      ? findAccountIds(clients, missing.map((name) => ({ name, email: configured.get(name)?.email ?? '' }))).catch((error: unknown) => {
        for (const name of missing) unresolved[name] = toCollectionError(error);
        return {};
      })
      : Promise.resolve({}),
    describeManagementAccount(clients).catch(() => configured.get(desired.organization.managementAccount)?.id),
  ]);
  Object.assign(ids, found);
  for (const name of missing) {
    unresolved[name] ??= { code: 'AccountNotFound', message: `account ${name} has no id in organization.yaml and none of the organization's accounts has its e-mail or name` };
    if (ids[name]) delete unresolved[name];
  }
  return {
    collectedAt,
    admins: {
      ...(management ? { management } : {}),
      ...Object.fromEntries(Object.entries(roles).flatMap(([role, name]) => (ids[name] ? [[role, ids[name]]] : []))),
      unresolved,
    },
    units: [...AGGREGATE_UNITS],
  };
}
