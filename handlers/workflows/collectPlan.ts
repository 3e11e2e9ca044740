import { planCollection } from '../../aws/collect/plan';
import { lambdaRuntime, type WorkflowRuntime } from './runtime';
import type { CollectionStart } from './steps';

/** DriftCheck, first step: which administrator accounts the organization-wide views are read from. */
export interface CollectPlanEvent {
  /** The execution's name: the run id. */
  executionName: string;
  /** The execution's start time: the inventory's collectedAt. */
  startTime: string;
}

export async function run(event: CollectPlanEvent, runtime: WorkflowRuntime): Promise<CollectionStart> {
  const clients = runtime.clients('rampart-drift-plan');
  const plan = await planCollection(clients, runtime.settings.desired, new Date(event.startTime).toISOString());
  return { runId: event.executionName, collectedAt: plan.collectedAt, units: plan.units, admins: plan.admins, calls: clients.calls.counts };
}

export const handler = (event: CollectPlanEvent) => run(event, lambdaRuntime());
