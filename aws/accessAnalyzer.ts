import { AccessAnalyzerClient, CreateAnalyzerCommand, paginateListAnalyzers, paginateListFindings, type FindingSummary } from '@aws-sdk/client-accessanalyzer';
import type { AccessAnalyzerRegionState, AccessFinding } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * IAM Access Analyzer, through its delegated administrator: the analyzers of a Region and the
 * active findings of its external-access analyzers (an organization analyzer covers every
 * account); and the analyzer remediation creates.
 */

const AccessAnalyzer = AccessAnalyzerClient as ClientConstructor<AccessAnalyzerClient>;

type RegionData = Omit<Extract<AccessAnalyzerRegionState, { status: 'ok' }>, 'status'>;

const EXTERNAL_ACCESS_TYPES = new Set(['ORGANIZATION', 'ACCOUNT']);

export async function readRegion(clients: AwsClients, adminAccountId: string, region: string): Promise<RegionData> {
  const client = clients.client(AccessAnalyzer, 'access-analyzer', { account: adminAccountId, region });
  const analyzers: RegionData['analyzers'] = [];
  for await (const page of paginateListAnalyzers({ client }, {})) {
    for (const a of page.analyzers ?? []) {
      analyzers.push({
        arn: a.arn as string, name: a.name as string, accountId: adminAccountId,
        type: a.type as RegionData['analyzers'][number]['type'], status: a.status as RegionData['analyzers'][number]['status'],
      });
    }
  }
  const findings: AccessFinding[] = [];
  for (const analyzer of analyzers.filter((a) => a.status === 'ACTIVE' && EXTERNAL_ACCESS_TYPES.has(a.type))) {
    for await (const page of paginateListFindings({ client }, { analyzerArn: analyzer.arn, filter: { status: { eq: ['ACTIVE'] } } })) {
      for (const finding of page.findings ?? []) findings.push(findingOf(analyzer.arn, finding));
    }
  }
  return { analyzers, findings };
}

function findingOf(analyzerArn: string, f: FindingSummary): AccessFinding {
  return {
    id: f.id as string, analyzerArn, resource: f.resource as string, resourceType: f.resourceType as string,
    resourceOwnerAccount: f.resourceOwnerAccount as string, status: f.status as AccessFinding['status'],
    principal: { ...(f.principal ?? {}) }, actions: [...(f.action ?? [])], condition: { ...(f.condition ?? {}) }, isPublic: f.isPublic ?? false,
    ...(f.createdAt ? { createdAt: f.createdAt.toISOString() } : {}),
    ...(f.updatedAt ? { updatedAt: f.updatedAt.toISOString() } : {}),
  };
}

export interface ArchiveRule {
  ruleName: string;
  filter: Record<string, { eq: string[] }>;
}

export async function createOrganizationAnalyzer(clients: AwsClients, adminAccountId: string, region: string, name: string, archiveRules: ArchiveRule[]): Promise<void> {
  const client = clients.client(AccessAnalyzer, 'access-analyzer', { account: adminAccountId, region });
  try {
    await client.send(new CreateAnalyzerCommand({ analyzerName: name, type: 'ORGANIZATION', archiveRules }));
  } catch (error) {
    if ((error as Error).name !== 'ConflictException') throw error; // created meanwhile
  }
}
