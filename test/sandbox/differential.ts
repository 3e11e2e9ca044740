import * as EB from '@aws-sdk/client-eventbridge';
import * as I from '@aws-sdk/client-iam';
import * as O from '@aws-sdk/client-organizations';
import * as S3 from '@aws-sdk/client-s3';
import * as SNS from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** The account both moto and FakeAws act as (moto's default account). */
export const ACCOUNT = '123456789012';

/** One endpoint under test, reached by SDK clients the same way for moto and for FakeAws. */
export interface Target {
  name: 'moto' | 'fakeaws';
  config(region?: string): Record<string, unknown>;
}

/** What a call answered: the shape of its output (member names and types), or the error name. */
export type Observation = { step: string; shape: unknown } | { step: string; error: string };

/** The type structure of an output: member names and value kinds, not values. */
export function shapeOf(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return 'timestamp';
  if (value instanceof Uint8Array || (typeof value === 'object' && typeof (value as { transformToString?: unknown }).transformToString === 'function')) return 'blob';
  if (Array.isArray(value)) {
    const merged: Record<string, unknown> = {};
    let scalar: unknown;
    for (const item of value) {
      const shape = shapeOf(item);
      if (shape && typeof shape === 'object') Object.assign(merged, shape);
      else scalar = shape;
    }
    return value.length === 0 ? ['empty'] : [Object.keys(merged).length ? sortKeys(merged) : scalar];
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '$metadata') continue;
      const shape = shapeOf(v);
      if (shape !== undefined) out[k] = shape;
    }
    return sortKeys(out);
  }
  return typeof value;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}

/** Differences between two shapes as paths: `Accounts[].State: only fakeaws`. */
export function shapeDifferences(moto: unknown, fake: unknown, path = ''): string[] {
  if (JSON.stringify(moto) === JSON.stringify(fake)) return [];
  if (Array.isArray(moto) && Array.isArray(fake)) {
    if (moto[0] === 'empty' || fake[0] === 'empty') return moto[0] === fake[0] ? [] : [`${path}[]: ${moto[0] === 'empty' ? 'empty in moto' : 'empty in fakeaws'}`];
    return shapeDifferences(moto[0], fake[0], `${path}[]`);
  }
  if (moto && fake && typeof moto === 'object' && typeof fake === 'object' && !Array.isArray(moto) && !Array.isArray(fake)) {
    const out: string[] = [];
    const m = moto as Record<string, unknown>;
    const f = fake as Record<string, unknown>;
    for (const key of new Set([...Object.keys(m), ...Object.keys(f)])) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in f)) out.push(`${at}: only moto`);
      else if (!(key in m)) out.push(`${at}: only fakeaws`);
      else out.push(...shapeDifferences(m[key], f[key], at));
    }
    return out;
  }
  return [`${path || '(output)'}: moto ${JSON.stringify(moto)}, fakeaws ${JSON.stringify(fake)}`];
}

/** Runs steps in order, recording each answer; a failed step does not stop the sequence. */
class Recorder {
  readonly observations: Observation[] = [];
  async step<T>(name: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      const out = await call();
      this.observations.push({ step: name, shape: shapeOf(out) });
      return out;
    } catch (error) {
      this.observations.push({ step: name, error: (error as Error).name });
      return undefined;
    }
  }
}

const scp = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });

export async function organizationsSequence(target: Target): Promise<Observation[]> {
  const r = new Recorder();
  const org = new O.OrganizationsClient(target.config());
  await r.step('DescribeOrganization', () => org.send(new O.DescribeOrganizationCommand({})));
  const rootId = (await org.send(new O.ListRootsCommand({}))).Roots?.[0]?.Id as string;
  await r.step('EnablePolicyType', () => org.send(new O.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })));
  await r.step('ListRoots', () => org.send(new O.ListRootsCommand({})));
  const ou = await r.step('CreateOrganizationalUnit', () => org.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' })));
  const ouId = ou?.OrganizationalUnit?.Id as string;
  await r.step('CreateOrganizationalUnit duplicate name', () => org.send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' })));
  await r.step('DescribeOrganizationalUnit', () => org.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId })));
  await r.step('UpdateOrganizationalUnit', () => org.send(new O.UpdateOrganizationalUnitCommand({ OrganizationalUnitId: ouId, Name: 'Apps' })));
  await r.step('ListOrganizationalUnitsForParent', () => org.send(new O.ListOrganizationalUnitsForParentCommand({ ParentId: rootId })));
  const created = await r.step('CreateAccount', () => org.send(new O.CreateAccountCommand({ Email: 'member@example.com', AccountName: 'member' })));
  const status = await r.step('DescribeCreateAccountStatus', () => org.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created?.CreateAccountStatus?.Id })));
  const accountId = status?.CreateAccountStatus?.AccountId as string;
  await r.step('ListAccounts', () => org.send(new O.ListAccountsCommand({})));
  await r.step('DescribeAccount', () => org.send(new O.DescribeAccountCommand({ AccountId: accountId })));
  await r.step('DescribeAccount missing', () => org.send(new O.DescribeAccountCommand({ AccountId: '000000000001' })));
  await r.step('MoveAccount', () => org.send(new O.MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: ouId })));
  await r.step('MoveAccount missing source parent', () => org.send(new O.MoveAccountCommand({ AccountId: accountId, SourceParentId: 'ou-zzzz-zzzzzzzz', DestinationParentId: rootId })));
  await r.step('ListAccountsForParent', () => org.send(new O.ListAccountsForParentCommand({ ParentId: ouId })));
  await r.step('ListChildren', () => org.send(new O.ListChildrenCommand({ ParentId: ouId, ChildType: 'ACCOUNT' })));
  await r.step('ListParents', () => org.send(new O.ListParentsCommand({ ChildId: accountId })));
  const policy = await r.step('CreatePolicy', () => org.send(new O.CreatePolicyCommand({ Name: 'DenyBuckets', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: scp('s3:DeleteBucket') })));
  const policyId = policy?.Policy?.PolicySummary?.Id as string;
  await r.step('CreatePolicy duplicate name', () => org.send(new O.CreatePolicyCommand({ Name: 'DenyBuckets', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: scp('s3:*') })));
  await r.step('DescribePolicy', () => org.send(new O.DescribePolicyCommand({ PolicyId: policyId })));
  await r.step('UpdatePolicy', () => org.send(new O.UpdatePolicyCommand({ PolicyId: policyId, Content: scp('s3:PutBucketPolicy') })));
  await r.step('AttachPolicy', () => org.send(new O.AttachPolicyCommand({ PolicyId: policyId, TargetId: ouId })));
  await r.step('AttachPolicy again', () => org.send(new O.AttachPolicyCommand({ PolicyId: policyId, TargetId: ouId })));
  await r.step('ListPoliciesForTarget', () => org.send(new O.ListPoliciesForTargetCommand({ TargetId: ouId, Filter: 'SERVICE_CONTROL_POLICY' })));
  await r.step('ListTargetsForPolicy', () => org.send(new O.ListTargetsForPolicyCommand({ PolicyId: policyId })));
  await r.step('ListPolicies', () => org.send(new O.ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' })));
  await r.step('DeletePolicy while attached', () => org.send(new O.DeletePolicyCommand({ PolicyId: policyId })));
  await r.step('DetachPolicy', () => org.send(new O.DetachPolicyCommand({ PolicyId: policyId, TargetId: ouId })));
  await r.step('DeletePolicy', () => org.send(new O.DeletePolicyCommand({ PolicyId: policyId })));
  await r.step('DescribePolicy missing', () => org.send(new O.DescribePolicyCommand({ PolicyId: policyId })));
  for (const principal of ['access-analyzer.amazonaws.com', 'securityhub.amazonaws.com']) {
    await r.step(`EnableAWSServiceAccess ${principal}`, () => org.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: principal })));
  }
  await r.step('ListAWSServiceAccessForOrganization', () => org.send(new O.ListAWSServiceAccessForOrganizationCommand({})));
  await r.step('RegisterDelegatedAdministrator access-analyzer', () => org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'access-analyzer.amazonaws.com' })));
  await r.step('RegisterDelegatedAdministrator again', () => org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'access-analyzer.amazonaws.com' })));
  await r.step('RegisterDelegatedAdministrator securityhub', () => org.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'securityhub.amazonaws.com' })));
  await r.step('ListDelegatedAdministrators', () => org.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'access-analyzer.amazonaws.com' })));
  await r.step('ListDelegatedServicesForAccount', () => org.send(new O.ListDelegatedServicesForAccountCommand({ AccountId: accountId })));
  await r.step('DeregisterDelegatedAdministrator', () => org.send(new O.DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'access-analyzer.amazonaws.com' })));
  await r.step('DeregisterDelegatedAdministrator securityhub', () => org.send(new O.DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: 'securityhub.amazonaws.com' })));
  await r.step('DisableAWSServiceAccess', () => org.send(new O.DisableAWSServiceAccessCommand({ ServicePrincipal: 'access-analyzer.amazonaws.com' })));
  await r.step('TagResource', () => org.send(new O.TagResourceCommand({ ResourceId: accountId, Tags: [{ Key: 'pci', Value: 'true' }] })));
  await r.step('ListTagsForResource', () => org.send(new O.ListTagsForResourceCommand({ ResourceId: accountId })));
  await r.step('UntagResource', () => org.send(new O.UntagResourceCommand({ ResourceId: accountId, TagKeys: ['pci'] })));
  await r.step('DeleteOrganizationalUnit not empty', () => org.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ouId })));
  await r.step('RemoveAccountFromOrganization', () => org.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: accountId })));
  await r.step('DeleteOrganizationalUnit', () => org.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ouId })));
  return r.observations;
}

export async function iamStsSequence(target: Target): Promise<Observation[]> {
  const r = new Recorder();
  const iam = new I.IAMClient(target.config());
  const sts = new STSClient(target.config());
  await r.step('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  await r.step('CreateRole', () => iam.send(new I.CreateRoleCommand({ RoleName: 'Collector', Path: '/rampart/', AssumeRolePolicyDocument: trust, Description: 'collects', Tags: [{ Key: 'team', Value: 'platform' }] })));
  await r.step('CreateRole duplicate', () => iam.send(new I.CreateRoleCommand({ RoleName: 'Collector', AssumeRolePolicyDocument: trust })));
  await r.step('CreateRole malformed trust policy', () => iam.send(new I.CreateRoleCommand({ RoleName: 'Broken', AssumeRolePolicyDocument: '{"Statement": [' })));
  await r.step('GetRole', () => iam.send(new I.GetRoleCommand({ RoleName: 'Collector' })));
  await r.step('GetRole missing', () => iam.send(new I.GetRoleCommand({ RoleName: 'Nope' })));
  await r.step('ListRoles', () => iam.send(new I.ListRolesCommand({ PathPrefix: '/rampart/' })));
  await r.step('UpdateAssumeRolePolicy', () => iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Collector', PolicyDocument: trust })));
  await r.step('TagRole', () => iam.send(new I.TagRoleCommand({ RoleName: 'Collector', Tags: [{ Key: 'tier', Value: '1' }] })));
  await r.step('ListRoleTags', () => iam.send(new I.ListRoleTagsCommand({ RoleName: 'Collector' })));
  await r.step('UntagRole', () => iam.send(new I.UntagRoleCommand({ RoleName: 'Collector', TagKeys: ['tier'] })));
  await r.step('PutRolePolicy', () => iam.send(new I.PutRolePolicyCommand({ RoleName: 'Collector', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) })));
  await r.step('GetRolePolicy', () => iam.send(new I.GetRolePolicyCommand({ RoleName: 'Collector', PolicyName: 'read' })));
  await r.step('ListRolePolicies', () => iam.send(new I.ListRolePoliciesCommand({ RoleName: 'Collector' })));
  await r.step('AttachRolePolicy', () => iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Collector', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' })));
  await r.step('ListAttachedRolePolicies', () => iam.send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'Collector' })));
  await r.step('AssumeRole', () => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/rampart/Collector`, RoleSessionName: 'drift' })));
  await r.step('DeleteRole with policies', () => iam.send(new I.DeleteRoleCommand({ RoleName: 'Collector' })));
  await r.step('DetachRolePolicy', () => iam.send(new I.DetachRolePolicyCommand({ RoleName: 'Collector', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' })));
  await r.step('DeleteRolePolicy', () => iam.send(new I.DeleteRolePolicyCommand({ RoleName: 'Collector', PolicyName: 'read' })));
  await r.step('DeleteRole', () => iam.send(new I.DeleteRoleCommand({ RoleName: 'Collector' })));
  await r.step('AssumeRole of a missing role', () => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/Missing`, RoleSessionName: 'drift' })));
  return r.observations;
}

export async function s3Sequence(target: Target): Promise<Observation[]> {
  const r = new Recorder();
  const s3 = new S3.S3Client({ ...target.config('us-east-2'), forcePathStyle: true });
  const bucket = 'differential-evidence';
  await r.step('CreateBucket with Object Lock', () => s3.send(new S3.CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: 'us-east-2' } })));
  await r.step('GetBucketVersioning', () => s3.send(new S3.GetBucketVersioningCommand({ Bucket: bucket })));
  await r.step('PutObjectLockConfiguration', () => s3.send(new S3.PutObjectLockConfigurationCommand({ Bucket: bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } })));
  await r.step('GetObjectLockConfiguration', () => s3.send(new S3.GetObjectLockConfigurationCommand({ Bucket: bucket })));
  const put = await r.step('PutObject with retention', () => s3.send(new S3.PutObjectCommand({
    Bucket: bucket, Key: 'reports/r1.json', Body: '{"ok":true}', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
  })));
  await r.step('GetObject', async () => {
    const out = await s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'reports/r1.json' }));
    await out.Body?.transformToString();
    return out;
  });
  await r.step('HeadObject', () => s3.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: 'reports/r1.json' })));
  await r.step('GetObject missing', () => s3.send(new S3.GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
  await r.step('PutObject second', () => s3.send(new S3.PutObjectCommand({ Bucket: bucket, Key: 'reports/2027/r2.json', Body: '{}' })));
  await r.step('ListObjectsV2 with delimiter', () => s3.send(new S3.ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/', Delimiter: '/' })));
  await r.step('DeleteObject retained version', () => s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'reports/r1.json', VersionId: put?.VersionId })));
  await r.step('DeleteObject (delete marker)', () => s3.send(new S3.DeleteObjectCommand({ Bucket: bucket, Key: 'reports/r1.json' })));
  await r.step('GetBucketPolicy missing', () => s3.send(new S3.GetBucketPolicyCommand({ Bucket: bucket })));
  await r.step('PutBucketPolicy', () => s3.send(new S3.PutBucketPolicyCommand({
    Bucket: bucket,
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
  })));
  await r.step('GetBucketPolicy', () => s3.send(new S3.GetBucketPolicyCommand({ Bucket: bucket })));
  await r.step('PutBucketEncryption', () => s3.send(new S3.PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] } })));
  await r.step('GetBucketEncryption', () => s3.send(new S3.GetBucketEncryptionCommand({ Bucket: bucket })));
  await r.step('GetBucketVersioning missing bucket', () => s3.send(new S3.GetBucketVersioningCommand({ Bucket: 'no-such-differential-bucket' })));
  return r.observations;
}

export async function snsEventsSequence(target: Target): Promise<Observation[]> {
  const r = new Recorder();
  const sns = new SNS.SNSClient(target.config());
  const events = new EB.EventBridgeClient(target.config());
  const topic = await r.step('CreateTopic', () => sns.send(new SNS.CreateTopicCommand({ Name: 'rampart-drift' })));
  const arn = topic?.TopicArn as string;
  await r.step('ListTopics', () => sns.send(new SNS.ListTopicsCommand({})));
  await r.step('Subscribe email', () => sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'security@example.com' })));
  await r.step('Subscribe sqs', () => sns.send(new SNS.SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:drift` })));
  await r.step('ListSubscriptionsByTopic', () => sns.send(new SNS.ListSubscriptionsByTopicCommand({ TopicArn: arn })));
  await r.step('Publish with attributes', () => sns.send(new SNS.PublishCommand({ TopicArn: arn, Message: 'drift', Subject: 'Drift', MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } } })));
  await r.step('Publish to a missing topic', () => sns.send(new SNS.PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:missing`, Message: 'x' })));
  await r.step('PutRule', () => events.send(new EB.PutRuleCommand({ Name: 'drift', EventPattern: JSON.stringify({ source: ['rampart'] }) })));
  await r.step('ListRules', () => events.send(new EB.ListRulesCommand({})));
  await r.step('PutTargets', () => events.send(new EB.PutTargetsCommand({ Rule: 'drift', Targets: [{ Id: 'notify', Arn: arn }] })));
  await r.step('ListTargetsByRule', () => events.send(new EB.ListTargetsByRuleCommand({ Rule: 'drift' })));
  await r.step('PutTargets on a missing rule', () => events.send(new EB.PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'notify', Arn: arn }] })));
  await r.step('PutEvents', () => events.send(new EB.PutEventsCommand({ Entries: [{ Source: 'rampart', DetailType: 'Drift', Detail: '{"severity":"HIGH"}' }] })));
  return r.observations;
}
