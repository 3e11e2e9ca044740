/**
 * Custom source fed by a Kinesis stream (e.g. Sysmon events): maps every record, writes Parquet to the
 * source's Security Lake location through its provider role, dead-letters what it cannot map, and reports
 * a partial batch failure when delivery fails so Lambda retries from that record.
 */
import { readRecords } from '../ocsf/recordReader';
import { CustomSourcePipeline } from '../ocsf/customSourcePipeline';
import { deliveryMetricsLog } from '../ocsf/deliveryMetrics';
import { createRuntime, defaultClients, openBatch, readSettings, type CustomSourceRuntime } from './customSourceSetup';

export interface KinesisStreamEvent {
  Records: { eventID: string; eventSourceARN: string; kinesis: { data: string; sequenceNumber: string; partitionKey: string } }[];
}
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export async function handleKinesisBatch(event: KinesisStreamEvent, runtime: CustomSourceRuntime, requestId = ''): Promise<BatchResponse> {
  const records = event.Records ?? [];
  if (records.length === 0) return { batchItemFailures: [] };
  const first = records[0].kinesis.sequenceNumber;
  const batchId = `kinesis|${records[0].eventSourceARN}|${first}|${records[records.length - 1].kinesis.sequenceNumber}`;
  const { writer, deadLetters } = await openBatch(runtime, batchId);
  const pipeline = new CustomSourcePipeline(runtime.source, writer, deadLetters);
  let failed = 0;
  try {
    for (const record of records) {
      const account = /^arn:aws[a-z-]*:kinesis:[^:]+:(\d{12}):/.exec(record.eventSourceARN)?.[1];
      const shard = record.eventID.split(':')[0];
      for await (const batch of readRecords(Buffer.from(record.kinesis.data, 'base64'))) {
        await pipeline.process(batch, `kinesis:${shard}:${record.kinesis.sequenceNumber}`, account);
      }
    }
    await pipeline.finish();
  } catch (error) {
    // Nothing of this batch is acknowledged: Lambda retries it from the first record, and the same
    // records produce the same object names, so what was already written is overwritten.
    failed = pipeline.counts.in - pipeline.counts.rejected;
    console.log(JSON.stringify({ level: 'ERROR', message: `delivery failed: ${(error as Error).message}`, requestId, batchId }));
    return { batchItemFailures: [{ itemIdentifier: first }] };
  } finally {
    writer.close();
    console.log(JSON.stringify(deliveryMetricsLog(runtime.source.name, pipeline.counts, failed, runtime.clients.now(), { requestId, batchId })));
  }
  return { batchItemFailures: [] };
}

let runtime: CustomSourceRuntime | undefined;

export async function handler(event: KinesisStreamEvent, context?: { awsRequestId?: string }): Promise<BatchResponse> {
  if (!runtime) {
    const settings = readSettings();
    runtime = createRuntime(settings, defaultClients(process.env.AWS_REGION ?? settings.region));
  }
  return handleKinesisBatch(event, runtime, context?.awsRequestId);
}
