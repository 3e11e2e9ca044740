import { createHash } from 'node:crypto';
import type { SourceLocation } from '../config/source';
import type { DriftType, Severity } from './driftTypes';
import type { CollectionError, ScopeKind } from './inventory';

/**
 * Drift: one divergence between the configuration and the live organization. Each drift has
 * a stable id (the same divergence has the same id run after run), a human message, values to
 * show (`expected`, `actual`), the configuration location that declares the expectation, and
 * typed `facts` that remediation planning turns into actions.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Where a drift is. Account drifts name the account (and its configured OU); OU and Region drifts name those. */
export interface DriftScope {
  accountId?: string;
  accountName?: string;
  ouPath?: string;
  region?: string;
}

export interface SecurityLakeLocation {
  /** The Security Lake delegated administrator, where the data lake lives. */
  adminAccountId: string;
  region: string;
}

/** The typed facts of each drift type: what remediation needs to repair it. */
export interface DriftFacts {
  AccountMovedOu: { accountId: string; expectedOuPath: string; expectedParentId?: string; actualOuPath: string; actualParentId: string };
  AccountRemoved: { accountName: string; accountId?: string; status: 'ABSENT' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'PENDING_ACTIVATION' | 'CLOSED' };
  AccountNotInConfig: { accountId: string; name: string; email: string; ouPath: string };
  OuDeleted: { ouPath: string; name: string; parentPath: string; parentId?: string };
  ScpMissing: { policyName: string; description: string; document: JsonValue; targets: ScpTargetRef[] };
  ScpUpdated: { policyName: string; policyId: string; document: JsonValue };
  ScpDetached: { policyName: string; policyId: string; target: ScpTargetRef & { targetId: string } };
  TrustedAccessDisabled: { servicePrincipal: string };
  DelegatedAdminMismatch: { servicePrincipal: string; expectedAccountId: string; actualAccountIds: string[] };
  SecurityHubDisabled: { accountId: string; region: string; policyName: string; /** The policy's standards in this Region, to enable with the hub. */ standardArns: string[] };
  PciStandardMissing: StandardFacts;
  StandardMissing: StandardFacts;
  StandardNotConfigured: StandardFacts & { subscriptionArn?: string };
  SecurityHubControlDisabled: { accountId: string; region: string; controlId: string; disabledReason?: string };
  ConfigurationPolicyMismatch: {
    adminAccountId: string; region: string; policyName: string; policyId?: string; description: string;
    standardArns: string[]; disabledControlIds: string[];
    /** The OUs (or root) the policy is to be associated with, where they exist. */
    targets: { targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT'; targetPath: string }[];
  };
  ConfigurationPolicyAssociationMismatch: {
    adminAccountId: string; region: string; policyName: string; policyId: string;
    targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT'; targetPath: string; actualPolicyId?: string;
  };
  DataLakeMissing: SecurityLakeLocation & DataLakeSettings & { replicationRegions: string[] };
  DataLakeConfigurationMismatch: SecurityLakeLocation & DataLakeSettings;
  ReplicationMismatch: SecurityLakeLocation & { expectedRegions: string[]; actualRegions: string[] };
  AwsSourceNotCollecting: SecurityLakeLocation & { accountId: string; sourceName: string; sourceVersion: string };
  CustomSourceMissing: SecurityLakeLocation & CustomSourceFacts;
  CustomSourceWrongClass: SecurityLakeLocation & CustomSourceFacts & { actualEventClasses: string[] };
  OrgAutoEnableOff: SecurityLakeLocation & { sources: { sourceName: string; sourceVersion: string }[] };
  ConfigRecorderStopped: { accountId: string; region: string; recorderName?: string; present: boolean; allSupported: boolean; includeGlobalResourceTypes: boolean };
  ConformancePackMissing: { adminAccountId: string; region: string; packName: string; templateName: string; excludedAccountIds: string[] };
  ConfigAggregatorMissing: { accountId: string; region: string; aggregatorName: string; regions: string[] };
  AnalyzerMissing: { accountId: string; region: string; analyzerName: string };
  ExternalTrustOnRole: {
    accountId: string; roleArn: string; roleName: string;
    /** The finding whose id names the Deny statement (the lowest id when several Regions report the same access). */
    findingId: string; findingIds: string[];
    /** The Regions whose analyzers reported it: re-read them to see the findings resolve. */
    findingRegions: string[];
    principal: Record<string, string>; actions: string[]; condition: Record<string, string>; isPublic: boolean;
  };
  PciSegmentationPath: {
    accountId: string; roleArn: string; roleName: string;
    principal: string; principalAccountId: string; principalOuPath: string; actions: string[]; conditional: boolean;
  };
}

export interface ScpTargetRef {
  kind: 'ou' | 'account';
  /** OU path or account logical name. */
  name: string;
  /** Unknown when the target does not exist (yet). */
  targetId?: string;
}

export interface StandardFacts {
  accountId: string;
  region: string;
  standardName: string;
  standardArn: string;
  actualStatus?: string;
}

export interface DataLakeSettings {
  kmsKeyAlias?: string;
  expirationDays: number;
  transitions: { days: number; storageClass: string }[];
}

export interface CustomSourceFacts {
  sourceName: string;
  sourceVersion: string;
  eventClass: string;
  providerAccountId?: string;
  ingestion: 'kinesis' | 's3';
}

interface DriftBase {
  /** Stable: a hash of type, scope and subject. */
  id: string;
  severity: Severity;
  scope: DriftScope;
  /** What diverges within the scope, e.g. `SCP RampartPciGuardrails attachment`. */
  subject: string;
  /** One sentence for people: what is wrong, where. */
  message: string;
  expected: JsonValue;
  actual: JsonValue;
  /** The configuration that declares the expectation. */
  declaredAt: SourceLocation;
  /**
   * Whether everything the drift was computed from was read. False when part of it is unknown
   * (e.g. a role's tags, so an exemption cannot be ruled out); remediation never acts on it.
   */
  scopeKnown: boolean;
  unknownBecause?: string;
}

export type Drift<T extends DriftType = DriftType> = {
  [K in T]: DriftBase & { type: K; facts: DriftFacts[K] };
}[T];

/** A scope that could not be read (or was not collected): nothing was concluded about it. */
export interface UnknownScope {
  kind: ScopeKind;
  accountId?: string;
  accountName?: string;
  region?: string;
  error: CollectionError;
  /** The drift types that could not be checked because of it. */
  affects: DriftType[];
}

export interface ScopeCount {
  kind: ScopeKind;
  ok: number;
  unknown: number;
}

export interface DriftReport {
  /** The inventory's collectedAt. */
  collectedAt: string;
  drifts: Drift[];
  unknownScopes: UnknownScope[];
  /** How many scopes of each kind were read, and how many of them were unknown. */
  checkedScopes: ScopeCount[];
  /** Resolved from the inventory, or the configuration when the organization could not be read. */
  managementAccountId?: string;
  /** Logical account name → account id, as resolved for this check. */
  accountIds: Record<string, string>;
}

/** The scope part of a drift id: the account when there is one, else the OU, else the organization. */
function scopeKey(scope: DriftScope): string {
  const where = scope.accountId ? `account:${scope.accountId}` : scope.accountName ? `account-name:${scope.accountName}` : scope.ouPath ? `ou:${scope.ouPath}` : 'organization';
  return scope.region ? `${where}@${scope.region}` : where;
}

/** A deterministic id for the same divergence, run after run. */
export function driftId(type: DriftType, scope: DriftScope, subject: string): string {
  return `drift-${createHash('sha256').update(`${type}\n${scopeKey(scope)}\n${subject}`).digest('hex').slice(0, 20)}`;
}

export function scpAttachmentSubject(policyName: string): string {
  return `SCP ${policyName} attachment`;
}

/** The scope of an SCP attachment drift: the OU, or the account the SCP targets. */
export function scpTargetScope(target: ScpTargetRef, accountOuPath?: string): DriftScope {
  return target.kind === 'ou'
    ? { ouPath: target.name }
    : { ...(target.targetId ? { accountId: target.targetId } : {}), accountName: target.name, ...(accountOuPath ? { ouPath: accountOuPath } : {}) };
}
