import type { CheckStatus } from '../../evidence/checkResult';
import type { ControlResult, CoverageKind } from '../../evidence/report';
import type { CheckResultsReference } from '../../evidence/write';
import type { DriftSummary, TaskFailure } from '../workflows/steps';

/** What the Evidence workflow's steps hand each other (small: documents stay in the work bucket). */

export interface ChecksSummary {
  runId: string;
  /** The execution's start time: every set of the run is dated by it. */
  startTime: string;
  /** The check results (JSON) and the accounts evidence judges, in the work bucket. */
  resultsKey: string;
  accountsKey: string;
  inventory: { sha256: string; observedAt: string; source: string };
  /** The run's check-results set, written to the evidence bucket. */
  checkResults: CheckResultsReference & { key: string; manifestSha256: string; counts: Record<CheckStatus, number> };
  frameworks: string[];
}

export interface FrameworkSummary {
  framework: string;
  name: string;
  /** s3://bucket/<prefix><framework>/<date>/ */
  location: string;
  manifestSha256: string;
  retainUntil: string;
  results: Record<ControlResult, number>;
  coverage: Record<CoverageKind, number> & { total: number };
  /** The first failing controls, each with the accounts (or organization-wide scopes) it fails in. */
  failing: { control: string; where: string }[];
}

/** A Map item after a Catch: the framework whose set could not be written, and why. */
export interface FrameworkFailure {
  framework: string;
  failed: TaskFailure;
}

export type { DriftSummary };
