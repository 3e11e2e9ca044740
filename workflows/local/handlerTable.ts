import * as evaluateChecks from '../../handlers/evidence/evaluateChecks';
import * as notifyEvidence from '../../handlers/evidence/notifyEvidence';
import * as renderFramework from '../../handlers/evidence/renderFramework';
import { readEvidenceSettings } from '../../handlers/evidence/settings';
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
import type { EvidenceHandler } from '../evidenceDefinition';
import type { WorkflowHandler } from '../handlerAssets';

/** A handler run in this process: the event, the runtime, and the function's code directory (for the settings shipped there). */
type Run = (event: never, runtime: WorkflowRuntime, codeDir: string) => Promise<unknown>;

/** Each workflow handler's `run(event, runtime)`, for in-process execution; the evidence handlers read their settings from the function's code directory, as the bundle does beside index.js. */
export const HANDLER_RUNS: Record<WorkflowHandler | EvidenceHandler, Run> = {
  collectPlan: collectPlan.run, collectView: collectView.run, collectFollowUps: collectFollowUps.run, collectAccounts: collectAccounts.run,
  detectDrift: detectDrift.run, publishDrift: publishDrift.run, remediationPlan: remediationPlan.run, requestApproval: requestApproval.run,
  applyAction: applyAction.run, recordDecision: recordDecision.run, verifyRemediation: verifyRemediation.run,
  evaluateChecks: (event, runtime, codeDir) => evaluateChecks.run(event, runtime, readEvidenceSettings(codeDir)),
  renderFramework: (event, runtime, codeDir) => renderFramework.run(event, runtime, readEvidenceSettings(codeDir)),
  notifyEvidence: notifyEvidence.run,
};
