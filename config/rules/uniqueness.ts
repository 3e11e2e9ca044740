import type { OrganizationalUnitInput } from '../schema/organization';
import type { RuleContext } from './context';

/** Names, e-mails and ids that AWS or Rampart require to be unique are unique. */
export function checkUniqueness(ctx: RuleContext): void {
  const { global, organization, security, securityLake, governance } = ctx.config;
  const accounts = organization.accounts;
  ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.name, 'account name', 'name');
  ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.email, 'account e-mail', 'email');
  ctx.checkUnique('organization', ['accounts'], accounts, (a) => a.id, 'account id', 'id');
  ctx.checkUnique('organization', ['serviceControlPolicies'], organization.serviceControlPolicies, (p) => p.name, 'SCP name', 'name');
  ctx.checkUnique('security', ['securityHub', 'configurationPolicies'], security.securityHub.configurationPolicies, (p) => p.name, 'configuration policy name', 'name');
  ctx.checkUnique('security', ['config', 'conformancePacks'], security.config.conformancePacks, (p) => p.name, 'conformance pack name', 'name');
  ctx.checkUnique('securityLake', ['customSources'], securityLake.customSources, (s) => s.name, 'custom source name', 'name');
  ctx.checkUnique('securityLake', ['awsSources'], securityLake.awsSources, (s) => s.source, 'AWS source', 'source');
  ctx.checkUnique('securityLake', ['subscribers'], securityLake.subscribers, (s) => s.name, 'subscriber name', 'name');
  ctx.checkUnique('governance', ['remediation', 'policies'], governance.remediation.policies, (p) => p.drift, 'remediation policy for drift type', 'drift');

  const regionItems = global.enabledRegions.map((region) => ({ region }));
  const seen = new Set<string>();
  regionItems.forEach(({ region }, index) => {
    if (seen.has(region)) {
      ctx.report('global', ['enabledRegions', index], { rule: 'unique', found: `${region} again`, expected: 'each Region once', hint: 'remove the repeated Region' });
    }
    seen.add(region);
  });

  // AWS rejects two OUs of the same name under one parent.
  const walk = (list: readonly OrganizationalUnitInput[], basePath: (string | number)[]) => {
    ctx.checkUnique('organization', basePath, list, (ou) => ou.name, 'OU name under the same parent', 'name');
    list.forEach((ou, index) => ou.children && walk(ou.children, [...basePath, index, 'children']));
  };
  walk(organization.organizationalUnits, ['organizationalUnits']);
}
