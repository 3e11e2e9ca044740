import {
  CreateCustomLogSourceCommand, DeleteCustomLogSourceCommand, ListLogSourcesCommand, SecurityLakeClient, type CustomLogSourceResource,
} from '@aws-sdk/client-securitylake';
import { isAwsError, type CustomResourceEvent, type OnEventResponse } from './cloudFormationEvent';

export interface CustomSourceProps {
  SourceName: string;
  SourceVersion: string;
  /** One OCSF event class, e.g. PROCESS_ACTIVITY. */
  EventClass: string;
  CrawlerRoleArn: string;
  /** The account whose principal writes the source's data. */
  ProviderAccountId: string;
  ProviderExternalId: string;
}

type SecurityLake = Pick<SecurityLakeClient, 'send'>;

/**
 * Registers a Security Lake custom source (CloudFormation has no type for it). Security Lake
 * cannot update a source in place, so a changed source is deleted and created again under the
 * same name; a renamed source gets a new physical id and CloudFormation deletes the old one.
 * A source that already exists (a retried create) is taken over; a source that is already
 * gone counts as deleted. Returns what the source's writer needs: the provider role, its
 * external id and the S3 location.
 */
export async function syncCustomSource(event: CustomResourceEvent<CustomSourceProps>, securityLake: SecurityLake, region: string): Promise<OnEventResponse> {
  const wanted = event.ResourceProperties;
  const physicalId = `${wanted.SourceName}@${wanted.SourceVersion}`;
  if (event.RequestType === 'Delete') {
    await deleteSource(securityLake, wanted);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const old = event.RequestType === 'Update' ? event.OldResourceProperties : undefined;
  if (old && old.SourceName === wanted.SourceName && changed(old, wanted)) await deleteSource(securityLake, old);
  const source = (await createSource(securityLake, wanted)) ?? (await findCustomSource(securityLake, region, wanted.SourceName, wanted.SourceVersion));
  const roleArn = source?.provider?.roleArn;
  const location = source?.provider?.location;
  if (!roleArn || !location) {
    throw new Error(`Security Lake returned no provider role or location for custom source ${wanted.SourceName} ${wanted.SourceVersion} in ${region}`);
  }
  return {
    PhysicalResourceId: physicalId,
    Data: { ProviderRoleArn: roleArn, ProviderExternalId: wanted.ProviderExternalId, Location: location, CrawlerArn: source?.attributes?.crawlerArn ?? '' },
  };
}

/** A custom source as Security Lake lists it in one Region, or undefined when it is not registered. */
export async function findCustomSource(securityLake: SecurityLake, region: string, sourceName: string, sourceVersion: string): Promise<CustomLogSourceResource | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await securityLake.send(new ListLogSourcesCommand({
      regions: [region], sources: [{ customLogSource: { sourceName, sourceVersion } }], nextToken,
    }));
    for (const entry of page.sources ?? []) {
      for (const resource of entry.sources ?? []) {
        const custom = resource.customLogSource;
        if (custom?.sourceName === sourceName && (custom.sourceVersion ?? sourceVersion) === sourceVersion) return custom;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

function changed(a: CustomSourceProps, b: CustomSourceProps): boolean {
  const keys: (keyof CustomSourceProps)[] = ['SourceVersion', 'EventClass', 'CrawlerRoleArn', 'ProviderAccountId', 'ProviderExternalId'];
  return keys.some((key) => a[key] !== b[key]);
}

async function createSource(securityLake: SecurityLake, props: CustomSourceProps): Promise<CustomLogSourceResource | undefined> {
  try {
    const { source } = await securityLake.send(new CreateCustomLogSourceCommand({
      sourceName: props.SourceName,
      sourceVersion: props.SourceVersion,
      eventClasses: [props.EventClass],
      configuration: {
        crawlerConfiguration: { roleArn: props.CrawlerRoleArn },
        providerIdentity: { principal: props.ProviderAccountId, externalId: props.ProviderExternalId },
      },
    }));
    return source;
  } catch (error) {
    if (!isAwsError(error, 'ConflictException')) throw error;
    console.log(JSON.stringify({ level: 'INFO', message: 'custom source already registered; keeping it', sourceName: props.SourceName }));
    return undefined;
  }
}

async function deleteSource(securityLake: SecurityLake, props: CustomSourceProps): Promise<void> {
  try {
    await securityLake.send(new DeleteCustomLogSourceCommand({ sourceName: props.SourceName, sourceVersion: props.SourceVersion }));
  } catch (error) {
    if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
  }
}

export const onEvent = (event: CustomResourceEvent<CustomSourceProps>) => syncCustomSource(event, new SecurityLakeClient({}), process.env.AWS_REGION ?? '');
