import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { WorkflowFunctions } from './definitions';
import { FAILURE_PATH, invoke } from './tasks';

/**
 * The Evidence state machine, JSONPath ASL only: collect (the DriftCheck collectors: plan ▸
 * Map(views) ▸ follow-ups ▸ Map(account batches) ▸ assemble and detect drift) ▸ checks ▸
 * Map(one framework per item: map to controls ▸ render ▸ write with manifest to the Object-Locked
 * evidence bucket) ▸ notify the compliance audience. Every Task retries throttling with full
 * jitter; a view or batch that fails leaves its scopes unknown; a framework that fails is
 * reported as not written while the others are; a run that fails as a whole is notified too.
 */

export const EVIDENCE_HANDLERS = ['evaluateChecks', 'renderFramework', 'notifyEvidence'] as const;
export type EvidenceHandler = (typeof EVIDENCE_HANDLERS)[number];
export type EvidenceFunctions = Record<EvidenceHandler, lambda.IFunction>;

export interface EvidenceDefinitionOptions {
  /** Per-account batches in flight (governance.yaml drift.maxConcurrency). */
  maxConcurrency: number;
}

/** Organization-wide views read in parallel: one per service (as DriftCheck). */
const VIEW_CONCURRENCY = 5;
/** Framework sets rendered and written in parallel. */
export const FRAMEWORK_CONCURRENCY = 3;

type CollectionFunctions = Pick<WorkflowFunctions, 'collectPlan' | 'collectView' | 'collectFollowUps' | 'collectAccounts' | 'detectDrift'>;

/** The DriftCheck collection over the same functions; the inventory and drift report land in the work bucket, their summary at `$.drift`. */
function collection(scope: Construct, fns: CollectionFunctions, options: EvidenceDefinitionOptions, failed: sfn.IChainable): sfn.Chain {
  const start = { runId: sfn.JsonPath.stringAt('$.collection.runId'), admins: sfn.JsonPath.objectAt('$.collection.admins') };
  const plan = invoke(scope, 'PlanCollection', fns.collectPlan, { executionName: sfn.JsonPath.executionName, startTime: sfn.JsonPath.executionStartTime }, '$.collection')
    .addCatch(failed, { resultPath: FAILURE_PATH });

  const views = new sfn.Map(scope, 'CollectViews', {
    comment: 'Organization-wide views, one per service, each through its delegated administrator',
    itemsPath: '$.collection.units',
    itemSelector: { ...start, unit: sfn.JsonPath.stringAt('$$.Map.Item.Value') },
    maxConcurrency: VIEW_CONCURRENCY,
    resultPath: '$.views',
  });
  views.itemProcessor(invoke(scope, 'CollectView', fns.collectView, {
    runId: sfn.JsonPath.stringAt('$.runId'), unit: sfn.JsonPath.stringAt('$.unit'), admins: sfn.JsonPath.objectAt('$.admins'),
  }, '$').addCatch(new sfn.Pass(scope, 'ViewUnreadable', { comment: 'The view\'s scopes are recorded unknown with this error' }), { resultPath: FAILURE_PATH }));

  const followUps = invoke(scope, 'PlanFollowUps', fns.collectFollowUps, { ...start, views: sfn.JsonPath.listAt('$.views') }, '$.followUps')
    .addCatch(failed, { resultPath: FAILURE_PATH });

  const batches = new sfn.Map(scope, 'CollectAccounts', {
    comment: 'Per-account reads for what no organization-wide view showed, a batch of accounts per item',
    itemsPath: '$.followUps.batches',
    itemSelector: { runId: sfn.JsonPath.stringAt('$.collection.runId'), index: sfn.JsonPath.numberAt('$$.Map.Item.Value.index') },
    maxConcurrency: options.maxConcurrency,
    resultPath: '$.accounts',
  });
  batches.itemProcessor(invoke(scope, 'CollectBatch', fns.collectAccounts, {
    runId: sfn.JsonPath.stringAt('$.runId'), index: sfn.JsonPath.numberAt('$.index'),
  }, '$').addCatch(new sfn.Pass(scope, 'BatchUnreadable', { comment: 'The batch\'s scopes are recorded unknown with this error' }), { resultPath: FAILURE_PATH }));

  const detect = invoke(scope, 'DetectDrift', fns.detectDrift, {
    runId: sfn.JsonPath.stringAt('$.collection.runId'), collectedAt: sfn.JsonPath.stringAt('$.collection.collectedAt'),
    planCalls: sfn.JsonPath.objectAt('$.collection.calls'), views: sfn.JsonPath.listAt('$.views'), accounts: sfn.JsonPath.listAt('$.accounts'),
  }, '$.drift').addCatch(failed, { resultPath: FAILURE_PATH });

  return sfn.Chain.start(plan).next(views).next(followUps).next(batches).next(detect);
}

/** collect ▸ checks ▸ Map(frameworks: map, render, write) ▸ notify compliance. */
export function evidenceDefinition(scope: Construct, fns: CollectionFunctions & EvidenceFunctions, options: EvidenceDefinitionOptions): sfn.IChainable {
  const failed = new sfn.Fail(scope, 'EvidenceFailed', { comment: 'A step every other depends on failed', errorPath: '$.failed.Error', causePath: '$.failed.Cause' });
  const notifyFailure = invoke(scope, 'NotifyFailure', fns.notifyEvidence, {
    runId: sfn.JsonPath.executionName, startTime: sfn.JsonPath.executionStartTime, failed: sfn.JsonPath.objectAt(FAILURE_PATH),
  }, '$.notified').addCatch(failed, { resultPath: '$.notified' });
  notifyFailure.next(failed);

  // The execution's input may name the frameworks of this run ({"frameworks": [ids] | "all"}); governance.yaml's otherwise.
  const checks = invoke(scope, 'EvaluateChecks', fns.evaluateChecks, {
    drift: sfn.JsonPath.objectAt('$.drift'), startTime: sfn.JsonPath.executionStartTime, request: sfn.JsonPath.objectAt('$$.Execution.Input'),
  }, '$.checks').addCatch(notifyFailure, { resultPath: FAILURE_PATH });

  const frameworks = new sfn.Map(scope, 'RenderFrameworks', {
    comment: 'One evidence set per framework, written with its manifest under <prefix><framework>/<date>/',
    itemsPath: '$.checks.frameworks',
    itemSelector: { framework: sfn.JsonPath.stringAt('$$.Map.Item.Value'), checks: sfn.JsonPath.objectAt('$.checks') },
    maxConcurrency: FRAMEWORK_CONCURRENCY,
    resultPath: '$.sets',
  });
  const notWritten = new sfn.Pass(scope, 'FrameworkNotWritten', {
    comment: 'The framework\'s set is reported as not written; the other frameworks go on',
    parameters: { framework: sfn.JsonPath.stringAt('$.framework'), failed: sfn.JsonPath.objectAt(FAILURE_PATH) },
  });
  frameworks.itemProcessor(invoke(scope, 'RenderFramework', fns.renderFramework, {
    framework: sfn.JsonPath.stringAt('$.framework'), checks: sfn.JsonPath.objectAt('$.checks'),
  }, '$').addCatch(notWritten, { resultPath: FAILURE_PATH }));

  const done = new sfn.Pass(scope, 'EvidenceDone', {
    parameters: { checks: sfn.JsonPath.objectAt('$.checks'), sets: sfn.JsonPath.listAt('$.sets'), notified: sfn.JsonPath.objectAt('$.notified') },
  });
  const notify = invoke(scope, 'NotifyCompliance', fns.notifyEvidence, {
    checks: sfn.JsonPath.objectAt('$.checks'), sets: sfn.JsonPath.listAt('$.sets'),
  }, '$.notified').addCatch(done, { resultPath: '$.notified' });

  return collection(scope, fns, options, notifyFailure).next(checks).next(frameworks).next(notify).next(done);
}
