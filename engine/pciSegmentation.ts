import type { DesiredState } from './desiredState';
import { detectDrift } from './detectDrift';
import type { Drift, UnknownScope } from './drift';
import { DriftCheckContext, sorted } from './driftChecks/context';
import type { DriftType } from './driftTypes';
import type { Inventory, InventoryRole } from './inventory';
import { parseRoleArn, type PrincipalType } from './roleTrust';
import { classify, pathId, sourceOf, trustPolicyPaths, type SegmentationPath, type SegmentationStatus } from './segmentationPaths';

export type { SegmentationPath, SegmentationStatus } from './segmentationPaths';

/**
 * PCI segmentation evidence: every principal outside the PCI OU (another OU of the organization,
 * or outside it) that can assume a role or reach a resource in a PCI account, read from the IAM
 * trust policies of the PCI accounts and from Access Analyzer's findings, each compared with
 * security.yaml's trustedPrincipals. Unlisted paths are the drifts PciSegmentationPath (inside
 * the organization) and ExternalTrustOnRole (outside it); detectDrift raises the first from the
 * same enumeration (segmentationPaths.ts), so the report and the drift check cannot disagree.
 */

/** The check id evidence maps to PCI DSS v4.0 requirements 1.3, 1.4 and 7.2. */
export const PCI_SEGMENTATION_CHECK_ID = 'accessanalyzer.pci-segmentation';
export const PCI_SEGMENTATION_REQUIREMENTS = ['1.3', '1.4', '7.2'] as const;
export const PCI_SEGMENTATION_GUIDANCE = 'PCI SSC Guidance for PCI DSS Scoping and Network Segmentation: connected-to and security-impacting systems';

export interface SegmentationReport {
  checkId: typeof PCI_SEGMENTATION_CHECK_ID;
  requirements: { framework: 'pci-dss-4.0'; ids: string[] };
  guidance: string;
  /** FAIL: an unlisted path; UNKNOWN: no unlisted path, but a scope it needs could not be read; NOT_APPLICABLE: no PCI OU. */
  status: 'PASS' | 'FAIL' | 'UNKNOWN' | 'NOT_APPLICABLE';
  collectedAt: string;
  pciOuPath?: string;
  pciAccounts: { accountId: string; accountName: string; ouPath: string }[];
  paths: SegmentationPath[];
  counts: Record<SegmentationStatus, number> & { total: number };
  unknownScopes: UnknownScope[];
}

/**
 * The PCI segmentation report of an inventory: trust-policy paths and Access Analyzer findings
 * on resources of PCI accounts (ACTIVE, and ARCHIVED ones too: archiving hides a finding, it does
 * not close the path), merged per resource and principal, each unlisted path linked to its drift.
 */
export function pciSegmentationReport(desired: DesiredState, inventory: Inventory): SegmentationReport {
  const drifts = detectDrift(desired, inventory, { types: ['PciSegmentationPath', 'ExternalTrustOnRole'] });
  const ctx = new DriftCheckContext(desired, inventory, new Set<DriftType>(['PciSegmentationPath', 'ExternalTrustOnRole']));
  const pciOu = desired.organization.pciOuPath;
  const pciAccounts = ctx.checkedAccounts.filter((a) => a.pci);
  const byKey = new Map<string, SegmentationPath>();
  for (const { path } of trustPolicyPaths(ctx)) byKey.set(`${path.target.resource}\n${path.source.principal}`, path);

  const rolesByArn = new Map<string, InventoryRole>();
  for (const account of pciAccounts) {
    const iam = inventory.accounts[account.id]?.iam;
    if (iam?.status === 'ok') for (const role of iam.roles) rolesByArn.set(role.arn, role);
  }
  if (pciOu && ctx.structure) {
    const pciById = new Map(pciAccounts.map((a) => [a.id, a]));
    for (const region of desired.accessAnalyzer.regions) {
      const state = ctx.read({ kind: 'accessanalyzer.region', region }, inventory.accessAnalyzer.regions[region], ['ExternalTrustOnRole']);
      if (!state) continue;
      for (const finding of state.findings) {
        const account = pciById.get(finding.resourceOwnerAccount);
        if (!account || finding.status === 'RESOLVED') continue;
        for (const [type, principal] of Object.entries(finding.principal)) {
          const principalType = (principal === '*' ? '*' : type) as PrincipalType;
          const source = sourceOf(ctx, principalType, principal, account, pciOu);
          if (!source) continue;
          const key = `${finding.resource}\n${principal}`;
          let path = byKey.get(key);
          if (!path) {
            const role = finding.resourceType === 'AWS::IAM::Role' ? rolesByArn.get(finding.resource) ?? parseRoleArn(finding.resource) : undefined;
            path = {
              id: pathId(finding.resource, source.principalType, principal),
              ...classify(ctx, account, finding.resource, source, role),
              source,
              target: { accountId: account.id, accountName: account.name, ouPath: account.ouPath, resource: finding.resource, resourceType: finding.resourceType },
              actions: [...finding.actions], conditional: Object.keys(finding.condition).length > 0, via: [], findingIds: [],
            };
            byKey.set(key, path);
          }
          if (!path.via.includes('access-analyzer')) path.via.push('access-analyzer');
          path.findingIds = sorted(new Set([...path.findingIds, finding.id]));
          path.actions = sorted(new Set([...path.actions, ...finding.actions]));
          if (path.findingStatus !== 'ACTIVE') path.findingStatus = finding.status;
        }
      }
    }
  }

  const paths = [...byKey.values()].sort((a, b) => a.target.accountId.localeCompare(b.target.accountId) || a.target.resource.localeCompare(b.target.resource) || a.source.principal.localeCompare(b.source.principal));
  for (const path of paths) {
    if (path.status !== 'unlisted') continue;
    const drift = driftFor(drifts.drifts, path);
    if (drift) path.drift = drift;
    else if (path.source.kind !== 'organization') {
      path.statusReason += path.findingStatus === 'ARCHIVED'
        ? '; its Access Analyzer finding was archived, which hides it without closing it'
        : '; Access Analyzer has no active finding for it (not reported as ExternalTrustOnRole)';
    }
  }
  const counts = { total: paths.length, unlisted: 0, allowlisted: 0, exempt: 0, rampart: 0 };
  for (const path of paths) counts[path.status]++;
  const unknownScopes = [...drifts.unknownScopes];
  const status = !pciOu ? 'NOT_APPLICABLE' : counts.unlisted > 0 ? 'FAIL' : unknownScopes.length > 0 || !ctx.structure ? 'UNKNOWN' : 'PASS';
  return {
    checkId: PCI_SEGMENTATION_CHECK_ID,
    requirements: { framework: 'pci-dss-4.0', ids: [...PCI_SEGMENTATION_REQUIREMENTS] },
    guidance: PCI_SEGMENTATION_GUIDANCE,
    status,
    collectedAt: inventory.collectedAt,
    ...(pciOu ? { pciOuPath: pciOu } : {}),
    pciAccounts: pciAccounts.map((a) => ({ accountId: a.id, accountName: a.name, ouPath: a.ouPath })),
    paths,
    counts,
    unknownScopes,
  };
}

function driftFor(drifts: Drift[], path: SegmentationPath): SegmentationPath['drift'] {
  for (const drift of drifts) {
    if (drift.type === 'PciSegmentationPath' && drift.facts.roleArn === path.target.resource && drift.facts.principal === path.source.principal) {
      return { type: 'PciSegmentationPath', id: drift.id };
    }
    if (drift.type === 'ExternalTrustOnRole' && drift.facts.roleArn === path.target.resource && Object.values(drift.facts.principal).includes(path.source.principal)) {
      return { type: 'ExternalTrustOnRole', id: drift.id };
    }
  }
  return undefined;
}
