import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/**
 * Errors a Task retries: Lambda throttling and transient service errors. Every Task retries them
 * with exponential backoff and full jitter, so concurrent Map items spread their retries out.
 */
export const THROTTLING_ERRORS = [
  'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.ClientExecutionTimeoutException',
];

export const TASK_RETRY: sfn.RetryProps = {
  errors: THROTTLING_ERRORS,
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.minutes(1),
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * A Lambda task whose result (the handler's return value) lands at `resultPath`, retried on
 * throttling, and timed out with the function (a Task's own default is a year).
 */
export function invoke(scope: Construct, id: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath: string | null): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    taskTimeout: sfn.Timeout.duration((fn as lambda.Function).timeout ?? Duration.minutes(15)),
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    // "$" is the default (the result replaces the input); leaving it out keeps the ASL minimal.
    ...(resultPath === '$' ? {} : { resultPath: resultPath === null ? sfn.JsonPath.DISCARD : resultPath }),
  });
  task.addRetry(TASK_RETRY);
  return task;
}

/**
 * A Lambda task that waits for a person: the handler gets the task token and the state waits
 * until SendTaskSuccess or SendTaskFailure answers it, or `timeout` passes (States.Timeout).
 */
export function invokeAndWait(scope: Construct, id: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath: string, timeout: Duration): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ ...payload, token: sfn.JsonPath.taskToken }),
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(timeout),
    resultPath,
  });
  task.addRetry(TASK_RETRY);
  return task;
}

/** Where a Catch puts the error: beside the state's input, so a recording state knows which item failed. */
export const FAILURE_PATH = '$.failed';
