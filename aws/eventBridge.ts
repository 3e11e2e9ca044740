import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AwsClients, ClientConstructor } from './clients';

/** Amazon EventBridge: Rampart's events (drift found, remediation done) on the home account's bus. */

const EventBridge = EventBridgeClient as ClientConstructor<EventBridgeClient>;

export const EVENT_SOURCE = 'rampart';

export async function putEvent(clients: AwsClients, busName: string, event: { detailType: string; detail: unknown; resources?: string[] }): Promise<void> {
  const out = await clients.client(EventBridge, 'events', { account: clients.homeAccountId, region: clients.homeRegion }).send(new PutEventsCommand({
    Entries: [{ EventBusName: busName, Source: EVENT_SOURCE, DetailType: event.detailType, Detail: JSON.stringify(event.detail), Resources: event.resources ?? [] }],
  }));
  if (out.FailedEntryCount) throw new Error(`EventBridge refused the event: ${out.Entries?.map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`).join('; ')}`);
}
