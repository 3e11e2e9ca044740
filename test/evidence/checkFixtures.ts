import type { DesiredState } from '../../engine/desiredState';
import { detectDrift } from '../../engine/detectDrift';
import type { Inventory } from '../../engine/inventory';
import type { CheckResult } from '../../evidence/checkResult';
import { evaluateChecks, type CheckInput } from '../../evidence/checks/evaluateChecks';
import type { EvidenceBucketObservation } from '../../evidence/checks/evidenceBucket';
import { packRules } from '../../stacks/awsConfig/conformancePacks';
import { cleanInventory, pciOrg } from '../engine/fixtures';

/** Template rule names of each configured pack, as the stacks deploy them in the Region that records global resources. */
export function packRuleNames(desired: DesiredState): Record<string, string[]> {
  return Object.fromEntries(desired.config.conformancePacks.map((p) => [p.name, packRules(p.template, true).map((r) => r.name)]));
}

/**
 * A clean pci-org inventory with what a collection for evidence adds: Security Hub control findings
 * (none failed) and every conformance-pack rule COMPLIANT.
 */
export function evidenceInventory(desired: DesiredState = pciOrg().desired): Inventory {
  const inventory = cleanInventory(desired);
  for (const account of Object.values(inventory.accounts)) {
    for (const regional of Object.values(account.regions)) {
      if (regional.securityHub?.status === 'ok' && regional.securityHub.enabled) {
        regional.securityHub.findings = { failedControlIds: [], activeBySeverity: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 } };
      }
    }
  }
  const rules = packRuleNames(desired);
  for (const state of Object.values(inventory.config.conformancePacks)) {
    if (state.status !== 'ok') continue;
    for (const pack of state.packs) pack.rules = (rules[pack.name] ?? []).map((ruleName) => ({ ruleName, compliance: 'COMPLIANT' as const, nonCompliantAccountIds: [] }));
  }
  return inventory;
}

/** The evidence bucket as GovernanceStack deploys it for pci-org (2,555 days of compliance-mode Object Lock). */
export function lockedBucket(observedAt = '2026-12-04T10:00:00Z'): EvidenceBucketObservation {
  return {
    bucket: 'rampart-evidence', observedAt,
    state: { status: 'ok', objectLock: { enabled: true, mode: 'COMPLIANCE', days: 2555 }, encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/rampart-governance' }, tlsOnly: true, versioning: 'Enabled' },
  };
}

export function checkInput(inventory: Inventory, options: { desired?: DesiredState; evidenceBucket?: EvidenceBucketObservation } = {}): CheckInput {
  const desired = options.desired ?? pciOrg().desired;
  return {
    desired, inventory, driftReport: detectDrift(desired, inventory), evidenceRetentionDays: 2555, conformancePackRules: packRuleNames(desired),
    ...(options.evidenceBucket ? { evidenceBucket: options.evidenceBucket } : {}),
  };
}

export function runChecks(inventory: Inventory, options: { desired?: DesiredState; evidenceBucket?: EvidenceBucketObservation } = {}): CheckResult[] {
  return evaluateChecks(checkInput(inventory, options));
}

export function statusesOf(results: readonly CheckResult[], checkId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if (r.checkId === checkId) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
