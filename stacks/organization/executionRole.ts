import type { RampartConfig } from '../../config/model';

/**
 * Path of the Rampart workflow roles in the security-tooling account. The workflows put their
 * Lambda and state-machine roles under it; only principals under it may assume the execution
 * role in member accounts.
 */
export const RAMPART_WORKFLOW_ROLE_PATH = '/rampart/';

/** IAM changes the remediation workflows make on member-account roles (ExternalTrustOnRole). */
const ROLE_TRUST_REMEDIATION = ['iam:UpdateAssumeRolePolicy'];

/** Reads of the collectors that AWS SecurityAudit does not grant. */
const COLLECTOR_READS = [
  'securityhub:BatchGetStandardsControlAssociations',
  'securitylake:ListDataLakes', 'securitylake:GetDataLakeSources', 'securitylake:ListLogSources', 'securitylake:GetDataLakeOrganizationConfiguration', 'securitylake:ListSubscribers',
];

/** Role name prefixes Security Lake is handed by the Security Lake stacks (metastore, replication, custom-source crawler). */
const SECURITY_LAKE_SERVICE_ROLES = ['RampartSecurityLakeMetaStore-*', 'SecurityLakeRampartReplication-*', 'RampartSecurityLakeCustomSourceCrawler-*'];

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
export function executionRoleTemplate(config: Pick<RampartConfig, 'global' | 'security'>, securityToolingAccountId: string, securityLakeAdminAccountId?: string): Json {
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
    ...(securityLakeAdminAccountId ? { Conditions: { IsSecurityLakeAdministrator: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, securityLakeAdminAccountId] } } } : {}),
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
                { Sid: 'ReadWhatSecurityAuditLeavesOut', Effect: 'Allow', Action: COLLECTOR_READS, Resource: '*' },
                {
                  Sid: 'RestartConfigRecorder', Effect: 'Allow',
                  Action: ['config:StartConfigurationRecorder', 'config:PutConfigurationRecorder', 'config:PutDeliveryChannel'], Resource: '*',
                },
                {
                  Sid: 'HandConfigItsServiceRole', Effect: 'Allow', Action: 'iam:PassRole',
                  Resource: roleArn('/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'),
                  Condition: { StringEquals: { 'iam:PassedToService': 'config.amazonaws.com' } },
                },
                {
                  Sid: 'RestoreSecurityHub', Effect: 'Allow',
                  Action: ['securityhub:EnableSecurityHub', 'securityhub:BatchEnableStandards', 'securityhub:BatchDisableStandards', 'securityhub:UpdateStandardsControl',
                    'securityhub:BatchUpdateStandardsControlAssociations'],
                  Resource: '*',
                },
                { Sid: 'RemoveExternalTrust', Effect: 'Allow', Action: ROLE_TRUST_REMEDIATION, Resource: roleArn('/*') },
                { Sid: 'KeepOffOwnRole', Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: roleArn(`/${roleName}`) },
                { Sid: 'KeepOffServiceLinkedRoles', Effect: 'Deny', Action: ROLE_MUTATIONS, Resource: roleArn('/aws-service-role/*') },
                ...exemptions,
              ],
            },
          },
          ...(securityLakeAdminAccountId ? [{ 'Fn::If': ['IsSecurityLakeAdministrator', securityLakeRemediationPolicy(), { Ref: 'AWS::NoValue' }] }] : [])],
          Tags: Object.entries(config.global.tags).map(([Key, Value]) => ({ Key, Value })),
        },
      },
    },
    Outputs: { ExecutionRoleArn: { Value: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] } } },
  };
}

/**
 * Only in the Security Lake administrator (log-archive): the Security Lake writes remediation
 * makes (sources, custom sources, lake settings and replication), with what Security Lake does on
 * the caller's behalf for a custom source (Glue crawler, Lake Formation, the provider role), and
 * the stacks' Security Lake service roles to hand over.
 */
function securityLakeRemediationPolicy(): Json {
  const account = (path: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${path}` });
  return {
    PolicyName: 'RampartSecurityLakeRemediation',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RestoreSecurityLake', Effect: 'Allow',
          Action: ['securitylake:CreateDataLake', 'securitylake:UpdateDataLake', 'securitylake:CreateAwsLogSource', 'securitylake:CreateCustomLogSource',
            'securitylake:DeleteCustomLogSource', 'securitylake:CreateDataLakeOrganizationConfiguration'],
          Resource: '*',
        },
        {
          Sid: 'WhatSecurityLakeDoesForACustomSource', Effect: 'Allow',
          Action: ['glue:CreateCrawler', 'glue:DeleteCrawler', 'glue:GetCrawler', 'glue:UpdateCrawler', 'glue:StartCrawlerSchedule', 'glue:StopCrawlerSchedule',
            'glue:CreateDatabase', 'glue:GetDatabase', 'glue:CreateTable', 'glue:GetTable', 'lakeformation:RegisterResource', 'lakeformation:GrantPermissions'],
          Resource: '*',
        },
        {
          Sid: 'CustomSourceProviderRoles', Effect: 'Allow', Action: ['iam:CreateRole', 'iam:GetRole', 'iam:DeleteRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
          Resource: account('AmazonSecurityLake-Provider-*'),
        },
        {
          Sid: 'HandSecurityLakeItsRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: SECURITY_LAKE_SERVICE_ROLES.map(account),
          Condition: { StringEquals: { 'iam:PassedToService': ['securitylake.amazonaws.com', 'glue.amazonaws.com', 'lambda.amazonaws.com', 's3.amazonaws.com'] } },
        },
      ],
    },
  };
}
