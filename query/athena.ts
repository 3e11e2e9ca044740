import {
  ColumnDefinition,
  DEFAULT_LOOKBACK_DAYS,
  INSIGHTS_DATABASE,
  NAMED_QUERIES,
  NamedQueryDefinition,
  namedQuerySql,
  VIEWS,
  viewSelectSql,
} from './catalog';
import { sqlLiteral, toAthena, toAthenaWithValues } from './dialect';
import { ParameterValues } from './parameters';
import type { NativeSource, TableName } from './securityLakeTables';

/**
 * The catalogue as Athena and Glue see it: the data the stacks turn into the
 * `rampart_security_insights` views and AWS::Athena::NamedQuery resources.
 */

export interface AthenaViewStatement {
  name: string;
  description: string;
  columns: readonly ColumnDefinition[];
  /** The view body. */
  selectSql: string;
  /** `CREATE OR REPLACE VIEW <database>.<name> AS ...`, to run through Athena. */
  createViewSql: string;
}

export interface AthenaViewOptions {
  /** Where each source's table is read from: the Security Lake table or its resource link. */
  sources: Readonly<Record<NativeSource, TableName>>;
  insightsDatabase?: string;
  lookbackDays?: number;
}

export function athenaViewStatements(options: AthenaViewOptions): AthenaViewStatement[] {
  const database = options.insightsDatabase ?? INSIGHTS_DATABASE;
  return VIEWS.map((view) => {
    const source = options.sources[view.source];
    const selectSql = viewSelectSql(view, {
      sourceDatabase: source.database,
      sourceTable: source.table,
      lookbackDays: options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    });
    return {
      name: view.name,
      description: view.description,
      columns: view.columns,
      selectSql,
      createViewSql: `CREATE OR REPLACE VIEW ${database}.${view.name} AS\n${selectSql}`,
    };
  });
}

export interface AthenaNamedQuery {
  /** AWS::Athena::NamedQuery Name. */
  name: string;
  /** Says what it answers and the parameters in `?` order, with defaults. */
  description: string;
  database: string;
  /** Parameters are `?` placeholders: the console asks for them; StartQueryExecution takes ExecutionParameters. */
  queryString: string;
  parameterOrder: string[];
}

export function athenaNamedQueries(options: { insightsDatabase?: string } = {}): AthenaNamedQuery[] {
  const database = options.insightsDatabase ?? INSIGHTS_DATABASE;
  return NAMED_QUERIES.map((query) => {
    const { sql, parameterOrder } = toAthena(namedQuerySql(query, database));
    return { name: query.name, description: describe(query, parameterOrder), database, queryString: sql, parameterOrder };
  });
}

/** ExecutionParameters for StartQueryExecution: each value as a SQL literal, in `?` order. */
export function athenaExecutionParameters(query: NamedQueryDefinition, values: ParameterValues, insightsDatabase = INSIGHTS_DATABASE): string[] {
  return toAthena(namedQuerySql(query, insightsDatabase)).parameterOrder.map((name) => sqlLiteral(values[name]));
}

/** The named query with its parameter values written in, ready to paste into the Athena console. */
export function athenaSqlWithValues(query: NamedQueryDefinition, values: ParameterValues, insightsDatabase = INSIGHTS_DATABASE): string {
  return toAthenaWithValues(namedQuerySql(query, insightsDatabase), values);
}

function describe(query: NamedQueryDefinition, order: readonly string[]): string {
  if (order.length === 0) return query.description;
  const parameters = order.map((name, i) => {
    const p = query.parameters.find((candidate) => candidate.name === name);
    return `${i + 1}. ${name}${p?.default === undefined ? '' : ` (default ${p.default})`}`;
  });
  return `${query.description}. Parameters: ${parameters.join(', ')}`;
}
