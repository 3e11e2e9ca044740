import type { CrossFileRule } from './context';

/**
 * Every account, OU and Region a file refers to exists. Account and OU references wait only for
 * organization.yaml, Region references only for global.yaml, so each runs as early as it can.
 */
export const referenceRules: CrossFileRule[] = [
  {
    title: 'the home Region in global.yaml',
    needs: ['global'],
    check(ctx) {
      ctx.checkEnabledRegion('global', ['homeRegion'], ctx.file('global').homeRegion);
    },
  },
  {
    title: 'the management account named in global.yaml, at the organization root',
    needs: ['global', 'organization'],
    check(ctx) {
      const global = ctx.file('global');
      const organization = ctx.file('organization');
      ctx.checkAccount('global', ['managementAccount'], global.managementAccount);
      if (organization.mandatoryAccounts.management !== global.managementAccount) {
        ctx.report('organization', ['mandatoryAccounts', 'management'], {
          rule: 'ref.management', found: `"${organization.mandatoryAccounts.management}"`,
          expected: `the management account named in global.yaml ("${global.managementAccount}")`,
          hint: 'name the same account in both files',
        });
      }
      organization.accounts.forEach((account, index) => {
        const isManagement = account.name === global.managementAccount;
        if (isManagement && account.ou !== 'Root') {
          ctx.report('organization', ['accounts', index, 'ou'], {
            rule: 'ref.management-ou', found: `"${account.ou}"`, expected: 'Root',
            hint: 'the management account always sits at the organization root; set ou: Root',
          });
        }
        if (!isManagement && account.ou === 'Root') {
          ctx.report('organization', ['accounts', index, 'ou'], {
            rule: 'ref.member-at-root', found: 'Root', expected: 'an OU path',
            hint: 'place member accounts in an OU so SCPs and Security Hub policies reach them',
          });
        }
      });
    },
  },
  {
    title: 'mandatory accounts, account OUs and SCP targets in organization.yaml',
    needs: ['organization'],
    check(ctx) {
      const organization = ctx.file('organization');
      for (const [role, name] of Object.entries(organization.mandatoryAccounts)) {
        ctx.checkAccount('organization', ['mandatoryAccounts', role], name);
      }
      organization.accounts.forEach((account, index) => ctx.checkOu('organization', ['accounts', index, 'ou'], account.ou));
      organization.serviceControlPolicies.forEach((scp, index) => {
        scp.targets.organizationalUnits.forEach((ou, i) => ctx.checkOu('organization', ['serviceControlPolicies', index, 'targets', 'organizationalUnits', i], ou));
        scp.targets.accounts.forEach((account, i) => ctx.checkAccount('organization', ['serviceControlPolicies', index, 'targets', 'accounts', i], account));
      });
      if (organization.pciGuardrails) ctx.checkOu('organization', ['pciGuardrails', 'ou'], organization.pciGuardrails.ou);
    },
  },
  {
    title: 'accounts and OUs named in security.yaml',
    needs: ['organization', 'security'],
    check(ctx) {
      const security = ctx.file('security');
      ctx.checkAccount('security', ['securityHub', 'delegatedAdmin'], security.securityHub.delegatedAdmin);
      security.securityHub.configurationPolicies.forEach((policy, index) => {
        policy.targets.forEach((target, i) => ctx.checkOu('security', ['securityHub', 'configurationPolicies', index, 'targets', i], target));
      });
      ctx.checkAccount('security', ['config', 'aggregator', 'account'], security.config.aggregator.account);
      security.config.conformancePacks.forEach((pack, index) => {
        pack.excludedAccounts.forEach((account, i) => ctx.checkAccount('security', ['config', 'conformancePacks', index, 'excludedAccounts', i], account));
      });
      security.accessAnalyzer.trustedPrincipals.forEach((trusted, index) => {
        trusted.accounts?.forEach((account, i) => ctx.checkAccount('security', ['accessAnalyzer', 'trustedPrincipals', index, 'accounts', i], account));
      });
    },
  },
  {
    title: 'Regions named in security.yaml',
    needs: ['global', 'security'],
    check(ctx) {
      const security = ctx.file('security');
      ctx.checkEnabledRegion('security', ['securityHub', 'aggregationRegion'], security.securityHub.aggregationRegion);
      if (security.config.recorder.includeGlobalResourceTypesIn) {
        ctx.checkEnabledRegion('security', ['config', 'recorder', 'includeGlobalResourceTypesIn'], security.config.recorder.includeGlobalResourceTypesIn);
      }
    },
  },
  {
    title: 'accounts named in securitylake.yaml',
    needs: ['organization', 'securityLake'],
    check(ctx) {
      const securityLake = ctx.file('securityLake');
      ctx.checkAccount('securityLake', ['delegatedAdmin'], securityLake.delegatedAdmin);
      securityLake.awsSources.forEach((source, index) => {
        if (source.accounts !== 'all') source.accounts.forEach((account, i) => ctx.checkAccount('securityLake', ['awsSources', index, 'accounts', i], account));
      });
      securityLake.customSources.forEach((source, index) => ctx.checkAccount('securityLake', ['customSources', index, 'providerAccount'], source.providerAccount));
      securityLake.subscribers.forEach((subscriber, index) => ctx.checkAccount('securityLake', ['subscribers', index, 'account'], subscriber.account));
    },
  },
  {
    title: 'Regions with a data lake in securitylake.yaml',
    needs: ['global', 'securityLake'],
    check(ctx) {
      ctx.file('securityLake').regions.forEach((region, index) => ctx.checkEnabledRegion('securityLake', ['regions', index], region));
    },
  },
  {
    title: 'accounts and OUs in the exception scopes of governance.yaml',
    needs: ['organization', 'governance'],
    check(ctx) {
      ctx.file('governance').evidence.exceptions.forEach((exception, index) => {
        const base = ['evidence', 'exceptions', index, 'scope'];
        exception.scope.accounts?.forEach((account, i) => ctx.checkAccount('governance', [...base, 'accounts', i], account));
        exception.scope.organizationalUnits?.forEach((ou, i) => ctx.checkOu('governance', [...base, 'organizationalUnits', i], ou));
      });
    },
  },
  {
    title: 'Regions in the exception scopes of governance.yaml',
    needs: ['global', 'governance'],
    check(ctx) {
      ctx.file('governance').evidence.exceptions.forEach((exception, index) => {
        exception.scope.regions?.forEach((region, i) => ctx.checkEnabledRegion('governance', ['evidence', 'exceptions', index, 'scope', 'regions', i], region));
      });
    },
  },
];
