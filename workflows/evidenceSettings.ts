import type { RampartConfig } from '../config/model';
import { deriveDesiredState } from '../engine/desiredState';
import type { EvidenceSettings } from '../evidence/run';
import { packRules } from '../stacks/awsConfig/conformancePacks';

/** The rule names of each configured conformance pack, as the ConfigStack deploys its template. */
export function conformancePackRuleNames(config: Pick<RampartConfig, 'security'>): Record<string, string[]> {
  // Every rule of the template: the Regions that do not record global resources deploy a subset.
  return Object.fromEntries(config.security.config.conformancePacks.map((pack) => [pack.name, packRules(pack.template, true).map((rule) => rule.name)]));
}

/** What an evidence run needs from the configuration, as plain data. */
export function buildEvidenceSettings(config: RampartConfig): EvidenceSettings {
  return {
    desired: deriveDesiredState(config),
    evidenceRetentionDays: config.governance.evidence.retentionDays,
    conformancePackRules: conformancePackRuleNames(config),
    exceptions: config.governance.evidence.exceptions,
  };
}
