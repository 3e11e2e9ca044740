import type { ConfigIssue } from '../errors';
import type { PolicyDocument } from '../model';
import { RuleContext, type DraftConfig } from './context';
import { checkDelegatedAdmins } from './delegatedAdmins';
import { checkGovernance } from './governance';
import { checkPciSegmentation } from './pci';
import { checkReferences } from './references';
import { checkSecurityLake } from './securityLake';
import { checkServiceControlPolicies } from './scps';
import { checkUniqueness } from './uniqueness';

const RULES = [checkReferences, checkUniqueness, checkDelegatedAdmins, checkPciSegmentation, checkSecurityLake, checkServiceControlPolicies, checkGovernance];

export interface CrossFileResult {
  issues: ConfigIssue[];
  scpDocuments: Record<string, PolicyDocument>;
  mappings: Record<string, unknown>;
}

/** Runs every rule that spans files over a configuration whose files each passed their schema. */
export function validateCrossFile(config: DraftConfig, options: { now: Date }): CrossFileResult {
  const ctx = new RuleContext(config, options.now);
  for (const rule of RULES) rule(ctx);
  return { issues: ctx.issues, scpDocuments: ctx.scpDocuments, mappings: ctx.mappings };
}
