import { createHash } from 'node:crypto';
import { principalAccountId } from './roleTrust';

/**
 * Explicit Deny statements in IAM role trust policies, one per Access Analyzer finding: built for
 * exactly the principals and actions the finding names, recognised when already there (a
 * redelivered finding changes nothing), kept under the account's trust-policy size quota, and
 * removed again by finding id. Pure: policy text in, policy text out.
 *
 * Statement ids: `RampartDenyExternal` followed by one 32-hex-digit token per finding (the
 * finding's UUID without dashes). A statement normally serves one finding; when the policy would
 * exceed its quota, statements for findings of the same principal type and actions are merged
 * into one whose Principal list and Sid tokens correspond position by position, so reverting one
 * finding still removes exactly its principal.
 */

export const DENY_SID_PREFIX = 'RampartDenyExternal';

/** IAM's default role trust policy length quota (characters without white space); adjustable up to 4,096. */
export const DEFAULT_TRUST_POLICY_QUOTA = 2048;
export const MAX_TRUST_POLICY_QUOTA = 4096;

/** The STS actions a role trust policy grants, and so the only ones a finding on a role can name. */
export const TRUST_POLICY_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'];

const TOKEN_LENGTH = 32;

/** The 32 lower-case hex digits that stand for a finding in a statement id. */
export function findingToken(findingId: string): string {
  const hex = findingId.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : createHash('sha256').update(findingId).digest('hex').slice(0, TOKEN_LENGTH);
}

/** The statement id of the Deny that resolves these findings (one, unless statements were merged). */
export function denySid(findingIds: readonly string[]): string {
  return `${DENY_SID_PREFIX}${findingIds.map(findingToken).join('')}`;
}

/** The finding tokens a statement id carries, or undefined when it is not one of Rampart's. */
export function sidTokens(sid: unknown): string[] | undefined {
  if (typeof sid !== 'string' || !sid.startsWith(DENY_SID_PREFIX)) return undefined;
  const rest = sid.slice(DENY_SID_PREFIX.length);
  if (rest.length === 0 || rest.length % TOKEN_LENGTH !== 0 || !/^[0-9a-f]+$/.test(rest)) return undefined;
  const tokens: string[] = [];
  for (let i = 0; i < rest.length; i += TOKEN_LENGTH) tokens.push(rest.slice(i, i + TOKEN_LENGTH));
  return tokens;
}

/** IAM counts a policy's length without white space. */
export function policyLength(text: string): number {
  let length = 0;
  for (const char of text) if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') length++;
  return length;
}

export type Statement = Record<string, unknown>;
export interface TrustPolicy {
  Version?: string;
  Statement: Statement[];
  [key: string]: unknown;
}

/** One finding to deny: its id, the principal (type → value) and the actions it reports. */
export interface DenyRequest {
  findingId: string;
  principal: Record<string, string>;
  actions: string[];
}

/**
 * Who keeps access when a public grant (`*`) is denied: the analyzer's zone of trust (its
 * organization, or its account) and the trusted principals of security.yaml that may reach the role.
 */
export interface ZoneOfTrust {
  organizationId?: string;
  accountIds: string[];
  trustedPrincipalArns: string[];
  trustedAccountIds: string[];
}

export interface FindingDenyResult {
  findingId: string;
  sid: string;
  /** added: a new statement; extended: its statement now covers more actions; already-denied: nothing to add. */
  change: 'added' | 'extended' | 'already-denied';
  /** The statement that already denies it (its Sid, or its position), for already-denied. */
  coveredBy?: string;
  /** The statement written for it. */
  statement?: Statement;
}

export type DenyPlan =
  | { status: 'changed'; before: string; after: string; beforeLength: number; afterLength: number; quota: number; merged: boolean; findings: FindingDenyResult[] }
  | { status: 'unchanged'; before: string; findings: FindingDenyResult[] }
  | { status: 'refused'; reason: string };

type PrincipalTarget = { kind: 'public' } | { kind: 'principals'; principal: Record<string, string> };

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === value.toLowerCase();
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** Parses a trust policy; undefined with the reason when it is not a policy document. */
export function parseTrustPolicy(text: string): { policy: TrustPolicy } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problem: `the trust policy is not valid JSON (${(error as Error).message})` };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: 'the trust policy is not a JSON object' };
  const document = json as Record<string, unknown>;
  const raw = document.Statement;
  const statements = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!statements || statements.some((s) => !s || typeof s !== 'object' || Array.isArray(s))) return { problem: 'the trust policy has no Statement list' };
  return { policy: { ...document, Statement: statements as Statement[] } };
}

export function serializeTrustPolicy(policy: TrustPolicy): string {
  return JSON.stringify(policy);
}

function targetOf(request: DenyRequest): PrincipalTarget | { problem: string } {
  const entries = Object.entries(request.principal);
  if (entries.length === 0) return { problem: `finding ${request.findingId} names no principal` };
  const known = ['AWS', 'Federated', 'Service', 'CanonicalUser'];
  const unknown = entries.find(([type]) => !known.includes(type));
  if (unknown) return { problem: `finding ${request.findingId} names a principal of type ${unknown[0]}, which a trust policy cannot name` };
  const publicEntries = entries.filter(([, value]) => value === '*');
  if (publicEntries.length === 0) return { kind: 'principals', principal: request.principal };
  if (publicEntries.length !== entries.length) return { problem: `finding ${request.findingId} mixes "*" with named principals; resolve it by hand` };
  return { kind: 'public' };
}

/**
 * The Deny for a public grant. A Deny on Principal "*" alone would lock out everyone, Rampart's
 * own roles and the organization included; so it denies every caller outside the zone of trust:
 * not of the organization (or the analyzer's account), not a trusted principal or account of
 * security.yaml, and not an AWS service acting for the organization.
 */
function publicCondition(zone: ZoneOfTrust): Record<string, Record<string, string | string[]>> {
  const notEquals: Record<string, string | string[]> = {};
  if (zone.organizationId) notEquals['aws:PrincipalOrgID'] = zone.organizationId;
  const accounts = [...new Set([...(zone.organizationId ? [] : zone.accountIds), ...zone.trustedAccountIds])].sort();
  if (accounts.length) notEquals['aws:PrincipalAccount'] = accounts.length === 1 ? accounts[0] : accounts;
  const condition: Record<string, Record<string, string | string[]>> = { StringNotEquals: notEquals };
  const arns = [...new Set(zone.trustedPrincipalArns)].sort();
  if (arns.length) condition.ArnNotLike = { 'aws:PrincipalArn': arns.length === 1 ? arns[0] : arns };
  condition.BoolIfExists = { 'aws:PrincipalIsAWSService': 'false' };
  return condition;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function coversAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((pattern) => globMatches(pattern, action));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((pattern) => globMatches(pattern, action));
  return false;
}

/** Whether a statement's Principal names this principal: itself, `*`, or (for AWS) the root of its account. */
function namesPrincipal(statement: Statement, type: string, value: string): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const entries = list((principal as Record<string, unknown>)[type]);
  if (type === 'AWS' && list((principal as Record<string, unknown>).AWS).includes('*')) return true;
  return entries.some((entry) => {
    if (entry === value || entry === '*') return true;
    if (type !== 'AWS') return false;
    const account = /^\d{12}$/.test(entry) ? entry : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry)?.[1];
    return account !== undefined && account === principalAccountId(value);
  });
}

/** Whether a statement already denies `action` to the target (an unconditional Deny, or for `*` the same zone condition). */
function denies(statement: Statement, target: PrincipalTarget, action: string, zoneCondition: string): boolean {
  if (statement.Effect !== 'Deny' || statement.NotPrincipal !== undefined || !coversAction(statement, action)) return false;
  if (target.kind === 'public') {
    const everyone = statement.Principal === '*' || list((statement.Principal as Record<string, unknown> | undefined)?.AWS).includes('*');
    return everyone && (statement.Condition === undefined || canonical(statement.Condition) === zoneCondition);
  }
  if (statement.Condition !== undefined) return false;
  return Object.entries(target.principal).every(([type, value]) => namesPrincipal(statement, type, value));
}

function describeStatement(statement: Statement, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid ? statement.Sid : `statement ${index + 1}`;
}

function sortedActions(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort((a, b) => TRUST_POLICY_ACTIONS.indexOf(a) - TRUST_POLICY_ACTIONS.indexOf(b) || a.localeCompare(b));
}

function denyStatement(sid: string, target: PrincipalTarget, actions: string[], zoneCondition: Record<string, unknown>): Statement {
  const Action = actions.length === 1 ? actions[0] : actions;
  if (target.kind === 'public') return { Sid: sid, Effect: 'Deny', Principal: '*', Action, Condition: zoneCondition };
  return { Sid: sid, Effect: 'Deny', Principal: { ...target.principal }, Action };
}

/**
 * Adds the Deny statements for `requests` (findings on one role) to a trust policy. Each finding
 * gets a statement for the actions no existing Deny already covers; a finding whose statement is
 * there already, or whose principal and actions an existing Deny covers, changes nothing. When the
 * result exceeds `quota`, Rampart's statements with the same principal type and actions are
 * merged; when it still does, the plan is refused with the sizes.
 */
export function planTrustDeny(policyText: string, requests: readonly DenyRequest[], options: { quota: number; zone: ZoneOfTrust }): DenyPlan {
  const parsed = parseTrustPolicy(policyText);
  if ('problem' in parsed) return { status: 'refused', reason: parsed.problem };
  const policy = parsed.policy;
  const statements = [...policy.Statement];
  const zoneCondition = publicCondition(options.zone);
  const zoneKey = canonical(zoneCondition);
  const results: FindingDenyResult[] = [];
  const seen = new Set<string>();

  for (const request of requests) {
    const token = findingToken(request.findingId);
    if (seen.has(token)) continue;
    seen.add(token);
    const sid = denySid([request.findingId]);
    const target = targetOf(request);
    if ('problem' in target) return { status: 'refused', reason: target.problem };
    if (target.kind === 'public' && !options.zone.organizationId && options.zone.accountIds.length === 0) {
      return { status: 'refused', reason: `finding ${request.findingId} is public access, and without the zone of trust (organization or account) a Deny would lock everyone out` };
    }
    const foreign = request.actions.filter((action) => !TRUST_POLICY_ACTIONS.includes(action));
    if (request.actions.length === 0 || foreign.length > 0) {
      return { status: 'refused', reason: `finding ${request.findingId} names ${foreign.length ? `actions a trust policy does not grant (${foreign.join(', ')})` : 'no actions'}` };
    }

    const ownIndex = statements.findIndex((s) => sidTokens(s.Sid)?.includes(token));
    if (ownIndex >= 0) {
      const own = statements[ownIndex];
      const missing = request.actions.filter((action) => !denies(own, target, action, zoneKey));
      if (missing.length === 0) {
        results.push({ findingId: request.findingId, sid: own.Sid as string, change: 'already-denied', coveredBy: own.Sid as string });
        continue;
      }
      // The finding now reports more actions than its statement denies: rewrite its statement (split out of a merge).
      const rest = withoutToken(own, token);
      if ('problem' in rest) return { status: 'refused', reason: rest.problem };
      const actions = sortedActions([...request.actions, ...list(own.Action).filter((a) => TRUST_POLICY_ACTIONS.includes(a))]);
      const statement = denyStatement(sid, target, actions, zoneCondition);
      if (rest.statement) statements.splice(ownIndex, 1, rest.statement, statement);
      else statements.splice(ownIndex, 1, statement);
      results.push({ findingId: request.findingId, sid, change: 'extended', statement });
      continue;
    }

    const uncovered = request.actions.filter((action) => !statements.some((s) => denies(s, target, action, zoneKey)));
    if (uncovered.length === 0) {
      const index = statements.findIndex((s) => request.actions.some((action) => denies(s, target, action, zoneKey)));
      results.push({ findingId: request.findingId, sid, change: 'already-denied', coveredBy: describeStatement(statements[index], index) });
      continue;
    }
    const statement = denyStatement(sid, target, sortedActions(uncovered), zoneCondition);
    statements.push(statement);
    results.push({ findingId: request.findingId, sid, change: 'added', statement });
  }

  const before = policyText;
  if (results.every((r) => r.change === 'already-denied')) return { status: 'unchanged', before, findings: results };

  let after = serializeTrustPolicy({ ...policy, Statement: statements });
  let merged = false;
  if (policyLength(after) > options.quota) {
    const compacted = mergeOwnStatements(statements);
    if (compacted.merged) {
      merged = true;
      after = serializeTrustPolicy({ ...policy, Statement: compacted.statements });
    }
  }
  const afterLength = policyLength(after);
  if (afterLength > options.quota) {
    return {
      status: 'refused',
      reason: `the trust policy would be ${afterLength} characters, over the account's quota of ${options.quota}${merged ? ' even with Rampart\'s Deny statements merged' : ''}` +
        ` (it is ${policyLength(before)} now); shorten the policy or raise the IAM quota "Role trust policy length" (up to ${MAX_TRUST_POLICY_QUOTA}), then resolve again`,
    };
  }
  return { status: 'changed', before, after, beforeLength: policyLength(before), afterLength, quota: options.quota, merged, findings: results };
}

interface OwnStatement {
  index: number;
  type: string;
  values: string[];
  tokens: string[];
  actionsKey: string;
}

/** A Rampart statement whose Principal entries and Sid tokens correspond one to one (mergeable and splittable). */
function ownStatement(statement: Statement, index: number): OwnStatement | undefined {
  const tokens = sidTokens(statement.Sid);
  if (!tokens || statement.Effect !== 'Deny' || statement.Condition !== undefined || statement.NotAction !== undefined) return undefined;
  const principal = statement.Principal;
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return undefined;
  const types = Object.keys(principal);
  if (types.length !== 1) return undefined;
  const values = list((principal as Record<string, unknown>)[types[0]]);
  if (values.length !== tokens.length || new Set(values).size !== values.length) return undefined;
  return { index, type: types[0], values, tokens, actionsKey: sortedActions(list(statement.Action)).join(',') };
}

function mergeOwnStatements(statements: Statement[]): { statements: Statement[]; merged: boolean } {
  const groups = new Map<string, OwnStatement[]>();
  statements.forEach((statement, index) => {
    const own = ownStatement(statement, index);
    if (!own) return;
    const key = `${own.type}|${own.actionsKey}`;
    groups.set(key, [...(groups.get(key) ?? []), own]);
  });
  const replaced = new Map<number, Statement | null>();
  for (const group of groups.values()) {
    const values = group.flatMap((g) => g.values);
    if (group.length < 2 || new Set(values).size !== values.length) continue;
    const actions = list(statements[group[0].index].Action);
    replaced.set(group[0].index, {
      Sid: `${DENY_SID_PREFIX}${group.flatMap((g) => g.tokens).join('')}`,
      Effect: 'Deny',
      Principal: { [group[0].type]: values },
      Action: actions.length === 1 ? actions[0] : actions,
    });
    for (const other of group.slice(1)) replaced.set(other.index, null);
  }
  if (replaced.size === 0) return { statements, merged: false };
  const out: Statement[] = [];
  statements.forEach((statement, index) => {
    const replacement = replaced.get(index);
    if (replacement === undefined) out.push(statement);
    else if (replacement !== null) out.push(replacement);
  });
  return { statements: out, merged: true };
}

/** A Rampart statement without one finding's token and principal: null when nothing is left. */
function withoutToken(statement: Statement, token: string): { statement: Statement | null } | { problem: string } {
  const tokens = sidTokens(statement.Sid) ?? [];
  if (tokens.length === 1) return { statement: null };
  const own = ownStatement(statement, 0);
  if (!own) {
    return { problem: `statement ${String(statement.Sid)} serves ${tokens.length} findings but its principals no longer match them one to one (it was edited); change it by hand` };
  }
  const position = own.tokens.indexOf(token);
  const values = own.values.filter((_, i) => i !== position);
  const rest = own.tokens.filter((_, i) => i !== position);
  return { statement: { ...statement, Sid: `${DENY_SID_PREFIX}${rest.join('')}`, Principal: { [own.type]: values.length === 1 ? values[0] : values } } };
}

export type RevertPlan =
  | { status: 'changed'; before: string; after: string; sid: string; removed: Statement }
  | { status: 'absent'; before: string }
  | { status: 'refused'; reason: string };

/** Removes exactly the Deny of one finding: its statement, or its principal from a merged statement. */
export function planTrustRevert(policyText: string, findingId: string): RevertPlan {
  const parsed = parseTrustPolicy(policyText);
  if ('problem' in parsed) return { status: 'refused', reason: parsed.problem };
  const statements = [...parsed.policy.Statement];
  const token = findingToken(findingId);
  const index = statements.findIndex((s) => sidTokens(s.Sid)?.includes(token));
  if (index < 0) return { status: 'absent', before: policyText };
  const statement = statements[index];
  const rest = withoutToken(statement, token);
  if ('problem' in rest) return { status: 'refused', reason: rest.problem };
  if (rest.statement) statements.splice(index, 1, rest.statement);
  else statements.splice(index, 1);
  if (statements.length === 0) return { status: 'refused', reason: `removing ${String(statement.Sid)} would leave the trust policy without statements, which IAM rejects; change it by hand` };
  return { status: 'changed', before: policyText, after: serializeTrustPolicy({ ...parsed.policy, Statement: statements }), sid: statement.Sid as string, removed: statement };
}
