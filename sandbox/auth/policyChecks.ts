/**
 * IAM Access Analyzer policy validation (ValidatePolicy): the grammar checks of the "IAM Access
 * Analyzer policy check reference", each finding with its issue code, type and the location of
 * the offending text (path and span in the document as written).
 */

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export type PathElement = { index: number } | { key: string } | { value: string };

export interface PolicyCheckFinding {
  findingType: 'ERROR' | 'SECURITY_WARNING' | 'SUGGESTION' | 'WARNING';
  issueCode: string;
  findingDetails: string;
  learnMoreLink: string;
  locations: { path: PathElement[]; span: { start: Position; end: Position } }[];
}

export type ValidatedPolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

// ── A JSON parser that remembers where every value and key is ─────────────────────────────────

type Node =
  | { kind: 'object'; entries: { key: string; keySpan: Span; value: Node }[]; span: Span }
  | { kind: 'array'; items: Node[]; span: Span }
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number' | 'boolean' | 'null'; value: unknown; span: Span };

interface Span {
  start: Position;
  end: Position;
}

class JsonSyntaxError extends Error {
  constructor(readonly at: Position, message: string) {
    super(message);
  }
}

function parseLocated(text: string): Node {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const position = (): Position => ({ line, column: i - lineStart, offset: i });
  const fail = (message: string): never => {
    throw new JsonSyntaxError(position(), message);
  };
  const whitespace = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  const string = (): { value: string; span: Span } => {
    const start = position();
    if (text[i] !== '"') fail('expected a string');
    let end = i + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail('unterminated string');
    let value: string;
    try {
      value = JSON.parse(text.slice(i, end + 1)) as string;
    } catch {
      return fail('invalid string escape');
    }
    i = end + 1;
    return { value, span: { start, end: position() } };
  };
  const value = (): Node => {
    whitespace();
    const start = position();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keySpan: Span; value: Node }[] = [];
      whitespace();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries, span: { start, end: position() } };
      }
      for (;;) {
        whitespace();
        const key = string();
        whitespace();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        entries.push({ key: key.value, keySpan: key.span, value: value() });
        whitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', entries, span: { start, end: position() } };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      whitespace();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items, span: { start, end: position() } };
      }
      for (;;) {
        items.push(value());
        whitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', items, span: { start, end: position() } };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const s = string();
      return { kind: 'string', value: s.value, span: s.span };
    }
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) return fail('unexpected character');
    i += literal[0].length;
    const raw = literal[0];
    const kind = raw === 'true' || raw === 'false' ? 'boolean' : raw === 'null' ? 'null' : 'number';
    return { kind, value: JSON.parse(raw), span: { start, end: position() } } as Node;
  };
  const root = value();
  whitespace();
  if (i < text.length) fail('unexpected text after the policy');
  return root;
}

// ── Checks ───────────────────────────────────────────────────────────────────────────────────

const LINK = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';
const TOP_LEVEL = ['Version', 'Id', 'Statement'];
const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws[a-z-]*:(iam::(\d{12}|aws):(root|role\/.+|user\/.+|federated-user\/.+)|sts::\d{12}:(assumed-role|federated-user)\/.+))$/;
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

function finding(findingType: PolicyCheckFinding['findingType'], issueCode: string, title: string, details: string, path: PathElement[], span: Span): PolicyCheckFinding {
  return {
    findingType, issueCode, findingDetails: details,
    learnMoreLink: `${LINK}#access-analyzer-reference-policy-checks-${findingType === 'SECURITY_WARNING' ? 'security-warning' : findingType.toLowerCase()}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    locations: [{ path, span }],
  };
}

function strings(node: Node): { value: string; span: Span; index?: number }[] | undefined {
  if (node.kind === 'string') return [{ value: node.value, span: node.span }];
  if (node.kind === 'array' && node.items.every((n) => n.kind === 'string')) return node.items.map((n, index) => ({ value: (n as { value: string }).value, span: n.span, index }));
  return undefined;
}

function entry(node: Node & { kind: 'object' }, key: string) {
  return node.entries.find((e) => e.key === key);
}

/** Access Analyzer's findings for a policy document of the given type (and, for trust policies, resource type). */
export function checkPolicy(text: string, policyType: ValidatedPolicyType, resourceType?: string): PolicyCheckFinding[] {
  let root: Node;
  try {
    root = parseLocated(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = error.at;
    return [finding('ERROR', 'JSON_SYNTAX_ERROR', 'JSON syntax error', `Fix the JSON syntax error at index ${at.offset} line ${at.line} column ${at.column}: ${error.message}.`, [], { start: at, end: at })];
  }
  const out: PolicyCheckFinding[] = [];
  if (root.kind !== 'object') {
    return [finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The text does not match the expected JSON data type Object.', [], root.span)];
  }
  for (const e of root.entries) {
    if (!TOP_LEVEL.includes(e.key)) out.push(finding('ERROR', 'INVALID_POLICY_ELEMENT', 'Invalid policy element', `The policy element ${e.key} is not valid.`, [{ value: e.key }], e.keySpan));
  }
  const version = entry(root, 'Version');
  if (!version) {
    out.push(finding('WARNING', 'MISSING_VERSION', 'Missing version', 'We recommend that you specify the Version element to help you with debugging permission issues.', [], { start: root.span.start, end: root.span.start }));
  } else if (version.value.kind !== 'string' || !['2012-10-17', '2008-10-17'].includes(version.value.value)) {
    out.push(finding('ERROR', 'INVALID_VERSION', 'Invalid version', 'The version must be 2012-10-17 or 2008-10-17.', [{ value: 'Version' }], version.value.span));
  }
  const statement = entry(root, 'Statement');
  if (!statement) {
    out.push(finding('ERROR', 'MISSING_STATEMENT', 'Missing statement', 'Add a Statement element to the policy.', [], { start: root.span.start, end: root.span.start }));
    return out;
  }
  const statements = statement.value.kind === 'array' ? statement.value.items : [statement.value];
  const isTrust = resourceType === 'AWS::IAM::AssumeRolePolicyDocument';
  const sids = new Set<string>();
  statements.forEach((node, index) => {
    const base: PathElement[] = statement.value.kind === 'array' ? [{ value: 'Statement' }, { index }] : [{ value: 'Statement' }];
    if (node.kind !== 'object') {
      out.push(finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The text does not match the expected JSON data type Object.', base, node.span));
      return;
    }
    for (const e of node.entries) {
      if (!STATEMENT_ELEMENTS.includes(e.key)) out.push(finding('ERROR', 'INVALID_POLICY_ELEMENT', 'Invalid policy element', `The policy element ${e.key} is not valid.`, [...base, { value: e.key }], e.keySpan));
    }
    const sid = entry(node, 'Sid');
    if (sid?.value.kind === 'string') {
      if (sids.has(sid.value.value)) out.push(finding('ERROR', 'UNIQUE_SIDS_REQUIRED', 'Unique Sids required', `Duplicate statement IDs are not supported for this policy type: ${sid.value.value}.`, [...base, { value: 'Sid' }], sid.value.span));
      sids.add(sid.value.value);
    }
    const effect = entry(node, 'Effect');
    if (!effect) out.push(finding('ERROR', 'MISSING_EFFECT', 'Missing effect', 'Add an Effect element to the policy statement with a value of Allow or Deny.', base, node.span));
    else if (effect.value.kind !== 'string' || !['Allow', 'Deny'].includes(effect.value.value)) {
      out.push(finding('ERROR', 'INVALID_EFFECT', 'Invalid effect', 'The Effect element must be Allow or Deny.', [...base, { value: 'Effect' }], effect.value.span));
    }
    const action = entry(node, 'Action') ?? entry(node, 'NotAction');
    if (!action) out.push(finding('ERROR', 'MISSING_ACTION', 'Missing action', 'Add an Action or NotAction element to the policy statement.', base, node.span));
    else {
      const actions = strings(action.value);
      if (!actions) out.push(finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The text does not match the expected JSON data type String or Array of String.', [...base, { value: action.key }], action.value.span));
      for (const a of actions ?? []) {
        if (!ACTION.test(a.value)) {
          out.push(finding('ERROR', 'INVALID_ACTION', 'Invalid action', `The action ${a.value} does not exist: an action is a service prefix and an action name, such as s3:GetObject.`, [...base, { value: action.key }, ...(a.index !== undefined ? [{ index: a.index }] : [])], a.span));
        }
      }
    }
    const principal = entry(node, 'Principal') ?? entry(node, 'NotPrincipal');
    if (policyType === 'IDENTITY_POLICY' && principal) {
      out.push(finding('ERROR', 'UNSUPPORTED_PRINCIPAL', 'Unsupported principal', 'The policy type IDENTITY_POLICY does not support the Principal element. Remove the Principal element.', [...base, { value: principal.key }], principal.keySpan));
    }
    if (policyType === 'SERVICE_CONTROL_POLICY' && principal) {
      out.push(finding('ERROR', 'SCP_SYNTAX_ERROR_PRINCIPAL', 'SCP syntax error principal', 'SCPs do not support specifying principals. Remove the Principal element.', [...base, { value: principal.key }], principal.keySpan));
    }
    if (policyType === 'RESOURCE_POLICY' && !principal) {
      out.push(finding('ERROR', 'MISSING_PRINCIPAL', 'Missing principal', 'Resource-based policies must specify the Principal element in the policy statement.', base, node.span));
    }
    if (policyType === 'RESOURCE_POLICY' && principal) {
      const p = principal.value;
      if (p.kind === 'string') {
        if (p.value !== '*') out.push(finding('ERROR', 'INVALID_PRINCIPAL_FORMAT', 'Invalid principal format', `The Principal element value ${p.value} is not valid: use "*" or an object with AWS, Service, Federated or CanonicalUser.`, [...base, { value: principal.key }], p.span));
      } else if (p.kind === 'object') {
        for (const e of p.entries) {
          if (!PRINCIPAL_KEYS.includes(e.key)) {
            out.push(finding('ERROR', 'INVALID_PRINCIPAL_KEY', 'Invalid principal key', `The principal key ${e.key} is not valid: use AWS, Service, Federated or CanonicalUser.`, [...base, { value: principal.key }, { key: e.key }], e.keySpan));
            continue;
          }
          const values = strings(e.value);
          if (!values) out.push(finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The text does not match the expected JSON data type String or Array of String.', [...base, { value: principal.key }, { value: e.key }], e.value.span));
          for (const v of values ?? []) {
            const bad = (e.key === 'AWS' && !AWS_PRINCIPAL.test(v.value))
              || (e.key === 'Service' && !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(v.value))
              || (e.key === 'Federated' && !/^(arn:aws[a-z-]*:iam::\d{12}:(saml-provider|oidc-provider)\/.+|[a-z0-9.-]+\.[a-z]{2,})$/.test(v.value));
            if (bad) {
              out.push(finding('ERROR', 'INVALID_PRINCIPAL_FORMAT', 'Invalid principal format', `The ${e.key} principal ${v.value} is not valid.`, [...base, { value: principal.key }, { value: e.key }, ...(v.index !== undefined ? [{ index: v.index }] : [])], v.span));
            }
          }
        }
      } else {
        out.push(finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The text does not match the expected JSON data type Object.', [...base, { value: principal.key }], p.span));
      }
    }
    const resource = entry(node, 'Resource') ?? entry(node, 'NotResource');
    if (policyType === 'IDENTITY_POLICY' && !resource) {
      out.push(finding('ERROR', 'MISSING_RESOURCE', 'Missing resource', 'Add a Resource or NotResource element to the policy statement.', base, node.span));
    }
    if (isTrust && resource) {
      out.push(finding('ERROR', 'INVALID_POLICY_ELEMENT', 'Invalid policy element', 'A role trust policy cannot contain a Resource element: the role is the resource.', [...base, { value: resource.key }], resource.keySpan));
    }
    const condition = entry(node, 'Condition');
    if (condition && (condition.value.kind !== 'object' || condition.value.entries.some((e) => e.value.kind !== 'object'))) {
      out.push(finding('ERROR', 'DATA_TYPE_MISMATCH', 'Data type mismatch', 'The Condition element must be an object of condition operators, each an object of condition keys.', [...base, { value: 'Condition' }], condition.value.span));
    }
    if (policyType === 'IDENTITY_POLICY' && effect?.value.kind === 'string' && effect.value.value === 'Allow') {
      const actions = (action && strings(action.value)) ?? [];
      const resources = (resource && strings(resource.value)) ?? [];
      if (action?.key === 'Action' && actions.some((a) => /^(iam:\*|iam:PassRole|\*)$/i.test(a.value)) && resources.some((r) => r.value === '*')) {
        out.push(finding('SECURITY_WARNING', 'PASS_ROLE_WITH_STAR_IN_RESOURCE', 'Pass role with star in resource', 'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources.', [...base, { value: 'Resource' }], (resource as { value: Node }).value.span));
      }
    }
  });
  return out;
}
