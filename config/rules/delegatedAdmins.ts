import type { ConfigFileKey } from '../model';
import type { RuleContext } from './context';

/** Delegated administrators and aggregators live outside the management account. */
export function checkDelegatedAdmins(ctx: RuleContext): void {
  const { global, security, securityLake } = ctx.config;
  const management = global.managementAccount;
  const delegated: [ConfigFileKey, string[], string, string][] = [
    ['security', ['securityHub', 'delegatedAdmin'], security.securityHub.delegatedAdmin, 'Security Hub'],
    ['security', ['config', 'aggregator', 'account'], security.config.aggregator.account, 'the AWS Config aggregator'],
    ['securityLake', ['delegatedAdmin'], securityLake.delegatedAdmin, 'Security Lake'],
  ];
  for (const [file, fieldPath, account, service] of delegated) {
    if (account === management) {
      ctx.report(file, fieldPath, {
        rule: 'delegated-admin.management', found: `the management account "${account}"`, expected: `a member account administering ${service}`,
        hint: `use ${ctx.config.organization.mandatoryAccounts.securityTooling} (security tooling) or ${ctx.config.organization.mandatoryAccounts.logArchive} (log archive); AWS advises against administering from the management account`,
      });
    }
  }
}
