import type { DeliveryCounts } from './customSourcePipeline';

export const METRICS_NAMESPACE = 'Rampart/CustomSources';

/**
 * One batch's counts as a CloudWatch embedded-metric-format log line: CloudWatch turns the named fields
 * into metrics (per custom source) and the line stays searchable as a structured log.
 * `failed` counts events handed back to the event source for a retry (not written, not dead-lettered).
 */
export function deliveryMetricsLog(source: string, counts: DeliveryCounts, failed: number, timestampMs: number, context: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['CustomSource']],
        Metrics: ['EventsIn', 'EventsWritten', 'EventsRejected', 'EventsRetried', 'ObjectsWritten'].map((Name) => ({ Name, Unit: 'Count' })),
      }],
    },
    level: failed ? 'ERROR' : 'INFO',
    message: `custom source ${source}: ${counts.in} in, ${counts.written} written, ${counts.rejected} rejected${failed ? `, ${failed} handed back for retry` : ''}`,
    CustomSource: source,
    EventsIn: counts.in,
    EventsWritten: counts.written,
    EventsRejected: counts.rejected,
    EventsRetried: failed,
    ObjectsWritten: counts.objects.length,
    rejectedByCode: counts.rejectedByCode,
    writtenBySource: counts.writtenBySource,
    deadLetterObjects: counts.deadLetterObjects,
    chunksMapped: counts.chunksMapped,
    ...context,
  };
}
