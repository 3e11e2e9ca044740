import type { ConfigFileKey } from '../model';
import type { CrossFileRule, RuleContext } from './context';

/** Delegated administrators and aggregators live outside the management account. */
export const delegatedAdminRules: CrossFileRule[] = [
  {
    title: 'Security Hub and Config administrators outside the management account',
    needs: ['organization', 'security'],
    check(ctx) {
      const security = ctx.file('security');
      checkNotManagement(ctx, 'security', ['securityHub', 'delegatedAdmin'], security.securityHub.delegatedAdmin, 'Security Hub');
      checkNotManagement(ctx, 'security', ['config', 'aggregator', 'account'], security.config.aggregator.account, 'the AWS Config aggregator');
    },
  },
  {
    title: 'the Security Lake administrator outside the management account',
    needs: ['organization', 'securityLake'],
    check(ctx) {
      checkNotManagement(ctx, 'securityLake', ['delegatedAdmin'], ctx.file('securityLake').delegatedAdmin, 'Security Lake');
    },
  },
];

function checkNotManagement(ctx: RuleContext, file: ConfigFileKey, fieldPath: string[], account: string, service: string): void {
  const { management, securityTooling, logArchive } = ctx.file('organization').mandatoryAccounts;
  if (account !== management) return;
  ctx.report(file, fieldPath, {
    rule: 'delegated-admin.management', found: `the management account "${account}"`, expected: `a member account administering ${service}`,
    hint: `use ${securityTooling} (security tooling) or ${logArchive} (log archive); AWS advises against administering from the management account`,
  });
}
