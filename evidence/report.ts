import type { Control, FrameworkAppliesTo, FrameworkKind, ResponsibilitySplit, UnresolvedMapping } from '../frameworks/model';
import type { CheckStatus } from './checkResult';

/**
 * The canonical evidence document: per framework control, what is required, who is responsible,
 * which checks prove it in which accounts and Regions, the result, the raw evidence and since when.
 * Every renderer (HTML, CSV, OCSF) reads only this.
 */
export const EVIDENCE_REPORT_SCHEMA = 'rampart.evidence-report/v1';

/**
 * `excepted`: the control fails only where an active exception from governance.yaml covers it
 * (owner, justification and expiry are shown). An expired exception counts as failed.
 */
export const CONTROL_RESULTS = ['failed', 'unknown', 'excepted', 'manual', 'satisfied', 'not-applicable'] as const;
export type ControlResult = (typeof CONTROL_RESULTS)[number];

export const HISTORY_CHANGES = ['new', 'fixed', 'regressed', 'unchanged'] as const;
export type HistoryChange = (typeof HISTORY_CHANGES)[number];

/**
 * How a control's result is established: `automated` from check results, `attested` by a person,
 * `unmapped` no check maps to it and nobody attested (result `manual`), `not-evaluated` checks map
 * to it but none produced a result (result `unknown`).
 */
export const COVERAGE_KINDS = ['automated', 'attested', 'not-applicable', 'not-evaluated', 'unmapped'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

export interface EvidenceReport {
  schema: typeof EVIDENCE_REPORT_SCHEMA;
  generatedAt: string;
  generator: { name: 'rampart'; version: string };
  /** The inventory snapshot the check results were computed from. */
  inventory?: { sha256: string; observedAt?: string; source?: string };
  previous?: { generatedAt: string };
  inputs: InputSummary;
  frameworks: FrameworkReport[];
}

/** Every check result received is accounted for: used, not mapped to any reported control, or rejected. */
export interface InputSummary {
  checkResults: number;
  /** Results whose check or item Rampart does not know (counted per reference). */
  unknownChecks: { ref: string; count: number }[];
  /** Attestations and exceptions that name a control the framework does not have. */
  unmatched: { kind: 'exception' | 'attestation'; framework: string; control: string }[];
}

export interface FrameworkReport {
  id: string;
  name: string;
  kind: FrameworkKind;
  version?: string;
  extends?: string;
  sources: string[];
  appliesTo: FrameworkAppliesTo;
  notices: string[];
  /** Results judged for this framework (in its scope and mapped to one of its controls). */
  resultsUsed: number;
  coverage: Record<CoverageKind, number> & { total: number };
  results: Record<ControlResult, number>;
  history: Record<HistoryChange, number>;
  groups: GroupReport[];
  /** NIST-based frameworks: coverage and results per baseline (LOW, MODERATE, HIGH, PRIVACY). */
  baselines: BaselineReport[];
  accounts: AccountReport[];
  ous: OuReport[];
  controls: ControlReport[];
  unresolvedMappings: UnresolvedMapping[];
  exceptions: ExceptionReport[];
}

export interface GroupReport {
  id: string;
  title: string;
  parentId?: string;
  responsibilitySplit?: ResponsibilitySplit;
  controls: number;
  results: Record<ControlResult, number>;
}

export interface BaselineReport {
  baseline: string;
  controls: number;
  coverage: Record<CoverageKind, number>;
  results: Record<ControlResult, number>;
}

export interface AccountReport {
  accountId: string;
  accountName?: string;
  ou?: string;
  /** Controls with at least one failing (not excepted) result in the account. */
  failedControls: number;
  unknownControls: number;
  /** Controls with any result in the account. */
  evaluatedControls: number;
}

export interface OuReport {
  ou: string;
  accounts: number;
  accountsFailing: number;
  /** Sum over the OU's accounts of failed controls. */
  failedControlAccounts: number;
}

/** A control as its framework describes it, with what this run found. */
export interface ControlReport extends Pick<Control, 'id' | 'title' | 'groupPath' | 'responsibility' | 'responsibilityNote' | 'nistId' | 'baselines' | 'origin'> {
  result: ControlResult;
  /** One line: why the control has this result. */
  reason: string;
  coverage: CoverageKind;
  /** Highest severity among the checks failing for this control. */
  severity?: Severity;
  checks: ControlCheckReport[];
  /** Where it was evaluated. */
  scope: { accounts: number; regions: string[]; organizationWide: boolean };
  /** Failing scopes (not excepted), capped; `failingTotal` counts all. */
  failing: ScopeFinding[];
  failingTotal: number;
  unknown: ScopeFinding[];
  unknownTotal: number;
  /** Every account with a failing (not excepted) result, and with an undetermined one: complete, not capped. */
  failingAccountIds: string[];
  unknownAccountIds: string[];
  excepted: ScopeFinding[];
  exceptedTotal: number;
  /** A few passing results, so a reader sees what "satisfied" rests on. */
  passingSample: ScopeFinding[];
  exceptions: AppliedException[];
  attestation?: AppliedAttestation;
  remediation: string[];
  history: { change: HistoryChange; previousResult?: ControlResult; since: string };
}

export interface ControlCheckReport {
  ref: string;
  title: string;
  basis: string;
  why?: string;
  counts: Record<CheckStatus, number>;
}

/** One check result as the report cites it; `resultId` finds it in the run's check-results.jsonl.gz. */
export interface ScopeFinding {
  resultId: string;
  ref: string;
  status: CheckStatus;
  accountId?: string;
  accountName?: string;
  ou?: string;
  region?: string;
  observedAt: string;
  detail: string;
  /** The raw evidence, cut to a readable size (the complete record is in the run's check-results.jsonl.gz). */
  evidence?: string;
}

export interface AppliedException {
  owner: string;
  justification: string;
  expires: string;
  state: 'active' | 'expired';
  scope: { accounts?: string[]; organizationalUnits?: string[]; regions?: string[] };
  /** Failing results the exception covers (active) or failures it stands for (expired). */
  covers: number;
}

export interface AppliedAttestation {
  status: 'satisfied' | 'not-applicable';
  statement: string;
  attestedBy: string;
  attestedAt: string;
  expires: string;
  reference?: string;
  state: 'current' | 'expired';
}

export interface ExceptionReport extends AppliedException {
  control: string;
  /** False when the framework has no control with that id. */
  matched: boolean;
}
