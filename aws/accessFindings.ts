import {
  CreateArchiveRuleCommand, GetFindingV2Command, StartResourceScanCommand, paginateListFindingsV2, paginateValidatePolicy,
  type AccessAnalyzerClient,
} from '@aws-sdk/client-accessanalyzer';
import type { FindingRef, RoleFinding } from '../engine/accessResolution';

/** IAM Access Analyzer findings on roles: read one, list the active ones, re-scan a role, archive one, and validate a trust policy. */

/** The finding as it is now; a finding that no longer exists comes back deleted. */
export async function readFinding(client: AccessAnalyzerClient, ref: FindingRef): Promise<RoleFinding> {
  try {
    const out = await client.send(new GetFindingV2Command({ analyzerArn: ref.analyzerArn, id: ref.findingId }));
    const details = (out.findingDetails ?? []).flatMap((d) => (d.externalAccessDetails ? [d.externalAccessDetails] : []));
    const principal: Record<string, string> = {};
    for (const d of details) Object.assign(principal, d.principal ?? {});
    return {
      id: out.id ?? ref.findingId, analyzerArn: ref.analyzerArn, status: out.status as RoleFinding['status'],
      resource: out.resource ?? ref.resource ?? '', resourceType: out.resourceType ?? '', resourceOwnerAccount: out.resourceOwnerAccount ?? '',
      principal, actions: [...new Set(details.flatMap((d) => d.action ?? []))], condition: Object.assign({}, ...details.map((d) => d.condition ?? {})) as Record<string, string>,
      isPublic: details.some((d) => d.isPublic === true), ...(out.error ? { error: out.error } : {}),
    };
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    return {
      id: ref.findingId, analyzerArn: ref.analyzerArn, status: 'RESOLVED', isDeleted: true, resource: ref.resource ?? '', resourceType: 'AWS::IAM::Role',
      resourceOwnerAccount: '', principal: {}, actions: [], condition: {}, isPublic: false,
    };
  }
}

/** Active findings on IAM roles, newest first, at most `limit` (the rest wait for the next sweep); `more` says whether there were others. */
export async function listActiveRoleFindings(client: AccessAnalyzerClient, analyzerArn: string, limit: number): Promise<{ refs: FindingRef[]; more: boolean }> {
  const refs: FindingRef[] = [];
  const pages = paginateListFindingsV2({ client }, {
    analyzerArn, filter: { status: { eq: ['ACTIVE'] }, resourceType: { eq: ['AWS::IAM::Role'] } }, sort: { attributeName: 'UpdatedAt', orderBy: 'DESC' },
  });
  for await (const page of pages) {
    for (const f of page.findings ?? []) {
      if (refs.length >= limit) return { refs, more: true };
      refs.push({ findingId: f.id as string, analyzerArn, ...(f.resource ? { resource: f.resource } : {}) });
    }
  }
  return { refs, more: false };
}

/** Asks the analyzer to analyze a role again now, instead of on its own schedule. */
export async function rescanResource(client: AccessAnalyzerClient, analyzerArn: string, resourceArn: string): Promise<void> {
  await client.send(new StartResourceScanCommand({ analyzerArn, resourceArn }));
}

/** What an archive rule matches: finding attributes to the values they must equal. */
export type ArchiveFilter = Record<string, string[]>;

/** Creates an archive rule (kept as it is when one of that name exists): matching findings, present and future, are archived. */
export async function createArchiveRule(client: AccessAnalyzerClient, analyzerName: string, ruleName: string, filter: ArchiveFilter): Promise<'created' | 'exists'> {
  try {
    await client.send(new CreateArchiveRuleCommand({ analyzerName, ruleName, filter: Object.fromEntries(Object.entries(filter).map(([key, eq]) => [key, { eq }])) }));
    return 'created';
  } catch (error) {
    if ((error as Error).name === 'ConflictException') return 'exists';
    throw error;
  }
}

export interface PolicyValidation {
  errors: string[];
  securityWarnings: string[];
}

/** Access Analyzer's policy checks of a role trust policy. */
export async function validateTrustPolicy(client: AccessAnalyzerClient, policyText: string): Promise<PolicyValidation> {
  const out: PolicyValidation = { errors: [], securityWarnings: [] };
  const pages = paginateValidatePolicy({ client }, { policyDocument: policyText, policyType: 'RESOURCE_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument' });
  for await (const page of pages) {
    for (const f of page.findings ?? []) {
      const text = `${f.issueCode}: ${f.findingDetails}`;
      if (f.findingType === 'ERROR') out.errors.push(text);
      else if (f.findingType === 'SECURITY_WARNING') out.securityWarnings.push(text);
    }
  }
  return out;
}
