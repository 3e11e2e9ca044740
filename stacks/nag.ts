import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The rule packs every Rampart stack must pass; a violation fails synthesis. */
export function registerNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app));
}

/**
 * Acknowledges rules on one construct with a reason written for that construct.
 * A rule id may carry a finding, e.g. `AwsSolutions-IAM5[Resource::*]`.
 */
export function acknowledge(scope: IConstruct, reasons: Record<string, string>): void {
  for (const [id, reason] of Object.entries(reasons)) {
    if (reason.trim().length < 20) throw new Error(`acknowledgement of ${id} on ${scope.node.path} needs a reason specific to the resource`);
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/** The same acknowledgement for a rule in all three packs (they share most Lambda and S3 rules). */
export function acknowledgeAcrossPacks(scope: IConstruct, rule: { awsSolutions?: string; nist?: string; pci?: string }, reason: string): void {
  const ids: Record<string, string> = {};
  if (rule.awsSolutions) ids[`AwsSolutions-${rule.awsSolutions}`] = reason;
  if (rule.nist) ids[`NIST.800.53.R5-${rule.nist}`] = reason;
  if (rule.pci) ids[`PCI.DSS.321-${rule.pci}`] = reason;
  acknowledge(scope, ids);
}
