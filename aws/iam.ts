import { CreateRoleCommand, GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand, paginateListRoles, paginateListRoleTags } from '@aws-sdk/client-iam';
import type { InventoryPolicyDocument, InventoryRole } from '../engine/inventory';
import type { AwsClients, ClientConstructor } from './clients';

/**
 * IAM in one account: its roles with path, tags and trust policy (what an access-boundary check
 * reads), and the one change remediation makes to a role: a Deny statement in its trust policy.
 */

const Iam = IAMClient as ClientConstructor<IAMClient>;
/** IAM is global; its endpoint is in us-east-1. */
const IAM_REGION = 'us-east-1';

function iamClient(clients: AwsClients, accountId: string): IAMClient {
  return clients.client(Iam, 'iam', { account: accountId, region: IAM_REGION });
}

function trustPolicyOf(encoded: string | undefined): InventoryPolicyDocument {
  return JSON.parse(decodeURIComponent(encoded ?? '%7B%22Statement%22%3A%5B%5D%7D')) as InventoryPolicyDocument;
}

/** Every role but the service-linked ones (AWS manages those and their trust). */
export async function readRoles(clients: AwsClients, accountId: string): Promise<InventoryRole[]> {
  const client = iamClient(clients, accountId);
  const roles: InventoryRole[] = [];
  for await (const page of paginateListRoles({ client }, {})) {
    for (const role of page.Roles ?? []) {
      if (role.Path?.startsWith('/aws-service-role/')) continue;
      roles.push({ arn: role.Arn as string, name: role.RoleName as string, path: role.Path ?? '/', tags: {}, trustPolicy: trustPolicyOf(role.AssumeRolePolicyDocument) });
    }
  }
  // ListRoles leaves tags out; exemptions by tag need them.
  await Promise.all(roles.map(async (role) => {
    for await (const page of paginateListRoleTags({ client }, { RoleName: role.name })) {
      for (const tag of page.Tags ?? []) role.tags[tag.Key as string] = tag.Value ?? '';
    }
  }));
  return roles;
}

export interface DenyStatement {
  sid: string;
  principal: Record<string, string | string[]>;
  actions: string[];
}

/**
 * Adds a Deny statement to a role's trust policy, unless a statement with its Sid is there
 * already (the write is idempotent: a retried or repeated action changes nothing).
 */
export async function addTrustDeny(clients: AwsClients, accountId: string, roleName: string, deny: DenyStatement): Promise<void> {
  const client = iamClient(clients, accountId);
  const role = await client.send(new GetRoleCommand({ RoleName: roleName }));
  const policy = trustPolicyOf(role.Role?.AssumeRolePolicyDocument);
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  if (statements.some((s) => s.Sid === deny.sid)) return;
  const document = {
    ...policy,
    Version: policy.Version ?? '2012-10-17',
    Statement: [...statements, { Sid: deny.sid, Effect: 'Deny', Principal: deny.principal, Action: deny.actions.length === 1 ? deny.actions[0] : deny.actions }],
  };
  await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(document) }));
}

/** Creates a role in the home account of `clients` if it is not there (a local deployment of what the stacks create). */
export async function ensureRole(clients: AwsClients, role: { name: string; path: string; trustPolicy: unknown; description?: string; maxSessionSeconds?: number }): Promise<void> {
  const client = iamClient(clients, clients.homeAccountId);
  try {
    await client.send(new CreateRoleCommand({
      RoleName: role.name, Path: role.path, AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy), ...(role.description ? { Description: role.description } : {}),
      ...(role.maxSessionSeconds ? { MaxSessionDuration: role.maxSessionSeconds } : {}),
    }));
  } catch (error) {
    if ((error as Error).name !== 'EntityAlreadyExistsException') throw error;
  }
}
