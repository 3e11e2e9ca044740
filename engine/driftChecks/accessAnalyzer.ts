import type { DriftType } from '../driftTypes';
import type { AccessFinding } from '../inventory';
import { allowlistedBy, parseRoleArn, roleExemption } from '../roleTrust';
import { trustPolicyPaths } from '../segmentationPaths';
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
 * Principals of the organization outside the PCI OU that a role in a PCI account trusts, not
 * allowlisted (segmentationPaths.ts). Principals outside the organization are Access Analyzer's
 * findings (ExternalTrustOnRole); Rampart's own execution role and exempted roles are left out.
 */
function checkPciSegmentation(ctx: DriftCheckContext): void {
  const pciOu = ctx.desired.organization.pciOuPath;
  if (!pciOu) return;
  const declaredAt = ctx.desired.organization.organizationalUnits.find((ou) => ou.path === pciOu)?.declaredAt ?? ctx.desired.accessAnalyzer.declaredAt;
  for (const { path, account, role, grant } of trustPolicyPaths(ctx, ['PciSegmentationPath'])) {
    const { source } = path;
    if (path.status !== 'unlisted' || source.kind !== 'organization' || source.principalType !== 'AWS' || !source.accountId || !source.ouPath) continue;
    const principalName = source.accountName ?? source.accountId;
    ctx.add('PciSegmentationPath', ctx.accountScope(account), `${role.arn} trusts ${grant.principal}`, {
      message: `role ${role.arn} in PCI account ${account.name} can be assumed by ${grant.principal} of ${principalName} in ${source.ouPath}, outside the PCI OU ${pciOu}${grant.conditional ? ' (under a condition)' : ''}`,
      expected: null, actual: { principal: grant.principal, principalOuPath: source.ouPath, actions: grant.actions, conditional: grant.conditional },
      declaredAt,
      facts: {
        accountId: account.id, roleArn: role.arn, roleName: role.name, principal: grant.principal, principalAccountId: source.accountId, principalOuPath: source.ouPath,
        actions: grant.actions, conditional: grant.conditional,
      },
    });
  }
}
