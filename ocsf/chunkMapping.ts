/**
 * Maps one line chunk of a log object into sealed column batches of its own, per partition (OCSF class ×
 * account × day), with the records it rejected. The main thread and the mapping workers run the same code,
 * and the pipeline adds each chunk's batches to the lake writer in chunk order, so what is written does not
 * depend on which thread mapped a chunk.
 */
import { BATCH_ROWS, ColumnBatch, type StagingType } from './columnBatch';
import type { RowTarget } from './compileMapping';
import { mapRecords, rawForDeadLetter, type CustomSource, type Rejection } from './customSource';
import { PartitionRouting } from './lakeLayout';
import { PIECE_BYTES, splitLines, type LineChunk, type RawRecord } from './recordReader';

/** Where a batch of a chunk goes, and the times of its first and last row (for the writer's sort). */
export interface BatchPlace {
  classUid: number;
  accountId: string;
  day: string;
  first: number;
  last: number;
  sorted: boolean;
}

export interface ChunkRejection extends Rejection {
  /** Line within the chunk (1-based); element number in a JSON array document. */
  line: number;
  raw: string;
  rawEncoding: 'utf8' | 'base64';
}

export interface MappedChunk<B = ColumnBatch> {
  /** Lines the chunk holds, so the next chunk's lines are numbered on. */
  lines: number;
  records: number;
  rejections: ChunkRejection[];
  /** Every row of the chunk, in sealed batches: per partition in row order. */
  batches: (BatchPlace & { batch: B })[];
}

type Staging = BatchPlace & { batch: ColumnBatch };

/** Collects one class's rows of a chunk per partition (account × day), keeping their order. */
class ChunkTarget implements RowTarget {
  readonly routing = new PartitionRouting();
  private readonly byKey = new Map<string, Staging>();
  private current: Staging | undefined;

  constructor(private readonly classUid: number, private readonly types: readonly StagingType[], private readonly done: Staging[]) {}

  open(account: unknown, time: number): ColumnBatch {
    let staging = this.current;
    if (this.routing.changed(account, time) || staging === undefined) {
      const key = `${this.routing.accountId}|${this.routing.day}`;
      staging = this.byKey.get(key);
      if (!staging) {
        staging = { classUid: this.classUid, accountId: this.routing.accountId, day: this.routing.day, first: time, last: time, sorted: true, batch: new ColumnBatch(this.types) };
        this.byKey.set(key, staging);
      }
      this.current = staging;
    }
    if (staging.batch.rows === 0) staging.first = time;
    else if (time < staging.last) staging.sorted = false;
    staging.last = time;
    return staging.batch;
  }

  commit(batch: ColumnBatch): void {
    if (++batch.rows < BATCH_ROWS) return;
    const staging = this.current!;
    batch.seal();
    this.done.push({ ...staging });
    staging.batch = new ColumnBatch(this.types);
    staging.sorted = true;
  }

  /** Seals the partly filled batches. */
  finish(): void {
    for (const staging of this.byKey.values()) {
      if (staging.batch.rows === 0) continue;
      staging.batch.seal();
      this.done.push(staging);
    }
  }
}

/**
 * Maps the records of one chunk, piece by piece as they arrive (lines numbered within the chunk), or records
 * given one by one (`addRecords`, Kinesis); `fallbackAccount` is the partition of records that name no account
 * of their own. Full batches can be taken as they fill; `finish` seals the rest.
 */
export class ChunkMapper {
  private readonly done: Staging[] = [];
  private readonly byClass = new Map<number, ChunkTarget>();
  private readonly targets: ChunkTarget[];
  private readonly rejections: ChunkRejection[] = [];
  private lines = 0;
  private records = 0;

  constructor(private readonly source: CustomSource, fallbackAccount: string) {
    this.targets = source.rowWriters.map(({ source: lake }) => {
      let target = this.byClass.get(lake.classUid);
      if (!target) {
        target = new ChunkTarget(lake.classUid, lake.layout.types, this.done);
        this.byClass.set(lake.classUid, target);
      }
      return target;
    });
    this.fallbackAccount = fallbackAccount;
  }

  set fallbackAccount(account: string) {
    for (const target of this.byClass.values()) target.routing.fallbackAccount = account;
  }

  private readonly reject = (record: RawRecord, rejection: Rejection): void => {
    this.rejections.push({ ...rejection, line: record.line, ...rawForDeadLetter(record) });
  };

  add(piece: LineChunk): void {
    const { records, lines } = splitLines(piece, this.lines);
    this.lines += lines;
    this.records += records.length;
    mapRecords(this.source, records, this.targets, this.reject);
  }

  /** Maps records with their own line numbers; their rejections go to `reject`, not to the chunk's. */
  addRecords(records: readonly RawRecord[], reject: (record: RawRecord, rejection: Rejection) => void): void {
    this.records += records.length;
    mapRecords(this.source, records, this.targets, reject);
  }

  /** The batches that filled up so far (they are not returned again). */
  takeFull(): MappedChunk['batches'] {
    return this.done.splice(0);
  }

  /** Seals the partly filled batches and returns what is left; the mapper takes no more rows. */
  finish(): MappedChunk {
    for (const target of this.byClass.values()) target.finish();
    return { lines: this.lines, records: this.records, rejections: this.rejections, batches: this.done };
  }
}

/** Maps a chunk given as its pieces. */
export function mapPieces(source: CustomSource, pieces: Iterable<LineChunk>, fallbackAccount: string): MappedChunk {
  const mapper = new ChunkMapper(source, fallbackAccount);
  for (const piece of pieces) mapper.add(piece);
  return mapper.finish();
}

/** Maps a whole chunk, a cache-sized piece at a time. */
export function mapChunk(source: CustomSource, chunk: LineChunk, fallbackAccount: string): MappedChunk {
  return mapPieces(source, chunk.kind === 'lines' ? cachedPieces(chunk.data) : [chunk], fallbackAccount);
}

/** Whole lines as pieces of about PIECE_BYTES each. */
function* cachedPieces(data: Buffer): Generator<LineChunk> {
  for (let start = 0; ;) {
    // After a line end at the very end, the last (blank) line still counts.
    const end = start + PIECE_BYTES >= data.length ? -1 : data.indexOf(0x0a, start + PIECE_BYTES);
    if (end === -1) {
      yield { kind: 'lines', data: data.subarray(start) };
      return;
    }
    yield { kind: 'lines', data: data.subarray(start, end) };
    start = end + 1;
  }
}
