import type { LakeRecord } from '../lakeWriter';
import { DAY_MS, hoursBefore, SampleScope } from './scope';

/**
 * CloudTrail management events as Security Lake 2.0 stores them (OCSF 1.1.0 API Activity 6003).
 * Principals: two IAM users (bob is often refused), an IAM Identity Center session, a web-identity
 * (OIDC) deployment role and AWS Config acting as a service. CloudTrail fields with no OCSF place
 * (recipientAccountId, readOnly, managementEvent) sit in `unmapped`.
 */

interface Principal {
  key: string;
  type: string;
  name: string | null;
  uid: string | null;
  uidAlt: string | null;
  credential: string | null;
  issuer: string | null;
  idp: string | null;
  invokedBy: string | null;
  mfa: boolean | null;
  ip: string | null;
  domain: string | null;
  userAgent: string;
  /** How often a write call by this principal is refused. */
  deniedWrites: number;
}

const OPERATIONS = [
  { service: 's3.amazonaws.com', operation: 'ListBuckets' },
  { service: 's3.amazonaws.com', operation: 'GetBucketPolicy' },
  { service: 's3.amazonaws.com', operation: 'PutBucketPolicy' },
  { service: 'iam.amazonaws.com', operation: 'ListUsers' },
  { service: 'iam.amazonaws.com', operation: 'CreateAccessKey' },
  { service: 'iam.amazonaws.com', operation: 'AttachRolePolicy' },
  { service: 'ec2.amazonaws.com', operation: 'DescribeInstances' },
  { service: 'ec2.amazonaws.com', operation: 'AuthorizeSecurityGroupIngress' },
  { service: 'ec2.amazonaws.com', operation: 'RunInstances' },
  { service: 'kms.amazonaws.com', operation: 'DescribeKey' },
  { service: 'kms.amazonaws.com', operation: 'ScheduleKeyDeletion' },
  { service: 'cloudtrail.amazonaws.com', operation: 'DescribeTrails' },
  { service: 'cloudtrail.amazonaws.com', operation: 'StopLogging' },
  { service: 'sts.amazonaws.com', operation: 'GetCallerIdentity' },
] as const;

/** OCSF API Activity activity_id by the verb the operation starts with. */
const ACTIVITIES: readonly [RegExp, number, string][] = [
  [/^(Create|Run|Authorize|Attach)/, 1, 'Create'],
  [/^(Describe|List|Get)/, 2, 'Read'],
  [/^(Put|Update|Stop)/, 3, 'Update'],
  [/^(Delete|Schedule)/, 4, 'Delete'],
];

const EVENTS_PER_DAY = 12;

export function cloudTrailEvents(scope: SampleScope): LakeRecord[] {
  const principals = principalsOf(scope);
  const records: LakeRecord[] = [];
  const total = EVENTS_PER_DAY * scope.days;
  for (let n = 0; n < total; n++) {
    const time = hoursBefore(scope, ((n + scope.random.next()) / total) * scope.days * 24);
    records.push(event(scope, scope.random.pick(principals), time));
  }
  return records;
}

function event(scope: SampleScope, principal: Principal, time: number): LakeRecord {
  const { random, account, region } = scope;
  const { service, operation } = principal.key === 'config' ? random.pick(OPERATIONS.filter((o) => /^(Describe|List|Get)/.test(o.operation))) : random.pick(OPERATIONS);
  const [, activityId, activity] = ACTIVITIES.find(([verb]) => verb.test(operation)) ?? [undefined, 99, 'Other'];
  const readOnly = activityId === 2;
  const error = errorFor(scope, principal, service, operation, readOnly);
  return {
    region,
    accountid: account,
    time,
    time_dt: new Date(time),
    metadata: {
      uid: random.uuid(),
      event_code: 'AwsApiCall',
      version: '1.1.0',
      profiles: ['cloud', 'datetime'],
      product: { name: 'CloudTrail', vendor_name: 'AWS', version: '1.09', feature: { name: 'Management' } },
    },
    cloud: { region, provider: 'AWS' },
    api: {
      operation,
      service: { name: service },
      request: { uid: random.uuid() },
      response: error ? { error: error.code, message: error.message } : null,
    },
    actor: {
      user: {
        type: principal.type,
        name: principal.name,
        uid: principal.uid,
        uid_alt: principal.uidAlt,
        credential_uid: principal.credential,
        account: principal.type === 'AWSService' ? null : { uid: account },
      },
      session: principal.issuer ? { issuer: principal.issuer, is_mfa: principal.mfa, created_time_dt: new Date(time - (time % DAY_MS)) } : null,
      idp: principal.idp ? { name: principal.idp } : null,
      invoked_by: principal.invokedBy,
    },
    src_endpoint: { ip: principal.ip, domain: principal.domain },
    http_request: { user_agent: principal.userAgent },
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    category_name: 'Application Activity',
    activity_id: activityId,
    activity_name: activity,
    type_uid: 600300 + activityId,
    type_name: `API Activity: ${activity}`,
    severity_id: 1,
    severity: 'Informational',
    status: error ? 'Failure' : 'Success',
    unmapped: { recipientAccountId: account, readOnly: String(readOnly), managementEvent: 'true', eventType: 'AwsApiCall' },
    observables: principal.ip ? [{ name: 'src_endpoint.ip', type: 'IP Address', type_id: 2, value: principal.ip }] : [],
  };
}

function errorFor(scope: SampleScope, principal: Principal, service: string, operation: string, readOnly: boolean): { code: string; message: string } | null {
  const { random } = scope;
  if (!readOnly && random.chance(principal.deniedWrites)) {
    const code = service === 'ec2.amazonaws.com' ? 'Client.UnauthorizedOperation' : service === 'kms.amazonaws.com' ? 'AccessDeniedException' : 'AccessDenied';
    return { code, message: `User: ${principal.uid ?? principal.invokedBy} is not authorized to perform: ${service.split('.')[0]}:${operation}` };
  }
  if (operation === 'GetBucketPolicy' && random.chance(0.3)) return { code: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist' };
  return null;
}

function principalsOf(scope: SampleScope): Principal[] {
  const { account, random } = scope;
  const octet = () => random.int(1, 254);
  const cli = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64';
  const none = { issuer: null, idp: null, invokedBy: null, mfa: null, domain: null };
  const ssoRole = 'AWSReservedSSO_AdministratorAccess_7c2f0e1a9b3d4c5e';
  return [
    { key: 'alice', type: 'IAMUser', name: 'alice', uid: `arn:aws:iam::${account}:user/alice`, uidAlt: `AIDA${random.hex(16).toUpperCase()}`, credential: `AKIA${random.hex(16).toUpperCase()}`, ip: `203.0.113.${octet()}`, userAgent: cli, deniedWrites: 0.05, ...none },
    { key: 'bob', type: 'IAMUser', name: 'bob', uid: `arn:aws:iam::${account}:user/bob`, uidAlt: `AIDA${random.hex(16).toUpperCase()}`, credential: `AKIA${random.hex(16).toUpperCase()}`, ip: `198.51.100.${octet()}`, userAgent: 'Boto3/1.34.69 Python/3.12.2', deniedWrites: 0.6, ...none },
    {
      key: 'carol',
      type: 'AssumedRole',
      name: null,
      uid: `arn:aws:sts::${account}:assumed-role/${ssoRole}/carol@example.com`,
      uidAlt: `AROA${random.hex(16).toUpperCase()}:carol@example.com`,
      credential: `ASIA${random.hex(16).toUpperCase()}`,
      ip: `192.0.2.${octet()}`,
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
      deniedWrites: 0.02,
      ...none,
      issuer: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${ssoRole}`,
      mfa: true,
    },
    {
      key: 'deploy',
      type: 'AssumedRole',
      name: null,
      uid: `arn:aws:sts::${account}:assumed-role/DeployRole/github-actions`,
      uidAlt: `AROA${random.hex(16).toUpperCase()}:github-actions`,
      credential: `ASIA${random.hex(16).toUpperCase()}`,
      ip: `198.51.100.${octet()}`,
      userAgent: 'aws-sdk-js/3.540.0',
      deniedWrites: 0.1,
      ...none,
      issuer: `arn:aws:iam::${account}:role/DeployRole`,
      idp: 'token.actions.githubusercontent.com',
      mfa: false,
    },
    { key: 'config', type: 'AWSService', name: null, uid: null, uidAlt: null, credential: null, ip: null, userAgent: 'config.amazonaws.com', deniedWrites: 0, ...none, invokedBy: 'config.amazonaws.com', domain: 'config.amazonaws.com' },
  ];
}
