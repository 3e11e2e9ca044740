import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RampartConfig } from '../../config/model';
import { accessResolutionSettings, type AccessResolutionSettings } from '../../engine/accessResolution';
import { deriveDesiredState } from '../../engine/desiredState';
import { ACCESS_ENV } from '../../handlers/access/lambdaContext';
import {
  ACCESS_STEPS, accessFindingPattern, accessResolutionDefinition, MAX_CONCURRENT_ROLES, STATE_OF_STEP, SWEEP_INPUT, type AccessStep,
} from '../../workflows/access/accessResolutionDefinition';
import { AccountDirectory, SynthesisError } from '../accountDirectory';
import { HANDLER_RUNTIME, StackLogKey } from '../customResourceProvider';
import { bundleHandler } from '../handlerBundle';
import type { GovernanceExtension } from '../landingZone';
import { acknowledge } from '../nag';
import { RAMPART_WORKFLOW_ROLE_PATH } from '../organization/executionRole';
import { createRampartApp } from '../rampartApp';
import { STATE_MACHINE_WILDCARD_REASON, stateMachineStatements } from '../../workflows/permissions';
import { GovernanceStack } from './governanceStack';

/** Key prefix (under the evidence prefix) of the before/after records and the dead-letter events. */
export const ACCESS_RECORD_PREFIX = 'access-resolution/';

const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export interface AccessResolutionOptions {
  /** Ids of accounts organization.yaml has none for yet (`--account-ids`). */
  accountIds?: Record<string, string>;
}

/** Adds the access-resolution workflow to the governance stack. */
export function accessResolution(options: AccessResolutionOptions = {}): GovernanceExtension {
  return (stack) => {
    new AccessResolution(stack, 'AccessResolution', options);
  };
}

/**
 * Resolves external trust on IAM roles: the AccessResolution state machine (see
 * workflows/access), one Lambda per step with a role of exactly what that step calls (under
 * /rampart/, so the execution role in member accounts admits the two that read and write
 * roles), the EventBridge rule on the home Region analyzer's findings (with a dead-letter queue)
 * and the EventBridge Scheduler sweep from security.yaml accessAnalyzer.sweepSchedule.
 */
export class AccessResolution extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
  readonly settings: AccessResolutionSettings;

  constructor(stack: GovernanceStack, id: string, options: AccessResolutionOptions) {
    super(stack, id);
    const config = stack.config;
    if (!config.global.enabledRegions.includes(config.global.homeRegion)) {
      throw new SynthesisError([`global.yaml homeRegion ${config.global.homeRegion} is not in enabledRegions: the access-resolution workflow listens to the analyzer of the home Region`]);
    }
    const accounts = new AccountDirectory(config, options.accountIds);
    const ids = Object.fromEntries(config.organization.accounts.map((a) => [a.name, accounts.idOf(a.name, 'the access-resolution workflow (management account, Access Analyzer administrator, trusted principals)')]));
    accounts.assertComplete();
    this.settings = accessResolutionSettings(deriveDesiredState(config), config.governance.remediation, ids);
    const settings = this.settings;
    const partition = Stack.of(this).partition;
    const executionRoles = `arn:${partition}:iam::*:role/${settings.executionRoleName}`;
    const recordPrefix = `${stack.evidencePrefix}${ACCESS_RECORD_PREFIX}`;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: LOG_RETENTION, encryptionKey: StackLogKey.of(this).key, removalPolicy: RemovalPolicy.RETAIN });
    const writeLogs = new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`] });
    const publish = [
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [stack.notificationTopic.topicArn] }),
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [stack.key.keyArn] }),
    ];
    const putRecords = (prefix: string) => [
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [stack.evidenceBucket.arnForObjects(`${prefix}*`)] }),
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [stack.key.keyArn] }),
    ];
    const assumeExecutionRole = new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [executionRoles] });
    const findings = (...actions: string[]) => new iam.PolicyStatement({ actions: actions.map((a) => `access-analyzer:${a}`), resources: [settings.analyzer.arn] });

    const permissions: Record<AccessStep, { statements: iam.PolicyStatement[]; wildcards?: Record<string, string> }> = {
      // ListFindingsV2 is authorized as access-analyzer:ListFindings.
      intake: { statements: [findings('ListFindings')] },
      deadLetter: { statements: putRecords(`${recordPrefix}dead-letter/`), wildcards: { [`Resource::<${stack.getLogicalId(stack.evidenceBucket.node.defaultChild as never)}.Arn>/${recordPrefix}dead-letter/*`]: 'Writes one object per malformed event under the dead-letter prefix of the evidence bucket; object keys are not known in advance' } },
      assess: {
        statements: [
          findings('GetFinding'),
          new iam.PolicyStatement({ actions: ['access-analyzer:ValidatePolicy', 'organizations:DescribeOrganization'], resources: ['*'] }),
          assumeExecutionRole,
        ],
        wildcards: {
          'Resource::*': 'access-analyzer:ValidatePolicy and organizations:DescribeOrganization act on no resource and accept only Resource "*"',
          [`Resource::arn:<AWS::Partition>:iam::*:role/${settings.executionRoleName}`]: 'Reads roles in whichever account a finding names, through the Rampart execution role of that account; the accounts are the organization\'s and change as it grows',
        },
      },
      requestApproval: { statements: publish },
      apply: {
        statements: [assumeExecutionRole],
        wildcards: { [`Resource::arn:<AWS::Partition>:iam::*:role/${settings.executionRoleName}`]: 'Writes the trust policy of the role a finding names, in whichever account it is, through the Rampart execution role of that account (which keeps off exempt roles)' },
      },
      confirm: { statements: [findings('GetFinding', 'StartResourceScan')] },
      record: { statements: putRecords(recordPrefix), wildcards: { [`Resource::<${stack.getLogicalId(stack.evidenceBucket.node.defaultChild as never)}.Arn>/${recordPrefix}*`]: 'Writes one before/after record per change under the access-resolution prefix of the evidence bucket; object keys are not known in advance' } },
      notify: { statements: publish },
    };

    const functions = {} as Record<AccessStep, lambda.IFunction>;
    for (const step of ACCESS_STEPS) {
      const name = STATE_OF_STEP[step];
      const policy = new iam.ManagedPolicy(this, `${name}Permissions`, { description: `Rampart access resolution: ${step} step`, statements: [writeLogs, ...permissions[step].statements] });
      acknowledge(policy, {
        [`AwsSolutions-IAM5[Resource::${logGroup.node.defaultChild ? `<${Stack.of(this).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>` : ''}:*]`]: 'CloudWatch Logs names log streams at run time; the grant is limited to the streams of this workflow\'s own log group',
        ...Object.fromEntries(Object.entries(permissions[step].wildcards ?? {}).map(([finding, reason]) => [`AwsSolutions-IAM5[${finding}]`, reason])),
      });
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        path: RAMPART_WORKFLOW_ROLE_PATH,
        description: `Rampart access resolution: ${step} step`,
        managedPolicies: [policy],
      });
      const fn = new lambda.Function(this, `${name}Function`, {
        code: lambda.Code.fromAsset(bundleHandler(`access/${step}`)),
        handler: 'index.handler',
        runtime: HANDLER_RUNTIME,
        role: role.withoutPolicyUpdates(),
        logGroup,
        timeout: Duration.minutes(2),
        memorySize: 256,
        description: `Rampart access resolution: ${step}`,
        environment: {
          [ACCESS_ENV.topicArn]: stack.notificationTopic.topicArn,
          [ACCESS_ENV.recordBucket]: stack.evidenceBucket.bucketName,
          [ACCESS_ENV.recordPrefix]: recordPrefix,
        },
      });
      acknowledgeStepFunction(fn, step);
      // The role is passed without policy updates, so the dependency CDK adds on it repeats the GetAtt (cfn-lint W3005).
      (fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride('DependsOn');
      functions[step] = fn;
    }

    const machinePolicy = new iam.ManagedPolicy(this, 'StateMachinePermissions', {
      description: 'Rampart access resolution: the state machine',
      statements: stateMachineStatements(Object.values(functions)),
    });
    acknowledge(machinePolicy, { 'AwsSolutions-IAM5[Resource::*]': STATE_MACHINE_WILDCARD_REASON });
    const machineRole = new iam.Role(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      path: RAMPART_WORKFLOW_ROLE_PATH,
      description: 'Rampart access resolution: the state machine',
      managedPolicies: [machinePolicy],
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(accessResolutionDefinition(this, { functions, settings })),
      comment: 'Rampart: resolve external trust on IAM roles (Access Analyzer findings)',
      role: machineRole.withoutPolicyUpdates(),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.hours(settings.approvalTimeoutHours + 2),
    });
    (this.stateMachine.node.defaultChild as sfn.CfnStateMachine).addDeletionOverride('DependsOn');

    const deadLetters = new sqs.Queue(this, 'UndeliveredEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(deadLetters, {
      'AwsSolutions-SQS3': 'This queue is itself the dead-letter queue of the access-resolution rule and schedule: events EventBridge could not deliver wait here (14 days) for the sweep and for people',
    });
    const start = new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] });
    const ruleRole = new iam.Role(this, 'RuleRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      path: RAMPART_WORKFLOW_ROLE_PATH,
      description: 'Rampart access resolution: the finding rule starts the state machine',
      managedPolicies: [new iam.ManagedPolicy(this, 'RulePermissions', { description: 'Rampart access resolution: the finding rule', statements: [start] })],
    });
    // EventBridge Scheduler sends undelivered sweeps to the queue as this role (the rule's queue access is the queue policy CDK adds).
    const scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      path: RAMPART_WORKFLOW_ROLE_PATH,
      description: 'Rampart access resolution: the sweep schedule starts the state machine',
      managedPolicies: [new iam.ManagedPolicy(this, 'SchedulePermissions', {
        description: 'Rampart access resolution: the sweep schedule',
        statements: [start, new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] })],
      })],
    });
    this.rule = new events.Rule(this, 'FindingRule', {
      description: 'Rampart: ACTIVE Access Analyzer findings on IAM roles, to the access-resolution workflow',
      eventPattern: toCdkPattern(accessFindingPattern(settings.analyzer.arn)),
      targets: [new eventTargets.SfnStateMachine(this.stateMachine, { role: ruleRole.withoutPolicyUpdates(), deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    new scheduler.Schedule(this, 'Sweep', {
      description: 'Rampart: sweep of active Access Analyzer findings on IAM roles (security.yaml accessAnalyzer.sweepSchedule)',
      schedule: scheduler.ScheduleExpression.expression(config.security.accessAnalyzer.sweepSchedule),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        role: scheduleRole.withoutPolicyUpdates(), input: scheduler.ScheduleTargetInput.fromObject(SWEEP_INPUT), deadLetterQueue: deadLetters, retryAttempts: 8,
      }),
    });
  }
}

function toCdkPattern(pattern: ReturnType<typeof accessFindingPattern>): events.EventPattern {
  return { source: pattern.source, detailType: pattern['detail-type'], resources: pattern.resources, detail: pattern.detail };
}

function acknowledgeStepFunction(fn: lambda.Function, step: AccessStep): void {
  const what = `access-resolution ${step} step`;
  acknowledge(fn.node.defaultChild as lambda.CfnFunction, {
    'AwsSolutions-L1': `Runs ${HANDLER_RUNTIME.name}, the newest Node.js runtime that cfn-lint 1.51 accepts; nodejs26.x, which cdk-nag asks for, fails template validation (E3030)`,
    'NIST.800.53.R5-LambdaConcurrency': `The ${what} runs once per finding, for at most ${MAX_CONCURRENT_ROLES} roles at a time (the state machine's Map concurrency); a reservation would only take capacity from the account`,
    'NIST.800.53.R5-LambdaDLQ': `The ${what} is invoked synchronously by Step Functions, which retries and catches its errors and notifies the outcome; there is no asynchronous event to park`,
    'PCI.DSS.321-LambdaDLQ': `The ${what} is invoked synchronously by Step Functions, which retries and catches its errors and notifies the outcome; there is no asynchronous event to park`,
    'NIST.800.53.R5-LambdaInsideVPC': `The ${what} calls only public AWS service endpoints (IAM, STS, Access Analyzer, SNS, S3) and reaches no VPC resource; the security-tooling account has no workload VPC`,
    'PCI.DSS.321-LambdaInsideVPC': `The ${what} calls only public AWS service endpoints (IAM, STS, Access Analyzer, SNS, S3) and reaches no VPC resource; the security-tooling account has no workload VPC`,
  });
}

/**
 * The governance stack with the access-resolution workflow alone, synthesized (cdk-nag off): what
 * `rampart access` and the tests run locally, from the same construct that deploys.
 */
export function synthesizeAccessResolution(config: RampartConfig, options: AccessResolutionOptions = {}): { template: Record<string, never>; settings: AccessResolutionSettings } {
  const app = createRampartApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-access-')) });
  try {
    const accounts = new AccountDirectory(config, options.accountIds);
    const stack = new GovernanceStack(app, 'Rampart-Governance', {
      config,
      env: { account: accounts.idOf(config.organization.mandatoryAccounts.securityTooling, 'GovernanceStack (security-tooling account)'), region: config.global.homeRegion },
    });
    accounts.assertComplete();
    const workflow = new AccessResolution(stack, 'AccessResolution', options);
    const template = app.synth().getStackByName(stack.stackName).template as Record<string, never>;
    return { template, settings: workflow.settings };
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}
