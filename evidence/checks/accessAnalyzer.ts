import type { AccessFinding } from '../../engine/inventory';
import { allowlistedBy, parseRoleArn, roleExemption } from '../../engine/roleTrust';
import { readScope, unreadable, type CheckContext } from './context';

export const ANALYZER_ACTIVE = 'accessanalyzer.active';
export const NO_UNRESOLVED_EXTERNAL_TRUST = 'accessanalyzer.no-unresolved-external-trust';

/** The organization analyzer in every Region, and no access from outside the zone of trust that nobody approved. */
export function checkAccessAnalyzer(ctx: CheckContext): void {
  const desired = ctx.input.desired.accessAnalyzer;
  const adminId = ctx.input.driftReport.accountIds[desired.adminAccount];
  const accounts = ctx.activeAccounts();
  for (const region of desired.regions) {
    const state = readScope(ctx.input.inventory.accessAnalyzer.regions[region]);
    const regionScope = ctx.organizationScope({ accountName: desired.adminAccount, region });
    if (!state.known) {
      const detail = unreadable(`IAM Access Analyzer in ${region}`, state.error);
      ctx.add(ANALYZER_ACTIVE, 'unknown', regionScope, detail);
      for (const account of accounts) ctx.add(NO_UNRESOLVED_EXTERNAL_TRUST, 'unknown', ctx.accountScope(account.id, region), detail);
      continue;
    }
    const analyzer = state.known.analyzers.find((a) => a.name === desired.analyzerName && (adminId === undefined || a.accountId === adminId));
    const active = analyzer?.type === 'ORGANIZATION' && analyzer.status === 'ACTIVE';
    const analyzerEvidence = { analyzerName: desired.analyzerName, found: analyzer ? { type: analyzer.type, status: analyzer.status, accountId: analyzer.accountId } : null };
    if (active) ctx.add(ANALYZER_ACTIVE, 'pass', regionScope, `organization analyzer ${desired.analyzerName} is ACTIVE`, analyzerEvidence);
    else ctx.add(ANALYZER_ACTIVE, 'fail', regionScope, analyzer ? `analyzer ${desired.analyzerName} is a ${analyzer.type} analyzer with status ${analyzer.status}` : `there is no organization analyzer ${desired.analyzerName}`, analyzerEvidence);

    const byAccount = new Map<string, AccessFinding[]>();
    for (const finding of state.known.findings) {
      if (finding.status !== 'ACTIVE') continue;
      const list = byAccount.get(finding.resourceOwnerAccount) ?? [];
      list.push(finding);
      byAccount.set(finding.resourceOwnerAccount, list);
    }
    for (const account of accounts) {
      const scope = ctx.accountScope(account.id, region);
      if (!active) {
        ctx.add(NO_UNRESOLVED_EXTERNAL_TRUST, 'unknown', scope, `not evaluated: no ACTIVE organization analyzer in ${region}`);
        continue;
      }
      const judged = (byAccount.get(account.id) ?? []).map((finding) => ({ finding, verdict: judge(ctx, finding, account.name) }));
      const open = judged.filter((j) => j.verdict.status === 'fail');
      const evidence = judged.map(({ finding, verdict }) => ({ findingId: finding.id, resource: finding.resource, principal: finding.principal, isPublic: finding.isPublic, verdict: verdict.reason }));
      if (open.length) {
        ctx.add(NO_UNRESOLVED_EXTERNAL_TRUST, 'fail', scope, open.map((j) => `${j.finding.resource} grants ${Object.values(j.finding.principal).join(', ')}${j.finding.isPublic ? ' (public)' : ''} (finding ${j.finding.id}): ${j.verdict.reason}`).join('; '), evidence);
      } else {
        ctx.add(NO_UNRESOLVED_EXTERNAL_TRUST, 'pass', scope, judged.length ? `${judged.length} active finding(s), each allowlisted or exempt` : 'no active external-access finding', judged.length ? evidence : undefined);
      }
    }
  }
}

/** An active finding is resolved when every principal is allowlisted for the account, or the role is exempt in security.yaml. */
function judge(ctx: CheckContext, finding: AccessFinding, accountName: string): { status: 'pass' | 'fail'; reason: string } {
  const desired = ctx.input.desired.accessAnalyzer;
  const principals = Object.values(finding.principal);
  const allowlist = principals.map((p) => allowlistedBy(p, accountName, desired.trustedPrincipals));
  if (principals.length && allowlist.every((entry) => entry !== undefined)) return { status: 'pass', reason: `allowlisted: ${allowlist.map((e) => e?.reason).join('; ')}` };
  const role = finding.resourceType === 'AWS::IAM::Role' ? parseRoleArn(finding.resource) : undefined;
  if (role) {
    const iam = ctx.input.inventory.accounts[finding.resourceOwnerAccount]?.iam;
    const live = iam?.status === 'ok' ? iam.roles.find((r) => r.arn === finding.resource) : undefined;
    const exemption = roleExemption({ arn: finding.resource, path: role.path, ...(live ? { tags: live.tags } : {}) }, desired.exemptRoles);
    if (exemption.exempt === true) return { status: 'pass', reason: `role exempt: ${exemption.reason}` };
    // Fail closed: the access exists, and an exemption that cannot be read does not excuse it.
    if (exemption.exempt === 'unknown') return { status: 'fail', reason: `not allowlisted; ${exemption.reason}` };
  }
  return { status: 'fail', reason: 'not allowlisted in security.yaml accessAnalyzer.trustedPrincipals' };
}
