/**
 * IAM policy documents: the grammar checks IAM applies when a policy is stored, and the evaluation
 * of trust policies and SCP-style deny statements against a request context. Conditions support
 * the operators Rampart's policies and AWS examples use (String*, Arn*, Bool, Null), with
 * IfExists and ForAnyValue/ForAllValues qualifiers.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocumentJson {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export type PolicyKind = 'trust' | 'identity' | 'resource';

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::(\d{12}|aws):(root|role\/.+|user\/.+|federated-user\/.+|group\/.+)|sts::\d{12}:(assumed-role|federated-user)\/.+)$/;

/** Parses and checks a policy document; returns the problem as IAM words it, or the document. */
export function parsePolicyDocument(text: string, kind: PolicyKind): { document?: PolicyDocumentJson; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'This policy contains invalid Json' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: 'Syntax errors in policy.' };
  const doc = json as Record<string, unknown>;
  if (doc.Version !== undefined && !VERSIONS.has(doc.Version as string)) return { problem: 'The policy must contain a valid version string' };
  for (const key of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) return { problem: `Syntax errors in policy. Unknown field ${key}` };
  }
  const raw = doc.Statement;
  if (raw === undefined) return { problem: 'Syntax errors in policy. Missing required field Statement' };
  const statements = (Array.isArray(raw) ? raw : [raw]) as unknown[];
  if (statements.length === 0) return { problem: 'Syntax errors in policy. Statement is empty' };
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return { problem: 'Syntax errors in policy.' };
    const statement = s as Record<string, unknown>;
    for (const key of Object.keys(statement)) if (!STATEMENT_KEYS.has(key)) return { problem: `Syntax errors in policy. Unknown field ${key}` };
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return { problem: 'Syntax errors in policy. Effect must be Allow or Deny' };
    if (statement.Action === undefined && statement.NotAction === undefined) return { problem: 'Policy statement must contain actions.' };
    if (kind === 'trust') {
      if (statement.Resource !== undefined || statement.NotResource !== undefined) return { problem: 'Has prohibited field Resource' };
      if (statement.Principal === undefined && statement.NotPrincipal === undefined) return { problem: 'AssumeRolepolicy contained an invalid principal: Missing Principal' };
      const invalid = invalidPrincipal(statement.Principal ?? statement.NotPrincipal);
      if (invalid) return { problem: `Invalid principal in policy: ${invalid}` };
    } else if (kind === 'identity') {
      if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) return { problem: 'Policy document should not specify a principal.' };
      if (statement.Resource === undefined && statement.NotResource === undefined) return { problem: 'Policy statement must contain resources.' };
    } else if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      return { problem: 'Policy has no valid principals' };
    }
    if (statement.Condition !== undefined && (typeof statement.Condition !== 'object' || Array.isArray(statement.Condition))) {
      return { problem: 'Syntax errors in policy. Condition must be an object' };
    }
  }
  return { document: { ...(doc as object), Statement: statements } as PolicyDocumentJson };
}

function invalidPrincipal(principal: unknown): string | undefined {
  if (principal === '*') return undefined;
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return JSON.stringify(principal);
  for (const [type, value] of Object.entries(principal as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') return `"${type}":${JSON.stringify(v)}`;
      if (type === 'AWS' && v !== '*' && !/^\d{12}$/.test(v) && !PRINCIPAL_ARN.test(v)) return `"AWS":"${v}"`;
      if (type === 'Service' && !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v)) return `"Service":"${v}"`;
      if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) return `"${type}":"${v}"`;
    }
  }
  return undefined;
}

/** IAM counts policy size without white space. */
export function policySizeWithoutWhitespace(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) size++;
  }
  return size;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const wildcardCache = new Map<string, RegExp>();

/** IAM wildcards: `*` any run of characters, `?` one; case-insensitive for actions. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = wildcardCache.get(key);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    wildcardCache.set(key, regex);
  }
  return regex.test(value);
}

/** What a policy is evaluated against. Condition keys are matched case-insensitively. */
export interface RequestContext {
  action: string;
  resource?: string;
  /** The calling principal: its ARN forms and account, for Principal elements. */
  principal?: { arns: string[]; account: string; service?: string };
  keys: Record<string, string | string[] | undefined>;
}

function conditionValues(context: RequestContext, key: string): string[] | undefined {
  const direct = context.keys[key];
  const value = direct !== undefined ? direct : context.keys[Object.keys(context.keys).find((k) => k.toLowerCase() === key.toLowerCase()) ?? ''];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function testOperator(operator: string, actual: string, expected: string): boolean | undefined {
  switch (operator) {
    case 'StringEquals': return actual === expected;
    case 'StringNotEquals': return actual !== expected;
    case 'StringEqualsIgnoreCase': return actual.toLowerCase() === expected.toLowerCase();
    case 'StringNotEqualsIgnoreCase': return actual.toLowerCase() !== expected.toLowerCase();
    case 'StringLike': return wildcardMatch(expected, actual);
    case 'StringNotLike': return !wildcardMatch(expected, actual);
    case 'ArnEquals': case 'ArnLike': return wildcardMatch(expected, actual);
    case 'ArnNotEquals': case 'ArnNotLike': return !wildcardMatch(expected, actual);
    case 'Bool': return actual.toLowerCase() === expected.toLowerCase();
    default: return undefined;
  }
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

/** True when every condition in the block holds. Unknown operators never hold (fail closed for Allow). */
export function conditionsHold(condition: PolicyStatement['Condition'], context: RequestContext): boolean {
  if (!condition) return true;
  for (const [rawOperator, entries] of Object.entries(condition)) {
    let operator = rawOperator;
    let qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
    const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operator);
    if (set) {
      qualifier = set[1] as 'ForAnyValue' | 'ForAllValues';
      operator = set[2];
    }
    const ifExists = operator.endsWith('IfExists');
    if (ifExists) operator = operator.slice(0, -'IfExists'.length);
    for (const [key, expectedRaw] of Object.entries(entries)) {
      const expected = (Array.isArray(expectedRaw) ? expectedRaw : [expectedRaw]).map(String);
      const actual = conditionValues(context, key);
      if (operator === 'Null') {
        const wantsAbsent = expected[0].toLowerCase() === 'true';
        if ((actual === undefined) !== wantsAbsent) return false;
        continue;
      }
      if (actual === undefined) {
        if (ifExists || qualifier === 'ForAllValues') continue;
        if (NEGATED.has(operator) && qualifier === undefined) continue;
        return false;
      }
      const negated = NEGATED.has(operator);
      const matchesOne = (value: string) => {
        const results = expected.map((e) => testOperator(operator, value, e));
        if (results.some((r) => r === undefined)) return undefined;
        // A negated operator holds when the value matches none of the listed values.
        return negated ? results.every(Boolean) : results.some(Boolean);
      };
      const outcomes = actual.map(matchesOne);
      if (outcomes.some((o) => o === undefined)) return false;
      const holds = qualifier === 'ForAllValues' ? outcomes.every(Boolean) : outcomes.some(Boolean);
      if (!holds) return false;
    }
  }
  return true;
}

function principalMatches(principal: PolicyStatement['Principal'], context: RequestContext): boolean {
  if (principal === '*') return true;
  if (!principal || !context.principal) return false;
  const caller = context.principal;
  for (const [type, value] of Object.entries(principal)) {
    for (const entry of list(value)) {
      if (type === 'AWS') {
        if (entry === '*') return true;
        if (entry === caller.account || entry === `arn:aws:iam::${caller.account}:root`) return true;
        if (caller.arns.some((arn) => wildcardMatch(entry, arn))) return true;
      } else if (type === 'Service' && caller.service === entry) {
        return true;
      }
    }
  }
  return false;
}

function statementApplies(statement: PolicyStatement, context: RequestContext, checkPrincipal: boolean): boolean {
  if (statement.Action !== undefined && !list(statement.Action).some((a) => wildcardMatch(a, context.action, true))) return false;
  if (statement.NotAction !== undefined && list(statement.NotAction).some((a) => wildcardMatch(a, context.action, true))) return false;
  if (context.resource !== undefined) {
    if (statement.Resource !== undefined && !list(statement.Resource).some((r) => wildcardMatch(r, context.resource as string))) return false;
    if (statement.NotResource !== undefined && list(statement.NotResource).some((r) => wildcardMatch(r, context.resource as string))) return false;
  }
  if (checkPrincipal) {
    if (statement.Principal !== undefined && !principalMatches(statement.Principal, context)) return false;
    if (statement.NotPrincipal !== undefined && principalMatches(statement.NotPrincipal, context)) return false;
  }
  return conditionsHold(statement.Condition, context);
}

/** `Deny` if any applicable statement denies, `Allow` if one allows, else `NoMatch` (an implicit deny). */
export function evaluatePolicy(document: PolicyDocumentJson, context: RequestContext, checkPrincipal: boolean): 'Allow' | 'Deny' | 'NoMatch' {
  let allowed = false;
  for (const statement of document.Statement) {
    if (!statementApplies(statement, context, checkPrincipal)) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'NoMatch';
}
