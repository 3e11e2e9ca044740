/**
 * One custom source end to end: raw records → parse → map to OCSF → route by class to its Security Lake
 * source → Parquet; everything that cannot be mapped goes to the dead-letter place with its reason.
 * Counts always balance: in = written + rejected (+ pending until the batch is flushed).
 *
 * Delivery maps each record straight into the Parquet columns of its class (the compiled row writers); the
 * object-producing `mapping.map` is the same compiled code with an object at the end, used to check events.
 * Log objects are mapped in line chunks, on mapping workers while they have room and on this thread
 * otherwise; each chunk's rows are added in chunk order, so what is written does not depend on the threads.
 */
import type { Readable } from 'node:stream';
import { ChunkMapper, mapPieces, type MappedChunk } from './chunkMapping';
import { BATCH_ROWS } from './columnBatch';
import { rawForDeadLetter, type CustomSource, type Rejection } from './customSource';
import type { DeadLetterWriter } from './deadLetters';
import { accountPartition, EXTERNAL_ACCOUNT } from './lakeLayout';
import type { LakeWriter, WrittenObject } from './lakeWriter';
import type { MappingWorkers } from './mappingWorkers';
import { linePieces, type ChunkLimits, type LinePiece, type RawRecord } from './recordReader';

/**
 * Where chunks end: after four column batches of lines (so a chunk's rows fill whole batches when they go to
 * one partition), or at 16 MiB for very long lines.
 */
export const CHUNK_LIMITS: ChunkLimits = { lines: 4 * BATCH_ROWS, bytes: 16 * 1024 * 1024 };
/** Chunks mapped ahead of the one being added to the writer, at most. */
const MAX_CHUNKS_AHEAD = 8;

export interface PipelineOptions {
  /** Mapping workers that take chunks while they have room; without, every chunk is mapped on this thread. */
  workers?: MappingWorkers;
  /** Where chunks end (default CHUNK_LIMITS). */
  chunkLimits?: ChunkLimits;
}

export interface DeliveryCounts {
  in: number;
  written: number;
  rejected: number;
  rejectedByCode: Record<string, number>;
  writtenBySource: Record<string, number>;
  objects: WrittenObject[];
  deadLetterObjects: string[];
  /** Chunks of log objects mapped on this thread and on mapping workers. */
  chunksMapped: { here: number; onWorkers: number };
}

/** A chunk of a log object, mapped here or on a worker; `object` is shared by the object's chunks. */
interface MappedEntry {
  object: { origin: string; fallbackAccount: string; lineBefore: number };
  promise: Promise<MappedChunk>;
  mapped?: MappedChunk;
}

export class CustomSourcePipeline {
  readonly counts: DeliveryCounts = { in: 0, written: 0, rejected: 0, rejectedByCode: {}, writtenBySource: {}, objects: [], deadLetterObjects: [], chunksMapped: { here: 0, onWorkers: 0 } };
  /** Chunks of objects mapped or being mapped, in the order they were read. */
  private readonly mapped: MappedEntry[] = [];
  /** Where records given one by one (`process`) are mapped until an object or the end comes. */
  private records: ChunkMapper | undefined;

  constructor(private readonly source: CustomSource, private readonly writer: LakeWriter, private readonly deadLetters: DeadLetterWriter, private readonly options: PipelineOptions = {}) {}

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
    // After the objects' rows, so rows keep the order they were given in.
    await this.takeMapped(true);
    // The account a record belongs to: its own cloud.account.uid, else the origin's account.
    const mapper = (this.records ??= new ChunkMapper(this.source, EXTERNAL_ACCOUNT));
    mapper.fallbackAccount = accountPartition(account);
    this.counts.in += records.length;
    mapper.addRecords(records, (record, rejection) => this.reject(origin, record.line, rawForDeadLetter(record), rejection));
    // Full batches go to the writer now (a partition can reach its size meanwhile); the rest when records end.
    await this.append(mapper.takeFull());
  }

  /** Adds the partly filled batches of the records given one by one. */
  private async endRecords(): Promise<void> {
    if (!this.records) return;
    const { batches } = this.records.finish();
    this.records = undefined;
    await this.append(batches);
  }

  /** Adds mapped batches to their partitions, and starts writing those that are due. */
  private async append(batches: MappedChunk['batches']): Promise<void> {
    for (const { batch, ...place } of batches) this.writer.append(this.source.byClass.get(place.classUid)!, place.accountId, place.day, batch, place);
    if (this.writer.flushDueNow) this.recordWritten(await this.writer.flushDue());
  }

  /**
   * Reads a log object (gzip or plain) chunk by chunk and maps each chunk on a mapping worker when one has room,
   * else here as it is decompressed. It can return before the workers are done with its last chunks, so the
   * next object is read meanwhile: results are added in order as they come, and all of them by `finish`.
   */
  async processObject(body: Buffer | Readable, origin: string, account?: string): Promise<void> {
    await this.endRecords();
    const object = { origin, fallbackAccount: accountPartition(account), lineBefore: 0 };
    const workers = this.options.workers;
    // The chunk being read: collected for a worker, or mapped here piece by piece as it is decompressed.
    let open: { forWorker: LinePiece[] } | { mapper: ChunkMapper } | undefined;
    for await (const piece of linePieces(body, this.options.chunkLimits ?? CHUNK_LIMITS)) {
      open ??= workers?.canTake ? { forWorker: [] } : { mapper: new ChunkMapper(this.source, object.fallbackAccount) };
      if ('mapper' in open) {
        open.mapper.add(piece);
        // DuckDB's scan of the partition being written runs on this thread, a batch per turn of the event loop:
        // give it (and the decompressor) a turn after each piece mapped here.
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        open.forWorker.push(piece);
      }
      if (!piece.chunkEnd) continue;
      if ('mapper' in open) {
        this.counts.chunksMapped.here++;
        const mapped = open.mapper.finish();
        this.mapped.push({ object, promise: Promise.resolve(mapped), mapped });
      } else {
        this.counts.chunksMapped.onWorkers++;
        const pieces = open.forWorker;
        // A chunk a worker could not map (the worker died) is mapped here instead.
        const promise = workers!.map(pieces, object.fallbackAccount).catch(() => {
          this.counts.chunksMapped.onWorkers--;
          this.counts.chunksMapped.here++;
          return mapPieces(this.source, pieces, object.fallbackAccount);
        });
        const entry: MappedEntry = { object, promise };
        promise.then((mapped) => (entry.mapped = mapped), () => undefined);
        this.mapped.push(entry);
      }
      open = undefined;
      await this.takeMapped(false);
    }
  }

  /** Adds mapped chunks to the writer in order: those ready (and any beyond MAX_CHUNKS_AHEAD), or all. */
  private async takeMapped(all: boolean): Promise<void> {
    const queue = this.mapped;
    while (queue.length && (all || queue[0].mapped || queue.length > MAX_CHUNKS_AHEAD)) {
      const { object, promise } = queue[0];
      const mapped = await promise;
      queue.shift();
      this.counts.in += mapped.records;
      for (const r of mapped.rejections) this.reject(object.origin, object.lineBefore + r.line, r, r);
      object.lineBefore += mapped.lines;
      await this.append(mapped.batches);
    }
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
    await this.takeMapped(true);
    await this.endRecords();
    this.recordWritten(await this.writer.flushAll());
    this.counts.deadLetterObjects.push(...(await this.deadLetters.flush()));
    return this.counts;
  }
}
