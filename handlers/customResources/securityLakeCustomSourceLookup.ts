import { SecurityLakeClient } from '@aws-sdk/client-securitylake';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { CustomResourceEvent, OnEventResponse } from './cloudFormationEvent';
import { findCustomSource } from './securityLakeCustomSource';

export interface CustomSourceLookupProps {
  /** The read-only role the Security Lake stack offers provider accounts (securitylake:ListLogSources). */
  ReaderRoleArn: string;
  Region: string;
  Sources: { SourceName: string; SourceVersion: string }[];
}

/** Attribute names under which the provider role and location of `Sources[index]` are returned. */
export const lookupAttribute = {
  roleArn: (index: number) => `ProviderRoleArn${index}`,
  location: (index: number) => `Location${index}`,
};

/**
 * For ingestion that runs in a provider account other than the Security Lake administrator: reads
 * where each custom source is written (its provider role and S3 location) through the reader role
 * in the administrator account. Read-only; nothing to undo on delete.
 */
export async function lookUpCustomSources(event: CustomResourceEvent<CustomSourceLookupProps>, clients: { securityLake: (roleArn: string) => Promise<Pick<SecurityLakeClient, 'send'>> }): Promise<OnEventResponse> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const props = event.ResourceProperties;
  const securityLake = await clients.securityLake(props.ReaderRoleArn);
  const data: Record<string, string> = {};
  for (const [index, wanted] of props.Sources.entries()) {
    const source = await findCustomSource(securityLake, props.Region, wanted.SourceName, wanted.SourceVersion);
    if (!source?.provider?.roleArn || !source.provider.location) {
      throw new Error(`custom source ${wanted.SourceName} ${wanted.SourceVersion} is not registered in ${props.Region} yet: deploy the Security Lake stack of that Region first`);
    }
    data[lookupAttribute.roleArn(index)] = source.provider.roleArn;
    data[lookupAttribute.location(index)] = source.provider.location;
  }
  return { PhysicalResourceId: event.PhysicalResourceId ?? `custom-source-lookup-${event.LogicalResourceId}`, Data: data };
}

async function securityLakeAs(roleArn: string): Promise<SecurityLakeClient> {
  const { Credentials: c } = await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rampart-custom-source-lookup' }));
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  return new SecurityLakeClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
}

export const onEvent = (event: CustomResourceEvent<CustomSourceLookupProps>) => lookUpCustomSources(event, { securityLake: securityLakeAs });
