import { paginateGetFindings, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { formatLocation } from '../engine/desiredState';
import type { Drift, DriftReport } from '../engine/drift';
import { DRIFT_TYPES } from '../engine/driftTypes';
import type { AwsClients, ClientConstructor } from './clients';
import { importFindings } from './securityHub';

/**
 * Drift as Security Hub findings (ASFF) in the home account's default product, where security
 * teams already look: one finding per drift, keyed by the drift's stable id so a drift that
 * persists updates its finding; drifts that are gone have their findings archived and resolved.
 */

const GENERATOR_PREFIX = 'rampart/drift/';
const FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/Rampart Configuration Drift';

export function findingId(drift: Pick<Drift, 'id'>): string {
  return `rampart/${drift.id}`;
}

export function driftFinding(drift: Drift, at: { accountId: string; region: string; observedAt: string }): AwsSecurityFinding {
  const resource = drift.scope.accountId
    ? { Type: 'AwsAccount', Id: `AWS::::Account:${drift.scope.accountId}`, Partition: 'aws' as const, Region: drift.scope.region ?? at.region }
    : { Type: 'Other', Id: drift.scope.ouPath ? `rampart:ou/${drift.scope.ouPath}` : 'rampart:organization', Partition: 'aws' as const, Region: drift.scope.region ?? at.region };
  return {
    SchemaVersion: '2018-10-08',
    Id: findingId(drift),
    ProductArn: `arn:aws:securityhub:${at.region}:${at.accountId}:product/${at.accountId}/default`,
    GeneratorId: `${GENERATOR_PREFIX}${drift.type}`,
    AwsAccountId: at.accountId,
    Types: [FINDING_TYPE],
    CreatedAt: at.observedAt,
    UpdatedAt: at.observedAt,
    FirstObservedAt: at.observedAt,
    LastObservedAt: at.observedAt,
    Severity: { Label: drift.severity },
    Title: `${drift.type}: ${drift.subject}`.slice(0, 256),
    Description: `${drift.message} ${DRIFT_TYPES[drift.type].summary}.`.slice(0, 1024),
    Resources: [resource],
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    ProductFields: {
      'rampart/driftId': drift.id,
      'rampart/driftType': drift.type,
      'rampart/declaredAt': formatLocation(drift.declaredAt),
      ...(drift.scope.accountId ? { 'rampart/accountId': drift.scope.accountId } : {}),
      ...(drift.scope.ouPath ? { 'rampart/ouPath': drift.scope.ouPath } : {}),
      ...(drift.scope.region ? { 'rampart/region': drift.scope.region } : {}),
      'rampart/scopeKnown': String(drift.scopeKnown),
    },
  };
}

/** Active drift findings Rampart imported earlier, by id. */
async function activeDriftFindings(clients: AwsClients): Promise<AwsSecurityFinding[]> {
  const client = clients.client(SecurityHubClient as ClientConstructor<SecurityHubClient>, 'securityhub', { account: clients.homeAccountId, region: clients.homeRegion });
  const out: AwsSecurityFinding[] = [];
  for await (const page of paginateGetFindings({ client, pageSize: 100 }, {
    Filters: {
      GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
      AwsAccountId: [{ Value: clients.homeAccountId, Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    },
  })) out.push(...(page.Findings ?? []));
  return out;
}

/** Imports a finding per drift and archives, as resolved, the findings of drifts no longer there. */
export async function publishDriftFindings(clients: AwsClients, report: DriftReport, observedAt: string): Promise<{ imported: number; archived: number; failed: { id: string; reason: string }[] }> {
  const at = { accountId: clients.homeAccountId, region: clients.homeRegion, observedAt };
  const current = report.drifts.map((drift) => driftFinding(drift, at));
  const currentIds = new Set(current.map((f) => f.Id));
  // A drift whose scope could not be read this time is not known to be gone: its finding stays.
  const unreadable = new Set(report.unknownScopes.map((s) => `${s.accountId ?? ''}|${s.region ?? ''}`));
  const gone = (await activeDriftFindings(clients)).filter((f) => !currentIds.has(f.Id)
    && !unreadable.has(`${f.ProductFields?.['rampart/accountId'] ?? ''}|${f.ProductFields?.['rampart/region'] ?? ''}`));
  const archived = gone.map((f): AwsSecurityFinding => ({
    ...f, UpdatedAt: observedAt, RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' },
    ...(f.LastObservedAt ? {} : { LastObservedAt: observedAt }),
  }));
  const result = await importFindings(clients, [...current, ...archived]);
  const failedCurrent = result.failed.filter((f) => currentIds.has(f.id)).length;
  return { imported: current.length - failedCurrent, archived: archived.length - (result.failed.length - failedCurrent), failed: result.failed };
}
