/**
 * One custom source end to end: raw records → parse → map to OCSF → route by class to its Security Lake
 * source → Parquet; everything that cannot be mapped goes to the dead-letter place with its reason.
 * Counts always balance: in = written + rejected (+ pending until the batch is flushed).
 *
 * Delivery maps each record straight into the Parquet columns of its class (the compiled row writers); the
 * object-producing `mapping.map` is the same compiled code with an object at the end, used to check events.
 */
import type { Readable } from 'node:stream';
import { mapRecords, type CustomSource, type Rejection } from './customSource';
import type { DeadLetterWriter } from './deadLetters';
import { accountPartition } from './lakeLayout';
import type { LakeWriter, PartitionTarget, WrittenObject } from './lakeWriter';
import { readRecords, type RawRecord } from './recordReader';

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
  /** Per mapping entry, where its rows go in this writer. */
  private readonly targets: PartitionTarget[];

  constructor(private readonly source: CustomSource, private readonly writer: LakeWriter, private readonly deadLetters: DeadLetterWriter) {
    this.targets = source.rowWriters.map((w) => writer.target(w.source));
  }

  private reject(origin: string, line: number, raw: { raw: string; rawEncoding: 'utf8' | 'base64' }, rejection: Rejection): void {
    this.counts.rejected++;
    this.counts.rejectedByCode[rejection.code] = (this.counts.rejectedByCode[rejection.code] ?? 0) + 1;
    this.deadLetters.add({ source: this.source.name, code: rejection.code, field: rejection.field, reason: rejection.reason, origin: `${origin}#${line}`, raw: raw.raw, rawEncoding: raw.rawEncoding });
  }

  /**
   * Maps records from one origin (an S3 object, a Kinesis record, a file). `account` is the AWS account the
   * origin belongs to (from the S3 key or the stream), used when the event does not name its own.
   */
  async process(records: RawRecord[], origin: string, account?: string): Promise<void> {
    // The account a record belongs to: its own cloud.account.uid, else the origin's account.
    const fallbackAccount = accountPartition(account);
    for (const target of this.targets) target.fallbackAccount = fallbackAccount;
    this.counts.in += records.length;
    mapRecords(this.source, records, this.targets, (record, rejection) => {
      const raw = record.text !== undefined ? { raw: record.text, rawEncoding: 'utf8' as const } : { raw: record.bytes!.toString('base64'), rawEncoding: 'base64' as const };
      this.reject(origin, record.line, raw, rejection);
    });
    if (this.writer.flushDueNow) this.recordWritten(await this.writer.flushDue());
  }

  /** Maps every record of a log object (gzip or plain). */
  async processObject(body: Buffer | Readable, origin: string, account?: string): Promise<void> {
    for await (const records of readRecords(body)) await this.process(records, origin, account);
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
