import type { RampartConfig } from '../../config/model';

/**
 * Path of the Rampart workflow roles in the security-tooling account. The workflows put their
 * Lambda and state-machine roles under it; only principals under it may assume the execution
 * role in member accounts.
 */
export const RAMPART_WORKFLOW_ROLE_PATH = '/rampart/';

/** IAM changes the remediation workflows make on member-account roles (ExternalTrustOnRole). */
const ROLE_TRUST_REMEDIATION = ['iam:UpdateAssumeRolePolicy'];

/** Everything that changes a role: denied on exempt roles and on the execution role itself. */
const ROLE_MUTATIONS = [
  'iam:AttachRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription',
  'iam:TagRole', 'iam:UntagRole',
];

type Json = Record<string, unknown>;

/**
 * The CloudFormation template the execution-role StackSet deploys into every member account:
 * read access for the collectors (AWS SecurityAudit) plus the few writes remediation needs, with
 * explicit denies that keep Rampart off the exempt (break-glass) roles and off its own role.
 * The management account never receives it: service-managed StackSets skip it.
 */
export function executionRoleTemplate(config: Pick<RampartConfig, 'global' | 'security'>, securityToolingAccountId: string): Json {
  const roleName = config.global.executionRoleName;
  const roleArn = (path: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role${path}` });
  const exemptions: Json[] = config.security.accessAnalyzer.exemptRoles.map((exempt, index) => {
    const sid = `KeepOffExemptRole${index + 1}`;
    if (exempt.arn) return { Sid: sid, Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: exempt.arn };
    if (exempt.pathPrefix) return { Sid: sid, Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: roleArn(`${exempt.pathPrefix}*`) };
    const tag = exempt.tag as { key: string; value: string };
    return { Sid: sid, Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: '*', Condition: { StringEquals: { [`iam:ResourceTag/${tag.key}`]: tag.value } } };
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Rampart execution role: assumed by the Rampart workflows in the security-tooling account to collect state and remediate drift',
    Resources: {
      ExecutionRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: roleName,
          Description: 'Rampart drift collection and remediation (deployed by the Rampart-ExecutionRole StackSet)',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Sid: 'RampartWorkflows',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${securityToolingAccountId}:root` } },
              Action: 'sts:AssumeRole',
              Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${securityToolingAccountId}:role${RAMPART_WORKFLOW_ROLE_PATH}*` } } },
            }],
          },
          ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/SecurityAudit' }],
          Policies: [{
            PolicyName: 'RampartRemediation',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Sid: 'RestartConfigRecorder', Effect: 'Allow', Action: ['config:StartConfigurationRecorder'], Resource: '*' },
                {
                  Sid: 'RestoreSecurityHub', Effect: 'Allow',
                  Action: ['securityhub:EnableSecurityHub', 'securityhub:BatchEnableStandards', 'securityhub:UpdateStandardsControl', 'securityhub:BatchUpdateStandardsControlAssociations'],
                  Resource: '*',
                },
                { Sid: 'RemoveExternalTrust', Effect: 'Allow', Action: ROLE_TRUST_REMEDIATION, Resource: roleArn('/*') },
                { Sid: 'KeepOffOwnRole', Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: roleArn(`/${roleName}`) },
                { Sid: 'KeepOffServiceLinkedRoles', Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: roleArn('/aws-service-role/*') },
                ...exemptions,
              ],
            },
          }],
          Tags: Object.entries(config.global.tags).map(([Key, Value]) => ({ Key, Value })),
        },
      },
    },
    Outputs: { ExecutionRoleArn: { Value: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] } } },
  };
}
