import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../aws/eventBridge';
import { ENVIRONMENT } from '../handlers/workflows/runtime';
import { DETAIL_TYPES } from '../handlers/workflows/steps';
import { HANDLER_RUNTIME } from '../stacks/customResourceProvider';
import type { GovernanceStack } from '../stacks/governance/governanceStack';
import type { GovernanceExtension } from '../stacks/landingZone';
import { acknowledge } from '../stacks/nag';
import { PRIVATE_BUCKET } from '../stacks/privateBucket';
import { RAMPART_WORKFLOW_ROLE_PATH } from '../stacks/organization/executionRole';
import { driftCheckDefinition, remediateDefinition, type WorkflowFunctions } from './definitions';
import { handlerAsset, WORKFLOW_HANDLERS, type WorkflowHandler } from './handlerAssets';
import { workflowPermissions, type WorkflowRoleKind } from './permissions';
import { buildWorkflowSettings } from './settings';
import { letLogGroupsUse } from '../stacks/logGroupKey';

export const DRIFT_CHECK_NAME = 'Rampart-DriftCheck';
export const REMEDIATE_NAME = 'Rampart-Remediate';
/** Organizations with more configured accounts than this get the Distributed Map variant. */
export const DISTRIBUTED_MAP_ACCOUNTS = 2000;

export interface DriftWorkflowsOptions {
  /** Distributed Map for the per-account batches; by default when the configuration has more than DISTRIBUTED_MAP_ACCOUNTS accounts. */
  distributed?: boolean;
}

/** The governance-stack extension that adds the drift and remediation workflows. */
export function driftWorkflows(options: DriftWorkflowsOptions = {}): GovernanceExtension {
  return (stack) => {
    new DriftWorkflows(stack, 'DriftWorkflows', options);
  };
}

/** Which role each handler runs with: collectors only read, the publisher only publishes, remediation writes. */
const ROLE_OF: Record<WorkflowHandler, WorkflowRoleKind> = {
  collectPlan: 'collector', collectView: 'collector', collectFollowUps: 'collector', collectAccounts: 'collector', detectDrift: 'collector',
  publishDrift: 'publisher',
  remediationPlan: 'remediator', requestApproval: 'remediator', applyAction: 'remediator', recordDecision: 'remediator', verifyRemediation: 'remediator',
};

const TIMEOUT_OF: Partial<Record<WorkflowHandler, Duration>> = {
  collectView: Duration.minutes(10), collectAccounts: Duration.minutes(10), detectDrift: Duration.minutes(5), applyAction: Duration.minutes(10),
  verifyRemediation: Duration.minutes(10),
};

/**
 * DriftCheck (scheduled by EventBridge Scheduler from governance.yaml drift.schedule) and Remediate
 * (started by DriftCheck's event when the policy allows repairs, or by hand), their Lambda
 * handlers with least-privilege roles under /rampart/ (the path the member accounts' execution role
 * trusts), the work bucket for run files, and the logs.
 */
export class DriftWorkflows extends Construct {
  readonly driftCheck: sfn.StateMachine;
  readonly remediate: sfn.StateMachine;
  readonly workBucket: s3.Bucket;
  readonly functions: WorkflowFunctions;
  /** Whether the per-account batches run as a Distributed Map (the Evidence workflow collects the same way). */
  readonly distributed: boolean;

  constructor(scope: GovernanceStack, id: string, options: DriftWorkflowsOptions = {}) {
    super(scope, id);
    const stack = scope;
    const config = stack.config;
    const settings = buildWorkflowSettings(config, stack.account);
    const distributed = (this.distributed = options.distributed ?? config.organization.accounts.length > DISTRIBUTED_MAP_ACCOUNTS);

    this.workBucket = new s3.Bucket(this, 'WorkBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: stack.key,
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
      serverAccessLogsBucket: stack.accessLogBucket,
      serverAccessLogsPrefix: 'work-bucket/',
    });
    const workReason = 'Run files of the drift and remediation workflows (partial inventories, reports, plans) live 30 days in the home Region; the evidence they lead to is copied to the Object-Locked evidence bucket';
    acknowledge(this.workBucket, { 'NIST.800.53.R5-S3BucketReplicationEnabled': workReason, 'PCI.DSS.321-S3BucketReplicationEnabled': workReason });

    letLogGroupsUse(stack.key, 'WorkflowLogs');
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: stack.key, removalPolicy: RemovalPolicy.RETAIN });

    const machineArn = (name: string) => `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:${name}`;
    const permissions = workflowPermissions(this, {
      stack, settings, workBucket: this.workBucket, logGroup,
      stateMachineArns: [machineArn(DRIFT_CHECK_NAME), machineArn(REMEDIATE_NAME)],
    });
    const roles = Object.fromEntries((['collector', 'publisher', 'remediator'] as const).map((kind) => [kind, new iam.Role(this, `${kind[0].toUpperCase()}${kind.slice(1)}Role`, {
      path: RAMPART_WORKFLOW_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rampart workflows: ${kind} handlers`,
      managedPolicies: permissions[kind],
    }).withoutPolicyUpdates()])) as Record<WorkflowRoleKind, iam.IRole>;

    const environment = {
      [ENVIRONMENT.workBucket]: this.workBucket.bucketName,
      [ENVIRONMENT.evidenceBucket]: stack.evidenceBucket.bucketName,
      [ENVIRONMENT.evidencePrefix]: stack.evidencePrefix,
      [ENVIRONMENT.topicArn]: stack.notificationTopic.topicArn,
      [ENVIRONMENT.eventBusName]: 'default',
    };
    this.functions = Object.fromEntries(WORKFLOW_HANDLERS.map((handler) => {
      const fn = new lambda.Function(this, `${handler[0].toUpperCase()}${handler.slice(1)}`, {
        code: lambda.Code.fromAsset(handlerAsset(handler, settings)),
        handler: 'index.handler',
        runtime: HANDLER_RUNTIME,
        role: roles[ROLE_OF[handler]],
        logGroup,
        timeout: TIMEOUT_OF[handler] ?? Duration.minutes(2),
        memorySize: ROLE_OF[handler] === 'collector' ? 1024 : 512,
        environment: { ...environment, RAMPART_HANDLER: handler },
        description: `Rampart workflows: ${handler}`,
        tracing: lambda.Tracing.ACTIVE,
      });
      acknowledgeFunction(fn, handler);
      return [handler, fn];
    })) as unknown as WorkflowFunctions;

    const definitionOptions = { maxConcurrency: settings.drift.maxConcurrency, distributed, approvalTimeout: Duration.hours(settings.remediation.approvalTimeoutHours) };
    const machineRole = new iam.Role(this, 'StateMachineRole', {
      path: RAMPART_WORKFLOW_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Rampart workflows: the DriftCheck and Remediate state machines',
      managedPolicies: [permissions.stateMachine(Object.values(this.functions))],
    }).withoutPolicyUpdates();
    const machine = (id: string, name: string, definition: sfn.IChainable, comment: string) => {
      const sm = new sfn.StateMachine(this, id, {
        stateMachineName: name,
        comment,
        definitionBody: sfn.DefinitionBody.fromChainable(definition),
        role: machineRole,
        tracingEnabled: true,
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
        timeout: Duration.hours(settings.remediation.approvalTimeoutHours + 24),
      });
      if (distributed) acknowledgeDistributedMapPolicy(sm);
      return sm;
    };
    this.driftCheck = machine('DriftCheck', DRIFT_CHECK_NAME, driftCheckDefinition(new Construct(this, 'DriftCheckStates'), this.functions, definitionOptions),
      'Collect the organization\'s state (organization-wide views first), detect drift from the configuration, publish it to S3, SNS, EventBridge and Security Hub');
    this.remediate = machine('Remediate', REMEDIATE_NAME, remediateDefinition(new Construct(this, 'RemediateStates'), this.functions, definitionOptions),
      'Plan the repairs governance.yaml allows, wait for approvals, apply each under the executor protocol, verify');

    const starter = (id: string, service: string, target: sfn.StateMachine, description: string) => new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal(service),
      description,
      managedPolicies: [new iam.ManagedPolicy(this, `${id}Permissions`, {
        statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [target.stateMachineArn] })],
      })],
    }).withoutPolicyUpdates();

    new scheduler.CfnSchedule(this, 'DriftSchedule', {
      description: `Rampart drift check (governance.yaml drift.schedule: ${settings.drift.schedule})`,
      scheduleExpression: settings.drift.schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.driftCheck.stateMachineArn,
        roleArn: starter('SchedulerRole', 'scheduler.amazonaws.com', this.driftCheck, 'EventBridge Scheduler starts the Rampart drift check').roleArn,
        input: '{}',
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });

    const remediable = [{ numeric: ['>', 0] }];
    new events.CfnRule(this, 'RemediateOnDrift', {
      description: 'Starts Remediate when a drift check finds drift the remediation policy lets Rampart repair or ask to repair',
      eventPattern: {
        source: [EVENT_SOURCE],
        'detail-type': [DETAIL_TYPES.driftCheck],
        detail: { $or: [{ remediable: { auto: remediable } }, { remediable: { approve: remediable } }] },
      },
      targets: [{
        id: 'Remediate', arn: this.remediate.stateMachineArn,
        roleArn: starter('EventsRole', 'events.amazonaws.com', this.remediate, 'EventBridge starts Rampart remediation after a drift check').roleArn,
      }],
    });
  }
}

function acknowledgeFunction(fn: lambda.Function, handler: string): void {
  const runtimeReason = `Runs ${HANDLER_RUNTIME.name}, the newest Node.js runtime that cfn-lint 1.51 accepts; nodejs26.x, which cdk-nag asks for, fails template validation (E3030)`;
  const sync = `The ${handler} workflow handler is invoked synchronously by Step Functions, which retries it and catches its failure; there is no event to park in a queue`;
  const vpc = `The ${handler} workflow handler calls only public AWS service endpoints and reaches no VPC resource; the security-tooling account has no workload VPC`;
  acknowledge(fn, {
    'AwsSolutions-L1': runtimeReason,
    'NIST.800.53.R5-LambdaConcurrency': `The ${handler} workflow handler runs inside Step Functions Maps whose MaxConcurrency bounds its concurrency; reserving capacity would take it from the account for nothing`,
    'NIST.800.53.R5-LambdaDLQ': sync,
    'PCI.DSS.321-LambdaDLQ': sync,
    'NIST.800.53.R5-LambdaInsideVPC': vpc,
    'PCI.DSS.321-LambdaInsideVPC': vpc,
  });
}


/**
 * A Distributed Map makes CDK add an inline policy letting the state machine start and watch its
 * own child executions, whose names AWS generates: the findings name exactly those ARNs.
 */
export function acknowledgeDistributedMapPolicy(machine: sfn.StateMachine): void {
  const policy = machine.node.tryFindChild('DistributedMapPolicy');
  if (!policy) return;
  const stack = Stack.of(machine);
  const logicalId = stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const executions = `arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}`;
  const why = 'The Distributed Map starts and watches child executions of this state machine only; AWS names each execution at run time';
  acknowledge(policy, {
    [`AwsSolutions-IAM5[Resource::${executions}:*]`]: why,
    [`AwsSolutions-IAM5[Resource::${executions}/AccountBatches:*]`]: `${why} (the AccountBatches map run's executions)`,
    'NIST.800.53.R5-IAMNoInlinePolicy': 'CDK attaches the Distributed Map\'s grant on the state machine\'s own executions inline, bound to that one state machine',
    'PCI.DSS.321-IAMNoInlinePolicy': 'CDK attaches the Distributed Map\'s grant on the state machine\'s own executions inline, bound to that one state machine',
  });
}
