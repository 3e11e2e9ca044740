import { createHash } from 'node:crypto';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { CustomResourceEvent, IsCompleteEvent, IsCompleteResponse, OnEventResponse } from './cloudFormationEvent';

export interface AthenaViewsProps {
  WorkGroup: string;
  /** The database the views live in. */
  Database: string;
  /** Each view with its `CREATE OR REPLACE VIEW` statement. */
  Views: { Name: string; Sql: string }[];
}

type Athena = Pick<AthenaClient, 'send'>;

/**
 * Creates Athena views with DDL (Glue cannot describe a Presto view by itself). CREATE OR REPLACE
 * makes every run idempotent; views dropped from the configuration, and all of them on delete,
 * go with DROP VIEW IF EXISTS. onEvent starts the statements; isComplete waits for each and
 * fails the deployment with Athena's reason when one fails.
 */
export async function startViewStatements(event: CustomResourceEvent<AthenaViewsProps>, athena: Athena): Promise<OnEventResponse> {
  const props = event.ResourceProperties;
  const physicalId = event.PhysicalResourceId ?? `${props.Database}-views`;
  const statements: { view: string; sql: string }[] = [];
  if (event.RequestType === 'Delete') {
    for (const view of props.Views) statements.push({ view: view.Name, sql: dropView(props.Database, view.Name) });
  } else {
    for (const view of props.Views) statements.push({ view: view.Name, sql: view.Sql });
    const kept = new Set(props.Views.map((v) => v.Name));
    const oldDatabase = event.OldResourceProperties?.Database ?? props.Database;
    for (const view of event.OldResourceProperties?.Views ?? []) {
      if (!kept.has(view.Name) || oldDatabase !== props.Database) statements.push({ view: view.Name, sql: dropView(oldDatabase, view.Name) });
    }
  }
  const started: [string, string][] = [];
  for (const statement of statements) {
    const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({
      QueryString: statement.sql,
      WorkGroup: props.WorkGroup,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: props.Database },
      // A retried invocation of the same request starts nothing new.
      ClientRequestToken: createHash('sha256').update(`${event.RequestId}\n${statement.sql}`).digest('hex').slice(0, 64),
    }));
    if (!QueryExecutionId) throw new Error(`Athena returned no query execution id for view ${statement.view}`);
    started.push([statement.view, QueryExecutionId]);
  }
  return { PhysicalResourceId: physicalId, Data: { QueryExecutions: JSON.stringify(started) } };
}

export async function viewStatementsDone(event: IsCompleteEvent<AthenaViewsProps>, athena: Athena): Promise<IsCompleteResponse> {
  const started = JSON.parse(event.Data?.QueryExecutions ?? '[]') as [string, string][];
  let running = 0;
  for (const [view, id] of started) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution?.Status?.State;
    if (state === 'FAILED' || state === 'CANCELLED') {
      // On delete the database goes next and takes its views with it: a failed drop must not block that.
      if (event.RequestType === 'Delete') {
        console.log(JSON.stringify({ level: 'WARN', message: `DROP VIEW ${view} ${state}`, reason: QueryExecution?.Status?.StateChangeReason }));
        continue;
      }
      throw new Error(`view ${event.ResourceProperties.Database}.${view}: Athena query ${id} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
    }
    if (state !== 'SUCCEEDED') running++;
  }
  return { IsComplete: running === 0 };
}

const dropView = (database: string, view: string) => `DROP VIEW IF EXISTS ${database}.${view}`;

export const onEvent = (event: CustomResourceEvent<AthenaViewsProps>) => startViewStatements(event, new AthenaClient({}));
export const isComplete = (event: IsCompleteEvent<AthenaViewsProps>) => viewStatementsDone(event, new AthenaClient({}));
