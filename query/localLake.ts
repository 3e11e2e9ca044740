import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBType, INTEGER, VARCHAR } from '@duckdb/node-api';
import {
  DEFAULT_LOOKBACK_DAYS,
  findNamedQuery,
  findView,
  INSIGHTS_DATABASE,
  NAMED_QUERIES,
  NamedQueryName,
  NamedQueryParams,
  NamedQueryRow,
  namedQuerySql,
  VIEWS,
  viewSelectSql,
} from './catalog';
import { toDuckDb } from './dialect';
import { ParameterValues, QueryParameterError, resolveParameters } from './parameters';
import { localSourceDir, NATIVE_SOURCE_NAMES, NATIVE_SOURCES, NativeSource } from './securityLakeTables';
import { columnDefinitions } from './sourceSchemas';

/**
 * Runs the catalogue's views and named queries with DuckDB over a local lake: a directory laid
 * out like Security Lake's bucket (see `localSourceDir`), as written by `writeSampleLake`.
 * The SQL is the same Athena SQL the AWS side uses, passed through the dialect layer.
 */

export interface LocalLakeOptions {
  /** The lake directory. */
  lake: string;
  /** The instant the look-back windows count back from; defaults to the wall clock. */
  now?: Date;
  /** The views' look-back window in days (default 90). */
  lookbackDays?: number;
}

export type QueryValue = string | number | boolean | null | QueryValue[] | { [key: string]: QueryValue };
export type QueryRow = Record<string, QueryValue>;

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: QueryRow[];
}

/** The lake directory cannot be read as a Security Lake layout. */
export class LakeLayoutError extends Error {}

/** Schema standing in for the Security Lake Glue database. */
const SOURCE_SCHEMA = 'security_lake';
const PARTITION_PATH = /^region=[^/]+\/accountId=\d{12}\/eventDay=\d{8}\/[^/]+\.parquet$/;

export class LocalLake {
  /** Views already computed in this session. */
  private readonly prepared = new Set<string>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly lake: string,
    private readonly files: ReadonlyMap<NativeSource, readonly string[]>,
    readonly lookbackDays: number,
    private readonly now: Date | undefined,
  ) {}

  static async open(options: LocalLakeOptions): Promise<LocalLake> {
    const lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
    if (!Number.isSafeInteger(lookbackDays) || lookbackDays < 1) throw new QueryParameterError(`lookback days ${lookbackDays}: expected a whole number of 1 or more`);
    if (!existsSync(options.lake) || !statSync(options.lake).isDirectory()) {
      throw new LakeLayoutError(`lake directory ${options.lake} does not exist; expected a Security Lake layout such as the one rampart sample-lake writes`);
    }
    const files = new Map(NATIVE_SOURCE_NAMES.map((source) => [source, parquetFiles(options.lake, source)]));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      // UTC renders instants the way Athena does; views carry no row order, so DuckDB need not keep one.
      await connection.run(`SET TimeZone = 'UTC'; SET preserve_insertion_order = false; CREATE SCHEMA ${SOURCE_SCHEMA}; CREATE SCHEMA ${INSIGHTS_DATABASE}`);
      return new LocalLake(instance, connection, options.lake, files, lookbackDays, options.now);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  /** Native sources with no data in the lake: their views are empty. */
  get missingSources(): NativeSource[] {
    return [...this.files].filter(([, found]) => found.length === 0).map(([source]) => source);
  }

  /**
   * Runs a named query, or reads a view, by name. A named query's parameters are checked and
   * converted first; a view takes none and returns its rows within the look-back window.
   */
  async run(name: string, given: Readonly<Record<string, string | number | undefined>> = {}): Promise<QueryResult> {
    const query = findNamedQuery(name);
    if (query) {
      const values = resolveParameters(query, given, this.lookbackDays);
      const types = query.parameters.map((p): [string, DuckDBType] => [p.name, p.type === 'integer' ? INTEGER : VARCHAR]);
      for (const viewName of query.views) await this.prepare(viewName);
      return this.read(toDuckDb(namedQuerySql(query), { now: this.now }), values, types);
    }
    const view = findView(name);
    if (!view) {
      throw new QueryParameterError(
        `no named query or view called ${JSON.stringify(name)}; named queries: ${NAMED_QUERIES.map((q) => q.name).join(', ')}; views: ${VIEWS.map((v) => v.name).join(', ')}`,
      );
    }
    if (Object.values(given).some((v) => v !== undefined)) throw new QueryParameterError(`${name} is a view and takes no parameters`);
    await this.prepare(view.name);
    return this.read(`SELECT * FROM ${INSIGHTS_DATABASE}.${view.name}`, {}, []);
  }

  /** A named query's rows, typed by the catalogue. */
  async rows<N extends NamedQueryName>(name: N, params: NamedQueryParams<N>): Promise<NamedQueryRow<N>[]> {
    return (await this.run(name, params as Record<string, string | number>)).rows as NamedQueryRow<N>[];
  }

  /**
   * Computes a view once per session, as a table: the lake's many small partition files are read
   * a single time however many queries use the view. (In Athena the same SQL stays a view.)
   */
  private async prepare(name: string): Promise<void> {
    if (this.prepared.has(name)) return;
    const view = findView(name);
    if (!view) throw new Error(`catalogue: no view ${name}`);
    const table = NATIVE_SOURCES[view.source].tableSuffix;
    const files = this.files.get(view.source) ?? [];
    await this.connection.run(
      files.length === 0
        ? `CREATE TABLE IF NOT EXISTS ${SOURCE_SCHEMA}.${table} (${columnDefinitions(view.source, true)})`
        : `CREATE VIEW IF NOT EXISTS ${SOURCE_SCHEMA}.${table} AS SELECT * FROM read_parquet(${literal(join(localSourceDir(this.lake, view.source), '**', '*.parquet'))}, ` +
            `hive_partitioning = true, hive_types = {'region': VARCHAR, 'accountId': VARCHAR, 'eventDay': VARCHAR}, union_by_name = true)`,
    );
    const select = viewSelectSql(view, { sourceDatabase: SOURCE_SCHEMA, sourceTable: table, lookbackDays: this.lookbackDays });
    await this.connection.run(`CREATE TABLE ${INSIGHTS_DATABASE}.${view.name} AS ${toDuckDb(select, { now: this.now })}`);
    this.prepared.add(name);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async read(sql: string, values: ParameterValues, types: [string, DuckDBType][]): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql, values, Object.fromEntries(types));
    const names = reader.columnNames();
    const columnTypes = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: columnTypes[i].toString() })),
      rows: reader.getRowObjectsJS().map((row) => Object.fromEntries(names.map((name) => [name, plain(row[name])]))),
    };
  }
}

/**
 * Runs a named query over a local lake and returns its rows, typed by the catalogue — e.g. for
 * logging evidence. To run several, open a `LocalLake` once and call `rows` on it.
 */
export async function runNamedQuery<N extends NamedQueryName>(name: N, params: NamedQueryParams<N>, options: LocalLakeOptions): Promise<NamedQueryRow<N>[]> {
  const lake = await LocalLake.open(options);
  try {
    return await lake.rows(name, params);
  } finally {
    lake.close();
  }
}

/** Runs a named query, or reads a view, by name: what `rampart query NAME` does. */
export async function queryLocalLake(
  name: string,
  params: Readonly<Record<string, string | number | undefined>>,
  options: LocalLakeOptions,
): Promise<QueryResult & { missingSources: readonly NativeSource[] }> {
  const lake = await LocalLake.open(options);
  try {
    return { ...(await lake.run(name, params)), missingSources: lake.missingSources };
  } finally {
    lake.close();
  }
}

/** Parquet files of a native source, each checked to sit in a Security Lake partition directory. */
function parquetFiles(lake: string, source: NativeSource): string[] {
  const root = localSourceDir(lake, source);
  if (!existsSync(root)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet')) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path).split(sep).join('/');
    if (!PARTITION_PATH.test(rel)) {
      throw new LakeLayoutError(
        `${path}: not in a Security Lake partition; expected ${root}/region=<region>/accountId=<12-digit account>/eventDay=<YYYYMMDD>/<file>.parquet`,
      );
    }
    files.push(path);
  }
  return files;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** DuckDB's JS values as JSON-safe ones: integers as numbers, instants as ISO 8601 strings. */
function plain(value: unknown): QueryValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value as QueryValue;
}
