import {
  CreateDataLakeOrganizationConfigurationCommand,
  DeleteDataLakeOrganizationConfigurationCommand,
  SecurityLakeClient,
  type AwsLogSourceName,
} from '@aws-sdk/client-securitylake';
import { isAwsError, type CustomResourceEvent, type OnEventResponse } from './cloudFormationEvent';

export interface AutoEnableProps {
  Region: string;
  Sources: { SourceName: string; SourceVersion: string }[];
}

type SecurityLake = Pick<SecurityLakeClient, 'send'>;

/**
 * Makes Security Lake collect the configured AWS sources from accounts that join the
 * organization later (CloudFormation has no type for it). Update replaces the Region's
 * configuration; delete removes it; a missing configuration counts as removed.
 */
export async function syncAutoEnable(event: CustomResourceEvent<AutoEnableProps>, securityLake: SecurityLake): Promise<OnEventResponse> {
  const wanted = event.ResourceProperties;
  const physicalId = `securitylake-auto-enable:${wanted.Region}`;
  if (event.RequestType === 'Delete') {
    await remove(securityLake, wanted);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  if (event.RequestType === 'Update' && event.OldResourceProperties) await remove(securityLake, event.OldResourceProperties);
  const request = new CreateDataLakeOrganizationConfigurationCommand({ autoEnableNewAccount: [toApi(wanted)] });
  try {
    await securityLake.send(request);
  } catch (error) {
    if (!isAwsError(error, 'ConflictException')) throw error;
    // A configuration left by an earlier attempt: replace it with the wanted one.
    await remove(securityLake, wanted);
    await securityLake.send(request);
  }
  return { PhysicalResourceId: physicalId };
}

function toApi(props: AutoEnableProps) {
  return { region: props.Region, sources: props.Sources.map((s) => ({ sourceName: s.SourceName as AwsLogSourceName, sourceVersion: s.SourceVersion })) };
}

async function remove(securityLake: SecurityLake, props: AutoEnableProps): Promise<void> {
  try {
    await securityLake.send(new DeleteDataLakeOrganizationConfigurationCommand({ autoEnableNewAccount: [toApi(props)] }));
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
  }
}

export const onEvent = (event: CustomResourceEvent<AutoEnableProps>) => syncAutoEnable(event, new SecurityLakeClient({}));
