import { mkdirSync } from 'node:fs';
import {
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBType,
  DuckDBTypeId,
  DuckDBValue,
  JSToDuckDBValueConverter,
  ToDuckDBValueConverter,
  VARCHAR,
} from '@duckdb/node-api';
import { localSourceDir, NATIVE_SOURCES, NativeSource, PARTITION_COLUMNS } from './securityLakeTables';
import { columnDefinitions, SOURCE_COLUMNS } from './sourceSchemas';

/**
 * One OCSF event as a plain object shaped like its Security Lake table: nested objects for
 * structs, arrays for lists, a string record for `unmapped`, Date for `*_dt` columns and epoch
 * milliseconds for `time`. Struct fields left out are written as NULL; a field the table does not
 * have is an error. `region` and `accountid` give the partition.
 */
export interface LakeRecord {
  region: string;
  accountid: string;
  time: number;
  [column: string]: unknown;
}

export class LakeRecordError extends Error {}

/** DuckDB's standard vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * Writes events of one native source into the local lake as ZSTD Parquet, partitioned the way
 * Security Lake partitions them (`region=`, `accountId=`, `eventDay=`), rows sorted by time.
 * The source's directory is replaced. Columns are fed through DuckDB data chunks.
 */
export async function writeLakeRecords(lake: string, source: NativeSource, records: readonly LakeRecord[]): Promise<{ rows: number; dir: string }> {
  const dir = localSourceDir(lake, source);
  const columns = Object.entries(SOURCE_COLUMNS[source]);
  const known = new Set([...columns.map(([name]) => name), 'region', 'accountid']);
  for (const [index, record] of records.entries()) {
    const unknown = Object.keys(record).filter((key) => !known.has(key));
    if (unknown.length > 0) throw new LakeRecordError(`${source} record ${index}: ${unknown.join(', ')} is not a column of the ${NATIVE_SOURCES[source].tableSuffix} table`);
  }
  const types: DuckDBType[] = [...columns.map(([, type]) => type), VARCHAR, VARCHAR, VARCHAR];

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE TABLE events (${columnDefinitions(source, true)})`);
    const appender = await connection.createAppender('events');
    const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
    for (let start = 0; start < records.length; start += CHUNK_ROWS) {
      const batch = records.slice(start, start + CHUNK_ROWS);
      chunk.reset();
      chunk.rowCount = batch.length;
      columns.forEach(([name], column) => {
        try {
          chunk.setColumnValuesConverted(column, batch.map((record) => record[name] ?? null), lakeValueConverter);
        } catch (error) {
          const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
          throw new LakeRecordError(`${source} records ${start}-${start + batch.length - 1}, column ${name}: ${reason}`);
        }
      });
      chunk.setColumnValuesConverted(columns.length, batch.map((r) => r.region), lakeValueConverter);
      chunk.setColumnValuesConverted(columns.length + 1, batch.map((r) => r.accountid), lakeValueConverter);
      chunk.setColumnValuesConverted(columns.length + 2, batch.map((r) => eventDay(r.time)), lakeValueConverter);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    mkdirSync(dir, { recursive: true });
    const partitions = PARTITION_COLUMNS.map((p) => `"${p}"`).join(', ');
    await connection.run(
      `COPY (SELECT * FROM events ORDER BY ${partitions}, "time") TO '${dir.replaceAll("'", "''")}' ` +
        `(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions}), OVERWRITE true)`,
    );
    return { rows: records.length, dir };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The `eventDay=` partition of an event time: its UTC day as YYYYMMDD. */
export function eventDay(epochMillis: number): string {
  if (!Number.isFinite(epochMillis)) throw new LakeRecordError(`time ${String(epochMillis)} is not epoch milliseconds`);
  return new Date(epochMillis).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * JS → DuckDB conversion that lets records leave struct fields out (they become NULL), takes a
 * plain object for a MAP, and rejects struct fields the table does not have.
 */
const lakeValueConverter: ToDuckDBValueConverter<unknown> = (value, type, converter): DuckDBValue => {
  if (value === null || value === undefined) return null;
  if (type.typeId === DuckDBTypeId.STRUCT && isPlainObject(value)) {
    const struct = type as DuckDBStructType;
    const unknown = Object.keys(value).filter((key) => !(key in struct.entryIndexes));
    if (unknown.length > 0) throw new LakeRecordError(`${unknown.join(', ')} is not a field of ${struct.toString()}`);
    const complete = Object.fromEntries(struct.entryNames.map((name) => [name, value[name] ?? null]));
    return JSToDuckDBValueConverter(complete as never, type, converter as never);
  }
  if (type.typeId === DuckDBTypeId.MAP && isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, entry]) => ({ key, value: entry }));
    return JSToDuckDBValueConverter(entries as never, type as DuckDBMapType, converter as never);
  }
  return JSToDuckDBValueConverter(value as never, type, converter as never);
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
