import type { LakeRecord } from '../../query/lakeWriter';
import type { SampleEvents } from '../../query/sampleLake';

/**
 * An independent, plain-JavaScript reading of the sample events: what each view and named query
 * must return, computed without SQL. The tests compare DuckDB's answers with these.
 */

type Row = Record<string, string | number | boolean | null>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function get(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? null;
}

const str = (record: unknown, path: string) => get(record, path) as string | null;
const iso = (record: LakeRecord, path: string) => {
  const value = get(record, path);
  return value instanceof Date ? value.toISOString() : null;
};
const first = (record: unknown, path: string) => {
  const list = get(record, path);
  return Array.isArray(list) && list.length > 0 ? list[0] : null;
};

export function findingRow(r: LakeRecord): Row {
  const unmapped = get(r, 'unmapped') as Record<string, string> | null;
  const recordState = unmapped?.RecordState ?? null;
  const status = str(r, 'status');
  const activity = str(r, 'activity_name');
  return {
    finding_uid: str(r, 'finding_info.uid'),
    event_time: iso(r, 'time_dt'),
    product: str(r, 'metadata.product.name'),
    finding_class: str(r, 'class_name'),
    title: str(r, 'finding_info.title'),
    status,
    record_state: recordState,
    activity,
    is_active: (recordState ?? 'ACTIVE') === 'ACTIVE' && !['Resolved', 'Suppressed'].includes(status ?? 'New') && (activity ?? '') !== 'Close',
    severity: str(r, 'severity'),
    severity_id: get(r, 'severity_id') as number | null,
    account_id: str(r, 'cloud.account.uid') ?? r.accountid,
    region: str(r, 'cloud.region') ?? r.region,
    compliance_status: str(r, 'compliance.status'),
    control_id: str(r, 'compliance.control'),
    standard: first(r, 'compliance.standards') as string | null,
    remediation: str(r, 'remediation.desc'),
    remediation_url: first(r, 'remediation.references') as string | null,
    resource_type: str(r, 'resource.type') ?? str(first(r, 'resources'), 'type'),
    resource_uid: str(r, 'resource.uid') ?? str(first(r, 'resources'), 'uid'),
  };
}

export function cloudTrailRow(r: LakeRecord): Row {
  return {
    event_uid: str(r, 'metadata.uid'),
    event_time: iso(r, 'time_dt'),
    api_operation: str(r, 'api.operation'),
    api_service: str(r, 'api.service.name'),
    status: str(r, 'status'),
    error_code: str(r, 'api.response.error'),
    error_message: str(r, 'api.response.message'),
    user_name: str(r, 'actor.user.name'),
    user_type: str(r, 'actor.user.type'),
    user_uid: str(r, 'actor.user.uid'),
    credential_uid: str(r, 'actor.user.credential_uid'),
    user_account_id: str(r, 'actor.user.account.uid'),
    idp_name: str(r, 'actor.idp.name'),
    session_issuer: str(r, 'actor.session.issuer'),
    mfa_authenticated: get(r, 'actor.session.is_mfa') as boolean | null,
    source_ip: str(r, 'src_endpoint.ip'),
    user_agent: str(r, 'http_request.user_agent'),
    account_id: r.accountid,
    region: str(r, 'cloud.region') ?? r.region,
  };
}

export function flowRow(r: LakeRecord): Row {
  return {
    event_time: iso(r, 'time_dt'),
    start_time: iso(r, 'start_time_dt'),
    end_time: iso(r, 'end_time_dt'),
    src_ip: str(r, 'src_endpoint.ip'),
    src_port: get(r, 'src_endpoint.port') as number | null,
    dst_ip: str(r, 'dst_endpoint.ip'),
    dst_port: get(r, 'dst_endpoint.port') as number | null,
    protocol_num: get(r, 'connection_info.protocol_num') as number | null,
    direction: str(r, 'connection_info.direction'),
    bytes: get(r, 'traffic.bytes') as number | null,
    packets: get(r, 'traffic.packets') as number | null,
    action: str(r, 'action'),
    interface_uid: str(r, 'src_endpoint.interface_uid') ?? str(r, 'dst_endpoint.interface_uid'),
    account_id: str(r, 'cloud.account.uid') ?? r.accountid,
    region: str(r, 'cloud.region') ?? r.region,
  };
}

export interface OracleOptions {
  now: Date;
  lookbackDays: number;
}

export class Oracle {
  readonly findings: Row[];
  readonly cloudTrail: Row[];
  readonly flows: Row[];

  constructor(
    events: SampleEvents,
    private readonly options: OracleOptions,
  ) {
    const cutoff = options.now.getTime() - options.lookbackDays * DAY;
    const inWindow = (r: LakeRecord) => r.time >= cutoff;
    this.findings = events.SH_FINDINGS.filter(inWindow).map(findingRow);
    this.cloudTrail = events.CLOUD_TRAIL_MGMT.filter(inWindow).map(cloudTrailRow);
    this.flows = events.VPC_FLOW.filter(inWindow).map(flowRow);
  }

  failedComplianceControls(): Row[] {
    const failed = this.latestFindings().filter((f) => f.control_id !== null && f.is_active && String(f.compliance_status).toUpperCase() === 'FAILED');
    const rows = groupBy(failed, (f) => String(f.control_id)).map((group) => ({
      control_id: group[0].control_id,
      control_title: maxString(group.map((f) => f.title)),
      severity: worst(group).severity,
      failed_resources: distinct(group, 'resource_uid'),
      accounts: distinct(group, 'account_id'),
      regions: distinct(group, 'region'),
      last_seen: maxString(group.map((f) => f.event_time)),
      sortSeverity: worst(group).severity_id as number,
    }));
    rows.sort((a, b) => b.sortSeverity - a.sortSeverity || b.failed_resources - a.failed_resources || compare(a.control_id, b.control_id));
    return rows.map(({ sortSeverity: _, ...row }) => row);
  }

  findingsByProductAndControl(): Row[] {
    const active = this.latestFindings().filter((f) => f.is_active);
    const rows = groupBy(active, (f) => JSON.stringify([f.product, f.control_id])).map((group) => ({
      product: group[0].product,
      control_id: group[0].control_id,
      findings: group.length,
      failed: group.filter((f) => String(f.compliance_status).toUpperCase() === 'FAILED').length,
      highest_severity: worst(group).severity,
      accounts: distinct(group, 'account_id'),
    }));
    rows.sort((a, b) => b.findings - a.findings || compareNullsLast(a.product, b.product) || compareNullsLast(a.control_id, b.control_id));
    return rows;
  }

  activeInspectorFindingsByTitle(): Row[] {
    const active = this.latestFindings().filter((f) => f.product === 'Inspector' && f.is_active);
    const rows = groupBy(active, (f) => String(f.title)).map((group) => ({
      title: group[0].title,
      severity: worst(group).severity,
      findings: group.length,
      resources: distinct(group, 'resource_uid'),
      accounts: distinct(group, 'account_id'),
      last_seen: maxString(group.map((f) => f.event_time)),
      sortSeverity: worst(group).severity_id as number,
    }));
    rows.sort((a, b) => b.sortSeverity - a.sortSeverity || b.findings - a.findings || compare(a.title, b.title));
    return rows.map(({ sortSeverity: _, ...row }) => row);
  }

  accessDeniedOperations(hours: number): Row[] {
    const denied = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'Client.OperationNotPermitted'];
    const events = this.cloudTrail.filter((e) => this.within(e, hours * HOUR) && denied.includes(String(e.error_code)));
    const rows = groupBy(events, (e) => JSON.stringify([e.api_service, e.api_operation])).map((group) => ({
      api_service: group[0].api_service,
      api_operation: group[0].api_operation,
      denied_calls: group.length,
      principals: distinct(group, 'user_uid'),
      accounts: distinct(group, 'account_id'),
      last_seen: maxString(group.map((e) => e.event_time)),
    }));
    rows.sort((a, b) => b.denied_calls - a.denied_calls || compare(a.api_service, b.api_service) || compare(a.api_operation, b.api_operation));
    return rows.slice(0, 25);
  }

  userActivity(user: string, days: number): Row[] {
    const columns = ['event_time', 'account_id', 'region', 'api_service', 'api_operation', 'status', 'error_code', 'source_ip', 'user_type', 'user_uid', 'session_issuer', 'idp_name', 'event_uid'];
    return this.cloudTrail
      .filter((e) => this.within(e, days * DAY) && (e.user_name === user || (e.user_uid !== null && String(e.user_uid).split('/').pop() === user)))
      .sort((a, b) => compare(b.event_time, a.event_time) || compare(a.event_uid, b.event_uid))
      .map((e) => Object.fromEntries(columns.map((c) => [c, e[c]])));
  }

  topOutboundDestinations(port: number, hours: number): Row[] {
    const flows = this.flows.filter((f) => this.within(f, hours * HOUR) && f.direction === 'Outbound' && f.action === 'Allowed' && f.dst_port === port);
    const rows = groupBy(flows, (f) => String(f.dst_ip)).map((group) => ({
      dst_ip: group[0].dst_ip,
      total_bytes: group.reduce((sum, f) => sum + Number(f.bytes), 0),
      total_packets: group.reduce((sum, f) => sum + Number(f.packets), 0),
      flows: group.length,
      sources: distinct(group, 'src_ip'),
      accounts: distinct(group, 'account_id'),
    }));
    rows.sort((a, b) => b.total_bytes - a.total_bytes || compare(a.dst_ip, b.dst_ip));
    return rows.slice(0, 25);
  }

  private latestFindings(): Row[] {
    const latest = new Map<string, Row>();
    for (const f of this.findings) {
      const key = String(f.finding_uid);
      const seen = latest.get(key);
      if (!seen || String(f.event_time) > String(seen.event_time)) latest.set(key, f);
    }
    return [...latest.values()];
  }

  private within(row: Row, span: number): boolean {
    return Date.parse(String(row.event_time)) >= this.options.now.getTime() - span;
  }
}

function groupBy(rows: Row[], key: (row: Row) => string): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return [...groups.values()];
}

function distinct(rows: Row[], column: string): number {
  return new Set(rows.map((r) => r[column]).filter((v) => v !== null)).size;
}

function worst(rows: Row[]): Row {
  return rows.reduce((a, b) => (Number(b.severity_id) > Number(a.severity_id) ? b : a));
}

function maxString(values: (string | number | boolean | null)[]): string | null {
  const present = values.filter((v): v is string => typeof v === 'string');
  return present.length === 0 ? null : present.reduce((a, b) => (b > a ? b : a));
}

function compare(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareNullsLast(a: unknown, b: unknown): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compare(a, b);
}
