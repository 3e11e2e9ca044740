import type { AssumeRoleRequest, AssumeRoleResponse, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import { mintSession, principalArns } from '../auth/credentials';
import { evaluatePolicy, parsePolicyDocument, type RequestContext } from '../auth/policyDocument';
import { AwsError } from '../errors';
import generated from '../models/sts.json';
import { serviceModel } from '../models/serviceModel';
import { findRole } from '../state/iam';
import { notAuthorized, protocolErrors, type CallContext, type ServiceDefinition } from './service';

const model = serviceModel('sts', generated);

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007e]*\/)?([\w+=,.@-]+)$/;
/** Role chaining (a role session assuming a role) caps sessions at one hour. */
const CHAINED_MAX_SECONDS = 3600;
/** Inline session policy and session tags, packed, may use at most this many characters. */
const SESSION_POLICY_MAX = 2048;

function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, { status: 400 });
}

function assumeRole(input: AssumeRoleRequest, ctx: CallContext): AssumeRoleResponse {
  const roleArn = input.RoleArn as string;
  const sessionName = input.RoleSessionName as string;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationError(`${roleArn} is invalid`);
  const [, account, roleName] = match;
  const denied = () => new AwsError('AccessDenied', notAuthorized(ctx, 'sts:AssumeRole', roleArn), { status: 403 });
  const role = findRole(ctx.state, account, roleName);
  if (!role || role.arn !== roleArn) throw denied();

  const { document } = parsePolicyDocument(role.assumeRolePolicy, 'trust');
  const orgId = ctx.state.organization?.account(ctx.caller.account) ? ctx.state.organization.id : undefined;
  const request: RequestContext = {
    action: 'sts:AssumeRole',
    principal: { arns: principalArns(ctx.caller), account: ctx.caller.account },
    keys: {
      'sts:ExternalId': input.ExternalId,
      'sts:RoleSessionName': sessionName,
      'sts:SourceIdentity': input.SourceIdentity,
      'aws:PrincipalArn': ctx.caller.kind === 'assumed-role' ? ctx.caller.roleArn : ctx.caller.arn,
      'aws:PrincipalAccount': ctx.caller.account,
      'aws:PrincipalOrgID': orgId,
      'aws:PrincipalType': ctx.caller.kind === 'assumed-role' ? 'AssumedRole' : 'User',
      'aws:RequestedRegion': ctx.region,
      // The loopback server stands in for AWS's HTTPS endpoints.
      'aws:SecureTransport': 'true',
      'aws:MultiFactorAuthPresent': input.SerialNumber && input.TokenCode ? 'true' : undefined,
    },
  };
  if (!document || evaluatePolicy(document, request, true) !== 'Allow') throw denied();

  const chained = ctx.caller.kind === 'assumed-role';
  const duration = input.DurationSeconds ?? 3600;
  if (chained && duration > CHAINED_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

  let packedSize: number | undefined;
  if (input.Policy !== undefined || input.Tags?.length) {
    if (input.Policy !== undefined) {
      const { problem } = parsePolicyDocument(input.Policy, 'identity');
      if (problem) throw new AwsError('MalformedPolicyDocumentException', problem);
    }
    const packed = (input.Policy ?? '').replace(/\s/g, '').length + (input.Tags ?? []).reduce((n, t) => n + (t.Key?.length ?? 0) + (t.Value?.length ?? 0), 0);
    packedSize = Math.ceil((packed / SESSION_POLICY_MAX) * 100);
    if (packedSize > 100) throw new AwsError('PackedPolicyTooLargeException', `Packed policy consumes ${packedSize}% of allotted space, please use smaller policy.`);
  }

  const now = ctx.clock.nowMs();
  if (ctx.random.int(100) === 0) ctx.state.pruneSessions(now);
  const session = mintSession(ctx.state, { account, roleName: role.name, roleArn: role.arn, roleId: role.id }, sessionName, now + duration * 1000, ctx.random);
  role.lastUsed = { at: new Date(now).toISOString(), region: ctx.region };
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: `${role.id}:${sessionName}`, Arn: `arn:aws:sts::${account}:assumed-role/${role.name}/${sessionName}` },
    ...(packedSize !== undefined ? { PackedPolicySize: packedSize } : {}),
    ...(input.SourceIdentity ? { SourceIdentity: input.SourceIdentity } : {}),
  };
}

function getCallerIdentity(_input: unknown, ctx: CallContext): GetCallerIdentityResponse {
  return { UserId: ctx.caller.userId, Account: ctx.caller.account, Arn: ctx.caller.arn };
}

/** AWS STS: AssumeRole into roles whose trust policy admits the caller, and GetCallerIdentity. */
export const stsService: ServiceDefinition = {
  model,
  actionPrefix: 'sts',
  global: true,
  errors: protocolErrors('query'),
  operations: {
    AssumeRole: assumeRole,
    GetCallerIdentity: getCallerIdentity,
  },
};
