import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CustomResourceEvent, OnEventResponse } from './cloudFormationEvent';

type Organizations = Pick<OrganizationsClient, 'send'>;

/**
 * Reads the organization id, which bucket and key policies name in `aws:SourceOrgID` and which
 * CloudFormation cannot read. Any account of the organization may ask. Nothing to undo on delete.
 */
export async function lookUpOrganizationId(event: CustomResourceEvent<object>, organizations: Organizations): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const id = (await organizations.send(new DescribeOrganizationCommand({}))).Organization?.Id;
  if (!id) throw new Error('DescribeOrganization returned no organization: deploy this stack in an account of the organization');
  return { PhysicalResourceId: id, Data: { OrganizationId: id } };
}

export const onEvent = (event: CustomResourceEvent<object>) => lookUpOrganizationId(event, new OrganizationsClient({}));
