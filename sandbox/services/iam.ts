import type * as Iam from '@aws-sdk/client-iam';
import { AwsError } from '../errors';
import generated from '../models/iam.json';
import { serviceModel } from '../models/serviceModel';
import * as roles from '../state/iam';
import type { RoleRecord } from '../state/iam';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('iam', generated);

/** IAM returns policy documents URL-encoded (RFC 3986), as the API reference notes. */
function encodePolicy(document: string): string {
  return encodeURIComponent(document);
}

function roleOut(role: RoleRecord, detail: boolean): Iam.Role {
  return {
    Path: role.path, RoleName: role.name, RoleId: role.id, Arn: role.arn, CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodePolicy(role.assumeRolePolicy),
    ...(role.description !== undefined ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    // ListRoles leaves out PermissionsBoundary, RoleLastUsed and Tags (API reference).
    ...(detail && role.permissionsBoundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.permissionsBoundary } } : {}),
    ...(detail && role.tags.length ? { Tags: role.tags } : {}),
    ...(detail ? { RoleLastUsed: role.lastUsed ? { LastUsedDate: new Date(role.lastUsed.at), Region: role.lastUsed.region } : {} } : {}),
  };
}

function invalidMarker(): AwsError {
  return new AwsError('InvalidInputException', 'Invalid Marker.');
}

/** IAM's Marker/MaxItems/IsTruncated pagination. */
function page<T>(items: readonly T[], input: { Marker?: string; MaxItems?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  const { page: out, nextToken } = paginate(items, { operation: model.operations[ctx.operation], token: input.Marker, limit: input.MaxItems, invalidToken: invalidMarker, keyOf });
  return { items: out, IsTruncated: nextToken !== undefined, ...(nextToken ? { Marker: nextToken } : {}) };
}

const handlers = {
  CreateRole(input: Iam.CreateRoleRequest, ctx: CallContext): Iam.CreateRoleResponse {
    const role = roles.createRole(ctx.state, ctx.account, {
      name: input.RoleName as string, path: input.Path, assumeRolePolicy: input.AssumeRolePolicyDocument as string,
      description: input.Description, maxSessionDuration: input.MaxSessionDuration, permissionsBoundary: input.PermissionsBoundary,
      tags: input.Tags as roles.IamTag[] | undefined,
    }, ctx.clock.now(), ctx.random);
    const out = roleOut(role, true);
    delete out.RoleLastUsed;
    return { Role: out };
  },

  GetRole(input: Iam.GetRoleRequest, ctx: CallContext): Iam.GetRoleResponse {
    return { Role: roleOut(roles.requireRole(ctx.state, ctx.account, input.RoleName as string), true) };
  },

  ListRoles(input: Iam.ListRolesRequest, ctx: CallContext): Iam.ListRolesResponse {
    const { items, ...rest } = page(roles.listRoles(ctx.state, ctx.account, input.PathPrefix ?? '/'), input, ctx, (r) => r.name);
    return { Roles: items.map((r) => roleOut(r, false)), ...rest };
  },

  DeleteRole(input: Iam.DeleteRoleRequest, ctx: CallContext): Record<string, never> {
    roles.deleteRole(ctx.state, ctx.account, input.RoleName as string);
    return {};
  },

  UpdateAssumeRolePolicy(input: Iam.UpdateAssumeRolePolicyRequest, ctx: CallContext): Record<string, never> {
    roles.updateAssumeRolePolicy(ctx.state, ctx.account, input.RoleName as string, input.PolicyDocument as string);
    return {};
  },

  TagRole(input: Iam.TagRoleRequest, ctx: CallContext): Record<string, never> {
    roles.tagRole(ctx.state, ctx.account, input.RoleName as string, input.Tags as roles.IamTag[]);
    return {};
  },

  UntagRole(input: Iam.UntagRoleRequest, ctx: CallContext): Record<string, never> {
    roles.untagRole(ctx.state, ctx.account, input.RoleName as string, input.TagKeys as string[]);
    return {};
  },

  ListRoleTags(input: Iam.ListRoleTagsRequest, ctx: CallContext): Iam.ListRoleTagsResponse {
    const role = roles.requireRole(ctx.state, ctx.account, input.RoleName as string);
    const { items, ...rest } = page(role.tags, input, ctx, (t) => t.Key);
    return { Tags: items, ...rest };
  },

  PutRolePolicy(input: Iam.PutRolePolicyRequest, ctx: CallContext): Record<string, never> {
    roles.putRolePolicy(ctx.state, ctx.account, input.RoleName as string, input.PolicyName as string, input.PolicyDocument as string);
    return {};
  },

  GetRolePolicy(input: Iam.GetRolePolicyRequest, ctx: CallContext): Iam.GetRolePolicyResponse {
    const role = roles.requireRole(ctx.state, ctx.account, input.RoleName as string);
    const document = role.inlinePolicies[input.PolicyName as string];
    if (document === undefined) throw new AwsError('NoSuchEntityException', `The role policy with name ${input.PolicyName} cannot be found.`);
    return { RoleName: role.name, PolicyName: input.PolicyName, PolicyDocument: encodePolicy(document) };
  },

  ListRolePolicies(input: Iam.ListRolePoliciesRequest, ctx: CallContext): Iam.ListRolePoliciesResponse {
    const role = roles.requireRole(ctx.state, ctx.account, input.RoleName as string);
    const { items, ...rest } = page(Object.keys(role.inlinePolicies).sort(), input, ctx, (n) => n);
    return { PolicyNames: items, ...rest };
  },

  DeleteRolePolicy(input: Iam.DeleteRolePolicyRequest, ctx: CallContext): Record<string, never> {
    roles.deleteRolePolicy(ctx.state, ctx.account, input.RoleName as string, input.PolicyName as string);
    return {};
  },

  AttachRolePolicy(input: Iam.AttachRolePolicyRequest, ctx: CallContext): Record<string, never> {
    roles.attachRolePolicy(ctx.state, ctx.account, input.RoleName as string, input.PolicyArn as string);
    return {};
  },

  DetachRolePolicy(input: Iam.DetachRolePolicyRequest, ctx: CallContext): Record<string, never> {
    roles.detachRolePolicy(ctx.state, ctx.account, input.RoleName as string, input.PolicyArn as string);
    return {};
  },

  ListAttachedRolePolicies(input: Iam.ListAttachedRolePoliciesRequest, ctx: CallContext): Iam.ListAttachedRolePoliciesResponse {
    const role = roles.requireRole(ctx.state, ctx.account, input.RoleName as string);
    const prefix = input.PathPrefix ?? '/';
    const attached = role.attachedPolicies.filter((p) => {
      const path = /^arn:aws:iam::[^:]+:policy(\/.*\/|\/)[^/]+$/.exec(p.PolicyArn)?.[1] ?? '/';
      return path.startsWith(prefix);
    });
    const { items, ...rest } = page(attached, input, ctx, (p) => p.PolicyArn);
    return { AttachedPolicies: items, ...rest };
  },
};

/** AWS IAM roles of each account: trust policies, inline and managed policies, tags, with IAM's quotas. */
export const iamService: ServiceDefinition = {
  model,
  actionPrefix: 'iam',
  global: true,
  errors: protocolErrors('query'),
  operations: handlers,
};
