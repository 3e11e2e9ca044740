import { GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { AcceptResourceShareInvitationCommand, GetResourceShareInvitationsCommand, RAMClient } from '@aws-sdk/client-ram';
import { isAwsError, type CustomResourceEvent, type IsCompleteEvent, type IsCompleteResponse, type OnEventResponse } from './cloudFormationEvent';

export interface SharedTablesProps {
  /** The Security Lake delegated administrator, which shares the tables. */
  LakeAccountId: string;
  /** Security Lake's Glue database in the Region, e.g. amazon_security_lake_glue_db_us_east_1. */
  DatabaseName: string;
  /** Tables whose names Security Lake fixes (the native sources). */
  NativeTables: string[];
  /** Custom source names; Security Lake names their tables, found by the source's `ext/<name>/` location. */
  CustomSources: string[];
}

/** Attribute name under which the shared table of `CustomSources[index]` is returned. */
export const customTableAttribute = (index: number) => `CustomTable${index}`;

export interface SharedTablesClients {
  ram: Pick<RAMClient, 'send'>;
  glue: Pick<GlueClient, 'send'>;
}

/**
 * Makes the tables a Security Lake query subscriber receives usable in the subscriber account:
 * accepts the pending AWS RAM invitations from the lake account (none arrive when the
 * organization shares through AWS Organizations), then, in isComplete, waits until every
 * expected table is visible in the shared catalog and returns the custom sources' table names.
 * Nothing to undo on delete: the subscriber's removal ends the share.
 */
export async function acceptLakeShares(event: CustomResourceEvent<SharedTablesProps>, clients: SharedTablesClients): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? `lake-shares-${event.ResourceProperties.LakeAccountId}-${event.ResourceProperties.DatabaseName}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  await acceptPendingInvitations(clients.ram, event.ResourceProperties.LakeAccountId);
  return { PhysicalResourceId: physicalId };
}

export async function sharedTablesReady(event: IsCompleteEvent<SharedTablesProps>, clients: SharedTablesClients): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const props = event.ResourceProperties;
  // Security Lake may send the invitation after the subscriber resource reports done.
  await acceptPendingInvitations(clients.ram, props.LakeAccountId);
  const tables = await listSharedTables(clients.glue, props.LakeAccountId, props.DatabaseName);
  if (!tables) return { IsComplete: false };
  const names = new Set(tables.map((t) => t.name));
  const missing = props.NativeTables.filter((name) => !names.has(name));
  const data: Record<string, string> = {};
  props.CustomSources.forEach((source, index) => {
    const table = tables.find((t) => t.location.includes(`/ext/${source}/`));
    if (table) data[customTableAttribute(index)] = table.name;
    else missing.push(`the table of custom source ${source}`);
  });
  if (missing.length > 0) {
    console.log(JSON.stringify({ level: 'INFO', message: 'waiting for shared tables', catalog: props.LakeAccountId, database: props.DatabaseName, missing }));
    return { IsComplete: false };
  }
  return { IsComplete: true, Data: data };
}

async function acceptPendingInvitations(ram: SharedTablesClients['ram'], senderAccountId: string): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await ram.send(new GetResourceShareInvitationsCommand({ nextToken }));
    for (const invitation of page.resourceShareInvitations ?? []) {
      if (invitation.senderAccountId !== senderAccountId || invitation.status !== 'PENDING' || !invitation.resourceShareInvitationArn) continue;
      try {
        await ram.send(new AcceptResourceShareInvitationCommand({ resourceShareInvitationArn: invitation.resourceShareInvitationArn }));
        console.log(JSON.stringify({ level: 'INFO', message: 'accepted resource share', share: invitation.resourceShareName, from: senderAccountId }));
      } catch (error) {
        // Accepted meanwhile (a concurrent poll) or withdrawn: either way nothing is pending.
        if (!isAwsError(error, 'ResourceShareInvitationAlreadyAcceptedException', 'ResourceShareInvitationAlreadyRejectedException', 'ResourceShareInvitationExpiredException')) throw error;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
}

/** The shared tables of the database, or undefined while the database is not shared yet. */
async function listSharedTables(glue: SharedTablesClients['glue'], catalogId: string, databaseName: string): Promise<{ name: string; location: string }[] | undefined> {
  const out: { name: string; location: string }[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await glue.send(new GetTablesCommand({ CatalogId: catalogId, DatabaseName: databaseName, NextToken: nextToken }));
      for (const table of page.TableList ?? []) if (table.Name) out.push({ name: table.Name, location: table.StorageDescriptor?.Location ?? '' });
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    if (isAwsError(error, 'EntityNotFoundException', 'AccessDeniedException')) {
      console.log(JSON.stringify({ level: 'INFO', message: 'shared database not readable yet', catalog: catalogId, database: databaseName, reason: (error as Error).message }));
      return undefined;
    }
    throw error;
  }
  return out;
}

const clients = (): SharedTablesClients => ({ ram: new RAMClient({}), glue: new GlueClient({}) });
export const onEvent = (event: CustomResourceEvent<SharedTablesProps>) => acceptLakeShares(event, clients());
export const isComplete = (event: IsCompleteEvent<SharedTablesProps>) => sharedTablesReady(event, clients());
