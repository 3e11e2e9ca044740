import * as applyAction from '../../handlers/workflows/applyAction';
import * as collectAccounts from '../../handlers/workflows/collectAccounts';
import * as collectFollowUps from '../../handlers/workflows/collectFollowUps';
import * as collectPlan from '../../handlers/workflows/collectPlan';
import * as collectView from '../../handlers/workflows/collectView';
import * as detectDrift from '../../handlers/workflows/detectDrift';
import * as publishDrift from '../../handlers/workflows/publishDrift';
import * as recordDecision from '../../handlers/workflows/recordDecision';
import * as remediationPlan from '../../handlers/workflows/remediationPlan';
import * as requestApproval from '../../handlers/workflows/requestApproval';
import type { WorkflowRuntime } from '../../handlers/workflows/runtime';
import * as verifyRemediation from '../../handlers/workflows/verifyRemediation';
import type { WorkflowHandler } from '../handlerAssets';

type Run = (event: never, runtime: WorkflowRuntime) => Promise<unknown>;

/** Each workflow handler's `run(event, runtime)`, for in-process execution. */
export const HANDLER_RUNS: Record<WorkflowHandler, Run> = {
  collectPlan: collectPlan.run, collectView: collectView.run, collectFollowUps: collectFollowUps.run, collectAccounts: collectAccounts.run,
  detectDrift: detectDrift.run, publishDrift: publishDrift.run, remediationPlan: remediationPlan.run, requestApproval: requestApproval.run,
  applyAction: applyAction.run, recordDecision: recordDecision.run, verifyRemediation: verifyRemediation.run,
};
