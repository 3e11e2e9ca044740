/**
 * Buffers OCSF events per Security Lake partition (source × account × eventDay) in DuckDB staging tables
 * and writes each as Parquet: ZSTD, sorted by time, typed columns, data pages of at most 1 MB.
 * Partitions are flushed when they reach a size or an age, and all at once at the end of a batch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBDataChunk, DuckDBInstance, type DuckDBAppender, type DuckDBConnection, BOOLEAN, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import { ROW_WIDTH_COLUMN, type ColumnLayout, type StagingType } from './columnLayout';
import type { OcsfEvent } from './compileMapping';
import { eventDay, objectName, partitionPrefix, sourcePrefix } from './lakeLayout';
import { CHUNK_ROWS, StagingChunkFiller } from './stagingChunk';

/** Where Parquet objects go: an S3 bucket through the provider role, or a local directory. */
export interface ObjectSink {
  put(key: string, body: Uint8Array): Promise<void>;
}

/** One Security Lake custom source: a name registered in Security Lake and the OCSF class it takes. */
export interface LakeSource {
  sourceName: string;
  classUid: number;
  layout: ColumnLayout;
  /** Security Lake's provider location for the source; defaults to ext/<sourceName>/. */
  location?: string;
  /** Where this source's objects go (its own provider role and bucket); defaults to the writer's sink. */
  sink?: ObjectSink;
}

export interface WrittenObject {
  key: string;
  source: string;
  accountId: string;
  eventDay: string;
  rows: number;
  bytes: number;
}

export interface LakeWriterOptions {
  sink: ObjectSink;
  /** The Region the data is uploaded to (Security Lake's partition key). */
  region: string;
  /** Identifies the input batch; object names derive from it so a retry overwrites. */
  batchId: string;
  /** Flush a partition when its staged data reaches this many bytes (default 128 MiB). */
  maxBytes?: number;
  /** Flush a partition this long after its first event (default 5 minutes, Security Lake's lower bound). */
  maxAgeMs?: number;
  now?: () => number;
  /** DuckDB memory limit for staging and sorting (default 512MB); more spills to a temporary directory. */
  memoryLimit?: string;
  /** DuckDB threads (default 1: the event loop keeps the other core; measured faster and cheaper on 2 vCPUs). */
  threads?: number;
}

const DUCK_TYPES = { VARCHAR, INTEGER, DOUBLE, BOOLEAN } as const;

interface Partition {
  source: LakeSource;
  accountId: string;
  day: string;
  table: string;
  /** Created with the staging table when the first chunk is full. */
  appender: DuckDBAppender | undefined;
  columns: unknown[][];
  pendingRows: number;
  rows: number;
  bytes: number;
  /** Largest bytes per row any column reached in one chunk: it bounds the rows a 1 MB page can hold. */
  widestColumnBytesPerRow: number;
  openedAt: number;
  /** Which flush of this partition key within the batch it is: part of the object names. */
  flushSequence: number;
  /** Logs mostly arrive in time order; when they did, the write needs no sort. */
  lastTime: number;
  sorted: boolean;
}

/** Security Lake: data pages of at most 1 MB uncompressed. Aim below it, as row groups are only roughly sized. */
const PAGE_BUDGET_BYTES = 900 * 1024;
/** DuckDB writes one data page per column per row group, and row groups of at least one vector (2048 rows). */
const MIN_ROW_GROUP_ROWS = CHUNK_ROWS;
const MAX_ROW_GROUP_ROWS = 122_880;

let tableCounter = 0;

function sqlString(text: string): string {
  return text.replace(/'/g, "''");
}

export class LakeWriter {
  private readonly partitions = new Map<string, Partition>();
  private readonly filler = new StagingChunkFiller();
  private readonly chunks = new Map<number, DuckDBDataChunk>();
  private columnBytes = new Float64Array(64);
  private readonly flushSequences = new Map<string, number>();
  private readonly tmpDir: string;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  /** Completed objects not yet reported by flushDue/flushAll. */
  private completed: WrittenObject[] = [];
  /** The flush running in the background (COPY on its own connection) while events keep being staged. */
  private inFlight: Promise<void> | undefined;
  private failure: unknown;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly copyConnection: DuckDBConnection,
    private readonly options: LakeWriterOptions,
    tmpDir: string,
  ) {
    this.tmpDir = tmpDir;
    this.maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  static async create(options: LakeWriterOptions): Promise<LakeWriter> {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-parquet-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Staged data beyond the limit spills to the temporary directory (in Lambda, /tmp: the code directory is
    // read-only), which keeps memory bounded.
    await connection.run(`SET memory_limit = '${options.memoryLimit ?? '512MB'}'`);
    await connection.run(`SET temp_directory = '${sqlString(path.join(tmpDir, 'spill'))}'`);
    await connection.run(`SET threads = ${Math.max(1, Math.floor(options.threads ?? 1))}`);
    return new LakeWriter(connection, await instance.connect(), options, tmpDir);
  }

  /**
   * Stages one event. Returns a promise only when a chunk of rows is handed to DuckDB (every 2048 rows of a
   * partition), so the common case costs no await.
   */
  add(source: LakeSource, accountId: string, event: OcsfEvent): Promise<void> | undefined {
    const day = eventDay(event.time);
    const key = `${source.sourceName}|${accountId}|${day}`;
    let partition = this.partitions.get(key);
    if (!partition) {
      partition = {
        source, accountId, day, table: `staging_${++tableCounter}`, appender: undefined,
        columns: source.layout.columns.map(() => new Array(CHUNK_ROWS)),
        pendingRows: 0, rows: 0, bytes: 0, widestColumnBytesPerRow: 1, openedAt: this.now(), flushSequence: this.flushSequences.get(key) ?? 0, lastTime: -Infinity, sorted: true,
      };
      this.partitions.set(key, partition);
    }
    if (event.time < partition.lastTime) partition.sorted = false;
    partition.lastTime = event.time;
    source.layout.extract(event, partition.columns, partition.pendingRows++);
    return partition.pendingRows === CHUNK_ROWS ? this.appendPending(partition) : undefined;
  }

  /** True when a partition has reached the size or age limit. */
  get flushDueNow(): boolean {
    const now = this.now();
    for (const p of this.partitions.values()) if (p.bytes >= this.maxBytes || now - p.openedAt >= this.maxAgeMs) return true;
    return false;
  }

  private async appendPending(partition: Partition): Promise<void> {
    const rows = partition.pendingRows;
    if (rows === 0) return;
    if (!partition.appender) {
      await this.connection.run(`CREATE TABLE ${partition.table} (${partition.source.layout.stagingDdl})`);
      partition.appender = await this.connection.createAppender(partition.table);
    }
    const types = partition.source.layout.columns.map((c) => c.staging);
    let chunk = this.chunks.get(partition.source.layout.classUid);
    if (!chunk) {
      chunk = DuckDBDataChunk.create([...types.map((t: StagingType) => DUCK_TYPES[t]), DOUBLE], CHUNK_ROWS);
      this.chunks.set(partition.source.layout.classUid, chunk);
    } else {
      chunk.reset();
    }
    if (this.columnBytes.length < types.length) this.columnBytes = new Float64Array(types.length);
    this.filler.fill(chunk, types, partition.columns, rows, this.columnBytes);
    const columns = partition.source.layout.columns;
    for (let c = 0; c < types.length; c++) {
      partition.bytes += this.columnBytes[c];
      // A map or list staged as JSON becomes separate key/value (element) columns in Parquet, without the JSON syntax.
      const perRow = (this.columnBytes[c] / rows) * (columns[c].json ? 0.6 : 1);
      if (perRow > partition.widestColumnBytesPerRow) partition.widestColumnBytesPerRow = perRow;
    }
    partition.appender.appendDataChunk(chunk);
    partition.rows += rows;
    partition.pendingRows = 0;
    for (const column of partition.columns) column.fill(undefined, 0, rows);
  }

  /**
   * Starts writing partitions that are over the size limit or older than the age limit; the COPY runs in the
   * background while staging goes on (one at a time). Returns the objects completed since the last call.
   */
  async flushDue(): Promise<WrittenObject[]> {
    const now = this.now();
    for (const p of [...this.partitions.values()]) {
      if (p.bytes < this.maxBytes && now - p.openedAt < this.maxAgeMs) continue;
      await this.inFlight;
      this.throwFailure();
      await this.closeStaging(p);
      this.inFlight = this.flush(p).then(
        (objects) => void this.completed.push(...objects),
        (error: unknown) => void (this.failure = error),
      ).finally(() => (this.inFlight = undefined));
    }
    return this.takeCompleted();
  }

  /** Writes every partition; returns the objects completed since the last report. */
  async flushAll(): Promise<WrittenObject[]> {
    await this.inFlight;
    this.throwFailure();
    for (const p of [...this.partitions.values()]) {
      await this.closeStaging(p);
      this.completed.push(...(await this.flush(p)));
    }
    return this.takeCompleted();
  }

  private takeCompleted(): WrittenObject[] {
    const out = this.completed;
    this.completed = [];
    return out;
  }

  private throwFailure(): void {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  /** Ends staging for a partition (the staging connection); its write then runs on the copy connection. */
  private async closeStaging(partition: Partition): Promise<void> {
    await this.appendPending(partition);
    partition.appender!.flushSync();
    partition.appender!.closeSync();
    const mapKey = `${partition.source.sourceName}|${partition.accountId}|${partition.day}`;
    this.partitions.delete(mapKey);
    this.flushSequences.set(mapKey, partition.flushSequence + 1);
  }

  private async flush(partition: Partition): Promise<WrittenObject[]> {
    const layout = partition.source.layout;
    const timeColumn = layout.columns.find((c) => c.path.length === 1 && c.path[0] === 'time')!.name;
    const prefix = partitionPrefix(sourcePrefix(partition.source.sourceName, partition.source.location), this.options.region, partition.accountId, partition.day);
    const rowsForBudget = Math.floor(PAGE_BUDGET_BYTES / partition.widestColumnBytesPerRow);
    const files: string[] = [];
    if (rowsForBudget >= MIN_ROW_GROUP_ROWS) {
      // Normal rows: one object, row groups sized so the widest column's page stays under the budget.
      const file = path.join(this.tmpDir, `${partition.table}.parquet`);
      await this.copyConnection.run(
        `COPY (SELECT ${layout.selectSql} FROM ${partition.table}${partition.sorted ? '' : ` ORDER BY ${timeColumn}`}) ` +
          `TO '${sqlString(file)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.min(MAX_ROW_GROUP_ROWS, rowsForBudget)})`,
      );
      files.push(file);
    } else {
      // Wide rows: even DuckDB's smallest row group (2048 rows) would make pages too large, so the rows are
      // split, in time order, into objects whose string bytes fit the budget (each then one small row group).
      const dir = path.join(this.tmpDir, partition.table);
      await this.copyConnection.run(
        `COPY (SELECT ${layout.selectSql}, floor(sum(${ROW_WIDTH_COLUMN}) OVER (ORDER BY ${timeColumn} ROWS UNBOUNDED PRECEDING) / ${PAGE_BUDGET_BYTES}) AS object_part ` +
          `FROM ${partition.table} ORDER BY ${timeColumn}) TO '${sqlString(dir)}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (object_part), ROW_GROUP_SIZE ${MIN_ROW_GROUP_ROWS})`,
      );
      const parts = fs.readdirSync(dir).map((d) => ({ dir: d, n: Number(d.split('=')[1]) })).sort((x, y) => x.n - y.n);
      for (const part of parts) for (const f of fs.readdirSync(path.join(dir, part.dir)).sort()) files.push(path.join(dir, part.dir, f));
    }
    const written: WrittenObject[] = [];
    for (const file of files) {
      const body = fs.readFileSync(file);
      const rowCount = Number((await this.copyConnection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata('${sqlString(file)}')`)).getRowsJson()[0][0]);
      fs.rmSync(file, { force: true });
      const key = `${prefix}${objectName(partition.source.sourceName, `${partition.accountId}/${partition.day}`, this.options.batchId, `${partition.flushSequence}.${written.length}`)}`;
      await (partition.source.sink ?? this.options.sink).put(key, body);
      const object: WrittenObject = { key, source: partition.source.sourceName, accountId: partition.accountId, eventDay: partition.day, rows: rowCount, bytes: body.length };
      written.push(object);
    }
    await this.copyConnection.run(`DROP TABLE ${partition.table}`);
    return written;
  }

  /** Events staged and not yet written. */
  get pendingRows(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.rows + p.pendingRows;
    return n;
  }

  close(): void {
    for (const p of this.partitions.values()) p.appender?.closeSync();
    this.partitions.clear();
    this.connection.closeSync();
    this.copyConnection.closeSync();
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

