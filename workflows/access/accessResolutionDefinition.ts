import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { REJECTED_ERROR } from '../../aws/stepFunctions';
import type { AccessResolutionSettings } from '../../engine/accessResolution';

/**
 * The AccessResolution state machine (JSONPath only): an Access Analyzer Finding event or a
 * scheduled sweep → Intake → an inline Map over roles (bounded concurrency) and, within a role, one
 * over its findings one at a time, taking each finding through
 * Assess → (approval) → Apply → Confirm → Record → Notify. Every Task retries throttling with
 * backoff and jitter and has a Catch; every finding ends with a notification of its outcome.
 */

/** Each step is one Task state and one Lambda (handlers/access/<step>.ts). */
export const ACCESS_STEPS = ['intake', 'deadLetter', 'assess', 'requestApproval', 'apply', 'confirm', 'record', 'notify'] as const;
export type AccessStep = (typeof ACCESS_STEPS)[number];

export const STATE_OF_STEP: Record<AccessStep, string> = {
  intake: 'Intake', deadLetter: 'DeadLetter', assess: 'Assess', requestApproval: 'RequestApproval', apply: 'Apply', confirm: 'Confirm', record: 'Record', notify: 'Notify',
};

/** Roles resolved in parallel (their findings one at a time): IAM and Access Analyzer calls stay well under their rate limits. */
export const MAX_CONCURRENT_ROLES = 5;

/** Access Analyzer re-analyzes a role within minutes of a change: checked 6 times over about 16 minutes. */
export const CONFIRM_RETRY = { intervalSeconds: 30, backoffRate: 2, maxAttempts: 5 } as const;

/** Errors a step rethrows when AWS kept throttling it after the SDK's own retries, and Lambda's own throttling. */
export const THROTTLING_ERRORS = [
  'Lambda.TooManyRequestsException', 'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown',
];

/**
 * The rule's event pattern: findings of Rampart's analyzer, ACTIVE, on IAM roles. The resource
 * type is `AWS::IAM::Role` (two colons: a pattern with `AWS::IAM:Role` never matches).
 */
export function accessFindingPattern(analyzerArn: string): { source: string[]; 'detail-type': string[]; resources: string[]; detail: { status: string[]; resourceType: string[] } } {
  return {
    source: ['aws.access-analyzer'],
    'detail-type': ['Access Analyzer Finding'],
    resources: [analyzerArn],
    detail: { status: ['ACTIVE'], resourceType: ['AWS::IAM::Role'] },
  };
}

/** The execution input the scheduled sweep sends. */
export const SWEEP_INPUT = { sweep: true } as const;

export interface AccessResolutionDefinitionProps {
  functions: Record<AccessStep, lambda.IFunction>;
  settings: AccessResolutionSettings;
}

function withThrottlingRetry<T extends sfn.TaskStateBase>(task: T): T {
  task.addRetry({ errors: THROTTLING_ERRORS, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, jitterStrategy: sfn.JitterType.FULL });
  return task;
}

export function accessResolutionDefinition(scope: Construct, props: AccessResolutionDefinitionProps): sfn.IChainable {
  // Steps of the Map take the finding's whole state and return it extended (ResolutionState); Intake and DeadLetter take named fields.
  const invoke = (step: AccessStep, payload?: Record<string, unknown>, resultPath?: string) => withThrottlingRetry(new tasks.LambdaInvoke(scope, STATE_OF_STEP[step], {
    lambdaFunction: props.functions[step],
    payloadResponseOnly: true,
    ...(payload ? { payload: sfn.TaskInput.fromObject(payload) } : {}),
    ...(resultPath ? { resultPath } : {}),
  }));

  const notify = invoke('notify');
  notify.addCatch(new sfn.Pass(scope, 'NotifyFailed', {
    parameters: { 'findingId.$': '$.ref.findingId', outcome: 'failed', 'reason.$': "States.Format('the notification could not be sent: {}', $.notifyError.Cause)" },
  }), { resultPath: '$.notifyError' });

  const record = invoke('record');
  record.addCatch(notify, { resultPath: '$.recordError' });
  record.next(notify);

  const unconfirmed = new sfn.Pass(scope, 'Unconfirmed', {
    result: sfn.Result.fromObject({ confirmed: false, status: 'ACTIVE', checks: CONFIRM_RETRY.maxAttempts + 1 }),
    resultPath: '$.confirmation',
  }).next(record);
  const confirm = invoke('confirm');
  confirm.addRetry({ errors: ['FindingStillActive'], interval: Duration.seconds(CONFIRM_RETRY.intervalSeconds), backoffRate: CONFIRM_RETRY.backoffRate, maxAttempts: CONFIRM_RETRY.maxAttempts });
  confirm.addCatch(unconfirmed, { errors: ['FindingStillActive'], resultPath: '$.confirmError' });
  confirm.addCatch(record, { resultPath: '$.error' });
  confirm.next(record);

  const apply = invoke('apply');
  apply.addCatch(notify, { resultPath: '$.error' });
  apply.next(new sfn.Choice(scope, 'Written')
    .when(sfn.Condition.booleanEquals('$.applied.written', true), confirm)
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.applied.alreadyDenied'), sfn.Condition.booleanEquals('$.applied.alreadyDenied', true)), confirm)
    .otherwise(record));

  const approvalTimeout = Duration.hours(props.settings.approvalTimeoutHours);
  const requestApproval = withThrottlingRetry(new tasks.LambdaInvoke(scope, STATE_OF_STEP.requestApproval, {
    lambdaFunction: props.functions.requestApproval,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ 'state.$': '$', taskToken: sfn.JsonPath.taskToken }),
    taskTimeout: sfn.Timeout.duration(approvalTimeout),
    resultPath: '$.approval',
  }));
  requestApproval.addCatch(new sfn.Pass(scope, 'ApprovalExpired', {
    result: sfn.Result.fromObject({ decision: 'expired', reason: `nobody answered the approval request within ${props.settings.approvalTimeoutHours} hours (governance.yaml approvalTimeoutHours)` }),
    resultPath: '$.approval',
  }).next(notify), { errors: [sfn.Errors.TIMEOUT], resultPath: '$.timeout' });
  requestApproval.addCatch(notify, { errors: [REJECTED_ERROR], resultPath: '$.approvalError' });
  requestApproval.addCatch(notify, { resultPath: '$.error' });
  requestApproval.next(new sfn.Choice(scope, 'Approved')
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.approval.decision'), sfn.Condition.stringEquals('$.approval.decision', 'approved')), apply)
    .otherwise(notify));

  const assess = invoke('assess');
  assess.addCatch(notify, { resultPath: '$.error' });
  assess.next(new sfn.Choice(scope, 'Decide')
    .when(sfn.Condition.stringEquals('$.assessment.decision', 'apply'), apply)
    .when(sfn.Condition.stringEquals('$.assessment.decision', 'approve'), requestApproval)
    .when(sfn.Condition.stringEquals('$.assessment.decision', 'confirm'), confirm)
    .otherwise(notify));

  // Roles in parallel; the findings of one role one after the other, each planned on the policy the previous one left.
  const resolveFindings = new sfn.Map(scope, 'ResolveFindings', {
    itemsPath: '$.findings',
    itemSelector: { 'ref.$': '$$.Map.Item.Value', 'settings.$': '$.settings' },
    maxConcurrency: 1,
    resultPath: '$.outcomes',
  });
  resolveFindings.itemProcessor(assess);
  const resolveRoles = new sfn.Map(scope, 'ResolveRoles', {
    itemsPath: '$.intake.roles',
    itemSelector: { 'resource.$': '$$.Map.Item.Value.resource', 'findings.$': '$$.Map.Item.Value.findings', 'settings.$': '$.intake.settings' },
    maxConcurrency: MAX_CONCURRENT_ROLES,
    resultPath: '$.results',
  });
  resolveRoles.itemProcessor(resolveFindings.next(new sfn.Pass(scope, 'RoleOutcomes', { parameters: { 'role.$': '$.resource', 'outcomes.$': '$.outcomes' } })));

  const deadLetter = invoke('deadLetter', { 'event.$': '$.event', 'settings.$': '$.settings', 'error.$': '$.intakeError' }, '$.deadLetter');
  deadLetter.next(new sfn.Fail(scope, 'MalformedEvent', { error: 'MalformedEvent', causePath: '$.deadLetter.reason' }));
  deadLetter.addCatch(new sfn.Fail(scope, 'DeadLetterFailed', { error: 'DeadLetterFailed', cause: 'the malformed event could not be written to the dead-letter prefix; it is in this execution\'s input' }));

  const intake = invoke('intake', { 'event.$': '$.event', 'settings.$': '$.settings' }, '$.intake');
  intake.addCatch(deadLetter, { errors: ['MalformedEvent'], resultPath: '$.intakeError' });
  intake.addCatch(new sfn.Fail(scope, 'IntakeFailed', { error: 'IntakeFailed', causePath: '$.intakeError.Cause' }), { resultPath: '$.intakeError' });

  const settings = new sfn.Pass(scope, 'Settings', { parameters: { 'event.$': '$', settings: props.settings as unknown as Record<string, unknown> } });
  return settings.next(intake).next(resolveRoles).next(new sfn.Pass(scope, 'Outcomes', {
    parameters: { 'source.$': '$.intake.source', 'results.$': '$.results' },
  }));
}
