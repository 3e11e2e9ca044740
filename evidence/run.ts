import { isUnderOu } from '../config/model';
import type { DesiredState } from '../engine/desiredState';
import { detectDrift } from '../engine/detectDrift';
import type { DriftReport } from '../engine/drift';
import type { Inventory } from '../engine/inventory';
import type { CheckDescriber } from '../frameworks/checks';
import type { Framework } from '../frameworks/model';
import type { Attestation } from './attestations';
import { buildEvidenceReport, type EvidenceBuild } from './build';
import type { CheckResult } from './checkResult';
import { evaluateChecks } from './checks/evaluateChecks';
import type { EvidenceBucketObservation } from './checks/evidenceBucket';
import type { EvidenceException } from './exceptions';
import { inventorySha256 } from './manifest';
import type { EvidenceReport } from './report';
import type { AccountInfo } from './resultIndex';

/** Everything one evidence run needs besides the inventory, as plain data (the Evidence workflow ships it with its handlers). */
export interface EvidenceSettings {
  desired: DesiredState;
  evidenceRetentionDays: number;
  conformancePackRules: Readonly<Record<string, readonly string[]>>;
  exceptions: readonly EvidenceException[];
}

export interface EvidenceRunInput {
  now: Date;
  settings: EvidenceSettings;
  frameworks: readonly Framework[];
  describer: CheckDescriber;
  inventory: Inventory;
  /** detectDrift(desired, inventory), when the caller has it already. */
  driftReport?: DriftReport;
  evidenceBucket?: EvidenceBucketObservation;
  attestations?: readonly Attestation[];
  previous?: readonly EvidenceReport[];
  /** What the inventory is called in the manifest (a file name, a run id). */
  inventorySource?: string;
  generatorVersion?: string;
}

export interface EvidenceRun {
  checkResults: CheckResult[];
  build: EvidenceBuild;
}

/**
 * The accounts evidence judges, with their PCI DSS scope: configured accounts (PCI when the
 * configuration says so), and any account sitting under the PCI OU, which is in the cardholder-data
 * environment whatever the configuration says.
 */
export function evidenceAccounts(desired: DesiredState, driftReport: DriftReport, inventory: Inventory): AccountInfo[] {
  const pciOu = desired.organization.pciOuPath;
  const structure = inventory.organization.structure;
  const actual = new Map<string, string>();
  const names = new Map<string, string>();
  if (structure.status === 'ok') {
    const paths = new Map<string, string>([[structure.rootId, 'Root'], ...structure.organizationalUnits.map((ou): [string, string] => [ou.id, ou.path])]);
    for (const account of structure.accounts) {
      actual.set(account.id, paths.get(account.parentId) ?? account.parentId);
      names.set(account.id, account.name);
    }
  }
  const underPci = (id: string) => pciOu !== undefined && actual.has(id) && isUnderOu(actual.get(id) as string, pciOu);
  const out: AccountInfo[] = [];
  const seen = new Set<string>();
  for (const account of desired.organization.accounts) {
    const id = driftReport.accountIds[account.name];
    if (!id) continue;
    seen.add(id);
    out.push({ id, name: account.name, ou: account.ouPath, pci: account.pci || underPci(id) });
  }
  for (const [id, ou] of actual) {
    if (!seen.has(id) && underPci(id)) out.push({ id, name: names.get(id) ?? id, ou, pci: true });
  }
  return out;
}

/** Checks over the inventory, then the report for each framework: pure and deterministic for the same input. */
export function runEvidence(input: EvidenceRunInput): EvidenceRun {
  const { settings, inventory } = input;
  const driftReport = input.driftReport ?? detectDrift(settings.desired, inventory);
  const checkResults = evaluateChecks({
    desired: settings.desired, inventory, driftReport, evidenceRetentionDays: settings.evidenceRetentionDays,
    conformancePackRules: settings.conformancePackRules, ...(input.evidenceBucket ? { evidenceBucket: input.evidenceBucket } : {}),
  });
  const build = buildEvidenceReport({
    now: input.now, frameworks: input.frameworks, describer: input.describer, checkResults,
    accounts: evidenceAccounts(settings.desired, driftReport, inventory),
    exceptions: settings.exceptions, attestations: input.attestations ?? [], previous: input.previous ?? [],
    inventory: { sha256: inventorySha256(inventory), observedAt: inventory.collectedAt, ...(input.inventorySource ? { source: input.inventorySource } : {}) },
    ...(input.generatorVersion ? { generatorVersion: input.generatorVersion } : {}),
  });
  return { checkResults, build };
}
