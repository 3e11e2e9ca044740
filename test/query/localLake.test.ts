import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnType, NAMED_QUERIES, NamedQueryDefinition, VIEWS } from '../../query/catalog';
import { LakeRecord, LakeRecordError, writeLakeRecords } from '../../query/lakeWriter';
import { LakeLayoutError, LocalLake, queryLocalLake, runNamedQuery } from '../../query/localLake';
import { QueryParameterError } from '../../query/parameters';
import { generateSampleEvents, SampleLakeOptions, writeSampleLake } from '../../query/sampleLake';
import { localSourceDir, NATIVE_SOURCE_NAMES } from '../../query/securityLakeTables';
import { Oracle } from './oracle';

const NOW = new Date('2026-12-04T12:00:00Z');
const HOUR = 3_600_000;
const A = '111111111111';
const B = '012345678901';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  varchar: 'VARCHAR',
  bigint: 'BIGINT',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
};

function query(name: string): NamedQueryDefinition {
  const found = NAMED_QUERIES.find((q) => q.name === name);
  if (!found) throw new Error(`no query ${name}`);
  return found;
}

const byKey = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[key]).localeCompare(String(b[key])) || String(a.event_time).localeCompare(String(b.event_time));

describe('views and named queries over a generated sample lake', () => {
  const options: SampleLakeOptions = { accounts: [A, B, '222222222222'], regions: ['us-east-1', 'eu-west-1'], seed: 42, now: NOW, days: 5 };
  const events = generateSampleEvents(options);
  const oracle = new Oracle(events, { now: NOW, lookbackDays: 90 });
  let dir: string;
  let lake: LocalLake;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-lake-'));
    await writeSampleLake(dir, options);
    lake = await LocalLake.open({ lake: dir, now: NOW });
  });
  afterAll(() => {
    lake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the rare shapes the queries must survive', () => {
    const findings = events.SH_FINDINGS;
    expect(findings.filter((f) => f.unmapped === null).length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.unmapped && !('RecordState' in (f.unmapped as object))).length).toBeGreaterThan(0);
    expect(findings.filter((f) => Array.isArray(f.resources) && f.resources.length === 0).length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.class_name))).toEqual(new Set(['Compliance Finding', 'Vulnerability Finding', 'Detection Finding']));
    expect(lake.missingSources).toEqual([]);
  });

  it.each([
    ['security_hub_findings', () => oracle.findings, 'finding_uid'],
    ['cloudtrail_management', () => oracle.cloudTrail, 'event_uid'],
    ['vpc_flow', () => oracle.flows, 'interface_uid'],
  ] as const)('view %s returns every event of the window, flattened', async (name, expected, key) => {
    const result = await lake.run(name);
    expect(result.rows.length).toBeGreaterThan(0);
    expect([...result.rows].sort(byKey(key))).toEqual([...expected()].sort(byKey(key)));
  });

  it.each(VIEWS.map((v) => [v.name, v] as const))('view %s has the declared columns and types', async (name, view) => {
    const result = await lake.run(name);
    expect(result.columns).toEqual(view.columns.map((c) => ({ name: c.name, type: DUCKDB_TYPES[c.type] })));
  });

  it.each([
    ['failed-compliance-controls', {}, () => oracle.failedComplianceControls()],
    ['findings-by-product-and-control', {}, () => oracle.findingsByProductAndControl()],
    ['active-inspector-findings-by-title', {}, () => oracle.activeInspectorFindingsByTitle()],
    ['access-denied-operations', {}, () => oracle.accessDeniedOperations(24)],
    ['access-denied-operations', { hours: 120 }, () => oracle.accessDeniedOperations(120)],
    ['user-activity', { user: 'bob' }, () => oracle.userActivity('bob', 7)],
    ['user-activity', { user: 'carol@example.com', days: 30 }, () => oracle.userActivity('carol@example.com', 30)],
    ['user-activity', { user: 'github-actions', days: 2 }, () => oracle.userActivity('github-actions', 2)],
    ['top-outbound-destinations', { port: 443 }, () => oracle.topOutboundDestinations(443, 24)],
    ['top-outbound-destinations', { port: '22', hours: '200' }, () => oracle.topOutboundDestinations(22, 200)],
  ] as const)('%s %j returns what the events say', async (name, params, expected) => {
    const want = expected();
    expect(want.length).toBeGreaterThan(0);
    const result = await lake.run(name, params);
    expect(result.rows).toEqual(want);
    expect(result.columns).toEqual(query(name).columns.map((c) => ({ name: c.name, type: DUCKDB_TYPES[c.type] })));
  });

  it('a shorter look-back window leaves older events out of the views', async () => {
    const short = await LocalLake.open({ lake: dir, now: NOW, lookbackDays: 2 });
    try {
      const shortOracle = new Oracle(events, { now: NOW, lookbackDays: 2 });
      expect((await short.run('cloudtrail_management')).rows.length).toBe(shortOracle.cloudTrail.length);
      expect(shortOracle.cloudTrail.length).toBeLessThan(oracle.cloudTrail.length);
      await expect(short.rows('user-activity', { user: 'bob', days: 3 })).rejects.toThrow("reaches past the views' look-back window of 2 days");
    } finally {
      short.close();
    }
  });
});

describe('named queries over hand-written events', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-lake-'));
    await writeLakeRecords(dir, 'SH_FINDINGS', FINDINGS);
    await writeLakeRecords(dir, 'CLOUD_TRAIL_MGMT', CLOUDTRAIL);
    await writeLakeRecords(dir, 'VPC_FLOW', FLOWS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (name: string, params: Record<string, string | number> = {}) => queryLocalLake(name, params, { lake: dir, now: NOW }).then((r) => r.rows);

  it('failed controls count the latest state of active findings only', async () => {
    expect(await run('failed-compliance-controls')).toEqual([
      {
        control_id: 'S3.8',
        control_title: 'S3 general purpose buckets should block public access',
        severity: 'High',
        failed_resources: 1, // the second failing finding names no resource
        accounts: 2,
        regions: 1,
        last_seen: iso(2),
      },
    ]);
  });

  it('findings by product and control id count active findings, control id empty for non-control findings', async () => {
    expect(await run('findings-by-product-and-control')).toEqual([
      { product: 'Inspector', control_id: null, findings: 2, failed: 0, highest_severity: 'Critical', accounts: 1 },
      { product: 'Security Hub', control_id: 'S3.8', findings: 2, failed: 2, highest_severity: 'High', accounts: 2 },
      { product: 'GuardDuty', control_id: null, findings: 1, failed: 0, highest_severity: 'Medium', accounts: 1 },
    ]);
  });

  it('active Inspector findings leave out resolved ones and keep those with no RecordState', async () => {
    expect(await run('active-inspector-findings-by-title')).toEqual([
      { title: 'CVE-2024-3094 - xz-libs', severity: 'Critical', findings: 1, resources: 1, accounts: 1, last_seen: iso(6) },
      { title: 'CVE-2023-4863 - libwebp', severity: 'High', findings: 1, resources: 1, accounts: 1, last_seen: iso(7) },
    ]);
  });

  it('the view shows NULL for a missing RecordState, resource and remediation link', async () => {
    const rows = (await run('security_hub_findings'))
      .filter((r) => r.finding_uid === 'f2' || r.finding_uid === 'f5' || r.finding_uid === 'f8')
      .sort((a, b) => String(a.finding_uid).localeCompare(String(b.finding_uid)));
    expect(rows.map((r) => [r.finding_uid, r.record_state, r.resource_uid, r.remediation_url, r.is_active])).toEqual([
      ['f2', null, null, null, true],
      ['f5', null, 'arn:aws:ec2:us-east-1:111111111111:instance/i-0a', null, true],
      ['f8', 'ACTIVE', 'arn:aws:ec2:us-east-1:111111111111:instance/i-0b', null, true],
    ]);
  });

  it('access denied counts refusals in the window by operation', async () => {
    expect(await run('access-denied-operations')).toEqual([
      { api_service: 's3.amazonaws.com', api_operation: 'PutBucketPolicy', denied_calls: 2, principals: 2, accounts: 2, last_seen: iso(1) },
      { api_service: 'ec2.amazonaws.com', api_operation: 'RunInstances', denied_calls: 1, principals: 1, accounts: 1, last_seen: iso(5) },
    ]);
    expect((await run('access-denied-operations', { hours: 48 })).map((r) => r.api_operation)).toEqual(['PutBucketPolicy', 'RunInstances', 'CreateAccessKey']);
    // the window includes its start: the call exactly one hour old counts
    expect((await run('access-denied-operations', { hours: 1 })).map((r) => [r.api_operation, r.denied_calls])).toEqual([['PutBucketPolicy', 1]]);
  });

  it('user activity matches user names and session names, newest first', async () => {
    expect((await run('user-activity', { user: 'bob' })).map((r) => [r.event_uid, r.account_id, r.error_code])).toEqual([
      ['e1', A, 'AccessDenied'],
      ['e2', B, 'AccessDenied'],
      ['e4', A, 'AccessDenied'],
    ]);
    expect((await run('user-activity', { user: 'carol@example.com' })).map((r) => [r.event_uid, r.user_type, r.session_issuer])).toEqual([
      ['e3', 'AssumedRole', `arn:aws:iam::${A}:role/Admin`],
    ]);
    expect((await run('user-activity', { user: 'alice' })).map((r) => r.event_uid)).toEqual(['e5']);
    expect((await run('user-activity', { user: 'alice', days: 30 })).map((r) => r.event_uid)).toEqual(['e5', 'e6']);
  });

  it('top outbound destinations sum accepted outbound bytes on the port', async () => {
    expect(await run('top-outbound-destinations', { port: 443 })).toEqual([
      { dst_ip: '203.0.113.5', total_bytes: 4000, total_packets: 5, flows: 1, sources: 1, accounts: 1 },
      { dst_ip: '198.51.100.10', total_bytes: 1500, total_packets: 3, flows: 2, sources: 2, accounts: 2 },
    ]);
  });

  it.each([
    ['user-activity', { user: 'nobody' }],
    ['user-activity', { user: 'carol' }], // a session name matches whole, not in part
    ['top-outbound-destinations', { port: 9999 }],
    ['top-outbound-destinations', { port: 22, hours: 1 }],
  ])('%s %j returns no rows when nothing matches', async (name, params) => {
    expect(await run(name, params)).toEqual([]);
  });

  it('returns typed rows for evidence', async () => {
    const rows = await runNamedQuery('user-activity', { user: 'bob', days: 7 }, { lake: dir, now: NOW });
    const operation: string | null = rows[0].api_operation;
    expect(operation).toBe('PutBucketPolicy');
  });
});

describe('local lake edge cases', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-lake-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an empty lake gives empty answers and says which sources are missing', async () => {
    for (const q of NAMED_QUERIES) {
      const params = q.name === 'user-activity' ? { user: 'bob' } : q.name === 'top-outbound-destinations' ? { port: 443 } : {};
      const result = await queryLocalLake(q.name, params, { lake: dir, now: NOW });
      expect(result.rows).toEqual([]);
      expect(result.columns.map((c) => c.name)).toEqual(q.columns.map((c) => c.name));
      expect(result.missingSources).toEqual(NATIVE_SOURCE_NAMES);
    }
  });

  it('a lake with one source answers the others with no rows', async () => {
    await writeLakeRecords(dir, 'VPC_FLOW', FLOWS);
    const result = await queryLocalLake('failed-compliance-controls', {}, { lake: dir, now: NOW });
    expect(result.rows).toEqual([]);
    expect(result.missingSources).toEqual(['SH_FINDINGS', 'CLOUD_TRAIL_MGMT']);
  });

  it('reads each view once per session, so one session answers from one snapshot of the lake', async () => {
    await writeLakeRecords(dir, 'SH_FINDINGS', FINDINGS);
    const lake = await LocalLake.open({ lake: dir, now: NOW });
    try {
      expect((await lake.run('failed-compliance-controls')).rows).toHaveLength(1);
      rmSync(localSourceDir(dir, 'SH_FINDINGS'), { recursive: true });
      expect((await lake.run('findings-by-product-and-control')).rows).toHaveLength(3);
    } finally {
      lake.close();
    }
    expect((await queryLocalLake('findings-by-product-and-control', {}, { lake: dir, now: NOW })).rows).toEqual([]);
  });

  it('names a Parquet file outside the partition layout', async () => {
    const root = localSourceDir(dir, 'VPC_FLOW');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'stray.parquet'), 'not parquet');
    await expect(queryLocalLake('vpc_flow', {}, { lake: dir })).rejects.toThrow(LakeLayoutError);
    await expect(queryLocalLake('vpc_flow', {}, { lake: dir })).rejects.toThrow(
      `${join(root, 'stray.parquet')}: not in a Security Lake partition; expected ${root}/region=<region>/accountId=<12-digit account>/eventDay=<YYYYMMDD>/<file>.parquet`,
    );
  });

  it('refuses a missing lake, an unknown name and parameters to a view', async () => {
    await expect(queryLocalLake('vpc_flow', {}, { lake: join(dir, 'nope') })).rejects.toThrow(`lake directory ${join(dir, 'nope')} does not exist`);
    await expect(queryLocalLake('failed-controls', {}, { lake: dir })).rejects.toThrow(
      'no named query or view called "failed-controls"; named queries: failed-compliance-controls, findings-by-product-and-control',
    );
    await expect(queryLocalLake('vpc_flow', { port: 443 }, { lake: dir })).rejects.toThrow(QueryParameterError);
  });

  it('refuses records that do not fit the table', async () => {
    const record = FLOWS[0];
    await expect(writeLakeRecords(dir, 'VPC_FLOW', [{ ...record, bytes: 5 }])).rejects.toThrow('VPC_FLOW record 0: bytes is not a column of the vpc_flow_2_0 table');
    await expect(writeLakeRecords(dir, 'VPC_FLOW', [{ ...record, traffic: { bytes: 1, octets: 2 } }])).rejects.toThrow(LakeRecordError);
    await expect(writeLakeRecords(dir, 'VPC_FLOW', [{ ...record, traffic: { bytes: 1, octets: 2 } }])).rejects.toThrow('VPC_FLOW records 0-0, column traffic: octets is not a field of STRUCT("packets" BIGINT, "bytes" BIGINT)');
  });
});

// ---- hand-written events: times are hours before NOW ----

function iso(hoursAgo: number): string {
  return new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
}

function at(hoursAgo: number) {
  const time = NOW.getTime() - hoursAgo * HOUR;
  return { time, time_dt: new Date(time) };
}

function finding(f: {
  uid: string;
  account: string;
  hoursAgo: number;
  product: string;
  className: string;
  title: string;
  severity: string;
  severityId: number;
  status: string;
  compliance?: Record<string, unknown> | null;
  unmapped?: Record<string, string> | null;
  resource?: Record<string, unknown> | null;
  resources?: Record<string, unknown>[] | null;
  references?: string[];
}): LakeRecord {
  return {
    region: 'us-east-1',
    accountid: f.account,
    ...at(f.hoursAgo),
    metadata: { product: { name: f.product, vendor_name: 'AWS' }, version: '1.1.0' },
    cloud: { account: { uid: f.account }, region: 'us-east-1', provider: 'AWS' },
    finding_info: { uid: f.uid, title: f.title },
    class_name: f.className,
    severity: f.severity,
    severity_id: f.severityId,
    status: f.status,
    activity_name: 'Update',
    compliance: f.compliance ?? null,
    unmapped: f.unmapped === undefined ? { RecordState: 'ACTIVE' } : f.unmapped,
    resource: f.resource ?? null,
    resources: f.resources ?? null,
    remediation: { desc: 'Fix it', references: f.references ?? [] },
  };
}

const S38 = { product: 'Security Hub', className: 'Compliance Finding', title: 'S3 general purpose buckets should block public access', severity: 'High', severityId: 4 };
const FINDINGS: LakeRecord[] = [
  finding({ ...S38, uid: 'f1', account: A, hoursAgo: 48, status: 'Resolved', compliance: { control: 'S3.8', status: 'PASSED' }, resource: { uid: 'arn:aws:s3:::b1' } }),
  finding({ ...S38, uid: 'f1', account: A, hoursAgo: 2, status: 'New', compliance: { control: 'S3.8', status: 'FAILED' }, resource: { uid: 'arn:aws:s3:::b1' }, references: ['https://docs.aws.amazon.com/console/securityhub/S3.8/remediation'] }),
  finding({ ...S38, uid: 'f2', account: B, hoursAgo: 3, status: 'New', compliance: { control: 'S3.8', status: 'FAILED' }, unmapped: null, resources: [] }),
  finding({ ...S38, uid: 'f3', account: A, hoursAgo: 4, status: 'New', title: 'Hardware MFA should be enabled for the root user', severity: 'Critical', severityId: 5, compliance: { control: 'IAM.6', status: 'FAILED' }, unmapped: { RecordState: 'ARCHIVED' } }),
  finding({ ...S38, uid: 'f4', account: A, hoursAgo: 4, status: 'Resolved', title: 'AWS KMS key rotation should be enabled', severity: 'Medium', severityId: 3, compliance: { control: 'KMS.4', status: 'PASSED' } }),
  finding({ uid: 'f5', account: A, hoursAgo: 6, product: 'Inspector', className: 'Vulnerability Finding', title: 'CVE-2024-3094 - xz-libs', severity: 'Critical', severityId: 5, status: 'New', unmapped: { WorkflowState: 'NEW' }, resource: { uid: `arn:aws:ec2:us-east-1:${A}:instance/i-0a` } }),
  finding({ uid: 'f6', account: A, hoursAgo: 6, product: 'Inspector', className: 'Vulnerability Finding', title: 'CVE-2024-3094 - xz-libs', severity: 'Critical', severityId: 5, status: 'Resolved', resource: { uid: `arn:aws:ec2:us-east-1:${A}:instance/i-0c` } }),
  finding({ uid: 'f7', account: A, hoursAgo: 7, product: 'Inspector', className: 'Vulnerability Finding', title: 'CVE-2023-4863 - libwebp', severity: 'High', severityId: 4, status: 'New', resource: { uid: `arn:aws:ec2:us-east-1:${A}:instance/i-0a` } }),
  finding({ uid: 'f8', account: A, hoursAgo: 8, product: 'GuardDuty', className: 'Detection Finding', title: 'API calls were made from a known malicious IP address', severity: 'Medium', severityId: 3, status: 'New', resources: [{ uid: `arn:aws:ec2:us-east-1:${A}:instance/i-0b`, type: 'AwsEc2Instance' }] }),
  finding({ ...S38, uid: 'f9', account: A, hoursAgo: 100 * 24, status: 'New', title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22', compliance: { control: 'EC2.13', status: 'FAILED' } }),
];

function apiCall(e: { uid: string; account: string; hoursAgo: number; user: Record<string, unknown> | null; session?: Record<string, unknown>; service: string; operation: string; error?: string }): LakeRecord {
  return {
    region: 'us-east-1',
    accountid: e.account,
    ...at(e.hoursAgo),
    metadata: { uid: e.uid, product: { name: 'CloudTrail' }, version: '1.1.0' },
    api: { operation: e.operation, service: { name: e.service }, response: e.error ? { error: e.error } : null },
    actor: { user: e.user, session: e.session ?? null },
    src_endpoint: { ip: '198.51.100.1' },
    cloud: { region: 'us-east-1', provider: 'AWS' },
    status: e.error ? 'Failure' : 'Success',
    class_uid: 6003,
    unmapped: { recipientAccountId: e.account },
  };
}

const iamUser = (account: string, name: string) => ({ type: 'IAMUser', name, uid: `arn:aws:iam::${account}:user/${name}`, account: { uid: account } });
const CLOUDTRAIL: LakeRecord[] = [
  apiCall({ uid: 'e1', account: A, hoursAgo: 1, user: iamUser(A, 'bob'), service: 's3.amazonaws.com', operation: 'PutBucketPolicy', error: 'AccessDenied' }),
  apiCall({ uid: 'e2', account: B, hoursAgo: 3, user: iamUser(B, 'bob'), service: 's3.amazonaws.com', operation: 'PutBucketPolicy', error: 'AccessDenied' }),
  apiCall({
    uid: 'e3',
    account: A,
    hoursAgo: 5,
    user: { type: 'AssumedRole', name: null, uid: `arn:aws:sts::${A}:assumed-role/Admin/carol@example.com` },
    session: { issuer: `arn:aws:iam::${A}:role/Admin`, is_mfa: true },
    service: 'ec2.amazonaws.com',
    operation: 'RunInstances',
    error: 'Client.UnauthorizedOperation',
  }),
  apiCall({ uid: 'e4', account: A, hoursAgo: 30, user: iamUser(A, 'bob'), service: 'iam.amazonaws.com', operation: 'CreateAccessKey', error: 'AccessDenied' }),
  apiCall({ uid: 'e5', account: A, hoursAgo: 2, user: iamUser(A, 'alice'), service: 's3.amazonaws.com', operation: 'GetBucketPolicy', error: 'NoSuchBucketPolicy' }),
  apiCall({ uid: 'e6', account: A, hoursAgo: 240, user: iamUser(A, 'alice'), service: 's3.amazonaws.com', operation: 'ListBuckets' }),
  apiCall({ uid: 'e7', account: A, hoursAgo: 1, user: { type: 'AWSService', name: null, uid: null }, service: 'config.amazonaws.com', operation: 'DescribeTrails' }),
];

function flow(f: { account: string; hoursAgo: number; direction: string; action: string; src: string; dst: string; port: number; bytes: number; packets: number }): LakeRecord {
  return {
    region: 'us-east-1',
    accountid: f.account,
    ...at(f.hoursAgo),
    cloud: { account: { uid: f.account }, region: 'us-east-1', provider: 'AWS' },
    src_endpoint: { ip: f.src, port: 40000, interface_uid: f.direction === 'Outbound' ? 'eni-1' : null },
    dst_endpoint: { ip: f.dst, port: f.port, interface_uid: f.direction === 'Inbound' ? 'eni-1' : null },
    connection_info: { direction: f.direction, protocol_num: 6 },
    traffic: { bytes: f.bytes, packets: f.packets },
    action: f.action,
  };
}

const out = { direction: 'Outbound', action: 'Allowed', port: 443 };
const FLOWS: LakeRecord[] = [
  flow({ ...out, account: A, hoursAgo: 1, src: '10.0.0.1', dst: '198.51.100.10', bytes: 1000, packets: 2 }),
  flow({ ...out, account: B, hoursAgo: 2, src: '10.0.0.2', dst: '198.51.100.10', bytes: 500, packets: 1 }),
  flow({ ...out, account: A, hoursAgo: 3, src: '10.0.0.1', dst: '203.0.113.5', bytes: 4000, packets: 5 }),
  flow({ ...out, account: A, hoursAgo: 3, src: '10.0.0.1', dst: '192.0.2.1', bytes: 40, packets: 1, action: 'Denied' }),
  flow({ ...out, account: A, hoursAgo: 3, src: '198.51.100.99', dst: '10.0.0.1', bytes: 9000, packets: 9, direction: 'Inbound' }),
  flow({ ...out, account: A, hoursAgo: 3, src: '10.0.0.1', dst: '203.0.113.9', bytes: 99, packets: 1, port: 22 }),
  flow({ ...out, account: A, hoursAgo: 30, src: '10.0.0.1', dst: '192.0.2.200', bytes: 7000, packets: 7 }),
];
