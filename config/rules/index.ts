import type { ConfigIssue } from '../errors';
import { CONFIG_FILES, type PolicyDocument } from '../model';
import { RuleContext, type CrossFileRule, type DraftConfig } from './context';
import { delegatedAdminRules } from './delegatedAdmins';
import { governanceRules } from './governance';
import { pciRules } from './pci';
import { referenceRules } from './references';
import { securityLakeRules } from './securityLake';
import { scpRules } from './scps';
import { uniquenessRules } from './uniqueness';

export const CROSS_FILE_RULES: readonly CrossFileRule[] = [
  ...referenceRules, ...uniquenessRules, ...delegatedAdminRules, ...pciRules, ...securityLakeRules, ...scpRules, ...governanceRules,
];

/** A check that did not run because a file it reads has errors of its own. */
export interface SkippedCheck {
  title: string;
  /** The files (e.g. organization.yaml) that must load cleanly first. */
  waitsFor: string[];
}

export interface CrossFileResult {
  issues: ConfigIssue[];
  scpDocuments: Record<string, PolicyDocument>;
  mappings: Record<string, unknown>;
  skipped: SkippedCheck[];
}

/** Runs every rule whose files all passed their schema; the others are listed as skipped. */
export function validateCrossFile(config: DraftConfig, options: { now: Date }): CrossFileResult {
  const ctx = new RuleContext(config, options.now);
  const skipped: SkippedCheck[] = [];
  for (const rule of CROSS_FILE_RULES) {
    const missing = rule.needs.filter((key) => config[key] === undefined);
    if (missing.length === 0) ctx.run(rule);
    else skipped.push({ title: rule.title, waitsFor: missing.map((key) => CONFIG_FILES[key].file) });
  }
  return { issues: ctx.issues, scpDocuments: ctx.scpDocuments, mappings: ctx.mappings, skipped };
}
