import type { OrganizationalUnitInput } from '../schema/organization';
import type { CrossFileRule } from './context';

/** Names, e-mails, ids and associations that AWS or Rampart require to be unique are unique: one rule per file. */
export const uniquenessRules: CrossFileRule[] = [
  {
    title: 'unique Regions in global.yaml',
    needs: ['global'],
    check(ctx) {
      const seen = new Set<string>();
      ctx.file('global').enabledRegions.forEach((region, index) => {
        if (seen.has(region)) {
          ctx.report('global', ['enabledRegions', index], { rule: 'unique', found: `${region} again`, expected: 'each Region once', hint: 'remove the repeated Region' });
        }
        seen.add(region);
      });
    },
  },
  {
    title: 'unique account names, e-mails and ids, SCP names and sibling OU names',
    needs: ['organization'],
    check(ctx) {
      const organization = ctx.file('organization');
      const accounts = organization.accounts;
      ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.name, 'account name', 'name');
      ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.email, 'account e-mail', 'email');
      ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.id, 'account id', 'id');
      ctx.checkUnique('organization', ['serviceControlPolicies'], organization.serviceControlPolicies, (p) => p.name, 'SCP name', 'name');
      // AWS rejects two OUs of the same name under one parent.
      const walk = (list: readonly OrganizationalUnitInput[], basePath: (string | number)[]) => {
        ctx.checkUnique('organization', basePath, list, (ou) => ou.name, 'OU name under the same parent', 'name');
        list.forEach((ou, index) => ou.children && walk(ou.children, [...basePath, index, 'children']));
      };
      walk(organization.organizationalUnits, ['organizationalUnits']);
    },
  },
  {
    title: 'unique policy and pack names in security.yaml, one configuration policy per OU',
    needs: ['security'],
    check(ctx) {
      const security = ctx.file('security');
      const policies = security.securityHub.configurationPolicies;
      ctx.checkUnique('security', ['securityHub', 'configurationPolicies'], policies, (p) => p.name, 'configuration policy name', 'name');
      ctx.checkUnique('security', ['config', 'conformancePacks'], security.config.conformancePacks, (p) => p.name, 'conformance pack name', 'name');
      // AWS associates each target with exactly one configuration policy.
      const targetOwner = new Map<string, string>();
      policies.forEach((policy, index) => {
        policy.targets.forEach((target, i) => {
          const owner = targetOwner.get(target);
          if (owner) {
            ctx.report('security', ['securityHub', 'configurationPolicies', index, 'targets', i], {
              rule: 'securityhub.target-twice', found: `"${target}" also targeted by policy "${owner}"`, expected: 'each OU associated with one configuration policy',
              hint: 'remove the target from one of the policies',
            });
          } else targetOwner.set(target, policy.name);
        });
      });
    },
  },
  {
    title: 'unique source and subscriber names in securitylake.yaml',
    needs: ['securityLake'],
    check(ctx) {
      const securityLake = ctx.file('securityLake');
      ctx.checkUnique('securityLake', ['customSources'], securityLake.customSources, (s) => s.name, 'custom source name', 'name');
      ctx.checkUnique('securityLake', ['awsSources'], securityLake.awsSources, (s) => s.source, 'AWS source', 'source');
      ctx.checkUnique('securityLake', ['subscribers'], securityLake.subscribers, (s) => s.name, 'subscriber name', 'name');
    },
  },
  {
    title: 'one remediation policy per drift type',
    needs: ['governance'],
    check(ctx) {
      const policies = ctx.file('governance').remediation.policies;
      ctx.checkUnique('governance', ['remediation', 'policies'], policies, (p) => p.drift, 'remediation policy for drift type', 'drift');
    },
  },
];
