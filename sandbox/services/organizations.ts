import type * as Org from '@aws-sdk/client-organizations';
import { AwsError } from '../errors';
import generated from '../models/organizations.json';
import { serviceModel } from '../models/serviceModel';
import { violationMessage, type Violation } from '../models/validate';
import { attachRolePolicy, createRole } from '../state/iam';
import { ORGANIZATIONS_QUOTAS, type AccountRecord, type Organization, type OuRecord, type PolicyRecord } from '../state/organization';
import { paginate } from './paging';
import { protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('organizations', generated);

/** Any member account may call these. */
const ANY_MEMBER = new Set(['DescribeOrganization']);
/** "You can only call this operation from the management account." (API reference, per operation) */
const MANAGEMENT_ONLY = new Set([
  'CreateOrganizationalUnit', 'UpdateOrganizationalUnit', 'DeleteOrganizationalUnit', 'MoveAccount', 'CreateAccount',
  'RemoveAccountFromOrganization', 'EnableAWSServiceAccess', 'DisableAWSServiceAccess', 'RegisterDelegatedAdministrator',
  'DeregisterDelegatedAdministrator',
]);
/**
 * Writes the reference allows to "a member account that is a delegated administrator" mean a
 * delegated administrator for Organizations policy management (a resource-based delegation
 * policy), which FakeAws does not model; only the management account may make them.
 */
const POLICY_WRITES = new Set(['CreatePolicy', 'UpdatePolicy', 'DeletePolicy', 'AttachPolicy', 'DetachPolicy', 'EnablePolicyType', 'DisablePolicyType', 'TagResource', 'UntagResource']);

/** Quota code for accounts per organization (Service Quotas), held on the management account. */
export const ACCOUNTS_QUOTA = 'organizations.Accounts';

const INVALID_INPUT_REASONS: Record<Violation['kind'], string> = {
  required: 'INPUT_REQUIRED',
  enum: 'INVALID_ENUM',
  minLength: 'MIN_LENGTH_EXCEEDED',
  maxLength: 'MAX_LENGTH_EXCEEDED',
  minValue: 'MIN_VALUE_EXCEEDED',
  maxValue: 'MAX_VALUE_EXCEEDED',
  pattern: 'INVALID_PATTERN',
};

function org(ctx: CallContext): Organization {
  const organization = ctx.state.organization;
  if (!organization || !organization.account(ctx.account)) {
    throw new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  return organization;
}

function invalidToken(): AwsError {
  return new AwsError('InvalidInputException', 'The NextToken value is not valid.', { fields: { Reason: 'INVALID_NEXT_TOKEN' } });
}

function page<T>(items: readonly T[], input: { NextToken?: string; MaxResults?: number }, ctx: CallContext, keyOf?: (item: T) => string) {
  return paginate(items, { operation: model.operations[ctx.operation], token: input.NextToken, limit: input.MaxResults, invalidToken, keyOf });
}

/** The deprecated account Status, derived from the account State. */
function accountStatus(state: AccountRecord['state']): Org.AccountStatus {
  if (state === 'PENDING_CLOSURE') return 'PENDING_CLOSURE';
  if (state === 'SUSPENDED' || state === 'CLOSED') return 'SUSPENDED';
  return 'ACTIVE';
}

function accountOut(o: Organization, account: AccountRecord): Org.Account {
  return {
    Id: account.id, Arn: o.accountArn(account.id), Email: account.email, Name: account.name,
    Status: accountStatus(account.state), State: account.state, Paths: [o.path(account.id)],
    JoinedMethod: account.joinedMethod, JoinedTimestamp: new Date(account.joinedAt),
  };
}

function ouOut(o: Organization, ou: OuRecord): Org.OrganizationalUnit {
  return { Id: ou.id, Arn: o.ouArn(ou.id), Name: ou.name, Path: o.path(ou.id) };
}

function rootOut(o: Organization): Org.Root {
  return {
    Id: o.rootId, Arn: o.rootArn(), Name: o.data.root.name,
    PolicyTypes: o.data.root.enabledPolicyTypes.map((Type) => ({ Type: Type as Org.PolicyType, Status: 'ENABLED' })),
  };
}

function policySummary(o: Organization, policy: PolicyRecord): Org.PolicySummary {
  return {
    Id: policy.id, Arn: o.policyArn(policy), Name: policy.name, Description: policy.description,
    Type: policy.type as Org.PolicyType, AwsManaged: policy.awsManaged,
  };
}

function requireAccount(o: Organization, accountId: string): AccountRecord {
  const account = o.account(accountId);
  if (!account) throw new AwsError('AccountNotFoundException', 'You specified an account that doesn\'t exist.');
  return account;
}

function requireParent(o: Organization, parentId: string): void {
  if (!o.isParent(parentId)) throw new AwsError('ParentNotFoundException', 'We can\'t find a root or OU with the ParentId that you specified.');
}

const handlers = {
  DescribeOrganization(_input: unknown, ctx: CallContext): Org.DescribeOrganizationResponse {
    const o = org(ctx);
    const management = o.account(o.managementAccountId);
    return {
      Organization: {
        Id: o.id, Arn: o.arn, FeatureSet: 'ALL',
        MasterAccountArn: o.accountArn(o.managementAccountId), MasterAccountId: o.managementAccountId, MasterAccountEmail: management?.email ?? o.data.managementEmail,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    };
  },

  ListRoots(input: Org.ListRootsRequest, ctx: CallContext): Org.ListRootsResponse {
    const o = org(ctx);
    const { page: roots, nextToken } = page([rootOut(o)], input, ctx);
    return { Roots: roots, NextToken: nextToken };
  },

  ListOrganizationalUnitsForParent(input: Org.ListOrganizationalUnitsForParentRequest, ctx: CallContext): Org.ListOrganizationalUnitsForParentResponse {
    const o = org(ctx);
    requireParent(o, input.ParentId as string);
    const { page: ids, nextToken } = page(o.childOus(input.ParentId as string), input, ctx, (id) => id);
    return { OrganizationalUnits: ids.map((id) => ouOut(o, o.ou(id) as OuRecord)), NextToken: nextToken };
  },

  ListChildren(input: Org.ListChildrenRequest, ctx: CallContext): Org.ListChildrenResponse {
    const o = org(ctx);
    requireParent(o, input.ParentId as string);
    const ids = input.ChildType === 'ACCOUNT' ? o.childAccounts(input.ParentId as string) : o.childOus(input.ParentId as string);
    const { page: children, nextToken } = page(ids, input, ctx, (id) => id);
    return { Children: children.map((Id) => ({ Id, Type: input.ChildType })), NextToken: nextToken };
  },

  ListParents(input: Org.ListParentsRequest, ctx: CallContext): Org.ListParentsResponse {
    const o = org(ctx);
    const parent = o.parentOf(input.ChildId as string);
    if (!parent) throw new AwsError('ChildNotFoundException', 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.');
    const { page: parents, nextToken } = page([parent], input, ctx);
    return { Parents: parents.map((Id) => ({ Id, Type: Id === o.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' })), NextToken: nextToken };
  },

  DescribeOrganizationalUnit(input: Org.DescribeOrganizationalUnitRequest, ctx: CallContext): Org.DescribeOrganizationalUnitResponse {
    const o = org(ctx);
    return { OrganizationalUnit: ouOut(o, o.requireOu(input.OrganizationalUnitId as string)) };
  },

  CreateOrganizationalUnit(input: Org.CreateOrganizationalUnitRequest, ctx: CallContext): Org.CreateOrganizationalUnitResponse {
    const o = org(ctx);
    const ou = o.createOu(input.ParentId as string, input.Name as string, ctx.random);
    if (input.Tags?.length) o.tagResource(ou.id, input.Tags as { Key: string; Value: string }[]);
    return { OrganizationalUnit: ouOut(o, ou) };
  },

  UpdateOrganizationalUnit(input: Org.UpdateOrganizationalUnitRequest, ctx: CallContext): Org.UpdateOrganizationalUnitResponse {
    const o = org(ctx);
    const ou = input.Name === undefined ? o.requireOu(input.OrganizationalUnitId as string) : o.renameOu(input.OrganizationalUnitId as string, input.Name);
    return { OrganizationalUnit: ouOut(o, ou) };
  },

  DeleteOrganizationalUnit(input: Org.DeleteOrganizationalUnitRequest, ctx: CallContext): Record<string, never> {
    org(ctx).deleteOu(input.OrganizationalUnitId as string);
    return {};
  },

  ListAccounts(input: Org.ListAccountsRequest, ctx: CallContext): Org.ListAccountsResponse {
    const o = org(ctx);
    const { page: accounts, nextToken } = page(o.accounts(), input, ctx, (a) => a.id);
    return { Accounts: accounts.map((a) => accountOut(o, a)), NextToken: nextToken };
  },

  ListAccountsForParent(input: Org.ListAccountsForParentRequest, ctx: CallContext): Org.ListAccountsForParentResponse {
    const o = org(ctx);
    requireParent(o, input.ParentId as string);
    const { page: ids, nextToken } = page(o.childAccounts(input.ParentId as string), input, ctx, (id) => id);
    return { Accounts: ids.map((id) => accountOut(o, o.account(id) as AccountRecord)), NextToken: nextToken };
  },

  DescribeAccount(input: Org.DescribeAccountRequest, ctx: CallContext): Org.DescribeAccountResponse {
    const o = org(ctx);
    return { Account: accountOut(o, requireAccount(o, input.AccountId as string)) };
  },

  MoveAccount(input: Org.MoveAccountRequest, ctx: CallContext): Record<string, never> {
    org(ctx).moveAccount(input.AccountId as string, input.SourceParentId as string, input.DestinationParentId as string);
    return {};
  },

  /**
   * Creates the account at once (AWS takes minutes): the response says IN_PROGRESS, as AWS's does,
   * and DescribeCreateAccountStatus then reports SUCCEEDED with the new account id. The account
   * gets the access role (OrganizationAccountAccessRole by default) trusting the management account.
   */
  CreateAccount(input: Org.CreateAccountRequest, ctx: CallContext): Org.CreateAccountResponse {
    const o = org(ctx);
    const now = ctx.clock.now();
    const quota = ctx.state.quota(o.managementAccountId, ACCOUNTS_QUOTA, ORGANIZATIONS_QUOTAS.accounts);
    if (o.accounts().length >= quota) {
      throw new AwsError('ConstraintViolationException', `You have reached the limit of ${quota} accounts in the organization.`, { fields: { Reason: 'ACCOUNT_NUMBER_LIMIT_EXCEEDED' } });
    }
    const requestId = `car-${ctx.random.lowerAlnum(32)}`;
    const status = { id: requestId, accountName: input.AccountName as string, requestedAt: now.toISOString() };
    if (o.accounts().some((a) => a.email.toLowerCase() === (input.Email as string).toLowerCase())) {
      o.data.createAccountStatuses[requestId] = { ...status, state: 'FAILED', completedAt: now.toISOString(), failureReason: 'EMAIL_ALREADY_EXISTS' };
    } else {
      let accountId = ctx.random.digits(12);
      while (o.account(accountId) || accountId.startsWith('0')) accountId = ctx.random.digits(12);
      o.addAccount({ id: accountId, name: input.AccountName as string, email: input.Email as string, parentId: o.rootId, joinedMethod: 'CREATED' }, now);
      if (input.Tags?.length) o.tagResource(accountId, input.Tags as { Key: string; Value: string }[]);
      const roleName = input.RoleName ?? 'OrganizationAccountAccessRole';
      createRole(ctx.state, accountId, {
        name: roleName,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${o.managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
        }),
      }, now, ctx.random);
      attachRolePolicy(ctx.state, accountId, roleName, 'arn:aws:iam::aws:policy/AdministratorAccess');
      o.data.createAccountStatuses[requestId] = { ...status, state: 'SUCCEEDED', completedAt: now.toISOString(), accountId };
    }
    return { CreateAccountStatus: { Id: requestId, AccountName: status.accountName, State: 'IN_PROGRESS', RequestedTimestamp: now } };
  },

  DescribeCreateAccountStatus(input: Org.DescribeCreateAccountStatusRequest, ctx: CallContext): Org.DescribeCreateAccountStatusResponse {
    const record = org(ctx).data.createAccountStatuses[input.CreateAccountRequestId as string];
    if (!record) throw new AwsError('CreateAccountStatusNotFoundException', 'We can\'t find a create account request with the CreateAccountRequestId that you specified.');
    return {
      CreateAccountStatus: {
        Id: record.id, AccountName: record.accountName, State: record.state, RequestedTimestamp: new Date(record.requestedAt),
        CompletedTimestamp: record.completedAt ? new Date(record.completedAt) : undefined, AccountId: record.accountId,
        FailureReason: record.failureReason as Org.CreateAccountFailureReason | undefined,
      },
    };
  },

  RemoveAccountFromOrganization(input: Org.RemoveAccountFromOrganizationRequest, ctx: CallContext): Record<string, never> {
    org(ctx).removeAccount(input.AccountId as string);
    return {};
  },

  ListPolicies(input: Org.ListPoliciesRequest, ctx: CallContext): Org.ListPoliciesResponse {
    const o = org(ctx);
    const policies = Object.values(o.data.policies).filter((p) => p.type === input.Filter);
    const { page: items, nextToken } = page(policies, input, ctx, (p) => p.id);
    return { Policies: items.map((p) => policySummary(o, p)), NextToken: nextToken };
  },

  DescribePolicy(input: Org.DescribePolicyRequest, ctx: CallContext): Org.DescribePolicyResponse {
    const o = org(ctx);
    const policy = o.requirePolicy(input.PolicyId as string);
    return { Policy: { PolicySummary: policySummary(o, policy), Content: policy.content } };
  },

  CreatePolicy(input: Org.CreatePolicyRequest, ctx: CallContext): Org.CreatePolicyResponse {
    const o = org(ctx);
    const policy = o.createPolicy({ name: input.Name as string, description: input.Description as string, type: input.Type as string, content: input.Content as string }, ctx.random);
    if (input.Tags?.length) o.tagResource(policy.id, input.Tags as { Key: string; Value: string }[]);
    return { Policy: { PolicySummary: policySummary(o, policy), Content: policy.content } };
  },

  UpdatePolicy(input: Org.UpdatePolicyRequest, ctx: CallContext): Org.UpdatePolicyResponse {
    const o = org(ctx);
    const policy = o.updatePolicy(input.PolicyId as string, { name: input.Name, description: input.Description, content: input.Content });
    return { Policy: { PolicySummary: policySummary(o, policy), Content: policy.content } };
  },

  DeletePolicy(input: Org.DeletePolicyRequest, ctx: CallContext): Record<string, never> {
    org(ctx).deletePolicy(input.PolicyId as string);
    return {};
  },

  AttachPolicy(input: Org.AttachPolicyRequest, ctx: CallContext): Record<string, never> {
    org(ctx).attachPolicy(input.PolicyId as string, input.TargetId as string);
    return {};
  },

  DetachPolicy(input: Org.DetachPolicyRequest, ctx: CallContext): Record<string, never> {
    org(ctx).detachPolicy(input.PolicyId as string, input.TargetId as string);
    return {};
  },

  ListTargetsForPolicy(input: Org.ListTargetsForPolicyRequest, ctx: CallContext): Org.ListTargetsForPolicyResponse {
    const o = org(ctx);
    o.requirePolicy(input.PolicyId as string);
    const { page: targets, nextToken } = page(o.targetsForPolicy(input.PolicyId as string), input, ctx, (id) => id);
    return {
      Targets: targets.map((id) => ({ TargetId: id, Arn: o.targetArn(id), Name: o.targetName(id), Type: o.targetKind(id) })),
      NextToken: nextToken,
    };
  },

  ListPoliciesForTarget(input: Org.ListPoliciesForTargetRequest, ctx: CallContext): Org.ListPoliciesForTargetResponse {
    const o = org(ctx);
    o.requireTarget(input.TargetId as string);
    const { page: policies, nextToken } = page(o.attachedPolicies(input.TargetId as string, input.Filter), input, ctx, (p) => p.id);
    return { Policies: policies.map((p) => policySummary(o, p)), NextToken: nextToken };
  },

  EnablePolicyType(input: Org.EnablePolicyTypeRequest, ctx: CallContext): Org.EnablePolicyTypeResponse {
    const o = org(ctx);
    o.enablePolicyType(input.RootId as string, input.PolicyType as string);
    return { Root: rootOut(o) };
  },

  DisablePolicyType(input: Org.DisablePolicyTypeRequest, ctx: CallContext): Org.DisablePolicyTypeResponse {
    const o = org(ctx);
    o.disablePolicyType(input.RootId as string, input.PolicyType as string);
    return { Root: rootOut(o) };
  },

  EnableAWSServiceAccess(input: Org.EnableAWSServiceAccessRequest, ctx: CallContext): Record<string, never> {
    org(ctx).enableServiceAccess(input.ServicePrincipal as string, ctx.clock.now());
    return {};
  },

  DisableAWSServiceAccess(input: Org.DisableAWSServiceAccessRequest, ctx: CallContext): Record<string, never> {
    org(ctx).disableServiceAccess(input.ServicePrincipal as string);
    return {};
  },

  ListAWSServiceAccessForOrganization(input: Org.ListAWSServiceAccessForOrganizationRequest, ctx: CallContext): Org.ListAWSServiceAccessForOrganizationResponse {
    const o = org(ctx);
    const enabled = Object.entries(o.data.trustedAccess).map(([ServicePrincipal, date]) => ({ ServicePrincipal, DateEnabled: new Date(date) }));
    const { page: items, nextToken } = page(enabled, input, ctx, (e) => e.ServicePrincipal);
    return { EnabledServicePrincipals: items, NextToken: nextToken };
  },

  RegisterDelegatedAdministrator(input: Org.RegisterDelegatedAdministratorRequest, ctx: CallContext): Record<string, never> {
    org(ctx).registerDelegatedAdministrator(input.AccountId as string, input.ServicePrincipal as string, ctx.clock.now());
    return {};
  },

  DeregisterDelegatedAdministrator(input: Org.DeregisterDelegatedAdministratorRequest, ctx: CallContext): Record<string, never> {
    org(ctx).deregisterDelegatedAdministrator(input.AccountId as string, input.ServicePrincipal as string);
    return {};
  },

  ListDelegatedAdministrators(input: Org.ListDelegatedAdministratorsRequest, ctx: CallContext): Org.ListDelegatedAdministratorsResponse {
    const o = org(ctx);
    const earliest = new Map<string, string>();
    for (const admin of o.delegatedAdministrators(input.ServicePrincipal)) {
      const seen = earliest.get(admin.accountId);
      if (!seen || admin.since < seen) earliest.set(admin.accountId, admin.since);
    }
    const admins = [...earliest.entries()].filter(([id]) => o.account(id));
    const { page: items, nextToken } = page(admins, input, ctx, ([id]) => id);
    return {
      DelegatedAdministrators: items.map(([id, since]) => {
        const { Paths: _paths, ...account } = accountOut(o, o.account(id) as AccountRecord);
        return { ...account, DelegationEnabledDate: new Date(since) };
      }),
      NextToken: nextToken,
    };
  },

  ListDelegatedServicesForAccount(input: Org.ListDelegatedServicesForAccountRequest, ctx: CallContext): Org.ListDelegatedServicesForAccountResponse {
    const o = org(ctx);
    requireAccount(o, input.AccountId as string);
    const services = o.delegatedAdministrators().filter((a) => a.accountId === input.AccountId);
    if (services.length === 0) throw new AwsError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.');
    const { page: items, nextToken } = page(services, input, ctx, (s) => s.servicePrincipal);
    return { DelegatedServices: items.map((s) => ({ ServicePrincipal: s.servicePrincipal, DelegationEnabledDate: new Date(s.since) })), NextToken: nextToken };
  },

  TagResource(input: Org.TagResourceRequest, ctx: CallContext): Record<string, never> {
    org(ctx).tagResource(input.ResourceId as string, input.Tags as { Key: string; Value: string }[]);
    return {};
  },

  UntagResource(input: Org.UntagResourceRequest, ctx: CallContext): Record<string, never> {
    org(ctx).untagResource(input.ResourceId as string, input.TagKeys as string[]);
    return {};
  },

  ListTagsForResource(input: Org.ListTagsForResourceRequest, ctx: CallContext): Org.ListTagsForResourceResponse {
    const { page: tags, nextToken } = page(org(ctx).tags(input.ResourceId as string), input, ctx, (t) => t.Key);
    return { Tags: tags, NextToken: nextToken };
  },
};

/**
 * AWS Organizations: the organization's structure, policies, trusted access and delegated
 * administrators, callable from the management account (and, for reads, delegated administrators).
 */
export const organizationsService: ServiceDefinition = {
  model,
  actionPrefix: 'organizations',
  global: true,
  errors: {
    ...protocolErrors('json'),
    accessDenied: (message) => new AwsError('AccessDeniedException', message),
    throttling: () => new AwsError('TooManyRequestsException', 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.', { fields: { Type: 'TooManyRequests' } }),
    validation: (violations) => new AwsError('InvalidInputException', violationMessage(violations), { fields: { Reason: INVALID_INPUT_REASONS[violations[0].kind] } }),
  },
  operations: handlers,
  authorize(ctx) {
    const o = org(ctx);
    if (ANY_MEMBER.has(ctx.operation) || ctx.account === o.managementAccountId) return;
    const reason = MANAGEMENT_ONLY.has(ctx.operation) || POLICY_WRITES.has(ctx.operation)
      ? 'You can only call this operation from the management account.'
      : o.isDelegatedAdministrator(ctx.account) ? undefined : 'You can only call this operation from the management account or a member account that is a delegated administrator.';
    if (reason) throw new AwsError('AccessDeniedException', `You don't have permissions to access this resource. ${reason}`);
  },
};
