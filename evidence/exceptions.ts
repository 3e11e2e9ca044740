import type { EvidenceException } from '../config/schema/governance';

export type { EvidenceException };

/** As the configuration validator has it: an exception expires on its expiry date. */
export function exceptionState(exception: Pick<EvidenceException, 'expires'>, today: string): 'active' | 'expired' {
  return exception.expires <= today ? 'expired' : 'active';
}

/** Whether a scope (account name, OU path, Region) falls under the exception's scope; every stated restriction must hold. */
export function exceptionCovers(exception: Pick<EvidenceException, 'scope'>, scope: { accountName?: string; ou?: string; region?: string }): boolean {
  const { accounts, organizationalUnits, regions } = exception.scope;
  if (accounts && !(scope.accountName !== undefined && accounts.includes(scope.accountName))) return false;
  if (organizationalUnits && !(scope.ou !== undefined && organizationalUnits.some((ou) => scope.ou === ou || (scope.ou as string).startsWith(`${ou}/`)))) return false;
  if (regions && !(scope.region !== undefined && (regions as readonly string[]).includes(scope.region))) return false;
  return true;
}

/** True when the exception has no scope restriction: it covers the control everywhere. */
export function isOrganizationWide(exception: Pick<EvidenceException, 'scope'>): boolean {
  const { accounts, organizationalUnits, regions } = exception.scope;
  return !accounts && !organizationalUnits && !regions;
}
