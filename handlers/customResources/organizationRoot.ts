import { ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CustomResourceEvent, OnEventResponse } from './cloudFormationEvent';

/** Looks up the organization's root id, which CloudFormation has no way to read. Nothing to undo on delete. */
export async function lookUpRoot(event: CustomResourceEvent<object>, organizations: OrganizationsClient): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const { Roots } = await organizations.send(new ListRootsCommand({}));
  const rootId = Roots?.[0]?.Id;
  if (!rootId) throw new Error('ListRoots returned no root: deploy OrganizationStack in the management account of an organization with all features enabled');
  return { PhysicalResourceId: rootId, Data: { RootId: rootId } };
}

export const onEvent = (event: CustomResourceEvent<object>) => lookUpRoot(event, new OrganizationsClient({}));
