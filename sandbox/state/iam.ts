import { parsePolicyDocument, policySizeWithoutWhitespace } from '../auth/policyDocument';
import { AwsError } from '../errors';
import type { SeededRandom } from '../random';
import { defineSlot, type SandboxState } from './sandboxState';

export interface IamTag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  /** ISO 8601. */
  createdAt: string;
  /** The trust policy as the caller sent it (decoded JSON text). */
  assumeRolePolicy: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  inlinePolicies: Record<string, string>;
  attachedPolicies: { PolicyName: string; PolicyArn: string }[];
  lastUsed?: { at: string; region: string };
}

export interface IamAccountState {
  /** Lower-case role name → role (IAM role names are unique regardless of case). */
  roles: Record<string, RoleRecord>;
}

export const iamSlot = defineSlot<IamAccountState>('iam', () => ({ roles: {} }), { global: true });

/** IAM quotas ("IAM and AWS STS quotas"); the adjustable ones can be raised per account with SandboxState.setQuota. */
export const IAM_QUOTAS = {
  /** Role trust policy length, without white space: default 2,048, adjustable to 4,096. */
  roleTrustPolicyLength: { code: 'iam.RoleTrustPolicyLength', default: 2048, max: 4096 },
  rolesPerAccount: { code: 'iam.RolesPerAccount', default: 1000, max: 5000 },
  managedPoliciesPerRole: { code: 'iam.ManagedPoliciesPerRole', default: 10, max: 20 },
  /** Aggregate inline policy size per role, without white space (not adjustable). */
  inlinePolicySizePerRole: 10240,
  tagsPerRole: 50,
} as const;

export function findRole(state: SandboxState, account: string, roleName: string): RoleRecord | undefined {
  return state.find(iamSlot, account, 'global')?.roles[roleName.toLowerCase()];
}

export function requireRole(state: SandboxState, account: string, roleName: string): RoleRecord {
  const role = findRole(state, account, roleName);
  if (!role) throw new AwsError('NoSuchEntityException', `The role with name ${roleName} cannot be found.`);
  return role;
}

export function roleArn(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:role${path}${name}`;
}

function checkTrustPolicy(state: SandboxState, account: string, text: string): void {
  const { problem } = parsePolicyDocument(text, 'trust');
  if (problem) throw new AwsError('MalformedPolicyDocumentException', problem);
  const quota = state.quota(account, IAM_QUOTAS.roleTrustPolicyLength.code, IAM_QUOTAS.roleTrustPolicyLength.default);
  if (policySizeWithoutWhitespace(text) > quota) throw new AwsError('LimitExceededException', `Cannot exceed quota for ACLSizePerRole: ${quota}`);
}

function checkTags(tags: IamTag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (keys.has(key)) throw new AwsError('InvalidInputException', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(key);
  }
}

export function createRole(
  state: SandboxState,
  account: string,
  input: { name: string; path?: string; assumeRolePolicy: string; description?: string; maxSessionDuration?: number; permissionsBoundary?: string; tags?: IamTag[] },
  now: Date,
  random: SeededRandom,
): RoleRecord {
  const iam = state.get(iamSlot, account, 'global');
  if (iam.roles[input.name.toLowerCase()]) throw new AwsError('EntityAlreadyExistsException', `Role with name ${input.name} already exists.`);
  const roleQuota = state.quota(account, IAM_QUOTAS.rolesPerAccount.code, IAM_QUOTAS.rolesPerAccount.default);
  if (Object.keys(iam.roles).length >= roleQuota) throw new AwsError('LimitExceededException', `Cannot exceed quota for RolesPerAccount: ${roleQuota}`);
  checkTrustPolicy(state, account, input.assumeRolePolicy);
  const tags = input.tags ?? [];
  checkTags(tags);
  if (tags.length > IAM_QUOTAS.tagsPerRole) throw new AwsError('LimitExceededException', `The number of tags has reached the maximum limit of ${IAM_QUOTAS.tagsPerRole}.`);
  if (input.permissionsBoundary && !/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(input.permissionsBoundary)) {
    throw new AwsError('InvalidInputException', `ARN ${input.permissionsBoundary} is not valid.`);
  }
  const path = input.path ?? '/';
  const role: RoleRecord = {
    name: input.name,
    path,
    id: `AROA${random.upperAlnum(17)}`,
    arn: roleArn(account, path, input.name),
    createdAt: now.toISOString(),
    assumeRolePolicy: input.assumeRolePolicy,
    description: input.description,
    maxSessionDuration: input.maxSessionDuration ?? 3600,
    permissionsBoundary: input.permissionsBoundary,
    tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    inlinePolicies: {},
    attachedPolicies: [],
  };
  iam.roles[input.name.toLowerCase()] = role;
  return role;
}

export function deleteRole(state: SandboxState, account: string, roleName: string): void {
  const role = requireRole(state, account, roleName);
  if (role.attachedPolicies.length > 0) throw new AwsError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inlinePolicies).length > 0) throw new AwsError('DeleteConflictException', 'Cannot delete entity, must delete policies first.');
  delete state.get(iamSlot, account, 'global').roles[roleName.toLowerCase()];
}

export function updateAssumeRolePolicy(state: SandboxState, account: string, roleName: string, policy: string): void {
  const role = requireRole(state, account, roleName);
  checkTrustPolicy(state, account, policy);
  role.assumeRolePolicy = policy;
}

export function tagRole(state: SandboxState, account: string, roleName: string, tags: IamTag[]): void {
  const role = requireRole(state, account, roleName);
  checkTags(tags);
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  const merged = role.tags.filter((t) => !keys.has(t.Key.toLowerCase())).concat(tags.map((t) => ({ Key: t.Key, Value: t.Value })));
  if (merged.length > IAM_QUOTAS.tagsPerRole) throw new AwsError('LimitExceededException', `The number of tags has reached the maximum limit of ${IAM_QUOTAS.tagsPerRole}.`);
  role.tags = merged;
}

export function untagRole(state: SandboxState, account: string, roleName: string, keys: string[]): void {
  const role = requireRole(state, account, roleName);
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  role.tags = role.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
}

export function putRolePolicy(state: SandboxState, account: string, roleName: string, policyName: string, document: string): void {
  const role = requireRole(state, account, roleName);
  const { problem } = parsePolicyDocument(document, 'identity');
  if (problem) throw new AwsError('MalformedPolicyDocumentException', problem);
  const others = Object.entries(role.inlinePolicies).filter(([name]) => name !== policyName);
  const total = others.reduce((sum, [, text]) => sum + policySizeWithoutWhitespace(text), 0) + policySizeWithoutWhitespace(document);
  if (total > IAM_QUOTAS.inlinePolicySizePerRole) {
    throw new AwsError('LimitExceededException', `Maximum policy size of ${IAM_QUOTAS.inlinePolicySizePerRole} bytes exceeded for role ${role.name}`);
  }
  role.inlinePolicies[policyName] = document;
}

export function deleteRolePolicy(state: SandboxState, account: string, roleName: string, policyName: string): void {
  const role = requireRole(state, account, roleName);
  if (role.inlinePolicies[policyName] === undefined) throw new AwsError('NoSuchEntityException', `The role policy with name ${policyName} cannot be found.`);
  delete role.inlinePolicies[policyName];
}

/**
 * Attaches a managed policy. FakeAws has no CreatePolicy, so AWS-managed policy ARNs
 * (`arn:aws:iam::aws:policy/...`) are taken to exist and customer-managed ones do not.
 */
export function attachRolePolicy(state: SandboxState, account: string, roleName: string, policyArn: string): void {
  const role = requireRole(state, account, roleName);
  const match = /^arn:aws:iam::(aws|\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(policyArn);
  if (!match) throw new AwsError('InvalidInputException', `ARN ${policyArn} is not valid.`);
  if (match[1] !== 'aws') throw new AwsError('NoSuchEntityException', `Policy ${policyArn} does not exist or is not attachable.`);
  if (role.attachedPolicies.some((p) => p.PolicyArn === policyArn)) return;
  const quota = state.quota(account, IAM_QUOTAS.managedPoliciesPerRole.code, IAM_QUOTAS.managedPoliciesPerRole.default);
  if (role.attachedPolicies.length >= quota) throw new AwsError('LimitExceededException', `Cannot exceed quota for PoliciesPerRole: ${quota}`);
  role.attachedPolicies.push({ PolicyName: match[2], PolicyArn: policyArn });
}

export function detachRolePolicy(state: SandboxState, account: string, roleName: string, policyArn: string): void {
  const role = requireRole(state, account, roleName);
  const at = role.attachedPolicies.findIndex((p) => p.PolicyArn === policyArn);
  if (at < 0) throw new AwsError('NoSuchEntityException', `Policy ${policyArn} was not found.`);
  role.attachedPolicies.splice(at, 1);
}

/** Roles of an account in name order, as ListRoles returns them. */
export function listRoles(state: SandboxState, account: string, pathPrefix = '/'): RoleRecord[] {
  const roles = Object.values(state.find(iamSlot, account, 'global')?.roles ?? {});
  return roles.filter((r) => r.path.startsWith(pathPrefix)).sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}
