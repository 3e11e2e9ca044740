import { DeregisterDelegatedAdministratorCommand, OrganizationsClient, RegisterDelegatedAdministratorCommand } from '@aws-sdk/client-organizations';
import { isAwsError, type CustomResourceEvent, type OnEventResponse } from './cloudFormationEvent';

export interface DelegatedAdministratorProps {
  AccountId: string;
  ServicePrincipals: string[];
}

type Organizations = Pick<OrganizationsClient, 'send'>;

/**
 * Registers an account as delegated administrator for service principals that CloudFormation
 * has no resource type for (AWS Config, IAM Access Analyzer). Create and update converge on
 * the requested registrations; delete deregisters. Already-registered and not-registered
 * answers count as success, so retries are safe.
 */
export async function syncDelegatedAdministrator(event: CustomResourceEvent<DelegatedAdministratorProps>, organizations: Organizations): Promise<OnEventResponse> {
  const wanted = event.ResourceProperties;
  const physicalId = `${wanted.AccountId}:${[...wanted.ServicePrincipals].sort().join(',')}`;
  if (event.RequestType === 'Delete') {
    for (const principal of wanted.ServicePrincipals) await deregister(organizations, wanted.AccountId, principal);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old = event.RequestType === 'Update' ? event.OldResourceProperties : undefined;
  if (old) {
    for (const principal of old.ServicePrincipals) {
      if (old.AccountId !== wanted.AccountId || !wanted.ServicePrincipals.includes(principal)) await deregister(organizations, old.AccountId, principal);
    }
  }
  for (const principal of wanted.ServicePrincipals) {
    try {
      await organizations.send(new RegisterDelegatedAdministratorCommand({ AccountId: wanted.AccountId, ServicePrincipal: principal }));
    } catch (error) {
      if (!isAwsError(error, 'AccountAlreadyRegisteredException')) throw error;
    }
  }
  return { PhysicalResourceId: physicalId, Data: { AccountId: wanted.AccountId } };
}

async function deregister(organizations: Organizations, accountId: string, principal: string): Promise<void> {
  try {
    await organizations.send(new DeregisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: principal }));
  } catch (error) {
    if (!isAwsError(error, 'AccountNotRegisteredException', 'AccountNotFoundException')) throw error;
  }
}

export const onEvent = (event: CustomResourceEvent<DelegatedAdministratorProps>) => syncDelegatedAdministrator(event, new OrganizationsClient({}));
