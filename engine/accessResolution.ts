import type { RemediationMode } from '../config/schema/governance';
import { formatLocation, type DesiredExemptRole, type DesiredState } from './desiredState';
import { policyDiff } from './policyDiff';
import { policyMode, type RemediationPolicy } from './remediation';
import { parseRoleArn, principalAccountId, roleExemption } from './roleTrust';
import { DEFAULT_TRUST_POLICY_QUOTA, MAX_TRUST_POLICY_QUOTA, planTrustDeny, type DenyPlan, type FindingDenyResult, type ZoneOfTrust } from './trustPolicyDeny';

/**
 * Resolving external trust on IAM roles, finding by finding: which findings to drop, which roles
 * never to touch, what Deny to write in which mode, and the typed message that tells the security
 * team what happened. Pure; the access-resolution workflow (workflows/access) reads and writes AWS.
 */

/** Path of Rampart's own workflow roles (stacks/organization/executionRole.ts RAMPART_WORKFLOW_ROLE_PATH). */
export const RAMPART_ROLE_PATH = '/rampart/';
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/** What the workflow needs from the configuration, small enough to travel in its state. */
export interface AccessResolutionSettings {
  managementAccountId: string;
  executionRoleName: string;
  /** The analyzer whose findings are resolved: the organization analyzer of the home Region. */
  analyzer: { accountId: string; region: string; name: string; arn: string };
  exemptRoles: DesiredExemptRole[];
  /** security.yaml trustedPrincipals with the accounts they may reach as account ids (undefined: every account). */
  trustedPrincipals: { principal: string; accountIds?: string[]; reason: string }[];
  /** governance.yaml's mode for ExternalTrustOnRole and where it comes from. */
  mode: RemediationMode;
  modeSource: string;
  approvalTimeoutHours: number;
  /** The trust-policy length to plan for (IAM's default quota); a raised quota is found by trying. */
  trustPolicyQuota: number;
}

export function accessResolutionSettings(
  desired: DesiredState,
  remediation: RemediationPolicy & { approvalTimeoutHours: number },
  accountIds: Readonly<Record<string, string>>,
): AccessResolutionSettings {
  const idOf = (name: string, what: string) => {
    const id = accountIds[name];
    if (!id) throw new Error(`the access-resolution workflow needs the id of account ${name} (${what}); give it in organization.yaml`);
    return id;
  };
  const analyzerAccount = idOf(desired.accessAnalyzer.adminAccount, 'the Access Analyzer delegated administrator');
  const { mode, source } = policyMode('ExternalTrustOnRole', remediation);
  return {
    managementAccountId: idOf(desired.organization.managementAccount, 'the management account'),
    executionRoleName: desired.executionRoleName,
    analyzer: {
      accountId: analyzerAccount, region: desired.homeRegion, name: desired.accessAnalyzer.analyzerName,
      arn: `arn:aws:access-analyzer:${desired.homeRegion}:${analyzerAccount}:analyzer/${desired.accessAnalyzer.analyzerName}`,
    },
    exemptRoles: desired.accessAnalyzer.exemptRoles,
    trustedPrincipals: desired.accessAnalyzer.trustedPrincipals.map((t) => ({
      principal: t.principal, reason: t.reason, ...(t.accounts ? { accountIds: t.accounts.flatMap((name) => (accountIds[name] ? [accountIds[name]] : [])) } : {}),
    })),
    mode, modeSource: source,
    approvalTimeoutHours: remediation.approvalTimeoutHours,
    trustPolicyQuota: DEFAULT_TRUST_POLICY_QUOTA,
  };
}

// ---------------------------------------------------------------------------------------------
// Findings

/** A finding as GetFindingV2 (or the event) reports it. */
export interface RoleFinding {
  id: string;
  analyzerArn: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED';
  /** Set when the finding no longer exists (the event says isDeleted, or GetFindingV2 answers ResourceNotFound). */
  isDeleted?: boolean;
  resource: string;
  resourceType: string;
  resourceOwnerAccount: string;
  principal: Record<string, string>;
  actions: string[];
  condition: Record<string, string>;
  isPublic: boolean;
  /** Set on error findings: Access Analyzer could not analyze the resource. */
  error?: string;
}

/** Which finding an event or a sweep points at; the workflow reads the finding itself again. */
export interface FindingRef {
  findingId: string;
  analyzerArn: string;
  /** The role, when the event names it (for messages about findings that are gone). */
  resource?: string;
}

/** The detail of an "Access Analyzer Finding" event, as far as the workflow relies on it. */
export function findingRefFromEvent(event: unknown): { ref: FindingRef } | { problem: string } {
  if (!event || typeof event !== 'object') return { problem: 'the input is not an EventBridge event object' };
  const e = event as Record<string, unknown>;
  if (e.source !== 'aws.access-analyzer' || e['detail-type'] !== 'Access Analyzer Finding') {
    return { problem: `expected source aws.access-analyzer and detail-type "Access Analyzer Finding", got ${JSON.stringify(e.source)} / ${JSON.stringify(e['detail-type'])}` };
  }
  const detail = e.detail as Record<string, unknown> | undefined;
  const resources = Array.isArray(e.resources) ? e.resources : [];
  const analyzerArn = resources.find((r): r is string => typeof r === 'string' && /:access-analyzer:[a-z0-9-]+:\d{12}:analyzer\/.+/.test(r));
  if (!detail || typeof detail.id !== 'string' || detail.id.length === 0) return { problem: 'the event has no detail.id (the finding id)' };
  if (!analyzerArn) return { problem: 'the event has no analyzer ARN in resources' };
  return { ref: { findingId: detail.id, analyzerArn, ...(typeof detail.resource === 'string' ? { resource: detail.resource } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// Deciding

export interface RoleSnapshot {
  arn: string;
  name: string;
  path: string;
  tags: Record<string, string>;
  /** The trust policy as IAM stores it (decoded JSON text). */
  trustPolicy: string;
}

export type Screening =
  | { decision: 'drop'; reason: string }
  | { decision: 'skip-exempt'; reason: string }
  | { decision: 'refuse'; reason: string }
  /** Read the role (in its account) and assess it. */
  | { decision: 'read-role'; accountId: string; roleName: string };

/**
 * What to do with a finding before reading the role: drop what is not an active external-access
 * finding on a role; never touch the management account's roles, OrganizationAccountAccessRole,
 * Rampart's execution and workflow roles, service-linked and AWS-reserved roles, nor a role whose
 * principals are all trusted in security.yaml.
 */
export function screenFinding(finding: RoleFinding, settings: AccessResolutionSettings): Screening {
  if (finding.isDeleted) return { decision: 'drop', reason: `finding ${finding.id} was deleted` };
  if (finding.status !== 'ACTIVE') return { decision: 'drop', reason: `finding ${finding.id} is ${finding.status}` };
  if (finding.resourceType !== 'AWS::IAM::Role') return { decision: 'drop', reason: `finding ${finding.id} is on a ${finding.resourceType}, not an IAM role` };
  if (finding.error) return { decision: 'drop', reason: `finding ${finding.id} is an error finding (${finding.error}): Access Analyzer could not analyze ${finding.resource}` };
  const role = parseRoleArn(finding.resource);
  if (!role) return { decision: 'refuse', reason: `finding ${finding.id} names ${finding.resource}, which is not an IAM role ARN` };
  const protectedReason = protectedRole(role, settings);
  if (protectedReason) return { decision: 'skip-exempt', reason: protectedReason };
  const exemption = roleExemption({ arn: finding.resource, path: role.path }, settings.exemptRoles);
  if (exemption.exempt === true) return { decision: 'skip-exempt', reason: `${finding.resource} is exempt in security.yaml: ${exemption.reason}` };
  const principals = Object.values(finding.principal);
  const trusted = principals.map((p) => trustedEntry(p, role.accountId, settings));
  if (principals.length > 0 && trusted.every((t) => t !== undefined)) {
    return { decision: 'skip-exempt', reason: `${principals.join(', ')} is a trusted principal in security.yaml: ${trusted.map((t) => t?.reason).join('; ')}` };
  }
  // The role's name is the last segment of its ARN, whatever its path.
  return { decision: 'read-role', accountId: role.accountId, roleName: role.name };
}

function protectedRole(role: { accountId: string; name: string; path: string }, settings: AccessResolutionSettings): string | undefined {
  if (role.accountId === settings.managementAccountId) return `the role is in the management account (${role.accountId}), which Rampart never changes`;
  if (role.name === ORGANIZATION_ACCESS_ROLE) return `${ORGANIZATION_ACCESS_ROLE} is how the management account reaches member accounts; Rampart never locks it out`;
  if (role.name === settings.executionRoleName) return `${role.name} is Rampart's execution role; Rampart never changes its own access`;
  if (role.path.startsWith(RAMPART_ROLE_PATH)) return `the role is one of Rampart's workflow roles (path ${RAMPART_ROLE_PATH})`;
  if (role.path.startsWith('/aws-service-role/')) return 'the role is an AWS service-linked role, which only its service may change';
  if (role.path.startsWith('/aws-reserved/')) return 'the role is reserved by AWS (e.g. IAM Identity Center), which manages its trust policy';
  return undefined;
}

function trustedEntry(principal: string, accountId: string, settings: AccessResolutionSettings) {
  const principalAccount = principalAccountId(principal);
  return settings.trustedPrincipals.find((entry) => {
    if (entry.accountIds && !entry.accountIds.includes(accountId)) return false;
    if (entry.principal === principal) return true;
    const entryAccount = /^\d{12}$/.test(entry.principal) ? entry.principal : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(entry.principal)?.[1];
    return entryAccount !== undefined && entryAccount === principalAccount;
  });
}

/** The zone of trust of the analyzer, for the public-access Deny. */
export function zoneOfTrust(settings: AccessResolutionSettings, organizationId: string | undefined, roleAccountId: string): ZoneOfTrust {
  const trusted = settings.trustedPrincipals.filter((t) => !t.accountIds || t.accountIds.includes(roleAccountId));
  return {
    ...(organizationId ? { organizationId } : {}),
    accountIds: organizationId ? [] : [roleAccountId],
    trustedAccountIds: trusted.flatMap((t) => (/^\d{12}$/.test(t.principal) ? [t.principal] : /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(t.principal)?.slice(1) ?? [])),
    trustedPrincipalArns: trusted.flatMap((t) => (/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(?!root$)/.test(t.principal) ? [t.principal] : [])),
  };
}

export type Assessment =
  | { decision: 'drop' | 'skip-exempt' | 'refuse'; reason: string }
  /** A Deny already covers the finding: nothing to write, only to confirm. */
  | { decision: 'confirm'; reason: string; sid: string; coveredBy: string }
  | { decision: 'report' | 'approve' | 'apply'; reason: string; change: PolicyChange };

/** The trust-policy change for one finding: the exact text before and after, and its diff. */
export interface PolicyChange {
  roleArn: string;
  roleName: string;
  accountId: string;
  sid: string;
  before: string;
  after: string;
  diff: string;
  beforeLength: number;
  afterLength: number;
  quota: number;
  merged: boolean;
  finding: FindingDenyResult;
}

/**
 * Decides on a finding once its role is read: skip a role a tag exempts; recognise a Deny that is
 * already there; otherwise plan the Deny and choose the mode (report, approve or auto). When
 * the Deny does not fit IAM's default quota, it is planned against the largest quota IAM allows
 * and IAM's answer decides (an account may have a raised quota).
 */
export function assessRole(finding: RoleFinding, role: RoleSnapshot | null, settings: AccessResolutionSettings, organizationId: string | undefined): Assessment {
  if (role === null) return { decision: 'drop', reason: `role ${finding.resource} no longer exists` };
  const exemption = roleExemption({ arn: role.arn, path: role.path, tags: role.tags }, settings.exemptRoles);
  if (exemption.exempt === true) {
    const rule = settings.exemptRoles.find((r) => r.reason === exemption.reason);
    return { decision: 'skip-exempt', reason: `${role.arn} is exempt in security.yaml${rule ? ` (${formatLocation(rule.declaredAt)})` : ''}: ${exemption.reason}` };
  }
  const accountId = parseRoleArn(role.arn)?.accountId ?? finding.resourceOwnerAccount;
  const zone = zoneOfTrust(settings, organizationId, accountId);
  const request = { findingId: finding.id, principal: finding.principal, actions: finding.actions };
  let plan: DenyPlan = planTrustDeny(role.trustPolicy, [request], { quota: settings.trustPolicyQuota, zone });
  if (plan.status === 'refused' && /over the account's quota/.test(plan.reason) && settings.trustPolicyQuota < MAX_TRUST_POLICY_QUOTA) {
    plan = planTrustDeny(role.trustPolicy, [request], { quota: MAX_TRUST_POLICY_QUOTA, zone });
  }
  if (plan.status === 'refused') return { decision: 'refuse', reason: plan.reason };
  const result = plan.findings[0];
  if (plan.status === 'unchanged') {
    return { decision: 'confirm', reason: `the trust policy already denies it (${result.coveredBy})`, sid: result.sid, coveredBy: result.coveredBy ?? result.sid };
  }
  const change: PolicyChange = {
    roleArn: role.arn, roleName: role.name, accountId, sid: result.sid, before: plan.before, after: plan.after,
    diff: policyDiff(plan.before, plan.after, { before: `${role.arn} (now)`, after: `${role.arn} (with ${result.sid})` }),
    beforeLength: plan.beforeLength, afterLength: plan.afterLength, quota: plan.quota, merged: plan.merged, finding: result,
  };
  const decision = settings.mode === 'auto' ? 'apply' : settings.mode;
  return { decision, reason: settings.modeSource, change };
}

// ---------------------------------------------------------------------------------------------
// Telling people

export type AccessOutcome = 'resolved' | 'skipped-exempt' | 'refused' | 'failed' | 'reported' | 'awaiting-approval' | 'declined';

export const ACCESS_MESSAGE_TYPE = 'rampart.access-resolution';

/** The SNS message of every access-resolution outcome (JSON in the message body). */
export interface AccessResolutionMessage {
  type: typeof ACCESS_MESSAGE_TYPE;
  version: 1;
  outcome: AccessOutcome;
  /** One sentence for people. */
  summary: string;
  findingId: string;
  roleArn: string;
  accountId: string;
  /** The principal as the finding names it (type → value), and as one readable string. */
  principal: Record<string, string>;
  principalText: string;
  actions: string[];
  mode: RemediationMode;
  /** Why this outcome: the mode's source, the exemption, the refusal or the error. */
  reason: string;
  /** True when Rampart changed the trust policy. */
  written: boolean;
  sid?: string;
  policyDiff?: string;
  /** The exact command that removes the Deny again; present whenever a Rampart Deny is in place. */
  revertCommand?: string;
  approveCommand?: string;
  /** Where the before/after record is stored. */
  recordKey?: string;
  at: string;
}

export function revertCommand(findingId: string, roleArn: string): string {
  return `rampart access revert --finding ${findingId} --role ${roleArn}`;
}

export function principalText(principal: Record<string, string>): string {
  return Object.entries(principal).map(([type, value]) => (value === '*' ? 'everyone (*)' : `${type} ${value}`)).join(', ') || 'no principal';
}

export interface MessageInput {
  outcome: AccessOutcome;
  finding: Pick<RoleFinding, 'id' | 'resource' | 'resourceOwnerAccount' | 'principal' | 'actions'>;
  mode: RemediationMode;
  reason: string;
  written: boolean;
  /** The Sid of Rampart's Deny for this finding (planned, written now, or found in place). */
  sid?: string;
  /** True when Rampart's Deny for this finding is in the trust policy after this run. */
  denyInPlace: boolean;
  change?: PolicyChange;
  approveCommand?: string;
  recordKey?: string;
  at: string;
}

const SUMMARY: Record<AccessOutcome, (role: string, who: string) => string> = {
  'resolved': (role, who) => `External trust removed: ${role} no longer trusts ${who}`,
  'skipped-exempt': (role, who) => `Not changed: ${role} trusts ${who}, but the role is exempt`,
  'refused': (role, who) => `Not resolved: Rampart refused to change ${role}, which still trusts ${who}`,
  'failed': (role, who) => `Failed: ${role} may still trust ${who}`,
  'reported': (role, who) => `Reported only: ${role} trusts ${who} (governance.yaml mode report)`,
  'awaiting-approval': (role, who) => `Approval needed: deny ${who} on ${role}`,
  'declined': (role, who) => `Not changed: the Deny of ${who} on ${role} was not approved`,
};

/** The typed message of an outcome; the outcome says what happened, never more. */
export function accessMessage(input: MessageInput): AccessResolutionMessage {
  const who = principalText(input.finding.principal);
  const sid = input.sid ?? input.change?.sid;
  return {
    type: ACCESS_MESSAGE_TYPE, version: 1,
    outcome: input.outcome,
    summary: `${SUMMARY[input.outcome](input.finding.resource, who)}. ${input.reason}`,
    findingId: input.finding.id,
    roleArn: input.finding.resource,
    accountId: input.finding.resourceOwnerAccount,
    principal: input.finding.principal,
    principalText: who,
    actions: input.finding.actions,
    mode: input.mode,
    reason: input.reason,
    written: input.written,
    ...(sid ? { sid } : {}),
    ...(input.change ? { policyDiff: input.change.diff } : {}),
    ...(input.denyInPlace ? { revertCommand: revertCommand(input.finding.id, input.finding.resource) } : {}),
    ...(input.approveCommand ? { approveCommand: input.approveCommand } : {}),
    ...(input.recordKey ? { recordKey: input.recordKey } : {}),
    at: input.at,
  };
}

/** An SNS subject: at most 100 printable ASCII characters, no line breaks. */
export function messageSubject(message: AccessResolutionMessage): string {
  const role = parseRoleArn(message.roleArn)?.name ?? message.roleArn;
  const text = `Rampart access ${message.outcome}: ${role} in ${message.accountId}`.replace(/[^\x20-\x7e]/g, '?');
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// One finding through the workflow

/** What the workflow knows about one finding as it goes through its steps (the Map item's state). */
export interface ResolutionState {
  ref: FindingRef;
  settings: AccessResolutionSettings;
  finding?: RoleFinding;
  /** The organization of the analyzer (read for public findings: their Deny keeps the organization in). */
  organizationId?: string;
  assessment?: Assessment;
  /** Access Analyzer's policy checks of the planned trust policy. */
  validation?: { errors: string[]; securityWarnings: string[] };
  /** A person's answer (`rampart approve`: SendTaskSuccess), or the timeout's. */
  approval?: { decision: 'approved' | 'expired'; by?: string; at?: string; reason?: string };
  /** A rejection (`rampart approve --reject`: SendTaskFailure with Rampart.Rejected, its cause `{ by, reason }`). */
  approvalError?: { Error: string; Cause?: string };
  applied?: {
    written: boolean;
    /** The policy already held Rampart's Deny when re-read (a redelivered event won the race). */
    alreadyDenied?: boolean;
    /** Why nothing was written although the plan said to (the policy changed since it was read). */
    refused?: string;
    /** IAM's answer when it rejected the update. */
    error?: { code: string; message: string };
  };
  confirmation?: { confirmed: boolean; status: string; checks: number };
  recordKey?: string;
  /** Why the before/after record could not be written (the outcome stands; the message says so). */
  recordError?: { Error: string; Cause?: string };
  /** A step's error as the workflow caught it (Catch output: Error and Cause). */
  error?: { Error: string; Cause?: string };
}

export interface ResolutionOutcome {
  outcome: AccessOutcome;
  reason: string;
  written: boolean;
  denyInPlace: boolean;
}

function parseCause(cause: string | undefined): { by?: string; reason?: string } {
  try {
    const parsed = JSON.parse(cause ?? '') as unknown;
    return parsed && typeof parsed === 'object' ? parsed as { by?: string; reason?: string } : {};
  } catch {
    return cause ? { reason: cause } : {};
  }
}

function causeText(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; message?: string };
    return parsed.errorMessage ?? parsed.message ?? cause;
  } catch {
    return cause;
  }
}

/**
 * The outcome of a finding's run, derived from what actually happened: `resolved` only when
 * Access Analyzer confirmed the finding resolved; a write that IAM rejected, an error in any
 * step, or a finding still active after the Deny are `failed`. Undefined for dropped findings
 * (nothing to tell).
 */
export function resolutionOutcome(state: ResolutionState): ResolutionOutcome | undefined {
  const written = state.applied?.written === true;
  const assessment = state.assessment;
  const ownDenyFound = assessment?.decision === 'confirm' ? assessment.coveredBy === assessment.sid : false;
  const denyInPlace = written || ownDenyFound || state.applied?.alreadyDenied === true;
  if (state.error) {
    const cause = causeText(state.error.Cause);
    return { outcome: 'failed', reason: `${state.error.Error}${cause ? `: ${cause}` : ''}${written ? ' (after the Deny was written)' : ''}`, written, denyInPlace };
  }
  if (!assessment) return { outcome: 'failed', reason: 'the finding was not assessed', written, denyInPlace };
  switch (assessment.decision) {
    case 'drop': return undefined;
    case 'skip-exempt': return { outcome: 'skipped-exempt', reason: assessment.reason, written: false, denyInPlace: false };
    case 'refuse': return { outcome: 'refused', reason: assessment.reason, written: false, denyInPlace: false };
    case 'report': return { outcome: 'reported', reason: `${assessment.reason}; nothing was changed`, written: false, denyInPlace: false };
    default: break;
  }
  if (state.approvalError) {
    const cause = parseCause(state.approvalError.Cause);
    const who = cause.by ? ` by ${cause.by}` : '';
    return { outcome: 'declined', reason: `rejected${who}: ${cause.reason ?? state.approvalError.Error}`, written: false, denyInPlace: false };
  }
  if (assessment.decision === 'approve' && !state.approval) {
    return { outcome: 'awaiting-approval', reason: `${assessment.reason}; a person approves the change`, written: false, denyInPlace: false };
  }
  if (state.approval && state.approval.decision !== 'approved') {
    return { outcome: 'declined', reason: state.approval.reason ?? `the approval ${state.approval.decision}`, written: false, denyInPlace: false };
  }
  if (state.applied?.error?.code === 'LimitExceededException') {
    const size = assessment.decision === 'apply' || assessment.decision === 'approve' ? ` would be ${assessment.change.afterLength} characters, which` : '';
    return {
      outcome: 'refused', written: false, denyInPlace: false,
      reason: `the trust policy${size} is over this account's quota (IAM: ${state.applied.error.message}); nothing was written; shorten the policy or raise the IAM quota "Role trust policy length" (up to 4096)`,
    };
  }
  if (state.applied?.error) {
    return { outcome: 'failed', reason: `IAM rejected the update (${state.applied.error.code}: ${state.applied.error.message}); the trust policy is unchanged`, written: false, denyInPlace: false };
  }
  if (state.applied?.refused) return { outcome: 'refused', reason: state.applied.refused, written: false, denyInPlace: false };
  const confirmation = state.confirmation;
  if (!confirmation) return { outcome: 'failed', reason: 'the result was not confirmed with Access Analyzer', written, denyInPlace };
  if (!confirmation.confirmed) {
    return {
      outcome: 'failed', written, denyInPlace,
      reason: `${written ? 'the Deny was written' : 'a Deny is in place'}, but Access Analyzer still reports the finding ${confirmation.status} after ${confirmation.checks} check(s)`,
    };
  }
  const how = written ? `Deny ${assessment.decision === 'confirm' ? assessment.sid : assessment.change.sid} added` : `already denied (${assessment.decision === 'confirm' ? assessment.coveredBy : 'Rampart\'s statement'})`;
  return { outcome: 'resolved', reason: `${how}; Access Analyzer reports the finding ${confirmation.status}`, written, denyInPlace };
}
