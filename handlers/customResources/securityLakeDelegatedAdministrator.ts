import { ListDelegatedAdministratorsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DeregisterDataLakeDelegatedAdministratorCommand, RegisterDataLakeDelegatedAdministratorCommand, SecurityLakeClient } from '@aws-sdk/client-securitylake';
import { isAwsError, type CustomResourceEvent, type OnEventResponse } from './cloudFormationEvent';

export interface SecurityLakeDelegatedAdministratorProps {
  AccountId: string;
  Regions: string[];
}

export interface SecurityLakeAdminClients {
  securityLake(region: string): Pick<SecurityLakeClient, 'send'>;
  organizations: Pick<OrganizationsClient, 'send'>;
}

const SECURITY_LAKE_PRINCIPAL = 'securitylake.amazonaws.com';

/**
 * Designates the Security Lake delegated administrator (CloudFormation has no type for it) in
 * every Security Lake Region. A conflict is success when the organization already names this
 * account, and an error naming the other account otherwise.
 */
export async function syncSecurityLakeAdministrator(event: CustomResourceEvent<SecurityLakeDelegatedAdministratorProps>, clients: SecurityLakeAdminClients): Promise<OnEventResponse> {
  const wanted = event.ResourceProperties;
  const physicalId = `securitylake-admin:${wanted.AccountId}`;
  if (event.RequestType === 'Delete') {
    for (const region of wanted.Regions) await deregister(clients, region);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old = event.RequestType === 'Update' ? event.OldResourceProperties : undefined;
  if (old && old.AccountId !== wanted.AccountId) for (const region of old.Regions) await deregister(clients, region);
  for (const region of wanted.Regions) {
    try {
      await clients.securityLake(region).send(new RegisterDataLakeDelegatedAdministratorCommand({ accountId: wanted.AccountId }));
    } catch (error) {
      if (!isAwsError(error, 'ConflictException')) throw error;
      const current = await currentAdministrators(clients);
      if (!current.includes(wanted.AccountId)) {
        throw new Error(`Security Lake already has delegated administrator ${current.join(', ') || '(unknown)'}; deregister it in the management account before making ${wanted.AccountId} the administrator`, { cause: error });
      }
    }
  }
  return { PhysicalResourceId: physicalId, Data: { AccountId: wanted.AccountId } };
}

async function deregister(clients: SecurityLakeAdminClients, region: string): Promise<void> {
  try {
    await clients.securityLake(region).send(new DeregisterDataLakeDelegatedAdministratorCommand({}));
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
  }
}

async function currentAdministrators(clients: SecurityLakeAdminClients): Promise<string[]> {
  const { DelegatedAdministrators } = await clients.organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: SECURITY_LAKE_PRINCIPAL }));
  return (DelegatedAdministrators ?? []).flatMap((admin) => (admin.Id ? [admin.Id] : []));
}

export const onEvent = (event: CustomResourceEvent<SecurityLakeDelegatedAdministratorProps>) =>
  syncSecurityLakeAdministrator(event, { securityLake: (region) => new SecurityLakeClient({ region }), organizations: new OrganizationsClient({}) });
