import type { CheckResult } from '../checkResult';
import { checkAccessAnalyzer } from './accessAnalyzer';
import { checkConformancePacks } from './awsConfig';
import { CheckContext, type CheckInput } from './context';
import { checkDrift } from './drift';
import { checkEvidenceBucket } from './evidenceBucket';
import { checkOrganization } from './organization';
import { checkSecurityHub } from './securityHub';
import { checkSecurityLake } from './securityLake';

export type { CheckInput } from './context';

/** A family of checks: reads the context's input, writes results into it. */
export type CheckFamily = (ctx: CheckContext) => void;

/**
 * Every check family, one module each. Extension point for the PCI segmentation check
 * (`accessanalyzer.pci-segmentation`, engine/pciSegmentation.ts on the access branch): add its
 * family here and its catalogue entry to frameworks/data/rampart-checks.yaml.
 */
export const CHECK_FAMILIES: readonly CheckFamily[] = [
  checkOrganization, checkSecurityHub, checkConformancePacks, checkSecurityLake, checkAccessAnalyzer, checkEvidenceBucket, checkDrift,
];

/**
 * Every check of the catalogue over one inventory and its drift report. Pure: the same input
 * gives the same results, in the same order. A scope that could not be read gives `unknown`
 * results, never `pass`.
 */
export function evaluateChecks(input: CheckInput): CheckResult[] {
  const ctx = new CheckContext(input);
  for (const family of CHECK_FAMILIES) family(ctx);
  return ctx.results;
}
