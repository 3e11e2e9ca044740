/**
 * Custom source fed by S3 log objects (Network Firewall, ALB) through S3 event notifications on SQS:
 * every record of every object is mapped (gzip or plain; .log, .json, .gz), written as Parquet to the
 * source's Security Lake location, and dead-lettered with its reason when it cannot be mapped. A message
 * whose object cannot be read or delivered is returned as a batch item failure for SQS to redeliver.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { CustomSourcePipeline, type DeliveryCounts } from '../ocsf/customSourcePipeline';
import { deliveryMetricsLog } from '../ocsf/deliveryMetrics';
import { accountFromLogKey } from '../ocsf/lakeLayout';
import { createRuntime, defaultClients, ensureMappingWorkers, openBatch, readSettings, type CustomSourceRuntime } from './customSourceSetup';
import type { BatchResponse } from './customSourceKinesis';

export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}
interface S3Notification {
  Event?: string;
  Records?: { eventName?: string; s3: { bucket: { name: string }; object: { key: string; eTag?: string; versionId?: string; sequencer?: string } } }[];
}

async function processMessage(body: string, runtime: CustomSourceRuntime, messageId: string): Promise<DeliveryCounts | undefined> {
  const notification = JSON.parse(body) as S3Notification;
  if (notification.Event === 's3:TestEvent') return undefined;
  const objects = (notification.Records ?? []).filter((r) => r.s3 && (!r.eventName || r.eventName.startsWith('ObjectCreated')));
  if (objects.length === 0) throw new Error('the message is not an S3 ObjectCreated notification');
  const batchId = `s3|${objects.map((o) => `${o.s3.bucket.name}/${o.s3.object.key}@${o.s3.object.versionId ?? o.s3.object.eTag ?? o.s3.object.sequencer ?? ''}`).join('|')}`;
  const { writer, deadLetters } = await openBatch(runtime, batchId);
  const pipeline = new CustomSourcePipeline(runtime.source, writer, deadLetters, { workers: runtime.workers });
  try {
    const s3 = runtime.clients.s3();
    for (const record of objects) {
      const bucket = record.s3.bucket.name;
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(record.s3.object.versionId ? { VersionId: record.s3.object.versionId } : {}) }));
      if (!object.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      await pipeline.processObject(object.Body as Readable, `s3://${bucket}/${key}`, accountFromLogKey(key));
    }
    return await pipeline.finish();
  } catch (error) {
    console.log(JSON.stringify(deliveryMetricsLog(runtime.source.name, pipeline.counts, pipeline.counts.in - pipeline.counts.rejected, runtime.clients.now(), { messageId, batchId })));
    throw error;
  } finally {
    writer.close();
  }
}

export async function handleS3Notifications(event: SqsEvent, runtime: CustomSourceRuntime, requestId = ''): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const message of event.Records ?? []) {
    try {
      const counts = await processMessage(message.body, runtime, message.messageId);
      if (counts) console.log(JSON.stringify(deliveryMetricsLog(runtime.source.name, counts, 0, runtime.clients.now(), { requestId, messageId: message.messageId })));
    } catch (error) {
      console.log(JSON.stringify({ level: 'ERROR', message: `message ${message.messageId} not delivered: ${(error as Error).message}`, requestId, messageId: message.messageId }));
      failures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures: failures };
}

let runtime: CustomSourceRuntime | undefined;

export async function handler(event: SqsEvent, context?: { awsRequestId?: string }): Promise<BatchResponse> {
  if (!runtime) {
    const settings = readSettings();
    runtime = createRuntime(settings, defaultClients(process.env.AWS_REGION ?? settings.region));
  }
  await ensureMappingWorkers(runtime);
  return handleS3Notifications(event, runtime, context?.awsRequestId);
}
