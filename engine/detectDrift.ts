import type { DesiredState } from './desiredState';
import type { Drift, DriftReport } from './drift';
import { checkAccessAnalyzer } from './driftChecks/accessAnalyzer';
import { checkConfig } from './driftChecks/awsConfig';
import { DriftCheckContext } from './driftChecks/context';
import { checkOrganization } from './driftChecks/organization';
import { checkSecurityHub } from './driftChecks/securityHub';
import { checkSecurityLake } from './driftChecks/securityLake';
import { DRIFT_TYPE_NAMES, type DriftType, type Severity } from './driftTypes';
import type { Inventory } from './inventory';

export type {
  CustomSourceFacts, DataLakeSettings, Drift, DriftFacts, DriftReport, DriftScope, JsonValue, ScopeCount, ScpTargetRef, SecurityLakeLocation,
  StandardFacts, UnknownScope,
} from './drift';
export { driftId } from './drift';

export interface DetectDriftOptions {
  /** Check only these drift types (e.g. to re-check what one remediation action touches). */
  types?: readonly DriftType[];
}

const SEVERITY_ORDER: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFORMATIONAL: 4 };
const TYPE_ORDER = new Map<DriftType, number>(DRIFT_TYPE_NAMES.map((type, index) => [type, index]));

/**
 * Compares the live organization (inventory) with what the configuration asks (desired state).
 * Pure and linear in accounts × Regions. A scope that is unknown or was not collected yields no
 * drift; it is listed in `unknownScopes` with the drift types it kept from being checked.
 * Drifts come sorted: most severe first, then by type and id.
 */
export function detectDrift(desired: DesiredState, inventory: Inventory, options: DetectDriftOptions = {}): DriftReport {
  const ctx = new DriftCheckContext(desired, inventory, options.types ? new Set(options.types) : undefined);
  checkOrganization(ctx);
  checkSecurityHub(ctx);
  checkSecurityLake(ctx);
  checkConfig(ctx);
  checkAccessAnalyzer(ctx);
  return {
    collectedAt: inventory.collectedAt,
    drifts: sortDrifts(ctx.drifts),
    unknownScopes: ctx.unknownScopes(),
    checkedScopes: ctx.scopeCounts(),
    ...(ctx.managementAccountId ? { managementAccountId: ctx.managementAccountId } : {}),
    accountIds: Object.fromEntries(ctx.accountIdByName),
  };
}

export function sortDrifts(drifts: Drift[]): Drift[] {
  return drifts.sort((a, b) =>
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || (TYPE_ORDER.get(a.type) ?? 0) - (TYPE_ORDER.get(b.type) ?? 0)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
