import { BIGINT, BOOLEAN, DECIMAL, DuckDBType, INTEGER, LIST, MAP, STRUCT, TIMESTAMPTZ, VARCHAR } from '@duckdb/node-api';
import { NativeSource, PARTITION_COLUMNS } from './securityLakeTables';

/**
 * The Security Lake source version 2 (OCSF 1.1.0) tables Rampart's views read, as DuckDB types.
 *
 * Column names and types follow the Glue/Iceberg schemas Security Lake 2.0 creates for these
 * native sources, and the OCSF project's published Security Lake mappings (ocsf/examples,
 * mappings/markdown/AWS/v1.1.0): Security Hub findings land in one table mixing Compliance
 * Finding (2003, CSPM controls), Vulnerability Finding (2002, Inspector) and Detection Finding
 * (2004, GuardDuty and others); CloudTrail management events are API Activity (6003); VPC Flow
 * Logs are Network Activity (4001). ASFF fields with no OCSF place (RecordState, ProductFields.*)
 * sit in the `unmapped` string map.
 *
 * `region` and `accountid` are partition columns: in the local layout they come from the
 * directory names, never from the files.
 */

type Columns = Record<string, DuckDBType>;

const S = VARCHAR;
const TS = TIMESTAMPTZ;
const ACCOUNT = STRUCT({ uid: S });
const OBSERVABLES = LIST(STRUCT({ name: S, value: S, type: S, type_id: INTEGER }));
const UNMAPPED = MAP(S, S);
const CLASSIFICATION: Columns = {
  class_name: S,
  class_uid: INTEGER,
  category_name: S,
  category_uid: INTEGER,
  severity_id: INTEGER,
  severity: S,
  activity_name: S,
  activity_id: INTEGER,
  type_uid: BIGINT,
  type_name: S,
};

const FINDING_RESOURCE = { type: S, uid: S, cloud_partition: S, region: S, labels: LIST(S), data: S, criticality: S };

const SH_FINDINGS: Columns = {
  metadata: STRUCT({
    log_version: S,
    product: STRUCT({ feature: STRUCT({ uid: S, name: S }), uid: S, name: S, vendor_name: S, version: S }),
    processed_time_dt: TS,
    profiles: LIST(S),
    version: S,
    extensions: LIST(STRUCT({ name: S, uid: S, version: S })),
  }),
  time: BIGINT,
  time_dt: TS,
  confidence_score: INTEGER,
  message: S,
  cloud: STRUCT({ account: ACCOUNT, region: S, provider: S }),
  resource: STRUCT(FINDING_RESOURCE),
  finding_info: STRUCT({
    created_time_dt: TS,
    uid: S,
    desc: S,
    title: S,
    modified_time_dt: TS,
    first_seen_time_dt: TS,
    last_seen_time_dt: TS,
    related_events: LIST(STRUCT({ product_uid: S, uid: S })),
    types: LIST(S),
    src_url: S,
  }),
  remediation: STRUCT({ desc: S, references: LIST(S) }),
  compliance: STRUCT({ standards: LIST(S), requirements: LIST(S), control: S, status: S, status_detail: S, status_code: S }),
  vulnerabilities: LIST(
    STRUCT({
      remediation: STRUCT({ desc: S, references: LIST(S) }),
      cve: STRUCT({
        cvss: LIST(STRUCT({ base_score: DECIMAL(3, 1), vector_string: S, version: S })),
        uid: S,
        epss: STRUCT({ score: S }),
        references: LIST(S),
        created_time_dt: TS,
        modified_time_dt: TS,
      }),
      references: LIST(S),
      related_vulnerabilities: LIST(S),
      vendor_name: S,
      affected_packages: LIST(
        STRUCT({
          architecture: S,
          epoch: INTEGER,
          path: S,
          fixed_in_version: S,
          name: S,
          package_manager: S,
          release: S,
          remediation: STRUCT({ desc: S }),
          version: S,
        }),
      ),
      cwe: STRUCT({ uid: S }),
      affected_code: LIST(STRUCT({ end_line: INTEGER, file: STRUCT({ name: S, path: S, uid: S, type_id: INTEGER }), start_line: INTEGER })),
      is_fix_available: BOOLEAN,
      is_exploit_available: BOOLEAN,
    }),
  ),
  resources: LIST(STRUCT({ ...FINDING_RESOURCE, owner: STRUCT({ account: ACCOUNT }) })),
  evidences: LIST(
    STRUCT({
      data: S,
      actor: STRUCT({
        process: STRUCT({
          created_time_dt: TS,
          name: S,
          pid: INTEGER,
          uid: S,
          user: STRUCT({ name: S, uid: S }),
          cmd_line: S,
          parent_process: STRUCT({ uid: S }),
          file: STRUCT({ path: S, name: S, type_id: INTEGER, hashes: LIST(STRUCT({ value: S, algorithm_id: INTEGER, algorithm: S })) }),
          euid: INTEGER,
        }),
      }),
      api: STRUCT({ operation: S, response: STRUCT({ error: S, code: INTEGER }), service: STRUCT({ name: S }) }),
      src_endpoint: STRUCT({ ip: S, location: STRUCT({ country: S, city: S, coordinates: LIST(DECIMAL(9, 6)) }), port: INTEGER }),
      connection_info: STRUCT({ protocol_name: S, direction_id: INTEGER, direction: S }),
      dst_endpoint: STRUCT({ ip: S, port: INTEGER, location: STRUCT({ city: S, country: S, coordinates: LIST(DECIMAL(9, 6)) }) }),
      query: STRUCT({ hostname: S }),
    }),
  ),
  ...CLASSIFICATION,
  status: S,
  unmapped: UNMAPPED,
  observables: OBSERVABLES,
};

const CLOUD_TRAIL_MGMT: Columns = {
  metadata: STRUCT({
    product: STRUCT({ version: S, name: S, vendor_name: S, feature: STRUCT({ name: S }) }),
    event_code: S,
    uid: S,
    profiles: LIST(S),
    version: S,
  }),
  time: BIGINT,
  time_dt: TS,
  cloud: STRUCT({ region: S, provider: S }),
  api: STRUCT({
    response: STRUCT({ error: S, message: S, data: S }),
    operation: S,
    version: S,
    service: STRUCT({ name: S }),
    request: STRUCT({ data: S, uid: S }),
  }),
  dst_endpoint: STRUCT({ svc_name: S }),
  actor: STRUCT({
    user: STRUCT({ type: S, name: S, uid_alt: S, uid: S, account: ACCOUNT, credential_uid: S }),
    session: STRUCT({ created_time_dt: TS, is_mfa: BOOLEAN, issuer: S }),
    invoked_by: S,
    idp: STRUCT({ name: S }),
  }),
  http_request: STRUCT({ user_agent: S }),
  src_endpoint: STRUCT({ uid: S, ip: S, domain: S }),
  session: STRUCT({ uid: S, uid_alt: S, credential_uid: S, issuer: S }),
  policy: STRUCT({ uid: S }),
  resources: LIST(STRUCT({ uid: S, owner: STRUCT({ account: ACCOUNT }), type: S })),
  ...CLASSIFICATION,
  user: STRUCT({ uid_alt: S, uid: S, name: S }),
  status: S,
  is_mfa: BOOLEAN,
  unmapped: UNMAPPED,
  observables: OBSERVABLES,
};

const FLOW_ENDPOINT = STRUCT({
  port: INTEGER,
  svc_name: S,
  ip: S,
  intermediate_ips: LIST(S),
  interface_uid: S,
  vpc_uid: S,
  instance_uid: S,
  subnet_uid: S,
});

const VPC_FLOW: Columns = {
  metadata: STRUCT({
    product: STRUCT({ version: S, name: S, feature: STRUCT({ name: S }), vendor_name: S }),
    profiles: LIST(S),
    version: S,
  }),
  cloud: STRUCT({ account: ACCOUNT, region: S, zone: S, provider: S }),
  src_endpoint: FLOW_ENDPOINT,
  dst_endpoint: FLOW_ENDPOINT,
  connection_info: STRUCT({
    protocol_num: INTEGER,
    tcp_flags: INTEGER,
    protocol_ver: S,
    boundary_id: INTEGER,
    boundary: S,
    direction_id: INTEGER,
    direction: S,
  }),
  traffic: STRUCT({ packets: BIGINT, bytes: BIGINT }),
  time: BIGINT,
  time_dt: TS,
  start_time_dt: TS,
  end_time_dt: TS,
  status_code: S,
  ...CLASSIFICATION,
  action: S,
  action_id: INTEGER,
  disposition: S,
  unmapped: UNMAPPED,
  observables: OBSERVABLES,
};

/** Columns of each native source's table, in table order. */
export const SOURCE_COLUMNS: Readonly<Record<NativeSource, Columns>> = { SH_FINDINGS, CLOUD_TRAIL_MGMT, VPC_FLOW };

/** `CREATE TABLE` column list for a source, partition columns last (as DuckDB's hive reader puts them). */
export function columnDefinitions(source: NativeSource, withPartitions: boolean): string {
  const columns = Object.entries(SOURCE_COLUMNS[source]).map(([name, type]) => `"${name}" ${type.toString()}`);
  if (withPartitions) columns.push(...PARTITION_COLUMNS.map((name) => `"${name}" VARCHAR`));
  return columns.join(', ');
}
