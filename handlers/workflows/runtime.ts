import { AwsClients, type ClientBase } from '../../aws/clients';
import { loadWorkflowSettings, type WorkflowSettings } from './settings';

/** Where the workflow handlers write and publish, as the construct sets them in each function's environment. */
export interface WorkflowDestinations {
  /** Run files of the workflows (partial inventories, reports, plans, records). */
  workBucket: string;
  evidenceBucket: string;
  evidencePrefix: string;
  topicArn: string;
  eventBusName: string;
}

/** Everything a handler needs besides its event: settings, destinations, fresh clients per invocation, the clock. */
export interface WorkflowRuntime {
  settings: WorkflowSettings;
  destinations: WorkflowDestinations;
  clients(sessionName: string): AwsClients;
  now(): Date;
}

export const ENVIRONMENT = {
  workBucket: 'RAMPART_WORK_BUCKET',
  evidenceBucket: 'RAMPART_EVIDENCE_BUCKET',
  evidencePrefix: 'RAMPART_EVIDENCE_PREFIX',
  topicArn: 'RAMPART_TOPIC_ARN',
  eventBusName: 'RAMPART_EVENT_BUS',
} as const satisfies Record<keyof WorkflowDestinations, string>;

export function destinationsFrom(env: Record<string, string | undefined>): WorkflowDestinations {
  const read = (key: keyof WorkflowDestinations) => {
    const value = env[ENVIRONMENT[key]];
    if (value === undefined) throw new Error(`the function's environment lacks ${ENVIRONMENT[key]}; it is set by the Rampart workflows construct`);
    return value;
  };
  return { workBucket: read('workBucket'), evidenceBucket: read('evidenceBucket'), evidencePrefix: read('evidencePrefix'), topicArn: read('topicArn'), eventBusName: read('eventBusName') };
}

/** A runtime over the given settings, destinations and transport (FakeAws in-process, a loopback endpoint, or AWS). */
export function workflowRuntime(settings: WorkflowSettings, destinations: WorkflowDestinations, base: ClientBase = {}, now: () => Date = () => new Date()): WorkflowRuntime {
  return {
    settings,
    destinations,
    now,
    clients: (sessionName) => new AwsClients({
      homeAccountId: settings.homeAccountId, homeRegion: settings.homeRegion, executionRoleName: settings.executionRoleName,
      organizationRoleName: settings.deployment.organizationRoleName, base, sessionName,
    }),
  };
}

let lambda: WorkflowRuntime | undefined;

/** The runtime of a Lambda invocation: shipped settings, environment variables, the default credential chain (AWS_ENDPOINT_URL honoured). */
export function lambdaRuntime(): WorkflowRuntime {
  lambda ??= workflowRuntime(loadWorkflowSettings(), destinationsFrom(process.env));
  return lambda;
}
