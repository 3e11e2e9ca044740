/**
 * Buffers rows per Security Lake partition (source × account × eventDay) as column batches in memory and writes
 * each partition as Parquet with DuckDB: ZSTD, sorted by time, typed columns, data pages of at most 1 MB.
 * DuckDB reads the batches through a table function while it writes (no staging table, no second copy).
 * Partitions are flushed when they reach a size or an age, and all at once at the end of a batch.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance, DuckDBTableFunction, type DuckDBConnection, BOOLEAN, DOUBLE, INTEGER, MAP, VARCHAR } from '@duckdb/node-api';
import { BATCH_ROWS, type ColumnBatch } from './columnBatch';
import { ROW_WIDTH_COLUMN, type ColumnLayout, type StagedColumn } from './columnLayout';
import { objectName, partitionPrefix, sourcePrefix } from './lakeLayout';
import { StagingChunkFiller, type FillOptions } from './stagingChunk';

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
  /** Flush a partition when its staged data reaches this many bytes (default 64 MiB). */
  maxBytes?: number;
  /** Flush a partition this long after its first event (default 5 minutes, Security Lake's lower bound). */
  maxAgeMs?: number;
  now?: () => number;
  /** DuckDB memory limit for staging and sorting (default 512MB); more spills to a temporary directory. */
  memoryLimit?: string;
  /** DuckDB threads (default 1: the event loop keeps the other core; measured faster and cheaper on 2 vCPUs). */
  threads?: number;
}

const DUCK_TYPES = { VARCHAR, INTEGER, DOUBLE, BOOLEAN, MAP: MAP(VARCHAR, VARCHAR) } as const;

interface Partition {
  source: LakeSource;
  accountId: string;
  day: string;
  /** Sealed batches, in row order. */
  batches: ColumnBatch[];
  /** Rows in `batches`. */
  rows: number;
  bytes: number;
  /** Largest bytes per row any column reached in one batch: it bounds the rows a 1 MB page can hold. */
  widestColumnBytesPerRow: number;
  openedAt: number;
  /** Which flush of this partition key within the batch it is: part of the object names. */
  flushSequence: number;
  /** Logs mostly arrive in time order; when they did, the write needs no sort. */
  lastTime: number;
  sorted: boolean;
}

/** What the table function reads: one partition's batches. */
interface Scan extends FillOptions {
  columns: readonly StagedColumn[];
  batches: ColumnBatch[];
}

/** Security Lake: data pages of at most 1 MB uncompressed. Aim below it, as row groups are only roughly sized. */
const PAGE_BUDGET_BYTES = 900 * 1024;
/** DuckDB writes one data page per column per row group, and row groups of at least one vector (2048 rows). */
const MIN_ROW_GROUP_ROWS = BATCH_ROWS;
const MAX_ROW_GROUP_ROWS = 122_880;
const SCAN_FUNCTION = 'rampart_staged_rows';
/** At the end of a batch, a partition of at least this many rows is written as two objects at once. */
const SPLIT_MIN_ROWS = 64 * BATCH_ROWS;
/** ZSTD at level 1: about a tenth less CPU than the default level 3 for objects about 2% larger (measured). */
const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1';

function partitionKey(source: LakeSource, accountId: string, day: string): string {
  return `${source.sourceName}|${accountId}|${day}`;
}

function sqlString(text: string): string {
  return text.replace(/'/g, "''");
}

export class LakeWriter {
  private readonly partitions = new Map<string, Partition>();
  private readonly scans = new Map<number, Scan>();
  private nextScan = 0;
  private readonly flushSequences = new Map<string, number>();
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  /** Partitions closed for writing, in the order they closed. */
  private readonly due: Partition[] = [];
  /** Completed objects not yet reported by flushDue/flushAll. */
  private completed: WrittenObject[] = [];
  /** The flush running in the background while rows keep being staged. */
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  /** A second connection for the end of a batch, created on first use. */
  private second: DuckDBConnection | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: LakeWriterOptions,
    private readonly tmpDir: string,
  ) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    connection.registerTableFunction(this.scanFunction());
  }

  static async create(options: LakeWriterOptions): Promise<LakeWriter> {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-parquet-'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Sorting beyond the limit spills to the temporary directory (in Lambda, /tmp: the code directory is
    // read-only), which keeps memory bounded.
    await connection.run(`SET memory_limit = '${options.memoryLimit ?? '512MB'}'`);
    await connection.run(`SET temp_directory = '${sqlString(path.join(tmpDir, 'spill'))}'`);
    await connection.run(`SET threads = ${Math.max(1, Math.floor(options.threads ?? 1))}`);
    return new LakeWriter(instance, connection, options, tmpDir);
  }

  /** `rampart_staged_rows(scan, with_row_width)`: the batches of a partition being written, one DataChunk each. */
  private scanFunction(): DuckDBTableFunction {
    const filler = new StagingChunkFiller();
    return DuckDBTableFunction.create({
      name: SCAN_FUNCTION,
      parameterTypes: [INTEGER, BOOLEAN],
      bindFunction: (info) => {
        const scan = this.scans.get(Number(info.getParameter(0)));
        if (!scan) return info.setError('no such staged partition');
        for (const c of scan.columns) info.addResultColumn(c.name, DUCK_TYPES[c.staging]);
        const withRowWidth = info.getParameter(1) === true;
        if (withRowWidth) info.addResultColumn(ROW_WIDTH_COLUMN, DOUBLE);
        info.setCardinality(scan.batches.reduce((n, b) => n + b.rows, 0), true);
        info.setBindData({ ...scan, constantBytesPerRow: withRowWidth ? scan.constantBytesPerRow : undefined });
      },
      initFunction: (info) => info.setInitData({ next: 0 }),
      mainFunction: (info, output) => {
        const scan = info.getBindData() as Scan;
        const state = info.getInitData() as { next: number };
        const batch = scan.batches[state.next++];
        if (!batch) {
          output.rowCount = 0;
          return;
        }
        filler.fill(output, scan.columns, batch, scan);
      },
    });
  }

  /** The partition taking rows for a key, created on first use. */
  private partitionFor(source: LakeSource, accountId: string, day: string): Partition {
    const key = partitionKey(source, accountId, day);
    let partition = this.partitions.get(key);
    if (!partition) {
      partition = {
        source, accountId, day, batches: [],
        rows: 0, bytes: 0, widestColumnBytesPerRow: 1, openedAt: this.now(), flushSequence: this.flushSequences.get(key) ?? 0, lastTime: -Infinity, sorted: true,
      };
      this.partitions.set(key, partition);
    }
    return partition;
  }

  /**
   * Adds a sealed batch after the rows staged so far for its partition, with the times of its first and last
   * row. A partition that reaches the size limit stops taking rows there and then — after a whole batch, so the
   * same input always splits into the same objects — and waits to be written.
   */
  append(source: LakeSource, accountId: string, day: string, batch: ColumnBatch, times: { first: number; last: number; sorted: boolean }): void {
    const partition = this.partitionFor(source, accountId, day);
    if (!times.sorted || times.first < partition.lastTime) partition.sorted = false;
    partition.lastTime = times.last;
    const rows = batch.rows;
    const layout = partition.source.layout;
    const columns = layout.columns;
    for (let c = 0; c < columns.length; c++) {
      let bytes: number, pageBytes: number;
      const strings = batch.strings[c];
      if (strings) {
        bytes = pageBytes = strings.valueBytes + rows * 4;
        // A list staged as JSON becomes an element column in Parquet, without the JSON syntax.
        if (columns[c].json) pageBytes *= 0.6;
      } else if (columns[c].staging === 'MAP') {
        // In Parquet, a map's keys and its values are two columns (pages) of their own.
        const entries = batch.map!.keys;
        let keyBytes = 0;
        for (let i = 0; i < entries.length; i++) keyBytes += layout.unmappedKeyBytes[entries[i]];
        bytes = keyBytes + batch.map!.values.valueBytes + entries.length * 8;
        pageBytes = Math.max(keyBytes, batch.map!.values.valueBytes) + entries.length * 4;
      } else {
        bytes = pageBytes = rows * 8;
      }
      partition.bytes += bytes;
      if (pageBytes / rows > partition.widestColumnBytesPerRow) partition.widestColumnBytesPerRow = pageBytes / rows;
    }
    partition.batches.push(batch);
    partition.rows += rows;
    if (partition.bytes >= this.maxBytes) this.closePartition(partition);
  }

  /** True when a partition has reached the size or age limit. */
  get flushDueNow(): boolean {
    if (this.due.length) return true;
    const now = this.now();
    for (const p of this.partitions.values()) if (now - p.openedAt >= this.maxAgeMs) return true;
    return false;
  }

  /**
   * Starts writing partitions that reached the size limit or are older than the age limit; the write runs in
   * the background while staging goes on (one at a time). Returns the objects completed since the last call.
   */
  async flushDue(): Promise<WrittenObject[]> {
    const now = this.now();
    for (const p of [...this.partitions.values()]) if (now - p.openedAt >= this.maxAgeMs) this.closePartition(p);
    while (this.due.length) {
      await this.inFlight;
      this.throwFailure();
      const p = this.due.shift()!;
      this.inFlight = this.flush(p).then(
        (objects) => void this.completed.push(...objects),
        (error: unknown) => void (this.failure = error),
      ).finally(() => (this.inFlight = undefined));
    }
    return this.takeCompleted();
  }

  /**
   * Writes every partition; returns the objects completed since the last report. Nothing is left to stage, so
   * two Parquet writes run at once, one per connection: the remaining partitions start on the second connection
   * while the first finishes the write in flight, and a large partition is written as two objects, its first
   * and second half (split by batches, so the same input always gives the same objects).
   */
  async flushAll(): Promise<WrittenObject[]> {
    this.throwFailure();
    for (const p of [...this.partitions.values()]) this.closePartition(p);
    const due = this.due.splice(0);
    // Per partition, its pieces in object order: the whole partition, or its two halves.
    const pieces = due.map((partition) => {
      const b = partition.batches;
      const halves = partition.rows >= SPLIT_MIN_ROWS && b.length >= 2 ? [b.slice(0, b.length >> 1), b.slice(b.length >> 1)] : [b];
      return halves.map((batches) => ({ partition, batches, files: [] as string[] }));
    });
    const jobs = pieces.flat();
    this.second ??= await this.secondConnection();
    let next = 0;
    const work = async (connection: DuckDBConnection, after?: Promise<void>): Promise<void> => {
      await after;
      for (let job = jobs[next++]; job; job = jobs[next++]) job.files = await this.writeParquet(connection, job.partition, job.batches);
    };
    // Both writes end before anything is reported or let go, also when one fails.
    const settled = await Promise.allSettled([work(this.connection, this.inFlight), work(this.second)]);
    for (const p of due) p.batches = [];
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
    this.throwFailure();
    for (let p = 0; p < due.length; p++) this.completed.push(...(await this.upload(due[p], pieces[p].flatMap((j) => j.files))));
    return this.takeCompleted();
  }

  private async secondConnection(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    connection.registerTableFunction(this.scanFunction());
    return connection;
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

  /** Ends staging for a partition, which then waits to be written; rows for its key from now on start a new partition. */
  private closePartition(partition: Partition): void {
    const mapKey = partitionKey(partition.source, partition.accountId, partition.day);
    this.partitions.delete(mapKey);
    this.flushSequences.set(mapKey, partition.flushSequence + 1);
    this.due.push(partition);
  }

  private async flush(partition: Partition): Promise<WrittenObject[]> {
    try {
      return await this.upload(partition, await this.writeParquet(this.connection, partition, partition.batches));
    } finally {
      // The rows are in Parquet (or the write failed and the batch will be retried): let them go.
      partition.batches = [];
    }
  }

  /** Writes batches of a partition to Parquet files in the temporary directory, in object order. */
  private async writeParquet(connection: DuckDBConnection, partition: Partition, batches: ColumnBatch[]): Promise<string[]> {
    const layout = partition.source.layout;
    const widest = Math.max(partition.widestColumnBytesPerRow, layout.widestConstantBytes);
    const rowsForBudget = Math.floor(PAGE_BUDGET_BYTES / widest);
    const scanId = this.nextScan++;
    this.scans.set(scanId, { columns: layout.columns, batches, mapKeys: layout.unmappedKeys.map((k) => Buffer.from(k, 'utf8')), constantBytesPerRow: layout.constantBytesPerRow });
    const files: string[] = [];
    const name = `partition_${scanId}`;
    try {
      if (rowsForBudget >= MIN_ROW_GROUP_ROWS) {
        // Normal rows: one object, row groups sized so the widest column's page stays under the budget.
        const file = path.join(this.tmpDir, `${name}.parquet`);
        await connection.run(
          `COPY (SELECT ${layout.selectSql} FROM ${SCAN_FUNCTION}(${scanId}, false)${partition.sorted ? '' : ` ORDER BY ${layout.timeSql}`}) ` +
            `TO '${sqlString(file)}' (${PARQUET_OPTIONS}, ROW_GROUP_SIZE ${Math.min(MAX_ROW_GROUP_ROWS, rowsForBudget)})`,
        );
        files.push(file);
      } else {
        // Wide rows: even DuckDB's smallest row group (2048 rows) would make pages too large, so the rows are
        // split, in time order, into objects whose string bytes fit the budget (each then one small row group).
        const dir = path.join(this.tmpDir, name);
        await connection.run(
          `COPY (SELECT ${layout.selectSql}, floor(sum(${ROW_WIDTH_COLUMN}) OVER (ORDER BY ${layout.timeSql} ROWS UNBOUNDED PRECEDING) / ${PAGE_BUDGET_BYTES}) AS object_part ` +
            `FROM ${SCAN_FUNCTION}(${scanId}, true) ORDER BY ${layout.timeSql}) TO '${sqlString(dir)}' (${PARQUET_OPTIONS}, PARTITION_BY (object_part), ROW_GROUP_SIZE ${MIN_ROW_GROUP_ROWS})`,
        );
        const parts = fs.readdirSync(dir).map((d) => ({ dir: d, n: Number(d.split('=')[1]) })).sort((x, y) => x.n - y.n);
        for (const part of parts) for (const f of fs.readdirSync(path.join(dir, part.dir)).sort()) files.push(path.join(dir, part.dir, f));
      }
    } finally {
      this.scans.delete(scanId);
    }
    return files;
  }

  /** Uploads a partition's Parquet files as objects named by the flush and their order. */
  private async upload(partition: Partition, files: string[]): Promise<WrittenObject[]> {
    const prefix = partitionPrefix(sourcePrefix(partition.source.sourceName, partition.source.location), this.options.region, partition.accountId, partition.day);
    const written: WrittenObject[] = [];
    for (const file of files) {
      const body = fs.readFileSync(file);
      const rowCount = Number((await this.connection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata('${sqlString(file)}')`)).getRowsJson()[0][0]);
      fs.rmSync(file, { force: true });
      const key = `${prefix}${objectName(partition.source.sourceName, `${partition.accountId}/${partition.day}`, this.options.batchId, `${partition.flushSequence}.${written.length}`)}`;
      await (partition.source.sink ?? this.options.sink).put(key, body);
      const object: WrittenObject = { key, source: partition.source.sourceName, accountId: partition.accountId, eventDay: partition.day, rows: rowCount, bytes: body.length };
      written.push(object);
    }
    return written;
  }

  /** Rows staged and not yet written. */
  get pendingRows(): number {
    let n = 0;
    for (const p of this.partitions.values()) n += p.rows;
    return n;
  }

  close(): void {
    this.partitions.clear();
    this.scans.clear();
    this.second?.closeSync();
    this.connection.closeSync();
    fs.rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
