import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortable } from './dialect';
import type { NativeSource } from './securityLakeTables';
import { renderTemplate } from './template';

/**
 * The Security Lake query catalogue: the views of the `rampart_security_insights` database and
 * the named queries over them. The SQL lives in `query/sql/` in Athena's dialect; the stacks turn
 * these definitions into Glue views and AWS::Athena::NamedQuery resources (see `athena.ts`), and
 * `rampart query` runs the same SQL locally with DuckDB (see `localLake.ts`).
 */

export const INSIGHTS_DATABASE = 'rampart_security_insights';
/** How far back the views look unless configured otherwise. */
export const DEFAULT_LOOKBACK_DAYS = 90;

/** Output column types, named as Athena reports them (`timestamp` is timestamp with time zone). */
export type ColumnType = 'varchar' | 'bigint' | 'integer' | 'boolean' | 'timestamp';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}

export interface ViewDefinition {
  readonly name: string;
  readonly description: string;
  readonly source: NativeSource;
  /** Under query/sql/; a SELECT with `${source_database}`, `${source_table}` and `${lookback_days}`. */
  readonly file: string;
  readonly columns: readonly ColumnDefinition[];
}

export interface ParameterDefinition {
  readonly name: string;
  readonly type: 'integer' | 'string';
  readonly description: string;
  readonly default?: number | string;
  readonly min?: number;
  readonly max?: number;
  /** Shown in error messages. */
  readonly example?: string;
  /** A look-back in days or hours: it cannot reach past the views' own window. */
  readonly window?: 'day' | 'hour';
}

export interface NamedQueryDefinition {
  readonly name: string;
  readonly description: string;
  /** Under query/sql/; a SELECT over `${insights_database}` views with `:name` parameters. */
  readonly file: string;
  readonly views: readonly string[];
  readonly parameters: readonly ParameterDefinition[];
  readonly columns: readonly ColumnDefinition[];
}

const c = <N extends string, T extends ColumnType>(name: N, type: T, description: string) => ({ name, type, description });

export const VIEWS = [
  {
    name: 'security_hub_findings',
    description: 'Security Hub findings (CSPM controls, Inspector, GuardDuty, partners), one row per finding update',
    source: 'SH_FINDINGS',
    file: 'views/security_hub_findings.sql',
    columns: [
      c('finding_uid', 'varchar', 'finding id (ASFF Id)'),
      c('event_time', 'timestamp', 'when this update was observed'),
      c('product', 'varchar', 'product that raised it: Security Hub, Inspector, GuardDuty, ...'),
      c('finding_class', 'varchar', 'OCSF class: Compliance Finding, Vulnerability Finding, Detection Finding'),
      c('title', 'varchar', 'finding title'),
      c('status', 'varchar', 'workflow status: New, In Progress, Suppressed, Resolved'),
      c('record_state', 'varchar', 'ACTIVE or ARCHIVED (from unmapped; empty when absent)'),
      c('activity', 'varchar', 'Create, Update or Close'),
      c('is_active', 'boolean', 'not archived, resolved, suppressed or closed'),
      c('severity', 'varchar', 'Informational, Low, Medium, High, Critical'),
      c('severity_id', 'integer', 'OCSF severity 1-5'),
      c('account_id', 'varchar', 'account the finding belongs to'),
      c('region', 'varchar', 'Region the finding was raised in'),
      c('compliance_status', 'varchar', 'PASSED, FAILED, WARNING, NOT_AVAILABLE (control findings)'),
      c('control_id', 'varchar', 'Security Hub control id, e.g. S3.8 (control findings)'),
      c('standard', 'varchar', 'first associated standard'),
      c('remediation', 'varchar', 'remediation text'),
      c('remediation_url', 'varchar', 'first remediation reference'),
      c('resource_type', 'varchar', 'type of the first affected resource'),
      c('resource_uid', 'varchar', 'id or ARN of the first affected resource'),
    ],
  },
  {
    name: 'cloudtrail_management',
    description: 'CloudTrail management events: who called which API, from where, and whether it worked',
    source: 'CLOUD_TRAIL_MGMT',
    file: 'views/cloudtrail_management.sql',
    columns: [
      c('event_uid', 'varchar', 'CloudTrail eventID'),
      c('event_time', 'timestamp', 'eventTime'),
      c('api_operation', 'varchar', 'eventName, e.g. PutBucketPolicy'),
      c('api_service', 'varchar', 'eventSource, e.g. s3.amazonaws.com'),
      c('status', 'varchar', 'Success or Failure'),
      c('error_code', 'varchar', 'errorCode, e.g. AccessDenied'),
      c('error_message', 'varchar', 'errorMessage'),
      c('user_name', 'varchar', 'userIdentity.userName'),
      c('user_type', 'varchar', 'IAMUser, AssumedRole, Root, FederatedUser, AWSService, ...'),
      c('user_uid', 'varchar', 'principal ARN'),
      c('credential_uid', 'varchar', 'access key id'),
      c('user_account_id', 'varchar', "caller's account"),
      c('idp_name', 'varchar', 'identity provider of a federated caller'),
      c('session_issuer', 'varchar', 'ARN of the role behind a session'),
      c('mfa_authenticated', 'boolean', 'session authenticated with MFA'),
      c('source_ip', 'varchar', 'sourceIPAddress'),
      c('user_agent', 'varchar', 'userAgent'),
      c('account_id', 'varchar', 'account the event was recorded in'),
      c('region', 'varchar', 'awsRegion'),
    ],
  },
  {
    name: 'vpc_flow',
    description: 'VPC Flow Logs: who talked to whom, on which port, how much, accepted or rejected',
    source: 'VPC_FLOW',
    file: 'views/vpc_flow.sql',
    columns: [
      c('event_time', 'timestamp', 'start of the capture window'),
      c('start_time', 'timestamp', 'start of the capture window'),
      c('end_time', 'timestamp', 'end of the capture window'),
      c('src_ip', 'varchar', 'source address'),
      c('src_port', 'integer', 'source port'),
      c('dst_ip', 'varchar', 'destination address'),
      c('dst_port', 'integer', 'destination port'),
      c('protocol_num', 'integer', 'IANA protocol number (6 TCP, 17 UDP)'),
      c('direction', 'varchar', 'Inbound or Outbound'),
      c('bytes', 'bigint', 'bytes in the window'),
      c('packets', 'bigint', 'packets in the window'),
      c('action', 'varchar', 'Allowed or Denied'),
      c('interface_uid', 'varchar', 'network interface'),
      c('account_id', 'varchar', 'account owning the interface'),
      c('region', 'varchar', 'Region'),
    ],
  },
] as const satisfies readonly ViewDefinition[];

const hoursWindow = (defaultHours: number) =>
  ({
    name: 'hours',
    type: 'integer',
    description: `look back this many hours (default ${defaultHours})`,
    default: defaultHours,
    min: 1,
    window: 'hour',
  }) as const;

export const NAMED_QUERIES = [
  {
    name: 'failed-compliance-controls',
    description: 'Security Hub controls whose latest result is FAILED on an active finding, with control id, worst first',
    file: 'named/failed-compliance-controls.sql',
    views: ['security_hub_findings'],
    parameters: [],
    columns: [
      c('control_id', 'varchar', 'Security Hub control id'),
      c('control_title', 'varchar', 'control title'),
      c('severity', 'varchar', 'control severity'),
      c('failed_resources', 'bigint', 'resources failing it'),
      c('accounts', 'bigint', 'accounts with a failing resource'),
      c('regions', 'bigint', 'Regions with a failing resource'),
      c('last_seen', 'timestamp', 'latest failing result'),
    ],
  },
  {
    name: 'findings-by-product-and-control',
    description: 'Active findings counted by product and control id',
    file: 'named/findings-by-product-and-control.sql',
    views: ['security_hub_findings'],
    parameters: [],
    columns: [
      c('product', 'varchar', 'product that raised the findings'),
      c('control_id', 'varchar', 'control id (empty for non-control findings)'),
      c('findings', 'bigint', 'active findings'),
      c('failed', 'bigint', 'of which failed compliance checks'),
      c('highest_severity', 'varchar', 'worst severity among them'),
      c('accounts', 'bigint', 'accounts affected'),
    ],
  },
  {
    name: 'active-inspector-findings-by-title',
    description: 'Active Amazon Inspector findings grouped by title, worst first',
    file: 'named/active-inspector-findings-by-title.sql',
    views: ['security_hub_findings'],
    parameters: [],
    columns: [
      c('title', 'varchar', 'finding title (CVE and package)'),
      c('severity', 'varchar', 'worst severity'),
      c('findings', 'bigint', 'active findings'),
      c('resources', 'bigint', 'affected resources'),
      c('accounts', 'bigint', 'affected accounts'),
      c('last_seen', 'timestamp', 'latest update'),
    ],
  },
  {
    name: 'access-denied-operations',
    description: 'Top 25 API operations refused with AccessDenied (or UnauthorizedOperation) in the last 24 hours',
    file: 'named/access-denied-operations.sql',
    views: ['cloudtrail_management'],
    parameters: [hoursWindow(24)],
    columns: [
      c('api_service', 'varchar', 'service'),
      c('api_operation', 'varchar', 'operation'),
      c('denied_calls', 'bigint', 'refused calls'),
      c('principals', 'bigint', 'distinct callers'),
      c('accounts', 'bigint', 'distinct accounts'),
      c('last_seen', 'timestamp', 'latest refused call'),
    ],
  },
  {
    name: 'user-activity',
    description: 'All management events by a user (user name or session name) in the last N days, newest first',
    file: 'named/user-activity.sql',
    views: ['cloudtrail_management'],
    parameters: [
      { name: 'user', type: 'string', description: 'user name, or session name of an assumed role', example: 'alice' },
      { name: 'days', type: 'integer', description: 'look back this many days (default 7)', default: 7, min: 1, window: 'day' },
    ],
    columns: [
      c('event_time', 'timestamp', 'eventTime'),
      c('account_id', 'varchar', 'account'),
      c('region', 'varchar', 'Region'),
      c('api_service', 'varchar', 'service'),
      c('api_operation', 'varchar', 'operation'),
      c('status', 'varchar', 'Success or Failure'),
      c('error_code', 'varchar', 'error code'),
      c('source_ip', 'varchar', 'source address'),
      c('user_type', 'varchar', 'identity type'),
      c('user_uid', 'varchar', 'principal ARN'),
      c('session_issuer', 'varchar', 'role behind the session'),
      c('idp_name', 'varchar', 'identity provider'),
      c('event_uid', 'varchar', 'CloudTrail eventID'),
    ],
  },
  {
    name: 'audit-events-by-account-region',
    description: 'CloudTrail management events per account and Region in the last N days, with how many lack each PCI DSS 10.2.2 detail',
    file: 'named/audit-events-by-account-region.sql',
    views: ['cloudtrail_management'],
    parameters: [{ name: 'days', type: 'integer', description: 'look back this many days (default 7)', default: 7, min: 1, window: 'day' }],
    columns: [
      c('account_id', 'varchar', 'account the events were recorded in'),
      c('region', 'varchar', 'Region'),
      c('events', 'bigint', 'management events'),
      c('failed_events', 'bigint', 'of which failed'),
      c('denied_events', 'bigint', 'of which refused for lack of permission'),
      c('without_user', 'bigint', 'events naming no user, role session or AWS service'),
      c('without_user_type', 'bigint', 'events with no identity type'),
      c('without_event_type', 'bigint', 'events with no API operation'),
      c('without_outcome', 'bigint', 'events with no Success or Failure status'),
      c('without_origin', 'bigint', 'events with no source address or user agent'),
      c('without_affected_service', 'bigint', 'events with no service called'),
      c('first_seen', 'timestamp', 'earliest event in the window'),
      c('last_seen', 'timestamp', 'latest event in the window'),
    ],
  },
  {
    name: 'top-outbound-destinations',
    description: 'Top 25 destination IPs by bytes of accepted outbound traffic on a port in the last 24 hours',
    file: 'named/top-outbound-destinations.sql',
    views: ['vpc_flow'],
    parameters: [{ name: 'port', type: 'integer', description: 'destination port', example: '443', min: 0, max: 65535 }, hoursWindow(24)],
    columns: [
      c('dst_ip', 'varchar', 'destination address'),
      c('total_bytes', 'bigint', 'bytes sent'),
      c('total_packets', 'bigint', 'packets sent'),
      c('flows', 'bigint', 'flow records'),
      c('sources', 'bigint', 'distinct source addresses'),
      c('accounts', 'bigint', 'distinct accounts'),
    ],
  },
] as const satisfies readonly NamedQueryDefinition[];

export type ViewName = (typeof VIEWS)[number]['name'];
export type NamedQueryName = (typeof NAMED_QUERIES)[number]['name'];
type NamedQueryOf<N extends NamedQueryName> = Extract<(typeof NAMED_QUERIES)[number], { name: N }>;

type ValueOf<T extends ColumnType | ParameterDefinition['type']> = T extends 'bigint' | 'integer' ? number : T extends 'boolean' ? boolean : string;

/** A result row of a named query; timestamps are ISO 8601 strings in UTC. */
export type NamedQueryRow<N extends NamedQueryName> = {
  -readonly [C in NamedQueryOf<N>['columns'][number] as C['name']]: ValueOf<C['type']> | null;
};

type ParameterOf<N extends NamedQueryName> = NamedQueryOf<N>['parameters'][number];
/** Parameters of a named query: those without a default are required. */
export type NamedQueryParams<N extends NamedQueryName> = [ParameterOf<N>] extends [never]
  ? Record<string, never>
  : {
      -readonly [P in ParameterOf<N> as P extends { default: unknown } ? never : P['name']]: ValueOf<P['type']>;
    } & {
      -readonly [P in ParameterOf<N> as P extends { default: unknown } ? P['name'] : never]?: ValueOf<P['type']>;
    };

export function findView(name: string): ViewDefinition | undefined {
  return VIEWS.find((v) => v.name === name);
}

export function findNamedQuery(name: string): NamedQueryDefinition | undefined {
  return NAMED_QUERIES.find((q) => q.name === name);
}

export interface ViewSqlValues {
  /** Database holding the Security Lake table (or its resource link). */
  sourceDatabase: string;
  sourceTable: string;
  lookbackDays: number;
}

/** The view's SELECT in Athena's dialect, with database, table and window filled in. */
export function viewSelectSql(view: ViewDefinition, values: ViewSqlValues): string {
  return renderTemplate(
    loadSql(view.file),
    { source_database: values.sourceDatabase, source_table: values.sourceTable, lookback_days: values.lookbackDays },
    view.file,
  ).trim();
}

/** The named query's SQL in Athena's dialect with `:name` parameters still in place. */
export function namedQuerySql(query: NamedQueryDefinition, insightsDatabase = INSIGHTS_DATABASE): string {
  return renderTemplate(loadSql(query.file), { insights_database: insightsDatabase }, query.file).trim();
}

const sqlCache = new Map<string, string>();

function loadSql(file: string): string {
  let sql = sqlCache.get(file);
  if (sql === undefined) {
    sql = readFileSync(join(__dirname, 'sql', file), 'utf8');
    assertPortable(sql, file);
    sqlCache.set(file, sql);
  }
  return sql;
}
