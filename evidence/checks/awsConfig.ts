import { CONFIG_RULE_COMPLIANCE } from '../../frameworks/checks';
import type { InventoryConformancePack } from '../../engine/inventory';
import { readScope, unreadable, type CheckContext } from './context';

const DEPLOYED = new Set(['CREATE_SUCCESSFUL', 'UPDATE_SUCCESSFUL', 'UPDATE_IN_PROGRESS']);

/**
 * AWS Config rule compliance of every configured organization conformance pack, per rule and
 * Region. The inventory has each rule's organization-wide compliance and the accounts where it is
 * NON_COMPLIANT, so a rule yields one organization-wide result per Region (what holds in every
 * account not listed) and a failure per non-compliant account. Accounts the pack is not deployed
 * to are not evaluated: unknown, or not applicable where the configuration excludes them.
 */
export function checkConformancePacks(ctx: CheckContext): void {
  const { desired, inventory, conformancePackRules } = ctx.input;
  const adminAccount = desired.config.adminAccount;
  for (const region of desired.config.regions) {
    const state = readScope(inventory.config.conformancePacks[region]);
    for (const pack of desired.config.conformancePacks) {
      const expectedRules = conformancePackRules[pack.name] ?? [];
      const scope = ctx.organizationScope({ accountName: adminAccount, region });
      const unevaluated = (detail: string) => {
        for (const rule of expectedRules) ctx.add(CONFIG_RULE_COMPLIANCE, 'unknown', scope, detail, { pack: pack.name }, rule);
      };
      if (!state.known) {
        unevaluated(unreadable(`The conformance packs of ${region}`, state.error));
        continue;
      }
      const live = state.known.packs.find((p) => p.name === pack.name);
      if (!live || !DEPLOYED.has(live.status)) {
        unevaluated(`not evaluated: conformance pack ${pack.name} is ${live ? live.status : 'missing'} in ${region}`);
        continue;
      }
      if (live.rules.length === 0) {
        unevaluated(`not evaluated: the compliance of conformance pack ${pack.name}'s rules in ${region} was not collected`);
        continue;
      }
      const configuredExclusions = new Set(pack.excludedAccounts.map((name) => ctx.input.driftReport.accountIds[name]).filter(Boolean));
      checkPackRules(ctx, live, region, scope, configuredExclusions);
    }
  }
}

function checkPackRules(ctx: CheckContext, pack: InventoryConformancePack, region: string, scope: ReturnType<CheckContext['organizationScope']>, configuredExclusions: Set<string>): void {
  const undeployed = Object.entries(pack.memberStatus ?? {}).filter(([, status]) => !DEPLOYED.has(status));
  for (const rule of pack.rules) {
    const nonCompliant = [...new Set(rule.nonCompliantAccountIds)].sort();
    // Read per account, accounts without an evaluation are listed; otherwise only the organization-wide state is known.
    const insufficient = rule.insufficientDataAccountIds ? [...new Set(rule.insufficientDataAccountIds)].sort() : undefined;
    const evidence = { pack: pack.name, rule: rule.ruleName, compliance: rule.compliance, nonCompliantAccounts: nonCompliant.length, insufficientDataAccounts: insufficient?.length ?? null };
    const listed = nonCompliant.length + (insufficient?.length ?? 0);
    if (rule.compliance === 'NOT_APPLICABLE') {
      ctx.add(CONFIG_RULE_COMPLIANCE, 'not-applicable', scope, `NOT_APPLICABLE: no resource in scope of the rule in ${region}`, evidence, rule.ruleName);
    } else if (rule.compliance === 'INSUFFICIENT_DATA' && insufficient === undefined) {
      ctx.add(CONFIG_RULE_COMPLIANCE, 'unknown', scope, `INSUFFICIENT_DATA in ${region}: AWS Config has not evaluated the rule everywhere`, evidence, rule.ruleName);
    } else {
      // What holds in every account not listed below: compliant, or out of the rule's scope.
      ctx.add(CONFIG_RULE_COMPLIANCE, 'pass', scope, listed
        ? `COMPLIANT in ${region} in every account the pack evaluates except the ${listed} listed separately`
        : `COMPLIANT in every account the pack evaluates in ${region}`, evidence, rule.ruleName);
    }
    for (const accountId of insufficient ?? []) {
      ctx.add(CONFIG_RULE_COMPLIANCE, 'unknown', ctx.accountScope(accountId, region), `INSUFFICIENT_DATA: AWS Config has not evaluated the rule here (conformance pack ${pack.name})`, { pack: pack.name, rule: rule.ruleName, compliance: 'INSUFFICIENT_DATA' }, rule.ruleName);
    }
    for (const accountId of nonCompliant) {
      ctx.add(CONFIG_RULE_COMPLIANCE, 'fail', ctx.accountScope(accountId, region), `NON_COMPLIANT (conformance pack ${pack.name})`, { pack: pack.name, rule: rule.ruleName, compliance: 'NON_COMPLIANT' }, rule.ruleName);
    }
    for (const accountId of pack.excludedAccountIds) {
      if (configuredExclusions.has(accountId)) ctx.add(CONFIG_RULE_COMPLIANCE, 'not-applicable', ctx.accountScope(accountId, region), `the configuration excludes this account from conformance pack ${pack.name}`, { pack: pack.name, excluded: true }, rule.ruleName);
      else ctx.add(CONFIG_RULE_COMPLIANCE, 'unknown', ctx.accountScope(accountId, region), `not evaluated: the account is excluded from conformance pack ${pack.name} without the configuration saying so`, { pack: pack.name, excluded: true }, rule.ruleName);
    }
    for (const [accountId, status] of undeployed) {
      ctx.add(CONFIG_RULE_COMPLIANCE, 'unknown', ctx.accountScope(accountId, region), `not evaluated: conformance pack ${pack.name} is ${status} in this account`, { pack: pack.name, memberStatus: status }, rule.ruleName);
    }
  }
}
