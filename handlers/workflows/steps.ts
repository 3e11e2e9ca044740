import type { AdminAccounts, AggregateUnit } from '../../aws/collect/plan';
import type { Severity } from '../../engine/driftTypes';

/** What the workflow steps hand each other (small: documents stay in the work bucket). */

export interface CollectionStart {
  runId: string;
  collectedAt: string;
  units: AggregateUnit[];
  admins: AdminAccounts;
  /** API calls of the planning step. */
  calls: Record<string, number>;
}

/** A failed task's error, as a Catch hands it on (ResultPath `$.failed`). */
export interface TaskFailure {
  Error: string;
  Cause?: string;
}

/** The result of one collection unit: the part it wrote, or (after a Catch) its input and the failure. */
export type UnitResult =
  | { unit: string; key: string; scopes: number; unknown: number }
  | { runId: string; unit?: string; index?: number; failed: TaskFailure };

export interface FollowUpPlan {
  batches: { index: number; accounts: number; scopes: number }[];
}

export interface DriftSummary {
  runId: string;
  collectedAt: string;
  inventoryKey: string;
  reportKey: string;
  /** The work bucket holding the keys (EventBridge consumers read from it). */
  workBucket: string;
  drifts: number;
  bySeverity: Partial<Record<Severity, number>>;
  unknownScopes: number;
  /** Actions the remediation policy would plan now: automatic, and waiting for approval. */
  remediable: { auto: number; approve: number };
  apiCalls: number;
}

export interface RemediationWaves {
  runId: string;
  planKey: string;
  dryRun: boolean;
  waves: { wave: number; actions: { index: number; mode: 'auto' | 'approve' }[] }[];
  actions: number;
  deferred: number;
  reported: number;
}

export interface ActionResult {
  index: number;
  outcome: string;
}

/** EventBridge detail types Rampart publishes. */
export const DETAIL_TYPES = {
  driftCheck: 'Rampart Drift Check Completed',
  remediation: 'Rampart Remediation Completed',
} as const;
