import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { WorkflowSettings } from '../handlers/workflows/settings';
import type { GovernanceStack } from '../stacks/governance/governanceStack';
import { acknowledge } from '../stacks/nag';

export type WorkflowRoleKind = 'collector' | 'publisher' | 'remediator';

export interface PermissionsProps {
  stack: GovernanceStack;
  settings: WorkflowSettings;
  workBucket: s3.Bucket;
  logGroup: logs.LogGroup;
  stateMachineArns: string[];
}

/** Reads of the organization-wide views and per-account state in the home account (the collectors read other accounts through the execution role). */
const READS = [
  'organizations:DescribeOrganization', 'organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent',
  'organizations:ListAccounts', 'organizations:ListPolicies', 'organizations:DescribePolicy', 'organizations:ListTargetsForPolicy',
  'organizations:ListAWSServiceAccessForOrganization', 'organizations:ListDelegatedAdministrators', 'organizations:ListDelegatedServicesForAccount',
  'securityhub:DescribeOrganizationConfiguration', 'securityhub:ListConfigurationPolicies', 'securityhub:GetConfigurationPolicy',
  'securityhub:ListConfigurationPolicyAssociations', 'securityhub:GetConfigurationPolicyAssociation', 'securityhub:ListFindingAggregators',
  'securityhub:GetFindingAggregator', 'securityhub:GetFindings', 'securityhub:ListSecurityControlDefinitions', 'securityhub:DescribeHub',
  'securityhub:GetEnabledStandards', 'securityhub:BatchGetStandardsControlAssociations', 'securityhub:ListStandardsControlAssociations',
  'config:DescribeConfigurationAggregators', 'config:DescribeConfigurationAggregatorSourcesStatus', 'config:DescribeOrganizationConformancePacks',
  'config:DescribeOrganizationConformancePackStatuses', 'config:DescribeAggregateComplianceByConformancePacks', 'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus', 'config:DescribeDeliveryChannels',
  'access-analyzer:ListAnalyzers', 'access-analyzer:ListFindings',
  'securitylake:ListDataLakes', 'securitylake:GetDataLakeSources', 'securitylake:ListLogSources', 'securitylake:GetDataLakeOrganizationConfiguration',
  'securitylake:ListSubscribers',
  'iam:ListRoles', 'iam:ListRoleTags', 'iam:GetRole',
];

/** Writes remediation makes in the home account when it administers a service (Security Hub, Config, Access Analyzer). */
const HOME_WRITES = [
  'securityhub:CreateConfigurationPolicy', 'securityhub:UpdateConfigurationPolicy', 'securityhub:StartConfigurationPolicyAssociation',
  'securityhub:EnableSecurityHub', 'securityhub:BatchEnableStandards', 'securityhub:BatchDisableStandards', 'securityhub:BatchUpdateStandardsControlAssociations',
  'config:PutOrganizationConformancePack', 'config:PutConfigurationAggregator', 'config:StartConfigurationRecorder', 'config:PutConfigurationRecorder',
  'config:PutDeliveryChannel', 'access-analyzer:CreateAnalyzer',
];

const READS_REASON = 'The read and write APIs of Organizations, Security Hub, AWS Config, Access Analyzer and Security Lake act on the organization or the account\'s service configuration; their API references document no narrower resource';

/**
 * The managed policies of the workflow roles: the collector reads (the home account directly, other
 * accounts through their execution role); the publisher writes the report to the evidence bucket,
 * SNS, EventBridge and Security Hub; the remediator also writes, through the execution role, the
 * management account's organization role, or directly where the home account administers a service.
 */
/** Why a workflow state machine's role holds Resource "*". */
export const STATE_MACHINE_WILDCARD_REASON = 'Step Functions log delivery to CloudWatch Logs and X-Ray tracing accept only Resource "*"';

/** What every Rampart workflow state machine needs: invoke its handlers, deliver its logs, trace. */
export function stateMachineStatements(functions: lambda.IFunction[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'InvokeHandlers', actions: ['lambda:InvokeFunction'], resources: functions.map((f) => f.functionArn) }),
    new iam.PolicyStatement({
      sid: 'DeliverLogs',
      actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
        'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({ sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], resources: ['*'] }),
  ];
}

/**
 * A Distributed Map runs its items as child executions of its own state machine: starting them, and
 * watching and stopping them (names Step Functions chooses at run time), with the findings that names.
 */
export function childExecutionGrants(stateMachineArns: string[], partition: string): { statements: iam.PolicyStatement[]; acknowledgements: Record<string, string> } {
  const executions = stateMachineArns.map((arn) => `${arn.replace(':stateMachine:', ':execution:')}:*`);
  return {
    statements: stateMachineArns.length === 0 ? [] : [
      new iam.PolicyStatement({ sid: 'ChildExecutions', actions: ['states:StartExecution'], resources: stateMachineArns }),
      new iam.PolicyStatement({ sid: 'ChildExecutionStatus', actions: ['states:DescribeExecution', 'states:StopExecution'], resources: executions }),
    ],
    acknowledgements: Object.fromEntries(executions.map((arn) => [
      `AwsSolutions-IAM5[Resource::${arn.replace(`arn:${partition}`, 'arn:<AWS::Partition>')}]`,
      'A Distributed Map\'s child executions get names Step Functions chooses at run time; the grant is limited to executions of Rampart\'s own state machines',
    ])),
  };
}

export function workflowPermissions(scope: Construct, props: PermissionsProps) {
  const { stack, settings, workBucket } = props;
  const partition = stack.partition;
  const account = stack.account;
  const runFiles = workBucket.arnForObjects('runs/*');
  const evidence = (kind: string) => stack.evidenceBucket.arnForObjects(`${stack.evidencePrefix}${kind}/*`);
  const management = settings.desired.organization.accounts.find((a) => a.management)?.id ?? '*';
  const executionRoles = `arn:${partition}:iam::*:role/${settings.executionRoleName}`;
  const organizationRole = `arn:${partition}:iam::${management}:role/${settings.deployment.organizationRoleName}`;
  const logWrites = new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [props.logGroup.logGroupArn] });
  const tracing = new iam.PolicyStatement({ sid: 'Tracing', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] });
  const key = new iam.PolicyStatement({ sid: 'GovernanceKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [stack.key.keyArn] });
  const notify = new iam.PolicyStatement({ sid: 'Notify', actions: ['sns:Publish'], resources: [stack.notificationTopic.topicArn] });
  const emit = new iam.PolicyStatement({ sid: 'Emit', actions: ['events:PutEvents'], resources: [`arn:${partition}:events:${stack.region}:${account}:event-bus/default`] });
  const readState = new iam.PolicyStatement({ sid: 'ReadState', actions: READS, resources: ['*'] });
  const assumeExecution = new iam.PolicyStatement({ sid: 'AssumeExecutionRole', actions: ['sts:AssumeRole'], resources: [executionRoles] });

  const policy = (id: string, description: string, statements: iam.PolicyStatement[], reasons: Record<string, string>) => {
    const managed = new iam.ManagedPolicy(scope, id, { description, statements });
    acknowledge(managed, Object.fromEntries(Object.entries(reasons).map(([finding, reason]) => [`AwsSolutions-IAM5[${finding}]`, reason])));
    return managed;
  };
  const bucketObjects = (bucket: s3.Bucket, suffix: string) => `Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${suffix}`;
  const common = {
    'Resource::*': `${READS_REASON}; X-Ray trace segments take no resource`,
    [`Resource::${executionRoles.replace(`arn:${partition}`, 'arn:<AWS::Partition>')}`]: `The execution role has the same name in every member account (global.yaml executionRoleName); the accounts are the organization's, thousands of them, listed nowhere at synth`,
    [bucketObjects(workBucket, 'runs/*')]: 'Each run writes its files under runs/<execution name>/, a name Step Functions chooses when the run starts',
  };

  const collector = policy('CollectorPermissions', 'Rampart workflows: collect the organization\'s state', [
    readState, assumeExecution, logWrites, tracing, key,
    new iam.PolicyStatement({ sid: 'RunFiles', actions: ['s3:GetObject', 's3:PutObject'], resources: [runFiles] }),
  ], common);

  const publisher = policy('PublisherPermissions', 'Rampart workflows: publish drift', [
    logWrites, tracing, key, notify, emit,
    new iam.PolicyStatement({ sid: 'ReadRunFiles', actions: ['s3:GetObject'], resources: [runFiles] }),
    new iam.PolicyStatement({ sid: 'WriteEvidence', actions: ['s3:PutObject'], resources: [evidence('drift')] }),
    new iam.PolicyStatement({ sid: 'ImportFindings', actions: ['securityhub:BatchImportFindings'], resources: [`arn:${partition}:securityhub:${stack.region}:${account}:product/${account}/default`] }),
    new iam.PolicyStatement({ sid: 'FindPreviousFindings', actions: ['securityhub:GetFindings'], resources: ['*'] }),
  ], {
    'Resource::*': 'securityhub:GetFindings takes no resource (it filters findings by their fields); X-Ray trace segments take no resource',
    [bucketObjects(workBucket, 'runs/*')]: common[bucketObjects(workBucket, 'runs/*')],
    [bucketObjects(stack.evidenceBucket, `${stack.evidencePrefix}drift/*`)]: 'Drift reports are written under <prefix>drift/<date>/<run>.json, keys known only when a run ends',
  });

  const remediator = policy('RemediatorPermissions', 'Rampart workflows: plan and apply remediation', [
    readState, logWrites, tracing, key, notify, emit,
    new iam.PolicyStatement({ sid: 'AssumeRemediationRoles', actions: ['sts:AssumeRole'], resources: [executionRoles, organizationRole] }),
    new iam.PolicyStatement({ sid: 'RepairWhereHomeAdministers', actions: HOME_WRITES, resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'HandConfigItsRoles', actions: ['iam:PassRole'],
      resources: [`arn:${partition}:iam::${account}:role/${settings.deployment.configAggregatorRole}`, `arn:${partition}:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`],
      conditions: { StringEquals: { 'iam:PassedToService': 'config.amazonaws.com' } },
    }),
    new iam.PolicyStatement({ sid: 'RunFiles', actions: ['s3:GetObject', 's3:PutObject'], resources: [runFiles] }),
    new iam.PolicyStatement({ sid: 'WriteEvidence', actions: ['s3:PutObject'], resources: [evidence('remediation')] }),
  ], {
    ...common,
    ...(management === '*' ? { [`Resource::arn:<AWS::Partition>:iam::*:role/${settings.deployment.organizationRoleName}`]: 'organization.yaml gives the management account no id, so the organization role is named in any account; only the management account has it (OrganizationStack)' } : {}),
    [bucketObjects(stack.evidenceBucket, `${stack.evidencePrefix}remediation/*`)]: 'Remediation records are written under <prefix>remediation/<date>/<run>.json, keys known only when a run ends',
  });

  const stateMachine = (functions: lambda.IFunction[]) => {
    const children = childExecutionGrants(props.stateMachineArns, partition);
    const managed = new iam.ManagedPolicy(scope, 'StateMachinePermissions', {
      description: 'Rampart workflows: run the DriftCheck and Remediate state machines',
      statements: [...stateMachineStatements(functions), ...children.statements],
    });
    acknowledge(managed, { 'AwsSolutions-IAM5[Resource::*]': STATE_MACHINE_WILDCARD_REASON, ...children.acknowledgements });
    return managed;
  };

  return { collector: [collector], publisher: [publisher], remediator: [remediator], stateMachine };
}
