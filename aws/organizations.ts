import {
  AttachPolicyCommand, CreateOrganizationalUnitCommand, CreatePolicyCommand, DeregisterDelegatedAdministratorCommand, DescribeOrganizationCommand,
  DescribePolicyCommand, EnableAWSServiceAccessCommand, MoveAccountCommand, OrganizationsClient, RegisterDelegatedAdministratorCommand, UpdatePolicyCommand,
  paginateListAccounts, paginateListAccountsForParent, paginateListAWSServiceAccessForOrganization, paginateListDelegatedAdministrators, paginateListDelegatedServicesForAccount,
  paginateListOrganizationalUnitsForParent, paginateListPolicies, paginateListRoots, paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import type { InventoryAccount, InventoryOu, InventoryPolicyDocument, InventoryScp, KnownScope, OrganizationStructure } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * AWS Organizations: the organization's structure, SCPs, trusted access and delegated
 * administrators, read from Rampart's home account (a delegated administrator that the
 * organization's resource policy lets read), and the organization-level writes remediation makes
 * through the organization role in the management account.
 */

const Organizations = OrganizationsClient as ClientConstructor<OrganizationsClient>;

function reader(clients: AwsClients): OrganizationsClient {
  return clients.client(Organizations, 'organizations', { account: clients.homeAccountId, region: clients.homeRegion });
}

function writer(clients: AwsClients, managementAccountId: string): OrganizationsClient {
  return clients.client(Organizations, 'organizations', { account: managementAccountId, region: clients.homeRegion, as: 'organization' });
}

type Data<S> = Omit<KnownScope<S>, 'status'>;

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Root, OUs (with their name paths) and accounts, walked breadth-first one level at a time. */
export async function readStructure(clients: AwsClients): Promise<Data<OrganizationStructure>> {
  const client = reader(clients);
  const [organization, roots] = await Promise.all([
    client.send(new DescribeOrganizationCommand({})),
    all(paginateListRoots({ client }, {})),
  ]);
  const rootId = roots.flatMap((p) => p.Roots ?? [])[0]?.Id;
  const managementAccountId = organization.Organization?.MasterAccountId;
  if (!rootId || !managementAccountId) throw new Error('the organization has no root or no management account');
  const organizationalUnits: InventoryOu[] = [];
  const accounts: InventoryAccount[] = [];
  let level = [{ id: rootId, path: '' }];
  while (level.length) {
    const children = await Promise.all(level.map(async (parent) => {
      const [ous, members] = await Promise.all([
        all(paginateListOrganizationalUnitsForParent({ client }, { ParentId: parent.id })),
        all(paginateListAccountsForParent({ client }, { ParentId: parent.id })),
      ]);
      for (const account of members.flatMap((p) => p.Accounts ?? [])) {
        accounts.push({
          id: account.Id as string, name: account.Name ?? '', email: account.Email ?? '', parentId: parent.id,
          status: (account.Status ?? 'ACTIVE') as InventoryAccount['status'],
        });
      }
      return ous.flatMap((p) => p.OrganizationalUnits ?? []).map((ou) => {
        const path = parent.path ? `${parent.path}/${ou.Name}` : (ou.Name as string);
        organizationalUnits.push({ id: ou.Id as string, name: ou.Name as string, parentId: parent.id, path });
        return { id: ou.Id as string, path };
      });
    }));
    level = children.flat();
  }
  return { rootId, managementAccountId, organizationalUnits, accounts };
}

/** Every SCP with its document and targets. */
export async function readPolicies(clients: AwsClients): Promise<{ serviceControlPolicies: InventoryScp[] }> {
  const client = reader(clients);
  const summaries = (await all(paginateListPolicies({ client }, { Filter: 'SERVICE_CONTROL_POLICY' }))).flatMap((p) => p.Policies ?? []);
  const serviceControlPolicies = await Promise.all(summaries.map(async (summary): Promise<InventoryScp> => {
    const [described, targets] = await Promise.all([
      client.send(new DescribePolicyCommand({ PolicyId: summary.Id })),
      all(paginateListTargetsForPolicy({ client }, { PolicyId: summary.Id })),
    ]);
    return {
      id: summary.Id as string, name: summary.Name as string, description: summary.Description ?? '', awsManaged: summary.AwsManaged ?? false,
      document: JSON.parse(described.Policy?.Content ?? '{"Statement":[]}') as InventoryPolicyDocument,
      targets: targets.flatMap((p) => p.Targets ?? []).map((t) => ({ targetId: t.TargetId as string, type: t.Type as 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' })),
    };
  }));
  return { serviceControlPolicies };
}

export async function readTrustedAccess(clients: AwsClients): Promise<{ servicePrincipals: string[] }> {
  const client = reader(clients);
  const pages = await all(paginateListAWSServiceAccessForOrganization({ client }, {}));
  return { servicePrincipals: pages.flatMap((p) => p.EnabledServicePrincipals ?? []).map((s) => s.ServicePrincipal as string) };
}

export async function readDelegatedAdministrators(clients: AwsClients): Promise<{ byServicePrincipal: Record<string, string[]> }> {
  const client = reader(clients);
  const admins = (await all(paginateListDelegatedAdministrators({ client }, {}))).flatMap((p) => p.DelegatedAdministrators ?? []);
  const byServicePrincipal: Record<string, string[]> = {};
  await Promise.all(admins.map(async (admin) => {
    const services = (await all(paginateListDelegatedServicesForAccount({ client }, { AccountId: admin.Id }))).flatMap((p) => p.DelegatedServices ?? []);
    for (const service of services) (byServicePrincipal[service.ServicePrincipal as string] ??= []).push(admin.Id as string);
  }));
  for (const list of Object.values(byServicePrincipal)) list.sort();
  return { byServicePrincipal };
}

// ---------------------------------------------------------------------------------------------
// Writes (management account, organization role)

export async function createOrganizationalUnit(clients: AwsClients, managementAccountId: string, parentId: string, name: string): Promise<string> {
  const out = await writer(clients, managementAccountId).send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }));
  return out.OrganizationalUnit?.Id as string;
}

export async function createPolicy(clients: AwsClients, managementAccountId: string, input: { name: string; description: string; document: unknown }): Promise<string> {
  const out = await writer(clients, managementAccountId).send(new CreatePolicyCommand({
    Name: input.name, Description: input.description, Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(input.document),
  }));
  return out.Policy?.PolicySummary?.Id as string;
}

export async function updatePolicy(clients: AwsClients, managementAccountId: string, policyId: string, document: unknown): Promise<void> {
  await writer(clients, managementAccountId).send(new UpdatePolicyCommand({ PolicyId: policyId, Content: JSON.stringify(document) }));
}

export async function attachPolicy(clients: AwsClients, managementAccountId: string, policyId: string, targetId: string): Promise<void> {
  try {
    await writer(clients, managementAccountId).send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
  } catch (error) {
    // Attached meanwhile: the write's effect is there.
    if ((error as Error).name !== 'DuplicatePolicyAttachmentException') throw error;
  }
}

export async function moveAccount(clients: AwsClients, managementAccountId: string, accountId: string, sourceParentId: string, destinationParentId: string): Promise<void> {
  await writer(clients, managementAccountId).send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: sourceParentId, DestinationParentId: destinationParentId }));
}

export async function enableServiceAccess(clients: AwsClients, managementAccountId: string, servicePrincipal: string): Promise<void> {
  await writer(clients, managementAccountId).send(new EnableAWSServiceAccessCommand({ ServicePrincipal: servicePrincipal }));
}

export async function registerDelegatedAdministrator(clients: AwsClients, managementAccountId: string, servicePrincipal: string, accountId: string): Promise<void> {
  try {
    await writer(clients, managementAccountId).send(new RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: servicePrincipal }));
  } catch (error) {
    if ((error as Error).name !== 'AccountAlreadyRegisteredException') throw error;
  }
}

export async function deregisterDelegatedAdministrator(clients: AwsClients, managementAccountId: string, servicePrincipal: string, accountId: string): Promise<void> {
  try {
    await writer(clients, managementAccountId).send(new DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: servicePrincipal }));
  } catch (error) {
    if ((error as Error).name !== 'AccountNotRegisteredException') throw error;
  }
}

/** Ids of accounts known by e-mail or name, listing the organization's accounts until every one is found. */
export async function findAccountIds(clients: AwsClients, wanted: { name: string; email: string }[]): Promise<Record<string, string>> {
  const client = reader(clients);
  const found: Record<string, string> = {};
  const byEmail = new Map(wanted.map((w) => [w.email.toLowerCase(), w.name]));
  const byName = new Map(wanted.map((w) => [w.name, w.name]));
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) {
      const name = byEmail.get((account.Email ?? '').toLowerCase()) ?? byName.get(account.Name ?? '');
      if (name && !found[name]) found[name] = account.Id as string;
    }
    if (Object.keys(found).length === wanted.length) break;
  }
  return found;
}

export async function describeManagementAccount(clients: AwsClients): Promise<string> {
  const out = await reader(clients).send(new DescribeOrganizationCommand({}));
  return out.Organization?.MasterAccountId as string;
}
