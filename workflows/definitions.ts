import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { PublishTarget } from '../handlers/workflows/publishDrift';
import { REJECTED_ERROR } from '../aws/stepFunctions';
import type { WorkflowHandler } from './handlerAssets';
import { FAILURE_PATH, invoke, invokeAndWait } from './tasks';

/**
 * The state machine definitions, in JSONPath ASL only. Each Task retries throttling with full
 * jitter; a collection Task that fails is caught and its scopes recorded unknown (never clean);
 * every Map is bounded. Documents travel through the work bucket, so the state data stays small
 * at any organization size.
 */

export type WorkflowFunctions = Record<WorkflowHandler, lambda.IFunction>;

export interface DefinitionOptions {
  /** Per-account batches in flight (governance.yaml drift.maxConcurrency). */
  maxConcurrency: number;
  /** Run the per-account batches as a Distributed Map (large organizations). */
  distributed: boolean;
  /** How long an approval waits for a person (governance.yaml remediation.approvalTimeoutHours). */
  approvalTimeout: Duration;
}

/** Organization-wide views read in parallel: one per service. */
const VIEW_CONCURRENCY = 5;
/** Actions of one wave written in parallel. */
const ACTION_CONCURRENCY = 5;
/** A Distributed Map tolerates this share of failed batches (their scopes are unknown) before failing the run. */
export const TOLERATED_FAILURE_PERCENTAGE = 10;

const collectionStart = {
  runId: sfn.JsonPath.stringAt('$.collection.runId'),
  admins: sfn.JsonPath.objectAt('$.collection.admins'),
};

/** The functions that collect the organization's state and detect drift (DriftCheck, Remediate and Evidence share them). */
export type CollectionFunctions = Pick<WorkflowFunctions, 'collectPlan' | 'collectView' | 'collectFollowUps' | 'collectAccounts' | 'detectDrift'>;

/**
 * plan ▸ Map(organization-wide views) ▸ follow-ups ▸ Map(account batches) ▸ detect drift; the inventory and
 * drift report land in the work bucket, their summary at `$.drift`. A step every other depends on goes to `failed`.
 */
export function collection(scope: Construct, fns: CollectionFunctions, options: Pick<DefinitionOptions, 'maxConcurrency' | 'distributed'>, failed: sfn.IChainable): sfn.Chain {
  const plan = invoke(scope, 'PlanCollection', fns.collectPlan, {
    executionName: sfn.JsonPath.executionName, startTime: sfn.JsonPath.executionStartTime,
  }, '$.collection').addCatch(failed, { resultPath: FAILURE_PATH });

  const views = new sfn.Map(scope, 'CollectViews', {
    comment: 'Organization-wide views, one per service, each through its delegated administrator',
    itemsPath: '$.collection.units',
    itemSelector: { ...collectionStart, unit: sfn.JsonPath.stringAt('$$.Map.Item.Value') },
    maxConcurrency: VIEW_CONCURRENCY,
    resultPath: '$.views',
  });
  const viewUnreadable = new sfn.Pass(scope, 'ViewUnreadable', { comment: 'The view\'s scopes are recorded unknown with this error' });
  views.itemProcessor(invoke(scope, 'CollectView', fns.collectView, {
    runId: sfn.JsonPath.stringAt('$.runId'), unit: sfn.JsonPath.stringAt('$.unit'), admins: sfn.JsonPath.objectAt('$.admins'),
  }, '$').addCatch(viewUnreadable, { resultPath: FAILURE_PATH }));

  const followUps = invoke(scope, 'PlanFollowUps', fns.collectFollowUps, {
    ...collectionStart, views: sfn.JsonPath.listAt('$.views'),
  }, '$.followUps').addCatch(failed, { resultPath: FAILURE_PATH });

  const batchProps = {
    comment: 'Per-account reads for what no organization-wide view showed, a batch of accounts per item',
    itemsPath: '$.followUps.batches',
    itemSelector: { runId: sfn.JsonPath.stringAt('$.collection.runId'), index: sfn.JsonPath.numberAt('$$.Map.Item.Value.index') },
    maxConcurrency: options.maxConcurrency,
    resultPath: '$.accounts',
  };
  const batches = options.distributed
    ? new sfn.DistributedMap(scope, 'CollectAccounts', {
      ...batchProps, mapExecutionType: sfn.StateMachineType.STANDARD, toleratedFailurePercentage: TOLERATED_FAILURE_PERCENTAGE, label: 'AccountBatches',
    })
    : new sfn.Map(scope, 'CollectAccounts', batchProps);
  const batchUnreadable = new sfn.Pass(scope, 'BatchUnreadable', { comment: 'The batch\'s scopes are recorded unknown with this error' });
  batches.itemProcessor(invoke(scope, 'CollectBatch', fns.collectAccounts, {
    runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$.index'),
  }, '$').addCatch(batchUnreadable, { resultPath: FAILURE_PATH }));

  const detect = invoke(scope, 'DetectDrift', fns.detectDrift, {
    runId: sfn.JsonPath.stringAt('$.collection.runId'), collectedAt: sfn.JsonPath.stringAt('$.collection.collectedAt'),
    planCalls: sfn.JsonPath.objectAt('$.collection.calls'), views: sfn.JsonPath.listAt('$.views'), accounts: sfn.JsonPath.listAt('$.accounts'),
  }, '$.drift').addCatch(failed, { resultPath: FAILURE_PATH });

  return sfn.Chain.start(plan).next(views).next(followUps).next(batches).next(detect);
}

/** DriftCheck: collect ▸ detect ▸ publish to S3, SNS, EventBridge and Security Hub in parallel. */
export function driftCheckDefinition(scope: Construct, fns: WorkflowFunctions, options: DefinitionOptions): sfn.IChainable {
  const failed = new sfn.Fail(scope, 'DriftCheckFailed', { comment: 'A step every other depends on failed', errorPath: '$.failed.Error', causePath: '$.failed.Cause' });
  const publish = new sfn.Parallel(scope, 'PublishDrift', {
    comment: 'Each destination on its own: one that fails does not keep the others from the report',
    parameters: { summary: sfn.JsonPath.objectAt('$.drift') },
    resultPath: '$.published',
  });
  const targets: [PublishTarget, string][] = [['s3', 'ArchiveReport'], ['sns', 'NotifySecurity'], ['events', 'EmitDriftEvent'], ['securityhub', 'ImportFindings']];
  for (const [target, name] of targets) {
    const notPublished = new sfn.Pass(scope, `${name}Failed`, {
      parameters: { target, published: false, failed: sfn.JsonPath.objectAt(FAILURE_PATH) },
    });
    publish.branch(invoke(scope, name, fns.publishDrift, { target, summary: sfn.JsonPath.objectAt('$.summary') }, '$')
      .addCatch(notPublished, { resultPath: FAILURE_PATH }));
  }
  const done = new sfn.Pass(scope, 'DriftCheckDone', {
    parameters: { drift: sfn.JsonPath.objectAt('$.drift'), published: sfn.JsonPath.listAt('$.published') },
  });
  return collection(scope, fns, options, failed).next(publish).next(done);
}

/**
 * Remediate: (collect ▸ detect, unless started by a DriftCheck event) ▸ plan actions per policy ▸
 * Map(waves, one at a time) ▸ Map(actions of a wave: approve waits on a task token; apply runs the
 * executor protocol) ▸ verify by re-reading what was written.
 */
export function remediateDefinition(scope: Construct, fns: WorkflowFunctions, options: DefinitionOptions): sfn.IChainable {
  const failed = new sfn.Fail(scope, 'RemediateFailed', { comment: 'A step every other depends on failed', errorPath: '$.failed.Error', causePath: '$.failed.Cause' });
  const plan = invoke(scope, 'PlanRemediation', fns.remediationPlan, { runId: sfn.JsonPath.executionName, input: sfn.JsonPath.entirePayload }, '$.remediation')
    .addCatch(failed, { resultPath: FAILURE_PATH });

  const record = (id: string, decision: 'rejected' | 'expired' | 'failed') => invoke(scope, id, fns.recordDecision, {
    runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$.index'), decision, failed: sfn.JsonPath.objectAt(FAILURE_PATH),
  }, '$').addCatch(new sfn.Pass(scope, `${id}Unrecorded`, { comment: 'Verification records the action as failed without its record' }), { resultPath: '$.unrecorded' });
  const recordFailure = record('RecordFailure', 'failed');
  const apply = (id: string, withApproval: boolean) => invoke(scope, id, fns.applyAction, {
    runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$.index'),
    ...(withApproval ? { approval: sfn.JsonPath.objectAt('$.approval') } : {}),
  }, '$').addCatch(recordFailure, { resultPath: FAILURE_PATH });

  const approval = invokeAndWait(scope, 'RequestApproval', fns.requestApproval, {
    runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$.index'),
  }, '$.approval', options.approvalTimeout)
    .addCatch(record('RecordRejection', 'rejected'), { errors: [REJECTED_ERROR], resultPath: FAILURE_PATH })
    .addCatch(record('RecordExpiry', 'expired'), { errors: [sfn.Errors.TIMEOUT], resultPath: FAILURE_PATH })
    .addCatch(recordFailure, { resultPath: FAILURE_PATH });
  const decide = new sfn.Choice(scope, 'NeedsApproval')
    .when(sfn.Condition.stringEquals('$.mode', 'approve'), approval.next(apply('ApplyApprovedAction', true)))
    .otherwise(apply('ApplyAction', false));

  const actions = new sfn.Map(scope, 'ApplyWave', {
    comment: 'Actions of one wave are independent of each other',
    itemsPath: '$.actions',
    itemSelector: { runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$$.Map.Item.Value.index'), mode: sfn.JsonPath.stringAt('$$.Map.Item.Value.mode') },
    maxConcurrency: ACTION_CONCURRENCY,
  });
  actions.itemProcessor(decide);
  const waves = new sfn.Map(scope, 'ApplyWaves', {
    comment: 'Waves in order: what later actions depend on is written first',
    itemsPath: '$.remediation.waves',
    itemSelector: { runId: sfn.JsonPath.stringAt('$.remediation.runId'), actions: sfn.JsonPath.listAt('$$.Map.Item.Value.actions') },
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  });
  waves.itemProcessor(actions);

  const verify = invoke(scope, 'VerifyRemediation', fns.verifyRemediation, { runId: sfn.JsonPath.stringAt('$.remediation.runId') }, '$.result')
    .addCatch(failed, { resultPath: FAILURE_PATH });
  const done = new sfn.Pass(scope, 'RemediateDone', { parameters: { result: sfn.JsonPath.objectAt('$.result') } });
  const planAndApply = sfn.Chain.start(plan).next(waves).next(verify).next(done);

  return new sfn.Choice(scope, 'StartedByDriftCheck', { comment: 'A DriftCheck event carries the inventory and report to remediate' })
    .when(sfn.Condition.isPresent('$.detail.reportKey'), planAndApply)
    .otherwise(collection(scope, fns, options, failed).next(plan));
}
