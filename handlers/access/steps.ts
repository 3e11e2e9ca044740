import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import type { AccessClients } from '../../aws/accessClients';
import { listActiveRoleFindings, readFinding, rescanResource, validateTrustPolicy } from '../../aws/accessFindings';
import { publishAccessMessage, putJsonRecord } from '../../aws/accessNotices';
import { readRole, writeTrustPolicy } from '../../aws/roleTrustPolicy';
import {
  accessMessage, assessRole, findingRefFromEvent, resolutionOutcome, screenFinding, type AccessResolutionSettings, type FindingRef, type ResolutionState,
} from '../../engine/accessResolution';
import { parseRoleArn } from '../../engine/roleTrust';

/**
 * The steps of the access-resolution workflow, each the body of one Task: the Lambda entry points
 * next to this file call them with AWS clients, the local runner with FakeAws clients.
 */

export interface StepContext {
  clients(settings: AccessResolutionSettings): AccessClients;
  topicArn: string;
  /** The evidence bucket and the key prefix of access-resolution records. */
  recordBucket: string;
  recordPrefix: string;
  now(): Date;
}

/** Findings one sweep resolves at most; the newest first, the rest in the next sweep. */
export const MAX_SWEEP_FINDINGS = 500;

/** Thrown for an event that is not an Access Analyzer finding: the workflow parks it in the dead-letter prefix with this reason. */
export class MalformedEvent extends Error {
  override name = 'MalformedEvent';
}

/** Thrown while Access Analyzer still reports the finding active after the change: the workflow retries with backoff. */
export class FindingStillActive extends Error {
  override name = 'FindingStillActive';
}

export interface IntakeInput {
  event: unknown;
  settings: AccessResolutionSettings;
}

/** The findings of one role: resolved one after the other, so each plans on the policy the previous one left. */
export interface RoleFindings {
  resource: string;
  findings: FindingRef[];
}

export interface IntakeOutput {
  settings: AccessResolutionSettings;
  source: 'event' | 'sweep';
  roles: RoleFindings[];
  /** The sweep found more active findings than it takes in one run. */
  more?: boolean;
  ignored?: string;
}

/** Groups findings by role, each finding once, roles and findings in a stable order. */
export function groupByRole(refs: readonly FindingRef[]): RoleFindings[] {
  const byRole = new Map<string, Map<string, FindingRef>>();
  for (const ref of refs) {
    const resource = ref.resource ?? `finding ${ref.findingId}`;
    const findings = byRole.get(resource) ?? new Map<string, FindingRef>();
    if (!findings.has(ref.findingId)) findings.set(ref.findingId, ref);
    byRole.set(resource, findings);
  }
  return [...byRole].sort(([a], [b]) => a.localeCompare(b)).map(([resource, findings]) => ({ resource, findings: [...findings.values()] }));
}

/** An Access Analyzer Finding event (one finding) or a scheduled sweep (`{"sweep": true}`: every active role finding). */
export async function intake(input: IntakeInput, ctx: StepContext): Promise<IntakeOutput> {
  const { settings } = input;
  const event = input.event as Record<string, unknown> | undefined;
  if (event && typeof event === 'object' && event.sweep === true) {
    const { refs, more } = await listActiveRoleFindings(ctx.clients(settings).accessAnalyzer(), settings.analyzer.arn, MAX_SWEEP_FINDINGS);
    return { settings, source: 'sweep', roles: groupByRole(refs), ...(more ? { more } : {}) };
  }
  const parsed = findingRefFromEvent(event);
  if ('problem' in parsed) throw new MalformedEvent(parsed.problem);
  if (parsed.ref.analyzerArn !== settings.analyzer.arn) {
    return { settings, source: 'event', roles: [], ignored: `the finding comes from ${parsed.ref.analyzerArn}, not Rampart's analyzer ${settings.analyzer.arn}` };
  }
  return { settings, source: 'event', roles: groupByRole([parsed.ref]) };
}

/** Parks an event the workflow could not read, with the reason, under the dead-letter prefix. */
export async function deadLetter(
  input: { event: unknown; settings: AccessResolutionSettings; error: { Error: string; Cause?: string } },
  ctx: StepContext,
): Promise<{ deadLetterKey: string; reason: string }> {
  const at = ctx.now().toISOString();
  const eventId = (input.event as { id?: unknown } | null)?.id;
  const key = `${ctx.recordPrefix}dead-letter/${at.slice(0, 10)}/${typeof eventId === 'string' ? eventId : at.replace(/[^0-9]/g, '')}.json`;
  const reason = `${input.error.Error}: ${input.error.Cause ?? ''}`;
  await putJsonRecord(ctx.clients(input.settings).s3(), ctx.recordBucket, key, { type: 'rampart.access-resolution.dead-letter', version: 1, reason, event: input.event, at });
  return { deadLetterKey: key, reason };
}

/**
 * Reads the finding again (events are late and redelivered), screens it, reads the role in its
 * account, plans the Deny and has Access Analyzer validate the planned trust policy.
 */
export async function assess(state: ResolutionState, ctx: StepContext): Promise<ResolutionState> {
  const clients = ctx.clients(state.settings);
  const finding = await readFinding(clients.accessAnalyzer(), state.ref);
  const screening = screenFinding(finding, state.settings);
  if (screening.decision !== 'read-role') return { ...state, finding, assessment: screening };
  const role = await readRole(clients.iam(screening.accountId), screening.roleName);
  const isPublic = Object.values(finding.principal).includes('*');
  const organizationId = isPublic ? (await clients.organizations().send(new DescribeOrganizationCommand({}))).Organization?.Id : undefined;
  const assessment = assessRole(finding, role, state.settings, organizationId);
  const next: ResolutionState = { ...state, finding, assessment, ...(organizationId ? { organizationId } : {}) };
  if (!('change' in assessment)) return next;
  const validation = await validateTrustPolicy(clients.accessAnalyzer(), assessment.change.after);
  if (validation.errors.length > 0) {
    return { ...next, validation, assessment: { decision: 'refuse', reason: `Access Analyzer's policy checks reject the planned trust policy: ${validation.errors.join('; ')}` } };
  }
  return { ...next, validation };
}

/** Sends the approval request; the task token waits for the answer (see `approvalCommands`). */
export async function requestApproval(input: { state: ResolutionState; taskToken: string }, ctx: StepContext): Promise<void> {
  const { state } = input;
  const outcome = resolutionOutcome(state);
  const change = state.assessment && 'change' in state.assessment ? state.assessment.change : undefined;
  if (!state.finding || !outcome || !change) throw new Error('approval requested for a finding without a planned change');
  const commands = approvalCommands(input.taskToken);
  const message = accessMessage({
    ...outcome, reason: `${outcome.reason}; to decline: ${commands.decline}`, finding: state.finding, mode: state.settings.mode, change,
    approveCommand: commands.approve, at: ctx.now().toISOString(),
  });
  await publishAccessMessage(ctx.clients(state.settings).sns(), ctx.topicArn, message);
}

/** How a person answers an approval request: `rampart approve`, as for the Remediate workflow. */
export function approvalCommands(taskToken: string): { approve: string; decline: string } {
  return { approve: `rampart approve '${taskToken}'`, decline: `rampart approve '${taskToken}' --reject --reason "WHY"` };
}

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } };
  return e.$retryable?.throttling === true || /Throttl|TooManyRequests|RequestLimitExceeded/.test(e.name ?? '');
}

/** Attempts at writing when the trust policy keeps changing underneath. */
const WRITE_ATTEMPTS = 3;

/**
 * Writes the planned trust policy only if the role's policy is still the one it was planned on
 * (re-read right before the write, and read again after it to see the Deny stayed). When the policy
 * changed meanwhile, the finding is planned again on the new policy: Rampart's Deny already there
 * (a redelivered event got there first) goes on to confirmation; the same statement to add is
 * written (auto mode may also write a new plan); anything else writes nothing.
 */
export async function apply(state: ResolutionState, ctx: StepContext): Promise<ResolutionState> {
  const assessment = state.assessment;
  if (!assessment || !('change' in assessment) || !state.finding) throw new Error('apply called without a planned change');
  const role = parseRoleArn(assessment.change.roleArn);
  if (!role) throw new Error(`not a role ARN: ${assessment.change.roleArn}`);
  const iam = ctx.clients(state.settings).iam(role.accountId);
  let change = assessment.change;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const current = await readRole(iam, role.name);
    if (current === null) return { ...state, applied: { written: false, refused: `${change.roleArn} was deleted after it was read; nothing was written` } };
    if (current.trustPolicy !== change.before) {
      const again = assessRole(state.finding, current, state.settings, state.organizationId);
      if (again.decision === 'confirm' && again.coveredBy === again.sid) return { ...state, applied: { written: false, alreadyDenied: true } };
      const sameStatement = 'change' in again && !again.change.merged && JSON.stringify(again.change.finding.statement) === JSON.stringify(change.finding.statement);
      if (!('change' in again) || (!sameStatement && state.settings.mode !== 'auto')) {
        return { ...state, applied: { written: false, refused: 'the trust policy changed after it was read and the planned change no longer applies as it was; nothing was written; the next event or sweep plans again' } };
      }
      change = again.change;
    }
    try {
      await writeTrustPolicy(iam, role.name, change.after);
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      if (isThrottling(error) || status < 400 || status >= 500) throw error;
      return { ...state, applied: { written: false, error: { code: (error as Error).name, message: (error as Error).message } } };
    }
    const stored = await readRole(iam, role.name);
    if (stored?.trustPolicy === change.after) return { ...state, assessment: { ...assessment, change }, applied: { written: true } };
    // Another writer replaced the policy between the check and the write: the next attempt plans again on what is there now.
    change = { ...change, before: '' };
  }
  return { ...state, applied: { written: false, refused: `the trust policy of ${change.roleArn} kept changing while Rampart wrote it (${WRITE_ATTEMPTS} attempts); the next event or sweep plans again` } };
}

/** Has Access Analyzer analyze the role again and reads the finding: resolved, or FindingStillActive for the workflow to retry. */
export async function confirm(state: ResolutionState, ctx: StepContext): Promise<ResolutionState> {
  if (!state.finding) throw new Error('confirm called without a finding');
  const analyzer = ctx.clients(state.settings).accessAnalyzer();
  await rescanResource(analyzer, state.ref.analyzerArn, state.finding.resource);
  const now = await readFinding(analyzer, state.ref);
  if (now.status === 'ACTIVE' && !now.isDeleted) throw new FindingStillActive(`Access Analyzer still reports finding ${state.ref.findingId} on ${state.finding.resource} ACTIVE`);
  const confirmed = now.isDeleted === true || now.status === 'RESOLVED';
  return { ...state, confirmation: { confirmed, status: now.isDeleted ? 'DELETED' : now.status, checks: 1 } };
}

/** Keeps the before/after of a change (or attempted change) in the evidence bucket. */
export async function record(state: ResolutionState, ctx: StepContext): Promise<ResolutionState> {
  const at = ctx.now().toISOString();
  const finding = state.finding;
  const assessment = state.assessment;
  if (!finding || !assessment) throw new Error('record called without an assessed finding');
  const key = `${ctx.recordPrefix}${finding.resourceOwnerAccount}/${finding.id}/${at.replace(/[:.]/g, '-')}.json`;
  const outcome = resolutionOutcome(state);
  await putJsonRecord(ctx.clients(state.settings).s3(), ctx.recordBucket, key, {
    type: 'rampart.access-resolution.record', version: 1, at, outcome,
    finding, roleArn: finding.resource,
    ...('change' in assessment ? { sid: assessment.change.sid, before: assessment.change.before, after: assessment.change.after, diff: assessment.change.diff } : {}),
    ...(assessment.decision === 'confirm' ? { sid: assessment.sid, coveredBy: assessment.coveredBy } : {}),
    approval: state.approval ?? null, applied: state.applied ?? null, confirmation: state.confirmation ?? null, validation: state.validation ?? null,
  });
  return { ...state, recordKey: key };
}

export interface NotifyOutput {
  findingId: string;
  roleArn?: string;
  outcome: string;
  reason: string;
  messageId?: string;
}

/** Tells the security team what happened (nothing for dropped findings) and returns the outcome for the execution's output. */
export async function notify(state: ResolutionState, ctx: StepContext): Promise<NotifyOutput> {
  const outcome = resolutionOutcome(state);
  const finding = state.finding ?? {
    id: state.ref.findingId, resource: state.ref.resource ?? 'unknown role', resourceOwnerAccount: parseRoleArn(state.ref.resource ?? '')?.accountId ?? 'unknown',
    principal: {}, actions: [],
  };
  if (!outcome) return { findingId: finding.id, roleArn: finding.resource, outcome: 'dropped', reason: state.assessment && 'reason' in state.assessment ? state.assessment.reason : 'dropped' };
  const assessment = state.assessment;
  const reason = state.recordError ? `${outcome.reason}; the before/after record could not be written (${state.recordError.Error})` : outcome.reason;
  const message = accessMessage({
    ...outcome, reason, finding, mode: state.settings.mode, at: ctx.now().toISOString(),
    ...(assessment && 'change' in assessment ? { change: assessment.change } : {}),
    ...(assessment?.decision === 'confirm' ? { sid: assessment.sid } : {}),
    ...(state.recordKey ? { recordKey: state.recordKey } : {}),
  });
  const messageId = await publishAccessMessage(ctx.clients(state.settings).sns(), ctx.topicArn, message);
  return { findingId: finding.id, roleArn: finding.resource, outcome: outcome.outcome, reason, messageId };
}
