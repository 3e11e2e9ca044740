import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { AwsClients, ClientConstructor } from './clients';

/** AWS Step Functions: answers to a remediation waiting for a person's approval (its task token). */

const Sfn = SFNClient as ClientConstructor<SFNClient>;

/** The error a rejected approval fails its task with; the Remediate workflow catches it by this name. */
export const REJECTED_ERROR = 'Rampart.Rejected';

export async function approveTask(clients: AwsClients, token: string, decision: { by: string; at: string; reason?: string }): Promise<void> {
  await client(clients).send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'approved', ...decision }) }));
}

export async function rejectTask(clients: AwsClients, token: string, decision: { by: string; reason: string }): Promise<void> {
  await client(clients).send(new SendTaskFailureCommand({ taskToken: token, error: REJECTED_ERROR, cause: JSON.stringify({ by: decision.by, reason: decision.reason }) }));
}

function client(clients: AwsClients): SFNClient {
  return clients.client(Sfn, 'states', { account: clients.homeAccountId, region: clients.homeRegion });
}
