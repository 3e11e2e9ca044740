import { isUnderOu } from '../../config/model';
import type { SourceLocation } from '../../config/source';
import type { DriftType } from '../driftTypes';
import type { AccessFinding, InventoryRole } from '../inventory';
import { allowlistedBy, parseRoleArn, principalAccountId, roleExemption, trustGrants, type TrustGrant } from '../roleTrust';
import { sorted, type DriftCheckContext } from './context';

const REGION_TYPES: DriftType[] = ['AnalyzerMissing', 'ExternalTrustOnRole'];

/** Organization analyzers per Region, external trust on roles, and paths into PCI accounts from outside the PCI OU. */
export function checkAccessAnalyzer(ctx: DriftCheckContext): void {
  const findings: { finding: AccessFinding; region: string }[] = [];
  if (ctx.wants(...REGION_TYPES)) {
    const desired = ctx.desired.accessAnalyzer;
    const adminAccountId = ctx.accountIdByName.get(desired.adminAccount);
    for (const region of desired.regions) {
      const state = ctx.read({ kind: 'accessanalyzer.region', region }, ctx.inventory.accessAnalyzer.regions[region], REGION_TYPES);
      if (!state) continue;
      for (const finding of state.findings) {
        if (finding.status === 'ACTIVE' && finding.resourceType === 'AWS::IAM::Role') findings.push({ finding, region });
      }
      if (!adminAccountId) continue;
      const analyzer = state.analyzers.find((a) => a.name === desired.analyzerName && a.accountId === adminAccountId);
      if (analyzer && analyzer.type === 'ORGANIZATION' && analyzer.status === 'ACTIVE') continue;
      ctx.add('AnalyzerMissing', { accountId: adminAccountId, accountName: desired.adminAccount, region }, `analyzer ${desired.analyzerName}`, {
        message: analyzer
          ? `analyzer ${desired.analyzerName} in ${region} is a ${analyzer.type} analyzer with status ${analyzer.status}; expected an ACTIVE ORGANIZATION analyzer`
          : `there is no organization analyzer ${desired.analyzerName} in ${region}`,
        expected: { type: 'ORGANIZATION', status: 'ACTIVE' }, actual: analyzer ? { type: analyzer.type, status: analyzer.status } : null,
        declaredAt: desired.declaredAt,
        facts: { accountId: adminAccountId, region, analyzerName: desired.analyzerName },
      });
    }
  }
  if (ctx.wants('ExternalTrustOnRole')) checkExternalTrust(ctx, findings);
  if (ctx.wants('PciSegmentationPath')) checkPciSegmentation(ctx);
}

/** One drift per role and principal, however many Regions report it. */
function checkExternalTrust(ctx: DriftCheckContext, findings: { finding: AccessFinding; region: string }[]): void {
  const desired = ctx.desired.accessAnalyzer;
  const groups = new Map<string, { finding: AccessFinding; region: string }[]>();
  for (const entry of findings) {
    const principalKey = Object.entries(entry.finding.principal).map(([type, value]) => `${type}=${value}`).sort().join(',');
    const key = `${entry.finding.resource}\n${principalKey}`;
    const group = groups.get(key) ?? [];
    group.push(entry);
    groups.set(key, group);
  }
  for (const [key, group] of groups) {
    group.sort((a, b) => a.finding.id.localeCompare(b.finding.id));
    const { finding } = group[0];
    const role = parseRoleArn(finding.resource);
    if (!role) continue;
    const targetAccount = ctx.accountNameById.get(finding.resourceOwnerAccount);
    const principals = Object.values(finding.principal);
    if (principals.length && principals.every((p) => allowlistedBy(p, targetAccount, desired.trustedPrincipals))) continue;

    const iam = ctx.inventory.accounts[finding.resourceOwnerAccount]?.iam;
    const liveRole = iam?.status === 'ok' ? iam.roles.find((r) => r.arn === finding.resource) : undefined;
    const exemption = roleExemption({ arn: finding.resource, path: role.path, ...(liveRole ? { tags: liveRole.tags } : {}) }, desired.exemptRoles);
    if (exemption.exempt === true) continue;

    const actions = sorted(new Set(group.flatMap((g) => g.finding.actions)));
    ctx.add('ExternalTrustOnRole', ctx.scopeOfAccountId(finding.resourceOwnerAccount), `${finding.resource} trusts ${key.split('\n')[1]}`, {
      message: `role ${finding.resource} can be assumed by ${principals.join(', ')}${finding.isPublic ? ' (public)' : ''}, outside the organization and not in trustedPrincipals (finding ${finding.id})`,
      expected: null,
      actual: { principal: finding.principal, actions, condition: finding.condition, findingIds: group.map((g) => g.finding.id) },
      declaredAt: desired.declaredAt,
      facts: {
        accountId: finding.resourceOwnerAccount, roleArn: finding.resource, roleName: role.name,
        findingId: finding.id, findingIds: group.map((g) => g.finding.id), findingRegions: sorted(new Set(group.map((g) => g.region))),
        principal: finding.principal, actions, condition: finding.condition, isPublic: finding.isPublic,
      },
      ...(exemption.exempt === 'unknown' ? { unknownBecause: exemption.reason } : {}),
    });
  }
}

/**
 * Principals of the organization outside the PCI OU that a role in a PCI account trusts.
 * Principals outside the organization are Access Analyzer's findings (ExternalTrustOnRole);
 * Rampart's own execution role and exempted roles are left out.
 */
function checkPciSegmentation(ctx: DriftCheckContext): void {
  const pciOu = ctx.desired.organization.pciOuPath;
  if (!pciOu || !ctx.structure) return;
  const desired = ctx.desired.accessAnalyzer;
  const declaredAt = ctx.desired.organization.organizationalUnits.find((ou) => ou.path === pciOu)?.declaredAt ?? desired.declaredAt;
  for (const account of ctx.checkedAccounts) {
    if (!account.pci) continue;
    const iam = ctx.read({ kind: 'iam.account', accountId: account.id }, ctx.inventory.accounts[account.id]?.iam, ['PciSegmentationPath']);
    if (!iam) continue;
    for (const role of iam.roles) {
      if (role.name === ctx.desired.executionRoleName) continue;
      if (roleExemption(role, desired.exemptRoles).exempt === true) continue;
      for (const grant of trustGrants(role.trustPolicy)) {
        if (grant.principalType !== 'AWS') continue;
        checkGrant(ctx, account, role, grant, pciOu, declaredAt);
      }
    }
  }
}

function checkGrant(
  ctx: DriftCheckContext,
  account: { id: string; name: string; ouPath: string },
  role: InventoryRole,
  grant: TrustGrant,
  pciOu: string,
  declaredAt: SourceLocation,
): void {
  const principalAccount = principalAccountId(grant.principal);
  if (!principalAccount || principalAccount === account.id) return;
  const principalOuPath = ctx.actualOuPath(principalAccount);
  if (principalOuPath === undefined) return; // outside the organization: Access Analyzer reports it
  if (isUnderOu(principalOuPath, pciOu)) return;
  if (allowlistedBy(grant.principal, account.name, ctx.desired.accessAnalyzer.trustedPrincipals)) return;
  const principalName = ctx.orgAccounts.get(principalAccount)?.name ?? principalAccount;
  ctx.add('PciSegmentationPath', ctx.accountScope(account), `${role.arn} trusts ${grant.principal}`, {
    message: `role ${role.arn} in PCI account ${account.name} can be assumed by ${grant.principal} of ${principalName} in ${principalOuPath}, outside the PCI OU ${pciOu}${grant.conditional ? ' (under a condition)' : ''}`,
    expected: null, actual: { principal: grant.principal, principalOuPath, actions: grant.actions, conditional: grant.conditional },
    declaredAt,
    facts: {
      accountId: account.id, roleArn: role.arn, roleName: role.name, principal: grant.principal, principalAccountId: principalAccount, principalOuPath,
      actions: grant.actions, conditional: grant.conditional,
    },
  });
}
