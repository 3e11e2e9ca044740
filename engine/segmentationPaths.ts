import { createHash } from 'node:crypto';
import { isUnderOu } from '../config/model';
import { formatLocation } from './desiredState';
import type { CheckedAccount, DriftCheckContext } from './driftChecks/context';
import type { DriftType } from './driftTypes';
import type { InventoryRole } from './inventory';
import { allowlistedBy, principalAccountId, roleExemption, trustGrants, type PrincipalType, type TrustGrant } from './roleTrust';

/**
 * Segmentation paths: principals outside the PCI OU that a PCI account lets in, each classified
 * against security.yaml (trusted, exempt role, Rampart's own, or unlisted). Shared by the drift
 * check (PciSegmentationPath) and the PCI segmentation report, so the two cannot disagree.
 */

export type SegmentationStatus = 'unlisted' | 'allowlisted' | 'exempt' | 'rampart';

export interface SegmentationPath {
  /** Stable: a hash of the target resource and the source principal. */
  id: string;
  /** unlisted: drift; allowlisted: in trustedPrincipals; exempt: an exempt (break-glass) role; rampart: Rampart's own execution role. */
  status: SegmentationStatus;
  statusReason: string;
  source: {
    principal: string;
    principalType: Exclude<PrincipalType, 'Service'>;
    /** organization: an account of the organization outside the PCI OU; external: outside the organization (or an identity provider); public: anyone. */
    kind: 'organization' | 'external' | 'public';
    accountId?: string;
    accountName?: string;
    /** Where the source account sits (organization sources). */
    ouPath?: string;
  };
  target: { accountId: string; accountName: string; ouPath: string; resource: string; resourceType: string };
  actions: string[];
  /** The grant depends on a Condition (it may be narrower than it looks). */
  conditional: boolean;
  via: ('trust-policy' | 'access-analyzer')[];
  /** Access Analyzer findings that report this path (one per Region), and their status. */
  findingIds: string[];
  findingStatus?: 'ACTIVE' | 'ARCHIVED';
  allowlistedBy?: { principal: string; reason: string; declaredAt: string };
  /** For unlisted paths: the drift that reports it (none when Access Analyzer has no active finding for an external path). */
  drift?: { type: 'PciSegmentationPath' | 'ExternalTrustOnRole'; id: string };
}

const AFFECTS: DriftType[] = ['PciSegmentationPath'];

/** A path found in a trust policy, with what the drift check needs to report it. */
export interface TrustPolicyPath {
  path: SegmentationPath;
  account: CheckedAccount;
  role: InventoryRole;
  grant: TrustGrant;
}

export function pathId(resource: string, principalType: string, principal: string): string {
  return `path-${createHash('sha256').update(`${resource}\n${principalType}\n${principal}`).digest('hex').slice(0, 16)}`;
}

/** Where a principal comes from, seen from PCI account `target`; undefined when it is inside the PCI OU (or a service). */
export function sourceOf(ctx: DriftCheckContext, principalType: PrincipalType, principal: string, target: CheckedAccount, pciOu: string): SegmentationPath['source'] | undefined {
  if (principalType === 'Service') return undefined;
  if (principalType === '*' || principal === '*') return { principal, principalType: '*', kind: 'public' };
  const accountId = principalAccountId(principal) ?? (principalType === 'Federated' ? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(principal)?.[1] : undefined);
  // Identities of an identity provider come from outside AWS, wherever the provider is defined.
  if (principalType === 'Federated' || principalType === 'CanonicalUser') return { principal, principalType, kind: 'external', ...(accountId ? { accountId } : {}) };
  if (!accountId) return { principal, principalType, kind: 'external' };
  if (accountId === target.id) return undefined;
  const ouPath = ctx.actualOuPath(accountId);
  const accountName = ctx.accountNameById.get(accountId) ?? ctx.orgAccounts.get(accountId)?.name;
  if (ouPath === undefined) return { principal, principalType, kind: 'external', accountId };
  if (isUnderOu(ouPath, pciOu)) return undefined;
  return { principal, principalType, kind: 'organization', accountId, ouPath, ...(accountName ? { accountName } : {}) };
}

export function classify(
  ctx: DriftCheckContext,
  target: CheckedAccount,
  resource: string,
  source: SegmentationPath['source'],
  role: { name: string; path: string; tags?: Record<string, string> } | undefined,
): Pick<SegmentationPath, 'status' | 'statusReason' | 'allowlistedBy'> {
  const desired = ctx.desired.accessAnalyzer;
  if (role?.name === ctx.desired.executionRoleName) {
    return { status: 'rampart', statusReason: `${role.name} is Rampart's execution role, whose trust the execution-role StackSet manages` };
  }
  if (role) {
    const exemption = roleExemption({ arn: resource, path: role.path, ...(role.tags ? { tags: role.tags } : {}) }, desired.exemptRoles);
    if (exemption.exempt === true) return { status: 'exempt', statusReason: `the role is exempt in security.yaml: ${exemption.reason}` };
  }
  const entry = allowlistedBy(source.principal, target.name, desired.trustedPrincipals);
  if (entry) {
    return {
      status: 'allowlisted', statusReason: `trusted in security.yaml: ${entry.reason}`,
      allowlistedBy: { principal: entry.principal, reason: entry.reason, declaredAt: formatLocation(entry.declaredAt) },
    };
  }
  return { status: 'unlisted', statusReason: `${source.principal} is outside the PCI OU${source.ouPath ? ` (in ${source.ouPath})` : ''} and not in security.yaml trustedPrincipals` };
}

/**
 * Every path the trust policies of the PCI accounts open to principals outside the PCI OU,
 * classified. Reads each PCI account's `iam.account` scope through `ctx` (unknown scopes are
 * recorded there, for `affects`).
 */
export function trustPolicyPaths(ctx: DriftCheckContext, affects: DriftType[] = AFFECTS): TrustPolicyPath[] {
  const pciOu = ctx.desired.organization.pciOuPath;
  if (!pciOu || !ctx.structure) return [];
  const out: TrustPolicyPath[] = [];
  for (const account of ctx.checkedAccounts) {
    if (!account.pci) continue;
    const iam = ctx.read({ kind: 'iam.account', accountId: account.id }, ctx.inventory.accounts[account.id]?.iam, affects);
    if (!iam) continue;
    for (const role of iam.roles) {
      for (const grant of trustGrants(role.trustPolicy)) {
        const source = sourceOf(ctx, grant.principalType, grant.principal, account, pciOu);
        if (!source) continue;
        const path: SegmentationPath = {
          id: pathId(role.arn, source.principalType, grant.principal),
          ...classify(ctx, account, role.arn, source, role),
          source,
          target: { accountId: account.id, accountName: account.name, ouPath: account.ouPath, resource: role.arn, resourceType: 'AWS::IAM::Role' },
          actions: grant.actions,
          conditional: grant.conditional,
          via: ['trust-policy'],
          findingIds: [],
        };
        out.push({ path, account, role, grant });
      }
    }
  }
  return out;
}
