/**
 * One custom source end to end: raw records → parse → map to OCSF → route by class to its Security Lake
 * source → Parquet; everything that cannot be mapped goes to the dead-letter place with its reason.
 * Counts always balance: in = written + rejected (+ pending until the batch is flushed).
 *
 * Delivery maps each record straight into the Parquet columns of its class (the compiled row writers); the
 * object-producing `mapping.map` is the same compiled code with an object at the end, used to check events.
 */
import { buildColumnLayout } from './columnLayout';
import { EventRejection } from './coerce';
import { compileRowWriter, type CompiledMapping, type RowWriter } from './compileMapping';
import type { DeadLetterWriter } from './deadLetters';
import { parseAlbLogLine } from './albLogRecord';
import { accountPartition } from './lakeLayout';
import type { LakeSource, LakeWriter, ObjectSink, PartitionTarget, WrittenObject } from './lakeWriter';
import type { RawRecord } from './recordReader';

/** Largest record Rampart maps (Kinesis records are at most 1 MiB). */
export const MAX_RECORD_CHARS = 1024 * 1024;

/** A Security Lake custom source the mapping feeds: one per OCSF class. */
export interface CustomSourceRoute {
  sourceName: string;
  classUid: number;
  /** Security Lake's provider location, when known. */
  location?: string;
  /** Where the source's objects go, when not the pipeline's default sink. */
  sink?: ObjectSink;
}

export interface CustomSource {
  /** The configured name (the dead-letter place and the metrics use it). */
  name: string;
  mapping: CompiledMapping;
  byClass: Map<number, LakeSource>;
  /** Per mapping entry (plan order): the lake source of its class and its compiled row writer. */
  rowWriters: { source: LakeSource; write: RowWriter }[];
}

export function customSource(name: string, mapping: CompiledMapping, routes: CustomSourceRoute[]): CustomSource {
  const byClass = new Map<number, LakeSource>();
  const classes = new Set(mapping.plan.entries.map((e) => e.cls.uid));
  for (const uid of classes) {
    const route = routes.find((r) => r.classUid === uid);
    if (!route) throw new Error(`custom source ${name}: the mapping produces OCSF class ${uid} and no Security Lake source takes it (sources: ${routes.map((r) => `${r.sourceName} (${r.classUid})`).join(', ') || 'none'})`);
    byClass.set(uid, { sourceName: route.sourceName, classUid: uid, location: route.location, sink: route.sink, layout: buildColumnLayout(mapping.plan.entries.filter((e) => e.cls.uid === uid)) });
  }
  const rowWriters = mapping.plan.entries.map((entry) => {
    const source = byClass.get(entry.cls.uid)!;
    return { source, write: compileRowWriter(entry, source.layout) };
  });
  return { name, mapping, byClass, rowWriters };
}

export interface DeliveryCounts {
  in: number;
  written: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  writtenBySource: Record<string, number>;
  objects: WrittenObject[];
  deadLetterObjects: string[];
}

export class CustomSourcePipeline {
  readonly counts: DeliveryCounts = { in: 0, written: 0, rejected: 0, rejectedByCode: {}, writtenBySource: {}, objects: [], deadLetterObjects: [] };
  private readonly parse: (text: string) => unknown;
  /** Per mapping entry, where its rows go in this writer. */
  private readonly targets: PartitionTarget[];

  constructor(private readonly source: CustomSource, private readonly writer: LakeWriter, private readonly deadLetters: DeadLetterWriter) {
    this.parse = source.mapping.plan.recordFormat === 'aws-alb-log' ? parseAlbLine : JSON.parse;
    this.targets = source.rowWriters.map((w) => writer.target(w.source));
  }

  private reject(record: RawRecord, origin: string, code: string, reason: string, field?: string): void {
    this.counts.rejected++;
    this.counts.rejectedByCode[code] = (this.counts.rejectedByCode[code] ?? 0) + 1;
    const raw = record.text !== undefined ? { raw: record.text, rawEncoding: 'utf8' as const } : { raw: record.bytes!.toString('base64'), rawEncoding: 'base64' as const };
    this.deadLetters.add({ source: this.source.name, code, field, reason, origin: `${origin}#${record.line}`, ...raw });
  }

  /**
   * Maps records from one origin (an S3 object, a Kinesis record, a file). `account` is the AWS account the
   * origin belongs to (from the S3 key or the stream), used when the event does not name its own.
   */
  async process(records: RawRecord[], origin: string, account?: string): Promise<void> {
    // The account a record belongs to: its own cloud.account.uid, else the origin's account.
    const fallbackAccount = accountPartition(account);
    for (const target of this.targets) target.fallbackAccount = fallbackAccount;
    const mapping = this.source.mapping;
    const rowWriters = this.source.rowWriters;
    for (const record of records) {
      this.counts.in++;
      const text = record.text;
      if (text === undefined) {
        this.reject(record, origin, 'not-json', `not valid UTF-8 text (${record.bytes!.length} bytes)`);
        continue;
      }
      if (text.length > MAX_RECORD_CHARS) {
        this.reject(record, origin, 'event-too-large', `${text.length} characters (limit ${MAX_RECORD_CHARS})`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = this.parse(text);
      } catch (error) {
        this.reject(record, origin, error instanceof EventRejection ? error.code : 'not-json', error instanceof EventRejection ? error.message : `not JSON: ${(error as Error).message}`);
        continue;
      }
      try {
        const { index } = mapping.select(parsed);
        rowWriters[index].write(parsed, this.targets[index]);
      } catch (error) {
        if (!(error instanceof EventRejection)) throw error;
        this.reject(record, origin, error.code, error.message, error.field);
      }
    }
    if (this.writer.flushDueNow) this.recordWritten(await this.writer.flushDue());
  }

  private recordWritten(objects: WrittenObject[]): void {
    for (const o of objects) {
      this.counts.written += o.rows;
      this.counts.writtenBySource[o.source] = (this.counts.writtenBySource[o.source] ?? 0) + o.rows;
      this.counts.objects.push(o);
    }
  }

  /** Writes every buffered partition and the dead letters; call before acknowledging the batch. */
  async finish(): Promise<DeliveryCounts> {
    this.recordWritten(await this.writer.flushAll());
    this.counts.deadLetterObjects.push(...(await this.deadLetters.flush()));
    return this.counts;
  }
}

function parseAlbLine(text: string): unknown {
  const record = parseAlbLogLine(text);
  if (!record) throw new EventRejection('unparseable', '$', 'not an Application Load Balancer access log entry');
  return record;
}
