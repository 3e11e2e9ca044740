import { wildcardMatch, type PolicyStatement } from './policyDocument';

/** The STS actions a role trust policy can grant. */
export const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'];

/** One grant of a trust policy to a principal, before the zone of trust is applied. */
export interface TrustGrant {
  principalType: 'AWS' | 'Federated' | 'CanonicalUser';
  principal: string;
  /** The account the principal belongs to, when it is an AWS account or one of its identities. */
  principalAccount?: string;
  actions: string[];
  /** The statement's condition flattened to key → value, as Access Analyzer reports it. */
  condition: Record<string, string>;
  /** Condition values that keep access inside an organization or accounts (aws:PrincipalOrgID, aws:PrincipalAccount). */
  restrictsToOrganizations: string[];
  restrictsToAccounts: string[];
}

/** The zone of trust of an analyzer: its account, or every account of its organization. */
export interface ZoneOfTrust {
  accounts: ReadonlySet<string>;
  organizationId?: string;
}

/** Access a trust policy grants to a principal outside the zone of trust. */
export interface ExternalAccess {
  principal: Record<string, string>;
  actions: string[];
  condition: Record<string, string>;
  isPublic: boolean;
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function grantedActions(statement: PolicyStatement): string[] {
  if (statement.Action !== undefined) return TRUST_ACTIONS.filter((a) => list(statement.Action).some((p) => wildcardMatch(p, a, true)));
  if (statement.NotAction !== undefined) return TRUST_ACTIONS.filter((a) => !list(statement.NotAction).some((p) => wildcardMatch(p, a, true)));
  return [];
}

function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

function flattenCondition(condition: PolicyStatement['Condition']): { flat: Record<string, string>; orgs: string[]; accounts: string[] } {
  const flat: Record<string, string> = {};
  const orgs: string[] = [];
  const accounts: string[] = [];
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, raw] of Object.entries(entries ?? {})) {
      const values = list(raw as string | string[]).map(String);
      flat[key] = values.join(',');
      const positive = /^(StringEquals|StringLike|ForAnyValue:StringEquals|ForAnyValue:StringLike)(IgnoreCase)?(IfExists)?$/.test(operator) && !operator.endsWith('IfExists');
      if (!positive) continue;
      if (key.toLowerCase() === 'aws:principalorgid') orgs.push(...values);
      if (key.toLowerCase() === 'aws:principalaccount') accounts.push(...values);
      if (key.toLowerCase() === 'aws:principalorgpaths') orgs.push(...values.map((v) => v.split('/')[0]));
    }
  }
  return { flat, orgs, accounts };
}

/** Every grant of a trust policy (cached by the policy text: the same text always yields the same grants). */
const grantCache = new Map<string, TrustGrant[]>();
const GRANT_CACHE_LIMIT = 50_000;

export function trustGrants(policyText: string): TrustGrant[] {
  const cached = grantCache.get(policyText);
  if (cached) return cached;
  let statements: PolicyStatement[];
  try {
    const document = JSON.parse(policyText) as { Statement?: PolicyStatement | PolicyStatement[] };
    statements = list(document.Statement);
  } catch {
    statements = [];
  }
  const denies = statements.filter((s) => s.Effect === 'Deny' && s.Condition === undefined);
  const deniedFor = (type: string, principal: string, action: string) => denies.some((deny) => {
    if (!grantedActions(deny).includes(action)) return false;
    if (deny.Principal === '*') return true;
    const principals = deny.Principal ? list(deny.Principal[type]) : [];
    return principals.some((p) => p === '*' || p === principal || (accountOf(p) !== undefined && /:root$|^\d{12}$/.test(p) && accountOf(p) === accountOf(principal)));
  });
  const grants = new Map<string, TrustGrant>();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow' || statement.Principal === undefined) continue;
    const actions = grantedActions(statement);
    if (!actions.length) continue;
    const { flat, orgs, accounts } = flattenCondition(statement.Condition);
    const principals: [TrustGrant['principalType'], string][] = statement.Principal === '*'
      ? [['AWS', '*']]
      : Object.entries(statement.Principal).flatMap(([type, value]) => (
        type === 'AWS' || type === 'Federated' || type === 'CanonicalUser' ? list(value).map((v) => [type, v] as [TrustGrant['principalType'], string]) : []));
    for (const [type, principal] of principals) {
      const allowed = actions.filter((a) => !deniedFor(type, principal, a));
      if (!allowed.length) continue;
      const key = `${type}|${principal}|${JSON.stringify(Object.entries(flat).sort())}`;
      const existing = grants.get(key);
      if (existing) {
        existing.actions = TRUST_ACTIONS.filter((a) => existing.actions.includes(a) || allowed.includes(a));
        continue;
      }
      grants.set(key, {
        principalType: type, principal, principalAccount: type === 'AWS' ? accountOf(principal) : undefined, actions: allowed, condition: flat,
        restrictsToOrganizations: orgs, restrictsToAccounts: accounts,
      });
    }
  }
  const out = [...grants.values()];
  if (grantCache.size >= GRANT_CACHE_LIMIT) grantCache.clear();
  grantCache.set(policyText, out);
  return out;
}

/**
 * The access a trust policy grants outside the zone of trust, as Access Analyzer reports it: AWS
 * principals of other accounts (accounts, users, roles, sessions), `*`, federated identity
 * providers and canonical users. Service principals act for AWS and are never external. A
 * condition on aws:PrincipalOrgID or aws:PrincipalAccount that keeps the caller inside the zone
 * removes the finding; an unconditional Deny removes the actions it denies.
 */
export function externalAccess(policyText: string, zone: ZoneOfTrust): ExternalAccess[] {
  const out: ExternalAccess[] = [];
  for (const grant of trustGrants(policyText)) {
    if (grant.restrictsToOrganizations.length && zone.organizationId && grant.restrictsToOrganizations.every((o) => o === zone.organizationId)) continue;
    if (grant.restrictsToAccounts.length && grant.restrictsToAccounts.every((a) => zone.accounts.has(a))) continue;
    if (grant.principalType === 'AWS' && grant.principal !== '*') {
      if (!grant.principalAccount || zone.accounts.has(grant.principalAccount)) continue;
    }
    out.push({
      principal: { [grant.principalType]: grant.principal },
      actions: grant.actions,
      condition: grant.condition,
      isPublic: grant.principal === '*' && Object.keys(grant.condition).length === 0,
    });
  }
  return out;
}
