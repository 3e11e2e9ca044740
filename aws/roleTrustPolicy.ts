import { GetRoleCommand, UpdateAssumeRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { RoleSnapshot } from '../engine/accessResolution';

/** One IAM role's trust policy: read it (with path and tags) and replace it. */

/** The role as IAM stores it now; null when it does not exist. IAM returns the policy URL-encoded. */
export async function readRole(iam: IAMClient, roleName: string): Promise<RoleSnapshot | null> {
  try {
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    if (!role?.Arn || !role.AssumeRolePolicyDocument) throw new Error(`GetRole ${roleName} returned no role or trust policy`);
    return {
      arn: role.Arn, name: role.RoleName ?? roleName, path: role.Path ?? '/',
      tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      trustPolicy: decodeURIComponent(role.AssumeRolePolicyDocument),
    };
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return null;
    throw error;
  }
}

export async function writeTrustPolicy(iam: IAMClient, roleName: string, policyText: string): Promise<void> {
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: policyText }));
}
