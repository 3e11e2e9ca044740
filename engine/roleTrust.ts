import type { DesiredExemptRole, DesiredTrustedPrincipal } from './desiredState';
import type { InventoryPolicyDocument } from './inventory';

/**
 * Who may assume a role: trust-policy reading, the trusted-principal allowlist and the role
 * exemptions of security.yaml. Shared by drift detection and remediation planning.
 */

export type PrincipalType = 'AWS' | 'Federated' | 'Service' | 'CanonicalUser' | '*';

/** One principal that a trust policy lets assume the role. */
export interface TrustGrant {
  principalType: PrincipalType;
  principal: string;
  /** The assume operations granted, e.g. sts:AssumeRole. */
  actions: string[];
  /** The grant depends on a Condition block. */
  conditional: boolean;
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === value.toLowerCase();
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(value);
}

function principalsOf(value: unknown): { type: PrincipalType; principal: string }[] {
  if (value === '*') return [{ type: '*', principal: '*' }];
  if (typeof value !== 'object' || value === null) return [];
  const out: { type: PrincipalType; principal: string }[] = [];
  for (const [type, values] of Object.entries(value as Record<string, unknown>)) {
    if (!['AWS', 'Federated', 'Service', 'CanonicalUser'].includes(type)) continue;
    for (const principal of asList(values)) out.push({ type: principal === '*' && type === 'AWS' ? '*' : (type as PrincipalType), principal });
  }
  return out;
}

function statementsOf(document: InventoryPolicyDocument): Record<string, unknown>[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/** The assume actions (of ASSUME_ACTIONS) a statement covers through Action or NotAction. */
function assumeActionsOf(statement: Record<string, unknown>): string[] {
  if (statement.Action !== undefined) {
    const patterns = asList(statement.Action);
    return ASSUME_ACTIONS.filter((assume) => patterns.some((pattern) => globMatches(pattern, assume)));
  }
  if (statement.NotAction !== undefined) {
    const excluded = asList(statement.NotAction);
    return ASSUME_ACTIONS.filter((assume) => !excluded.some((pattern) => globMatches(pattern, assume)));
  }
  return [];
}

/**
 * The principals an IAM trust policy lets assume the role: Allow statements with an assume
 * action, less what an unconditional Deny in the same policy blocks for that principal (or for
 * everyone). Actions are reported as the concrete sts:AssumeRole* operations still granted.
 */
export function trustGrants(document: InventoryPolicyDocument): TrustGrant[] {
  const statements = statementsOf(document);
  const deniedFor = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.Effect !== 'Deny' || statement.Condition !== undefined) continue;
    const actions = assumeActionsOf(statement);
    for (const { principal } of principalsOf(statement.Principal)) {
      const set = deniedFor.get(principal) ?? new Set<string>();
      actions.forEach((action) => set.add(action));
      deniedFor.set(principal, set);
    }
  }
  const grants: TrustGrant[] = [];
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    const granted = assumeActionsOf(statement);
    if (granted.length === 0) continue;
    const principals = statement.NotPrincipal !== undefined ? [{ type: '*' as const, principal: '*' }] : principalsOf(statement.Principal);
    for (const { type, principal } of principals) {
      const actions = granted.filter((action) => !deniedFor.get(principal)?.has(action) && !deniedFor.get('*')?.has(action));
      if (actions.length > 0) grants.push({ principalType: type, principal, actions, conditional: statement.Condition !== undefined });
    }
  }
  return grants;
}

/** The account a principal belongs to: a 12-digit id, or the account field of an IAM/STS ARN. */
export function principalAccountId(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal);
  return match?.[1];
}

/** Account, name and path of a role from its ARN, e.g. `arn:aws:iam::1:role/break-glass/Admin`. */
export function parseRoleArn(roleArn: string): { accountId: string; name: string; path: string } | undefined {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/.*)$/.exec(roleArn);
  if (!match) return undefined;
  const rest = match[2];
  const slash = rest.lastIndexOf('/');
  return { accountId: match[1], name: rest.slice(slash + 1), path: rest.slice(0, slash + 1) };
}

export interface RoleFacts {
  arn: string;
  path: string;
  /** Tags when the role was read from IAM; undefined when unknown. */
  tags?: Record<string, string>;
}

export type ExemptionVerdict = { exempt: true; reason: string } | { exempt: false } | { exempt: 'unknown'; reason: string };

/** Whether security.yaml exempts a role. Tag exemptions cannot be ruled out without the role's tags. */
export function roleExemption(role: RoleFacts, exemptions: readonly DesiredExemptRole[]): ExemptionVerdict {
  let tagUnknown = false;
  for (const exemption of exemptions) {
    if (exemption.match === 'arn' && globMatches(exemption.arn, role.arn)) return { exempt: true, reason: exemption.reason };
    if (exemption.match === 'pathPrefix' && role.path.startsWith(exemption.pathPrefix)) return { exempt: true, reason: exemption.reason };
    if (exemption.match === 'tag') {
      if (role.tags === undefined) tagUnknown = true;
      else if (role.tags[exemption.key] === exemption.value) return { exempt: true, reason: exemption.reason };
    }
  }
  return tagUnknown ? { exempt: 'unknown', reason: 'the role\'s tags were not read, so a tag exemption cannot be ruled out' } : { exempt: false };
}

/**
 * Whether the allowlist lets `principal` reach `targetAccount` (a logical name; undefined for an
 * account outside the configuration). An allowlisted account id (or its `:root` ARN) covers
 * every principal of that account; any other entry covers exactly that principal.
 */
export function allowlistedBy(principal: string, targetAccount: string | undefined, allowlist: readonly DesiredTrustedPrincipal[]): DesiredTrustedPrincipal | undefined {
  const principalAccount = principalAccountId(principal);
  return allowlist.find((entry) => {
    if (entry.accounts && (targetAccount === undefined || !entry.accounts.includes(targetAccount))) return false;
    if (entry.principal === principal) return true;
    const entryAccount = /^\d{12}$/.test(entry.principal) ? entry.principal : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry.principal)?.[1];
    return entryAccount !== undefined && entryAccount === principalAccount;
  });
}
