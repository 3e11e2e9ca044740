import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { collection, type CollectionFunctions } from './definitions';
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
  /** Run the per-account batches as a Distributed Map (large organizations), as DriftCheck does. */
  distributed: boolean;
}

/** Framework sets rendered and written in parallel. */
export const FRAMEWORK_CONCURRENCY = 3;

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
