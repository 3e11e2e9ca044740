import { createHash } from 'node:crypto';
import type { RemediationMode } from '../config/schema/governance';
import { standardResource, type DesiredState } from './desiredState';
import { detectDrift } from './detectDrift';
import { driftId, scpAttachmentSubject, scpTargetScope, type Drift, type DriftReport, type JsonValue } from './drift';
import { canonicalJson } from './driftChecks/context';
import { isAutoRemediable, type DriftType, type Severity } from './driftTypes';
import { scopeRefKey, withScopes, type CollectionError, type Inventory, type ScopeRef, type ScopeSnapshot } from './inventory';
import { parseRoleArn, roleExemption } from './roleTrust';
import { denySid } from './trustPolicyDeny';

/**
 * Remediation planning: from drifts and the governance policy to typed, idempotent actions.
 * Pure: the aws/ layer executes actions; the engine decides what, in which mode, in which order,
 * what must still hold before writing (precondition) and what must hold after (verification).
 */

// ---------------------------------------------------------------------------------------------
// Actions

export interface DataLakeSettingsAction {
  adminAccountId: string;
  region: string;
  /** Omitted: S3-managed encryption. */
  kmsKeyAlias?: string;
  expirationDays: number;
  transitions: { days: number; storageClass: string }[];
}

export type Action =
  | { kind: 'CreateOrganizationalUnit'; name: string; parentPath: string; /** Resolved from parentPath when the parent is created earlier in the same plan. */ parentId?: string }
  | { kind: 'CreatePolicy'; policyName: string; description: string; document: JsonValue; /** Attach right after creating. */ targets: { targetId: string; targetName: string }[] }
  | { kind: 'UpdatePolicy'; policyId: string; policyName: string; document: JsonValue }
  | { kind: 'AttachPolicy'; policyId: string; policyName: string; targetId: string; targetName: string }
  | { kind: 'MoveAccount'; accountId: string; sourceParentId: string; destinationParentId: string; destinationPath: string }
  | { kind: 'EnableAWSServiceAccess'; servicePrincipal: string }
  | { kind: 'RegisterDelegatedAdministrator'; servicePrincipal: string; accountId: string; /** Registered today and to be deregistered first. */ deregisterAccountIds: string[] }
  | { kind: 'EnableSecurityHub'; accountId: string; region: string; /** Enabled with the hub, as the governing policy asks. */ standardArns: string[] }
  | { kind: 'EnableStandard'; accountId: string; region: string; standardArn: string }
  | { kind: 'DisableStandard'; accountId: string; region: string; standardArn: string; subscriptionArn?: string }
  | { kind: 'EnableSecurityControl'; accountId: string; region: string; controlId: string }
  | {
    kind: 'CreateConfigurationPolicy'; adminAccountId: string; region: string; policyName: string; description: string;
    standardArns: string[]; disabledControlIds: string[]; /** Associate right after creating. */ targets: { targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT' }[];
  }
  | {
    kind: 'UpdateConfigurationPolicy'; adminAccountId: string; region: string; policyId: string; policyName: string; description: string;
    standardArns: string[]; disabledControlIds: string[];
  }
  | {
    kind: 'StartConfigurationPolicyAssociation'; adminAccountId: string; region: string; configurationPolicyId: string; policyName: string;
    targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT';
  }
  | ({ kind: 'CreateDataLake'; replicationRegions: string[] } & DataLakeSettingsAction)
  | ({ kind: 'UpdateDataLake' } & DataLakeSettingsAction)
  | { kind: 'UpdateDataLakeReplication'; adminAccountId: string; region: string; replicationRegions: string[] }
  | { kind: 'CreateAwsLogSource'; adminAccountId: string; region: string; sourceName: string; sourceVersion: string; accountIds: string[] }
  | {
    kind: 'CreateCustomLogSource' | 'RecreateCustomLogSource'; adminAccountId: string; region: string; sourceName: string; sourceVersion: string;
    eventClasses: string[]; providerAccountId?: string; ingestion: 'kinesis' | 's3';
  }
  | { kind: 'CreateDataLakeOrganizationConfiguration'; adminAccountId: string; region: string; sources: { sourceName: string; sourceVersion: string }[] }
  | {
    kind: 'StartConfigurationRecorder'; accountId: string; region: string; recorderName: string;
    /** Set when the recorder is missing: create it with these settings before starting it. */
    create?: { allSupported: boolean; includeGlobalResourceTypes: boolean };
  }
  | { kind: 'PutOrganizationConformancePack'; adminAccountId: string; region: string; packName: string; templateName: string; excludedAccountIds: string[] }
  | { kind: 'PutConfigurationAggregator'; accountId: string; region: string; aggregatorName: string; regions: string[] }
  | { kind: 'CreateAnalyzer'; accountId: string; region: string; analyzerName: string; type: 'ORGANIZATION' }
  | {
    kind: 'DenyExternalTrust'; accountId: string; roleArn: string; roleName: string; findingId: string; findingRegions: string[];
    /** Statement id derived from the finding id, so a redelivered finding finds its statement already there. */
    sid: string; principals: Record<string, string>; actions: string[];
  }
  | { kind: 'DenyRoleTrust'; accountId: string; roleArn: string; roleName: string; principal: string; actions: string[]; sid: string };

export type ActionKind = Action['kind'];

/** Actions that are never automatic, whatever the policy: they move accounts or cut access inside the organization. */
export const NEVER_AUTO_ACTIONS: ReadonlySet<ActionKind> = new Set<ActionKind>(['MoveAccount', 'DenyRoleTrust']);

/** Execution order: what others depend on first (OUs before accounts move into them, policies before attachments...). */
const PHASE: Record<ActionKind, number> = {
  CreateOrganizationalUnit: 0, EnableAWSServiceAccess: 1, RegisterDelegatedAdministrator: 2, CreatePolicy: 3, UpdatePolicy: 3, AttachPolicy: 4,
  MoveAccount: 5, CreateConfigurationPolicy: 6, UpdateConfigurationPolicy: 6, StartConfigurationPolicyAssociation: 7, EnableSecurityHub: 8,
  EnableStandard: 9, DisableStandard: 9, EnableSecurityControl: 9, CreateDataLake: 10, UpdateDataLake: 11, UpdateDataLakeReplication: 11,
  CreateAwsLogSource: 12, CreateCustomLogSource: 12, RecreateCustomLogSource: 12, CreateDataLakeOrganizationConfiguration: 12,
  PutConfigurationAggregator: 13, StartConfigurationRecorder: 14, PutOrganizationConformancePack: 14, CreateAnalyzer: 15,
  DenyExternalTrust: 16, DenyRoleTrust: 16,
};

/** The accounts whose own resources an action changes (none for organization-level changes such as SCP documents). */
export function actionAccountIds(action: Action): string[] {
  switch (action.kind) {
    case 'AttachPolicy': return /^\d{12}$/.test(action.targetId) ? [action.targetId] : [];
    case 'CreatePolicy': return action.targets.flatMap((t) => (/^\d{12}$/.test(t.targetId) ? [t.targetId] : []));
    case 'UpdatePolicy': case 'CreateOrganizationalUnit': case 'EnableAWSServiceAccess': return [];
    case 'CreateAwsLogSource': return [action.adminAccountId, ...action.accountIds];
    default: return ['accountId' in action ? action.accountId : action.adminAccountId];
  }
}

/** The scopes to re-read before writing (precondition) and after (verification). */
export function actionScopes(action: Action): ScopeRef[] {
  switch (action.kind) {
    case 'CreateOrganizationalUnit': case 'MoveAccount': return [{ kind: 'organizations.structure' }];
    case 'UpdatePolicy': return [{ kind: 'organizations.policies' }];
    case 'CreatePolicy': case 'AttachPolicy': return [{ kind: 'organizations.policies' }, { kind: 'organizations.structure' }];
    case 'EnableAWSServiceAccess': return [{ kind: 'organizations.trustedAccess' }];
    case 'RegisterDelegatedAdministrator': return [{ kind: 'organizations.delegatedAdministrators' }];
    case 'EnableSecurityHub': case 'EnableStandard': case 'DisableStandard': case 'EnableSecurityControl':
      return [{ kind: 'securityhub.account', accountId: action.accountId, region: action.region }];
    case 'UpdateConfigurationPolicy': return [{ kind: 'securityhub.organization' }];
    case 'CreateConfigurationPolicy': case 'StartConfigurationPolicyAssociation': return [{ kind: 'securityhub.organization' }, { kind: 'organizations.structure' }];
    case 'CreateDataLake': case 'UpdateDataLake': case 'UpdateDataLakeReplication': case 'CreateAwsLogSource': case 'CreateCustomLogSource':
    case 'RecreateCustomLogSource': case 'CreateDataLakeOrganizationConfiguration':
      return [{ kind: 'securitylake.region', region: action.region }];
    case 'StartConfigurationRecorder': return [{ kind: 'config.recorder', accountId: action.accountId, region: action.region }];
    case 'PutOrganizationConformancePack': return [{ kind: 'config.conformancePacks', region: action.region }];
    case 'PutConfigurationAggregator': return [{ kind: 'config.aggregators' }];
    case 'CreateAnalyzer': return [{ kind: 'accessanalyzer.region', region: action.region }];
    case 'DenyExternalTrust':
      return [{ kind: 'iam.account', accountId: action.accountId }, ...action.findingRegions.map((region) => ({ kind: 'accessanalyzer.region' as const, region }))];
    case 'DenyRoleTrust': return [{ kind: 'iam.account', accountId: action.accountId }];
  }
}

/** One sentence for an approval request, a dry run or a notification. */
export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'CreateOrganizationalUnit': return `create OU ${action.name} under ${action.parentPath}`;
    case 'CreatePolicy': return `create SCP ${action.policyName} and attach it to ${action.targets.map((t) => t.targetName).join(', ') || 'nothing'}`;
    case 'UpdatePolicy': return `restore the configured document of SCP ${action.policyName} (${action.policyId})`;
    case 'AttachPolicy': return `attach SCP ${action.policyName} to ${action.targetName} (${action.targetId})`;
    case 'MoveAccount': return `move account ${action.accountId} from ${action.sourceParentId} to ${action.destinationPath} (${action.destinationParentId})`;
    case 'EnableAWSServiceAccess': return `enable trusted access for ${action.servicePrincipal}`;
    case 'RegisterDelegatedAdministrator':
      return `${action.deregisterAccountIds.length ? `deregister ${action.deregisterAccountIds.join(', ')} and ` : ''}register ${action.accountId} as delegated administrator for ${action.servicePrincipal}`;
    case 'EnableSecurityHub': return `enable Security Hub in ${action.accountId} in ${action.region} with ${action.standardArns.length} standard(s)`;
    case 'EnableStandard': return `enable ${action.standardArn} in ${action.accountId}`;
    case 'DisableStandard': return `disable ${action.standardArn} in ${action.accountId}`;
    case 'EnableSecurityControl': return `enable control ${action.controlId} in ${action.accountId} in ${action.region}`;
    case 'CreateConfigurationPolicy': return `create central configuration policy ${action.policyName} and associate it with ${action.targets.map((t) => t.targetId).join(', ')}`;
    case 'UpdateConfigurationPolicy': return `restore central configuration policy ${action.policyName} (${action.policyId})`;
    case 'StartConfigurationPolicyAssociation': return `associate ${action.targetId} with central configuration policy ${action.policyName} (${action.configurationPolicyId})`;
    case 'CreateDataLake': return `create the Security Lake data lake in ${action.region}${action.replicationRegions.length ? `, replicating to ${action.replicationRegions.join(', ')}` : ''}`;
    case 'UpdateDataLake': return `restore the encryption and retention of the data lake in ${action.region}`;
    case 'UpdateDataLakeReplication': return action.replicationRegions.length
      ? `make the data lake in ${action.region} replicate to ${action.replicationRegions.join(', ')}` : `stop replication from the data lake in ${action.region}`;
    case 'CreateAwsLogSource': return `enable ${action.sourceName} ${action.sourceVersion} in ${action.region} for ${action.accountIds.length} account(s): ${action.accountIds.slice(0, 5).join(', ')}${action.accountIds.length > 5 ? ', ...' : ''}`;
    case 'CreateCustomLogSource': return `register custom source ${action.sourceName} (${action.eventClasses.join(', ')}) in ${action.region}`;
    case 'RecreateCustomLogSource': return `delete and re-register custom source ${action.sourceName} with event class ${action.eventClasses.join(', ')} in ${action.region}`;
    case 'CreateDataLakeOrganizationConfiguration': return `auto-enable ${action.sources.map((s) => s.sourceName).join(', ')} for new accounts in ${action.region}`;
    case 'StartConfigurationRecorder': return `${action.create ? 'create and ' : ''}start Config recorder ${action.recorderName} in ${action.accountId} in ${action.region}`;
    case 'PutOrganizationConformancePack': return `deploy organization conformance pack ${action.packName} (${action.templateName}) in ${action.region}`;
    case 'PutConfigurationAggregator': return `create the organization Config aggregator ${action.aggregatorName} in ${action.accountId} in ${action.region}`;
    case 'CreateAnalyzer': return `create organization analyzer ${action.analyzerName} in ${action.region}`;
    case 'DenyExternalTrust': return `add Deny statement ${action.sid} for ${Object.values(action.principals).join(', ')} (${action.actions.join(', ')}) to the trust policy of ${action.roleArn}`;
    case 'DenyRoleTrust': return `add Deny statement ${action.sid} for ${action.principal} (${action.actions.join(', ')}) to the trust policy of ${action.roleArn}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Plans

/** Before writing: at least one of these drifts is still detected, with the same `actual` as when planned. */
export interface Precondition {
  description: string;
  drifts: { id: string; actualDigest: string }[];
}

/**
 * After writing: none of these drifts is detected. Besides the drifts repaired, it lists those the
 * action clears that were hidden behind them (e.g. the attachments of an SCP it creates).
 */
export interface Verification {
  description: string;
  driftIds: string[];
}

export interface PlannedAction {
  /** Hash of the action's content: the idempotency key (the same action planned twice has the same id). */
  id: string;
  action: Action;
  description: string;
  mode: 'auto' | 'approve';
  /** Why the mode is stricter than the policy asks, when it is. */
  modeReason?: string;
  driftIds: string[];
  driftTypes: DriftType[];
  severity: Severity;
  /** Scopes to re-read before and after writing. */
  rereads: ScopeRef[];
  /** Drift types to re-check on the re-read scopes. */
  recheckTypes: DriftType[];
  /** Holds when the scopes re-read fine and at least one of its drifts is still there, unchanged. */
  precondition: Precondition;
  /** Holds when the scopes re-read fine and none of its drifts is left. */
  verification: Verification;
}

export interface ReportedDrift {
  driftId: string;
  type: DriftType;
  severity: Severity;
  message: string;
  /** Why nothing is planned: the policy says report, the scope is unknown, the management account... */
  reason: string;
}

export interface RemediationPlan {
  /** Within the blast-radius limit, in execution order. `approve` ones wait for a person. */
  actions: PlannedAction[];
  /** Beyond the limit: planned again by the next run. */
  deferred: PlannedAction[];
  reported: ReportedDrift[];
  maxActionsPerRun: number;
}

export interface RemediationPolicy {
  defaultMode: RemediationMode;
  policies: readonly { drift: DriftType; mode: RemediationMode }[];
  maxActionsPerRun: number;
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4 };

/** The mode governance.yaml sets for a drift type (its policy entry, else the default). */
export function policyMode(type: DriftType, policy: RemediationPolicy): { mode: RemediationMode; source: string } {
  const entry = policy.policies.find((p) => p.drift === type);
  return entry ? { mode: entry.mode, source: `governance.yaml sets ${entry.mode} for ${type}` } : { mode: policy.defaultMode, source: `governance.yaml defaultMode is ${policy.defaultMode}` };
}

/**
 * Plans the repair of the drifts in `report` under `policy`: never acting on a scope that is
 * not fully known, on the management account or on an exempt role; never `auto` for account
 * moves and removals; at most `maxActionsPerRun` actions (the most severe first), the rest deferred.
 */
export function planRemediation(report: DriftReport, desired: DesiredState, policy: RemediationPolicy): RemediationPlan {
  const reported: ReportedDrift[] = [];
  const byKey = new Map<string, PlannedAction>();
  const reportOnly = (drift: Drift, reason: string) => reported.push({ driftId: drift.id, type: drift.type, severity: drift.severity, message: drift.message, reason });

  for (const drift of report.drifts) {
    const { mode, source } = policyMode(drift.type, policy);
    if (!drift.scopeKnown) {
      reportOnly(drift, `not remediated: part of its scope is unknown (${drift.unknownBecause ?? 'unknown state'})`);
      continue;
    }
    if (mode === 'report') {
      reportOnly(drift, source);
      continue;
    }
    const repair = repairOf(drift);
    if ('reason' in repair) {
      reportOnly(drift, repair.reason);
      continue;
    }
    const { action, alsoClears } = repair;
    const refusal = refusalOf(action, report.managementAccountId, desired);
    if (refusal) {
      reportOnly(drift, refusal);
      continue;
    }
    let finalMode: 'auto' | 'approve' = mode;
    let modeReason: string | undefined;
    if (mode === 'auto' && !isAutoRemediable(drift.type)) {
      finalMode = 'approve';
      modeReason = `${drift.type} is never repaired automatically: a person approves it`;
    } else if (mode === 'auto' && NEVER_AUTO_ACTIONS.has(action.kind)) {
      finalMode = 'approve';
      modeReason = `${action.kind} is never automatic: a person approves it`;
    }
    const key = mergeKey(action);
    const existing = byKey.get(key);
    if (existing) {
      mergeInto(existing, action, drift, finalMode, modeReason, alsoClears);
      continue;
    }
    byKey.set(key, {
      id: actionId(action), action, description: describeAction(action), mode: finalMode, ...(modeReason ? { modeReason } : {}),
      driftIds: [drift.id], driftTypes: [drift.type], severity: drift.severity,
      rereads: actionScopes(action),
      recheckTypes: [...new Set([drift.type, ...alsoClears.map((c) => c.type)])],
      precondition: { description: `still there, unchanged: ${drift.message}`, drifts: [{ id: drift.id, actualDigest: digest(drift.actual) }] },
      verification: { description: `gone: ${drift.message}`, driftIds: [drift.id, ...alsoClears.map((c) => c.id)] },
    });
  }

  const candidates = [...byKey.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || executionOrder(a, b));
  const limit = Math.max(0, policy.maxActionsPerRun);
  return {
    actions: candidates.slice(0, limit).sort(executionOrder),
    deferred: candidates.slice(limit).sort(executionOrder),
    reported,
    maxActionsPerRun: limit,
  };
}

/** Actions that repair several drifts at once share a key: identical ones, and one AWS source enabled for many accounts. */
function mergeKey(action: Action): string {
  return action.kind === 'CreateAwsLogSource' ? `CreateAwsLogSource|${action.region}|${action.sourceName}|${action.sourceVersion}` : actionId(action);
}

function mergeInto(planned: PlannedAction, action: Action, drift: Drift, mode: 'auto' | 'approve', modeReason: string | undefined, alsoClears: { id: string; type: DriftType }[]): void {
  if (planned.action.kind === 'CreateAwsLogSource' && action.kind === 'CreateAwsLogSource') {
    planned.action.accountIds = [...new Set([...planned.action.accountIds, ...action.accountIds])].sort();
    planned.id = actionId(planned.action);
    planned.description = describeAction(planned.action);
  }
  planned.driftIds.push(drift.id);
  if (!planned.driftTypes.includes(drift.type)) planned.driftTypes.push(drift.type);
  for (const type of [drift.type, ...alsoClears.map((c) => c.type)]) if (!planned.recheckTypes.includes(type)) planned.recheckTypes.push(type);
  if (SEVERITY_RANK[drift.severity] < SEVERITY_RANK[planned.severity]) planned.severity = drift.severity;
  if (mode === 'approve' && planned.mode === 'auto') {
    planned.mode = 'approve';
    if (modeReason) planned.modeReason = modeReason;
  }
  planned.precondition.drifts.push({ id: drift.id, actualDigest: digest(drift.actual) });
  planned.verification.driftIds.push(drift.id, ...alsoClears.map((c) => c.id));
}

function executionOrder(a: PlannedAction, b: PlannedAction): number {
  return PHASE[a.action.kind] - PHASE[b.action.kind] || sortKey(a.action).localeCompare(sortKey(b.action)) || a.id.localeCompare(b.id);
}

/**
 * Splits actions (in execution order) into waves that may each run in parallel: one wave per
 * phase, and OUs one depth at a time (a child needs its parent).
 */
export function executionWaves<T extends { action: Action }>(actions: readonly T[]): T[][] {
  const waves: T[][] = [];
  let lastKey: string | undefined;
  for (const planned of actions) {
    const action = planned.action;
    const key = action.kind === 'CreateOrganizationalUnit' ? `${PHASE[action.kind]}:${sortKey(action).slice(0, 3)}` : String(PHASE[action.kind]);
    if (key !== lastKey) waves.push([]);
    waves[waves.length - 1].push(planned);
    lastKey = key;
  }
  return waves;
}

/** OUs are created parents first; everything else keeps a stable order. */
function sortKey(action: Action): string {
  if (action.kind !== 'CreateOrganizationalUnit') return '';
  const depth = action.parentPath === 'Root' ? 0 : action.parentPath.split('/').length;
  return `${String(depth).padStart(3, '0')}/${action.parentPath}/${action.name}`;
}

export function actionId(action: Action): string {
  return `action-${createHash('sha256').update(canonicalJson(action)).digest('hex').slice(0, 20)}`;
}

function digest(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** Why the action may not run: it touches the management account or an exempt role. */
function refusalOf(action: Action, managementAccountId: string | undefined, desired: DesiredState): string | undefined {
  const accountIds = actionAccountIds(action);
  if (accountIds.length && managementAccountId === undefined) {
    return 'not remediated: the management account could not be identified, so an action on an account cannot be proven safe';
  }
  if (managementAccountId !== undefined && accountIds.includes(managementAccountId)) {
    return `not remediated: ${describeAction(action)} would change the management account, which Rampart never touches`;
  }
  if (action.kind === 'DenyExternalTrust' || action.kind === 'DenyRoleTrust') {
    const role = parseRoleArn(action.roleArn);
    // Tag exemptions were settled by detectDrift (a drift whose tags were unknown never gets here); ARN and path are checked again.
    const verdict = role ? roleExemption({ arn: action.roleArn, path: role.path, tags: {} }, desired.accessAnalyzer.exemptRoles) : undefined;
    if (verdict?.exempt === true) return `not remediated: ${action.roleArn} is an exempt role (${verdict.reason})`;
  }
  return undefined;
}

/** The action that repairs a drift, and the drifts hidden behind it that it clears too; or why there is none. */
type Repair = { action: Action; alsoClears: { id: string; type: DriftType }[] } | { reason: string };

const one = (action: Action): Repair => ({ action, alsoClears: [] });

function repairOf(drift: Drift): Repair {
  switch (drift.type) {
    case 'AccountMovedOu': {
      const f = drift.facts;
      if (!f.expectedParentId) return { reason: `not remediated: OU ${f.expectedOuPath} does not exist; it must be created before the account can move back` };
      return one({ kind: 'MoveAccount', accountId: f.accountId, sourceParentId: f.actualParentId, destinationParentId: f.expectedParentId, destinationPath: f.expectedOuPath });
    }
    case 'AccountRemoved': return { reason: 'not remediated: Rampart does not invite, create or reopen accounts; restore the account or remove it from organization.yaml' };
    case 'AccountNotInConfig': return { reason: 'not remediated: add the account to organization.yaml or close it; Rampart does not remove accounts' };
    case 'OuDeleted': {
      const f = drift.facts;
      return one({ kind: 'CreateOrganizationalUnit', name: f.name, parentPath: f.parentPath, ...(f.parentId ? { parentId: f.parentId } : {}) });
    }
    case 'ScpMissing': {
      const f = drift.facts;
      const targets = f.targets.flatMap((t) => (t.targetId ? [{ targetId: t.targetId, targetName: t.name }] : []));
      const alsoClears = f.targets.flatMap((t) => (t.targetId ? [{ id: driftId('ScpDetached', scpTargetScope(t), scpAttachmentSubject(f.policyName)), type: 'ScpDetached' as const }] : []));
      return { action: { kind: 'CreatePolicy', policyName: f.policyName, description: f.description, document: f.document, targets }, alsoClears };
    }
    case 'ScpUpdated': return one({ kind: 'UpdatePolicy', policyId: drift.facts.policyId, policyName: drift.facts.policyName, document: drift.facts.document });
    case 'ScpDetached': {
      const f = drift.facts;
      return one({ kind: 'AttachPolicy', policyId: f.policyId, policyName: f.policyName, targetId: f.target.targetId, targetName: f.target.name });
    }
    case 'TrustedAccessDisabled': return one({ kind: 'EnableAWSServiceAccess', servicePrincipal: drift.facts.servicePrincipal });
    case 'DelegatedAdminMismatch': {
      const f = drift.facts;
      return one({ kind: 'RegisterDelegatedAdministrator', servicePrincipal: f.servicePrincipal, accountId: f.expectedAccountId, deregisterAccountIds: f.actualAccountIds });
    }
    case 'SecurityHubDisabled': {
      const f = drift.facts;
      // Standards drift is not reported while the hub is off; enabling brings the policy's standards, so verify those too.
      const scope = { accountId: f.accountId, region: f.region };
      const alsoClears = f.standardArns.flatMap((arn) => (['PciStandardMissing', 'StandardMissing'] as const).map((type) => ({ id: driftId(type, scope, `standard ${standardResource(arn)}`), type })));
      return { action: { kind: 'EnableSecurityHub', accountId: f.accountId, region: f.region, standardArns: f.standardArns }, alsoClears };
    }
    case 'PciStandardMissing':
    case 'StandardMissing':
      return one({ kind: 'EnableStandard', accountId: drift.facts.accountId, region: drift.facts.region, standardArn: drift.facts.standardArn });
    case 'StandardNotConfigured': {
      const f = drift.facts;
      return one({ kind: 'DisableStandard', accountId: f.accountId, region: f.region, standardArn: f.standardArn, ...(f.subscriptionArn ? { subscriptionArn: f.subscriptionArn } : {}) });
    }
    case 'SecurityHubControlDisabled': return one({ kind: 'EnableSecurityControl', accountId: drift.facts.accountId, region: drift.facts.region, controlId: drift.facts.controlId });
    case 'ConfigurationPolicyMismatch': {
      const f = drift.facts;
      const common = { adminAccountId: f.adminAccountId, region: f.region, policyName: f.policyName, description: f.description, standardArns: f.standardArns, disabledControlIds: f.disabledControlIds };
      if (f.policyId) return one({ kind: 'UpdateConfigurationPolicy', policyId: f.policyId, ...common });
      const targets = f.targets.map((t) => ({ targetId: t.targetId, targetType: t.targetType }));
      const alsoClears = f.targets.map((t) => ({ id: driftId('ConfigurationPolicyAssociationMismatch', { ouPath: t.targetPath }, 'configuration policy association'), type: 'ConfigurationPolicyAssociationMismatch' as const }));
      return { action: { kind: 'CreateConfigurationPolicy', ...common, targets }, alsoClears };
    }
    case 'ConfigurationPolicyAssociationMismatch': {
      const f = drift.facts;
      return one({
        kind: 'StartConfigurationPolicyAssociation', adminAccountId: f.adminAccountId, region: f.region, configurationPolicyId: f.policyId, policyName: f.policyName,
        targetId: f.targetId, targetType: f.targetType,
      });
    }
    case 'DataLakeMissing': {
      const { replicationRegions, ...settings } = drift.facts;
      return one({ kind: 'CreateDataLake', ...settings, replicationRegions });
    }
    case 'DataLakeConfigurationMismatch': return one({ kind: 'UpdateDataLake', ...drift.facts });
    case 'ReplicationMismatch': {
      const f = drift.facts;
      return one({ kind: 'UpdateDataLakeReplication', adminAccountId: f.adminAccountId, region: f.region, replicationRegions: f.expectedRegions });
    }
    case 'AwsSourceNotCollecting': {
      const f = drift.facts;
      // One action per source and Region; drifts of more accounts are merged into it (accountIds grows).
      return one({ kind: 'CreateAwsLogSource', adminAccountId: f.adminAccountId, region: f.region, sourceName: f.sourceName, sourceVersion: f.sourceVersion, accountIds: [f.accountId] });
    }
    case 'CustomSourceMissing':
    case 'CustomSourceWrongClass': {
      const f = drift.facts;
      return one({
        kind: drift.type === 'CustomSourceMissing' ? 'CreateCustomLogSource' : 'RecreateCustomLogSource',
        adminAccountId: f.adminAccountId, region: f.region, sourceName: f.sourceName, sourceVersion: f.sourceVersion, eventClasses: [f.eventClass],
        ...(f.providerAccountId ? { providerAccountId: f.providerAccountId } : {}), ingestion: f.ingestion,
      });
    }
    case 'OrgAutoEnableOff': return one({ kind: 'CreateDataLakeOrganizationConfiguration', adminAccountId: drift.facts.adminAccountId, region: drift.facts.region, sources: drift.facts.sources });
    case 'ConfigRecorderStopped': {
      const f = drift.facts;
      return one({
        kind: 'StartConfigurationRecorder', accountId: f.accountId, region: f.region, recorderName: f.recorderName ?? 'default',
        ...(f.present ? {} : { create: { allSupported: f.allSupported, includeGlobalResourceTypes: f.includeGlobalResourceTypes } }),
      });
    }
    case 'ConformancePackMissing': {
      const f = drift.facts;
      return one({ kind: 'PutOrganizationConformancePack', adminAccountId: f.adminAccountId, region: f.region, packName: f.packName, templateName: f.templateName, excludedAccountIds: f.excludedAccountIds });
    }
    case 'ConfigAggregatorMissing': {
      const f = drift.facts;
      return one({ kind: 'PutConfigurationAggregator', accountId: f.accountId, region: f.region, aggregatorName: f.aggregatorName, regions: f.regions });
    }
    case 'AnalyzerMissing': return one({ kind: 'CreateAnalyzer', accountId: drift.facts.accountId, region: drift.facts.region, analyzerName: drift.facts.analyzerName, type: 'ORGANIZATION' });
    case 'ExternalTrustOnRole': {
      const f = drift.facts;
      if (Object.values(f.principal).includes('*')) {
        // A Deny on "*" would lock everyone out; the access-resolution workflow denies public trust outside the organization only.
        return { reason: 'not remediated here: public trust is resolved by the access-resolution workflow, whose Deny keeps the organization in (a Deny on "*" would lock everyone out)' };
      }
      return one({
        kind: 'DenyExternalTrust', accountId: f.accountId, roleArn: f.roleArn, roleName: f.roleName, findingId: f.findingId, findingRegions: f.findingRegions,
        sid: denySid([f.findingId]), principals: f.principal, actions: f.actions,
      });
    }
    case 'PciSegmentationPath': {
      const f = drift.facts;
      return one({ kind: 'DenyRoleTrust', accountId: f.accountId, roleArn: f.roleArn, roleName: f.roleName, principal: f.principal, actions: f.actions, sid: statementId('RampartDenyPath', `${f.roleArn}|${f.principal}`) });
    }
  }
}

/** IAM statement ids are alphanumeric: a prefix and the finding id (or a hash of what is denied). */
function statementId(prefix: string, source: string): string {
  const alnum = source.replace(/[^A-Za-z0-9]/g, '');
  return alnum.length > 0 && alnum.length <= 64 && !source.includes('|') ? `${prefix}${alnum}` : `${prefix}${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
}

// ---------------------------------------------------------------------------------------------
// Re-checking before and after writing

export interface ConditionResult {
  holds: boolean;
  reason: string;
}

/** The drifts of one action, re-checked on freshly read scopes. */
export interface Recheck {
  report: DriftReport;
  /** Re-read scopes that came back unknown or not at all: nothing may be concluded from them. */
  unreadable: string[];
}

/**
 * Re-checks the drifts a planned action concerns on the scopes the aws/ layer re-read (its
 * `rereads`), over the inventory the plan was made from.
 */
export function recheckDrift(desired: DesiredState, inventory: Inventory, planned: PlannedAction, fresh: readonly ScopeSnapshot[]): Recheck {
  const byKey = new Map(fresh.map((snapshot) => [scopeRefKey(snapshot.ref), snapshot.state]));
  const unreadable = planned.rereads.flatMap((ref) => {
    const state = byKey.get(scopeRefKey(ref));
    const where = `${ref.kind}${'accountId' in ref ? ` of ${ref.accountId}` : ''}${'region' in ref ? ` in ${ref.region}` : ''}`;
    if (state === undefined) return [`${where} was not re-read`];
    return state.status === 'unknown' ? [`${where} could not be re-read (${state.error.code}: ${state.error.message})`] : [];
  });
  return { report: detectDrift(desired, withScopes(inventory, fresh), { types: planned.recheckTypes }), unreadable };
}

/** Before writing: every re-read scope is known and at least one of the action's drifts is still there, unchanged. */
export function checkPrecondition(planned: PlannedAction, recheck: Recheck): ConditionResult {
  if (recheck.unreadable.length) return { holds: false, reason: recheck.unreadable.join('; ') };
  const current = new Map(recheck.report.drifts.map((d) => [d.id, d]));
  for (const expected of planned.precondition.drifts) {
    const drift = current.get(expected.id);
    if (drift?.scopeKnown && digest(drift.actual) === expected.actualDigest) return { holds: true, reason: `still there: ${drift.message}` };
  }
  const changed = planned.precondition.drifts.some((expected) => current.has(expected.id));
  return { holds: false, reason: changed ? 'the state changed since it was read; the next run plans again' : 'the drift is gone already; nothing to do' };
}

/** After writing: every re-read scope is known and none of the action's drifts is left. */
export function checkVerification(planned: PlannedAction, recheck: Recheck): ConditionResult {
  if (recheck.unreadable.length) return { holds: false, reason: recheck.unreadable.join('; ') };
  const ids = new Set(planned.verification.driftIds);
  const left = recheck.report.drifts.filter((d) => ids.has(d.id));
  return left.length ? { holds: false, reason: `still drifted: ${left.map((d) => d.message).join('; ')}` } : { holds: true, reason: 'repaired' };
}

// ---------------------------------------------------------------------------------------------
// Evidence of what was done

export type ActionOutcome =
  | 'applied' // written and verified
  | 'unverified' // written, but the drift is still there after
  | 'failed' // the write failed
  | 'skipped-precondition' // re-read showed the drift gone, changed or the scope unknown: nothing written
  | 'rejected' // a person declined the approval
  | 'expired' // nobody answered the approval in time
  | 'dry-run'; // planned only

export interface ActionRecord {
  actionId: string;
  action: Action;
  description: string;
  mode: 'auto' | 'approve';
  driftIds: string[];
  approval?: { decision: 'approved' | 'rejected' | 'expired'; by?: string; at: string };
  startedAt: string;
  finishedAt: string;
  outcome: ActionOutcome;
  precondition?: ConditionResult;
  verification?: ConditionResult;
  /** The re-read scopes before writing and after: the evidence of the change. */
  before: ScopeSnapshot[];
  after: ScopeSnapshot[];
  error?: CollectionError;
}

export interface ActionRecordInput {
  planned: PlannedAction;
  startedAt: string;
  finishedAt: string;
  dryRun?: boolean;
  approval?: ActionRecord['approval'];
  precondition?: ConditionResult;
  before?: ScopeSnapshot[];
  error?: CollectionError;
  verification?: ConditionResult;
  after?: ScopeSnapshot[];
}

/** Builds the record of one action and derives its outcome, so every executor reports outcomes alike. */
export function recordAction(input: ActionRecordInput): ActionRecord {
  const { planned } = input;
  const outcome: ActionOutcome = input.dryRun ? 'dry-run'
    : input.approval?.decision === 'rejected' ? 'rejected'
      : input.approval?.decision === 'expired' ? 'expired'
        : !input.precondition?.holds ? 'skipped-precondition'
          : input.error ? 'failed'
            : input.verification?.holds ? 'applied' : 'unverified';
  return {
    actionId: planned.id, action: planned.action, description: planned.description, mode: planned.mode, driftIds: planned.driftIds,
    ...(input.approval ? { approval: input.approval } : {}),
    startedAt: input.startedAt, finishedAt: input.finishedAt, outcome,
    ...(input.precondition ? { precondition: input.precondition } : {}),
    ...(input.verification ? { verification: input.verification } : {}),
    before: input.before ?? [], after: input.after ?? [],
    ...(input.error ? { error: input.error } : {}),
  };
}
