import { AccessAnalyzerClient, paginateListAnalyzers, paginateListFindings } from '@aws-sdk/client-accessanalyzer';
import { paginateListRoles, paginateListRoleTags, type IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand, ListRootsCommand, paginateListAccountsForParent, paginateListOrganizationalUnitsForParent, type Account, type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { DesiredState } from '../engine/desiredState';
import {
  INVENTORY_SCHEMA_VERSION, type AccessAnalyzerRegionState, type AccessFinding, type CollectionError, type Inventory, type InventoryAccount, type InventoryOu,
  type InventoryRole, type OrganizationStructure, type Scoped,
} from '../engine/inventory';
import type { AccessClients } from './accessClients';

/**
 * The inventory scopes the access-boundary report reads: the organization's structure, the IAM
 * roles of the PCI accounts and the Access Analyzer findings of every enabled Region. Every other
 * scope is left "not collected". A scope that cannot be read is unknown, with the error.
 */

const NOT_COLLECTED: CollectionError = { code: 'NotCollected', message: 'not read for the access-boundary report' };

function unknownScope(error: unknown): { status: 'unknown'; error: CollectionError } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { status: 'unknown', error: { code: e.name && e.name !== 'Error' ? e.name : 'Error', message: e.message || String(error) } };
}

async function scoped<T extends object>(read: () => Promise<T>): Promise<Scoped<T>> {
  try {
    return { status: 'ok', ...(await read()) };
  } catch (error) {
    return unknownScope(error);
  }
}

async function readStructure(organizations: OrganizationsClient): Promise<Omit<Extract<OrganizationStructure, { status: 'ok' }>, 'status'>> {
  const { Organization: org } = await organizations.send(new DescribeOrganizationCommand({}));
  const { Roots: roots } = await organizations.send(new ListRootsCommand({}));
  const rootId = roots?.[0]?.Id;
  if (!org?.MasterAccountId || !rootId) throw new Error('DescribeOrganization or ListRoots returned no management account or root');
  const organizationalUnits: InventoryOu[] = [];
  const accounts: InventoryAccount[] = [];
  const queue: { id: string; path: string }[] = [{ id: rootId, path: '' }];
  while (queue.length) {
    const parent = queue.shift() as { id: string; path: string };
    for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId: parent.id })) {
      for (const a of page.Accounts ?? []) accounts.push(accountOf(a, parent.id));
    }
    for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId: parent.id })) {
      for (const ou of page.OrganizationalUnits ?? []) {
        const path = parent.path ? `${parent.path}/${ou.Name}` : (ou.Name as string);
        organizationalUnits.push({ id: ou.Id as string, name: ou.Name as string, parentId: parent.id, path });
        queue.push({ id: ou.Id as string, path });
      }
    }
  }
  return { rootId, managementAccountId: org.MasterAccountId, organizationalUnits, accounts };
}

function accountOf(a: Account, parentId: string): InventoryAccount {
  return { id: a.Id as string, name: a.Name ?? '', email: a.Email ?? '', status: (a.State ?? a.Status ?? 'ACTIVE') as InventoryAccount['status'], parentId };
}

/** Every role of an account but the service-linked ones, with tags (exemptions by tag need them). */
async function readRoles(iam: IAMClient): Promise<{ roles: InventoryRole[] }> {
  const roles: InventoryRole[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const role of page.Roles ?? []) {
      if (role.Path?.startsWith('/aws-service-role/')) continue;
      roles.push({ arn: role.Arn as string, name: role.RoleName as string, path: role.Path ?? '/', tags: {}, trustPolicy: JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument ?? '')) });
    }
  }
  for (const role of roles) {
    for await (const page of paginateListRoleTags({ client: iam }, { RoleName: role.name })) {
      for (const tag of page.Tags ?? []) role.tags[tag.Key as string] = tag.Value ?? '';
    }
  }
  return { roles };
}

async function readAnalyzerRegion(client: AccessAnalyzerClient, accountId: string): Promise<Omit<Extract<AccessAnalyzerRegionState, { status: 'ok' }>, 'status'>> {
  const analyzers: Extract<AccessAnalyzerRegionState, { status: 'ok' }>['analyzers'] = [];
  for await (const page of paginateListAnalyzers({ client }, {})) {
    for (const a of page.analyzers ?? []) analyzers.push({ arn: a.arn as string, name: a.name as string, accountId, type: a.type as never, status: a.status as never });
  }
  const findings: AccessFinding[] = [];
  for (const analyzer of analyzers.filter((a) => a.status === 'ACTIVE' && (a.type === 'ORGANIZATION' || a.type === 'ACCOUNT'))) {
    for await (const page of paginateListFindings({ client }, { analyzerArn: analyzer.arn, filter: { status: { eq: ['ACTIVE', 'ARCHIVED'] } } })) {
      for (const f of page.findings ?? []) {
        findings.push({
          id: f.id as string, analyzerArn: analyzer.arn, resource: f.resource as string, resourceType: f.resourceType as string, resourceOwnerAccount: f.resourceOwnerAccount as string,
          status: f.status as AccessFinding['status'], principal: { ...(f.principal ?? {}) }, actions: [...(f.action ?? [])], condition: { ...(f.condition ?? {}) }, isPublic: f.isPublic ?? false,
        });
      }
    }
  }
  return { analyzers, findings };
}

/**
 * Collects what the PCI segmentation report needs. `clientsIn(region)` act as the Access Analyzer
 * administrator (a delegated administrator may read the organization) and assume the execution
 * role in the PCI accounts.
 */
export async function collectAccessInventory(desired: DesiredState, clientsIn: (region: string) => AccessClients, collectedAt: string): Promise<Inventory> {
  const clients = clientsIn(desired.homeRegion);
  const structure = await scoped(() => readStructure(clients.organizations()));
  const idByName = new Map(desired.organization.accounts.flatMap((a) => (a.id ? [[a.name, a.id] as const] : [])));
  if (structure.status === 'ok') {
    for (const a of desired.organization.accounts) {
      if (!idByName.has(a.name)) {
        const live = structure.accounts.find((l) => l.email.toLowerCase() === a.email.toLowerCase());
        if (live) idByName.set(a.name, live.id);
      }
    }
  }
  const pciIds = desired.organization.accounts.filter((a) => a.pci).flatMap((a) => (idByName.has(a.name) ? [idByName.get(a.name) as string] : []));
  const accounts: Inventory['accounts'] = {};
  for (const id of pciIds) accounts[id] = { regions: {}, iam: await scoped(() => readRoles(clients.iam(id))) };
  const regions: Inventory['accessAnalyzer']['regions'] = {};
  for (const region of desired.accessAnalyzer.regions) regions[region] = await scoped(() => readAnalyzerRegion(clientsIn(region).accessAnalyzer(), clients.options.homeAccountId));
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    collectedAt,
    metadata: {
      collector: 'rampart access segmentation', regions: [...desired.accessAnalyzer.regions],
      sources: [
        { scope: 'organizations.structure', via: 'aggregate', operations: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'], scopes: 1 },
        { scope: 'iam.account', via: 'per-account', operations: ['iam:ListRoles', 'iam:ListRoleTags'], scopes: pciIds.length },
        { scope: 'accessanalyzer.region', via: 'aggregate', operations: ['access-analyzer:ListFindings'], scopes: desired.accessAnalyzer.regions.length },
      ],
      callCounts: {},
    },
    organization: {
      structure,
      policies: { status: 'unknown', error: NOT_COLLECTED },
      trustedAccess: { status: 'unknown', error: NOT_COLLECTED },
      delegatedAdministrators: { status: 'unknown', error: NOT_COLLECTED },
    },
    securityHub: {},
    securityLake: { regions: {} },
    config: { conformancePacks: {} },
    accessAnalyzer: { regions },
    accounts,
  };
}
