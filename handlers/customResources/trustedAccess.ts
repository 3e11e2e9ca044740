import { ActivateOrganizationsAccessCommand, CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EnableAWSServiceAccessCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CustomResourceEvent, OnEventResponse } from './cloudFormationEvent';

/** Service-managed StackSets get trusted access through CloudFormation, not through Organizations. */
export const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

export interface TrustedAccessProps {
  ServicePrincipals: string[];
}

export interface TrustedAccessClients {
  organizations: Pick<OrganizationsClient, 'send'>;
  cloudFormation: Pick<CloudFormationClient, 'send'>;
}

/**
 * Enables trusted access for the listed service principals. Enabling is idempotent in AWS.
 * Removing a principal from the list, or deleting the stack, leaves access enabled on purpose:
 * disabling trusted access tears down the service's organization-wide setup (Security Hub,
 * Config aggregation) and must be a deliberate act, not a side effect of a template change.
 */
export async function enableTrustedAccess(event: CustomResourceEvent<TrustedAccessProps>, clients: TrustedAccessClients): Promise<OnEventResponse> {
  const physicalId = event.PhysicalResourceId ?? `trusted-access-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') {
    console.log(JSON.stringify({ level: 'INFO', message: 'trusted access left enabled on delete', principals: event.ResourceProperties.ServicePrincipals }));
    return { PhysicalResourceId: physicalId };
  }
  for (const principal of event.ResourceProperties.ServicePrincipals) {
    if (principal === STACKSETS_PRINCIPAL) await clients.cloudFormation.send(new ActivateOrganizationsAccessCommand({}));
    else await clients.organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
  }
  return { PhysicalResourceId: physicalId };
}

export const onEvent = (event: CustomResourceEvent<TrustedAccessProps>) =>
  enableTrustedAccess(event, { organizations: new OrganizationsClient({}), cloudFormation: new CloudFormationClient({}) });
