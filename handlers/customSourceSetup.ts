/**
 * What the custom-source Lambdas share: their configuration (one environment variable, written by the
 * Security Lake stack from securitylake.yaml) and the clients built from it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import { parseS3Location, providerRoleCredentials, S3ObjectSink } from '../aws/securityLakeProvider';
import { customSource, type CustomSource } from '../ocsf/customSource';
import { DeadLetterWriter } from '../ocsf/deadLetters';
import { eventDay } from '../ocsf/lakeLayout';
import { LakeWriter, type ObjectSink } from '../ocsf/lakeWriter';
import { formatMappingIssue, loadMappingFile } from '../ocsf/loadMapping';
import { defaultWorkerCount, MappingWorkers } from '../ocsf/mappingWorkers';

export const CONFIG_VARIABLE = 'RAMPART_CUSTOM_SOURCE';
/** Mapping worker threads of the S3 function; by default one per vCPU beyond the first (at most 3). */
export const WORKERS_VARIABLE = 'RAMPART_MAPPING_WORKERS';

export const customSourceSettingsSchema = z.strictObject({
  name: z.string().min(1),
  mapping: z.string().min(1).describe('builtin:<name> or a path inside the bundle'),
  region: z.string().min(1).describe('The Region the data is uploaded to'),
  routes: z.array(z.strictObject({
    sourceName: z.string().min(1),
    classUid: z.number().int(),
    location: z.string().regex(/^s3[an]?:\/\//, 'the provider location Security Lake returned, s3://bucket/ext/<source>/'),
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/),
    externalId: z.string().min(2),
  })).min(1),
  deadLetterBucket: z.string().min(3),
});
export type CustomSourceSettings = z.infer<typeof customSourceSettingsSchema>;

export interface CustomSourceClients {
  sts: STSClient;
  /** An S3 client acting with the given credentials (the provider role), or the function's own role. */
  s3: (credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>) => S3Client;
  now: () => number;
}

export function defaultClients(region: string): CustomSourceClients {
  return {
    sts: new STSClient({ region }),
    s3: (credentials) => new S3Client({ region, credentials }),
    now: Date.now,
  };
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): CustomSourceSettings {
  const raw = env[CONFIG_VARIABLE];
  if (!raw) throw new Error(`${CONFIG_VARIABLE} is not set; the Security Lake stack writes it from securitylake.yaml`);
  const parsed = customSourceSettingsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${CONFIG_VARIABLE} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface CustomSourceRuntime {
  settings: CustomSourceSettings;
  source: CustomSource;
  deadLetterSink: ObjectSink;
  clients: CustomSourceClients;
  /** Mapping workers, kept for the life of the container. */
  workers?: MappingWorkers;
}

/** Loads and compiles the mapping once per container and binds each route to its provider role. */
export function createRuntime(settings: CustomSourceSettings, clients: CustomSourceClients): CustomSourceRuntime {
  const loaded = loadMappingFile(settings.mapping);
  if (!loaded.compiled) throw new Error(`mapping ${settings.mapping} cannot be used:\n${loaded.issues.filter((i) => i.severity === 'error').map(formatMappingIssue).join('\n')}`);
  for (const issue of loaded.issues) console.log(JSON.stringify({ level: 'WARN', message: `mapping ${settings.mapping}: ${issue.message}`, where: issue.where, fix: issue.fix }));
  const routes = settings.routes.map((route) => {
    const { bucket } = parseS3Location(route.location);
    const credentials = providerRoleCredentials(clients.sts, { roleArn: route.roleArn, externalId: route.externalId, sessionName: `rampart-${route.sourceName}`.slice(0, 64) }, clients.now);
    return { sourceName: route.sourceName, classUid: route.classUid, location: route.location, sink: new S3ObjectSink(clients.s3(credentials), bucket) };
  });
  return { settings, clients, source: customSource(settings.name, loaded.compiled, routes), deadLetterSink: new S3ObjectSink(clients.s3(), settings.deadLetterBucket) };
}

export async function openBatch(runtime: CustomSourceRuntime, batchId: string): Promise<{ writer: LakeWriter; deadLetters: DeadLetterWriter }> {
  // Every route has its own sink (its provider role and bucket); the writer's default is never used for lake data.
  const writer = await LakeWriter.create({ sink: runtime.deadLetterSink, region: runtime.settings.region, batchId, now: runtime.clients.now });
  return { writer, deadLetters: new DeadLetterWriter(runtime.deadLetterSink, batchId, eventDay(runtime.clients.now())) };
}

/**
 * Starts the runtime's mapping workers unless they are running: as many as WORKERS_VARIABLE says, else one per
 * further vCPU. Workers that cannot start are logged and left out; the main thread maps everything then.
 */
export async function ensureMappingWorkers(runtime: CustomSourceRuntime, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (runtime.workers?.healthy) return;
  // Its chunks were mapped on the main thread since: say why, once, before starting new workers.
  const failedWith = runtime.workers?.failedWith;
  if (failedWith) console.log(JSON.stringify({ level: 'WARN', message: `mapping workers failed (${failedWith}); starting new ones` }));
  const configured = env[WORKERS_VARIABLE];
  const count = configured === undefined || configured === '' ? defaultWorkerCount() : Number(configured);
  if (!Number.isInteger(count) || count < 0) throw new Error(`${WORKERS_VARIABLE} must be a whole number (0 for none), not ${JSON.stringify(configured)}`);
  runtime.workers = undefined;
  if (count === 0) return;
  try {
    runtime.workers = await MappingWorkers.start(count, runtime.source);
  } catch (error) {
    console.log(JSON.stringify({ level: 'WARN', message: `mapping workers did not start; mapping on the main thread: ${(error as Error).message}` }));
  }
}
