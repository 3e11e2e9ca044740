import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import { handleKinesisBatch, type KinesisStreamEvent } from '../../handlers/customSourceKinesis';
import { handleS3Notifications } from '../../handlers/customSourceS3';
import { accountFromLogKey } from '../../ocsf/lakeLayout';
import { createRuntime, readSettings, type CustomSourceSettings } from '../../handlers/customSourceSetup';
import { ROOT, SAMPLES } from './sampleEvents';

/** Test doubles for the two SDK clients: they record calls and keep objects in memory. */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly puts: { bucket: string; key: string; credentials: string }[] = [];
  failPuts = false;
  constructor(private readonly credentials: string) {}
  async send(command: unknown): Promise<unknown> {
    if (command instanceof PutObjectCommand) {
      if (this.failPuts) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      const { Bucket, Key, Body } = command.input;
      this.objects.set(`${Bucket}/${Key}`, Buffer.from(Body as Uint8Array));
      this.puts.push({ bucket: Bucket!, key: Key!, credentials: this.credentials });
      return {};
    }
    if (command instanceof GetObjectCommand) {
      const body = this.objects.get(`${command.input.Bucket}/${command.input.Key}`);
      if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: Readable.from([body]) };
    }
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  }
}

function fakeAws() {
  const assumed: AssumeRoleCommand['input'][] = [];
  const store = new FakeS3('');
  const sts = { send: async (command: AssumeRoleCommand) => {
    assumed.push(command.input);
    return { Credentials: { AccessKeyId: `AKIA-${command.input.RoleArn!.split('/')[1]}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) } };
  } } as unknown as STSClient;
  // One store, so what a role writes can be inspected; each client remembers whose credentials it holds.
  const s3 = (credentials?: () => Promise<{ accessKeyId: string }>) => ({
    send: async (command: unknown) => {
      const who = credentials ? (await credentials()).accessKeyId : 'function-role';
      const result = await store.send(command);
      if (command instanceof PutObjectCommand) store.puts[store.puts.length - 1].credentials = who;
      return result;
    },
  }) as unknown as S3Client;
  return { assumed, store, clients: { sts, s3, now: () => Date.UTC(2024, 4, 1, 12, 30) } };
}

const LAKE = 'aws-security-data-lake-us-east-1-abc123';
const sysmonSettings: CustomSourceSettings = {
  name: 'windows-sysmon', mapping: 'builtin:windows-sysmon', region: 'us-east-1', deadLetterBucket: 'rampart-dead-letters',
  routes: [['proc', 1007], ['file', 1001], ['net', 4001], ['dns', 4003]].map(([code, classUid]) => ({
    sourceName: `windows-sysmon-${code}`, classUid: classUid as number, location: `s3://${LAKE}/ext/windows-sysmon-${code}/1.0/`,
    roleArn: `arn:aws:iam::999988887777:role/AmazonSecurityLake-Provider-windows-sysmon-${code}-us-east-1`, externalId: 'rampart-sysmon',
  })),
};
const firewallSettings: CustomSourceSettings = {
  name: 'network-firewall', mapping: 'builtin:aws-network-firewall', region: 'us-east-1', deadLetterBucket: 'rampart-dead-letters',
  routes: [{ sourceName: 'network-firewall', classUid: 4001, location: `s3://${LAKE}/ext/network-firewall/`, roleArn: 'arn:aws:iam::999988887777:role/AmazonSecurityLake-Provider-network-firewall-us-east-1', externalId: 'rampart-nfw' }],
};

function kinesisEvent(lines: (string | Buffer)[]): KinesisStreamEvent {
  return { Records: lines.map((line, i) => ({
    eventID: `shardId-000000000000:4959${i}`, eventSourceARN: 'arn:aws:kinesis:us-east-1:444455556666:stream/sysmon',
    kinesis: { data: Buffer.from(line).toString('base64'), sequenceNumber: `4959${i}`, partitionKey: 'k' },
  })) };
}

let logs: string[];
beforeEach(() => {
  logs = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
});
afterEach(() => jest.restoreAllMocks());

describe('Kinesis custom source handler', () => {
  const sysmon = fs.readFileSync(path.join(ROOT, SAMPLES['windows-sysmon']), 'utf8').trim().split('\n');

  test('writes each class through its provider role with the external id, and logs balanced counts as EMF', async () => {
    const aws = fakeAws();
    const runtime = createRuntime(sysmonSettings, aws.clients);
    const response = await handleKinesisBatch(kinesisEvent([...sysmon, 'not json', Buffer.from([0xc3, 0x28])]), runtime, 'req-1');
    expect(response).toEqual({ batchItemFailures: [] });
    expect(aws.assumed.map((a) => [a.RoleArn, a.ExternalId])).toEqual(expect.arrayContaining(sysmonSettings.routes.map((r) => [r.roleArn, 'rampart-sysmon'])));
    const lakePuts = aws.store.puts.filter((p) => p.bucket === LAKE);
    expect(lakePuts.map((p) => p.key).sort()).toEqual([
      expect.stringMatching(/^ext\/windows-sysmon-dns\/1\.0\/region=us-east-1\/accountId=444455556666\/eventDay=20240501\/[0-9a-f]{32}\.parquet$/),
      expect.stringMatching(/^ext\/windows-sysmon-file\/1\.0\/region=us-east-1\/accountId=444455556666\/eventDay=20240501\//),
      expect.stringMatching(/^ext\/windows-sysmon-net\/1\.0\//),
      expect.stringMatching(/^ext\/windows-sysmon-proc\/1\.0\//),
    ]);
    for (const put of lakePuts) expect(put.credentials).toBe(`AKIA-AmazonSecurityLake-Provider-${put.key.split('/')[1]}-us-east-1`);
    const deadLetters = aws.store.puts.filter((p) => p.bucket === 'rampart-dead-letters');
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0].credentials).toBe('function-role');
    const letters = gunzipSync(aws.store.objects.get(`rampart-dead-letters/${deadLetters[0].key}`)!).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(letters.map((l) => [l.code, l.origin])).toEqual([['not-json', 'kinesis:shardId-000000000000:49596#1'], ['not-json', 'kinesis:shardId-000000000000:49597#1']]);
    const metrics = logs.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(metrics).toMatchObject({ CustomSource: 'windows-sysmon', EventsIn: 8, EventsWritten: 6, EventsRejected: 2, EventsRetried: 0, requestId: 'req-1' });
    expect(metrics._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Rampart/CustomSources', Dimensions: [['CustomSource']] });
  });

  test('a failed write is a partial batch failure from the first record; the retry overwrites the same keys', async () => {
    const aws = fakeAws();
    const runtime = createRuntime(sysmonSettings, aws.clients);
    aws.store.failPuts = true;
    expect(await handleKinesisBatch(kinesisEvent(sysmon), runtime)).toEqual({ batchItemFailures: [{ itemIdentifier: '49590' }] });
    expect(logs.map((l) => JSON.parse(l)).find((l) => l._aws)).toMatchObject({ EventsIn: 6, EventsRejected: 0, EventsRetried: 6, level: 'ERROR' });
    aws.store.failPuts = false;
    await handleKinesisBatch(kinesisEvent(sysmon), runtime);
    const firstKeys = aws.store.puts.map((p) => p.key).sort();
    await handleKinesisBatch(kinesisEvent(sysmon), runtime);
    expect(aws.store.puts.map((p) => p.key).slice(firstKeys.length).sort()).toEqual(firstKeys);
    expect(new Set(aws.store.objects.keys()).size).toBe(firstKeys.length);
  });
});

describe('S3 notification (SQS) custom source handler', () => {
  test('reads every record of gzip and plain objects, takes the account from the key, reports unreadable objects', async () => {
    const aws = fakeAws();
    const runtime = createRuntime(firewallSettings, aws.clients);
    const gzKey = 'AWSLogs/111122223333/network-firewall/flow/us-east-1/egress-fw/2024/05/01/12/111122223333_network-firewall_flow_us-east-1_egress-fw_202405011200_a1b2.log.gz';
    const plainKey = 'AWSLogs/222233334444/network-firewall/alert/us-east-1/egress-fw/2024/05/01/12/alert.log';
    aws.store.objects.set(`logs/${gzKey}`, gzipSync(networkFirewallLines(3000, 9).join('\n')));
    aws.store.objects.set(`logs/${plainKey}`, Buffer.from(fs.readFileSync(path.join(ROOT, SAMPLES['aws-network-firewall']), 'utf8') + '{"truncated":\n'));
    const notification = (key: string) => JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'logs' }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), eTag: 'e1' } } }] });
    const response = await handleS3Notifications({ Records: [
      { messageId: 'm1', body: notification(gzKey) },
      { messageId: 'm2', body: notification(plainKey) },
      { messageId: 'm3', body: notification('AWSLogs/111122223333/missing.log') },
      { messageId: 'm4', body: JSON.stringify({ Event: 's3:TestEvent' }) },
    ] }, runtime);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
    const metrics = logs.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(metrics.map((m) => [m.messageId, m.EventsIn, m.EventsWritten, m.EventsRejected, m.level])).toEqual([['m1', 3000, 3000, 0, 'INFO'], ['m2', 4, 3, 1, 'INFO'], ['m3', 0, 0, 0, 'INFO']]);
    expect(logs.map((l) => JSON.parse(l)).find((l) => l.messageId === 'm3' && l.level === 'ERROR').message).toMatch(/does not exist/);
    const lakeKeys = aws.store.puts.filter((p) => p.bucket === LAKE).map((p) => p.key);
    expect(lakeKeys.some((k) => k.startsWith('ext/network-firewall/region=us-east-1/accountId=111122223333/eventDay=20240501/'))).toBe(true);
    expect(lakeKeys.some((k) => k.startsWith('ext/network-firewall/region=us-east-1/accountId=222233334444/eventDay=20240501/'))).toBe(true);
    const connection = await (await DuckDBInstance.create()).connect();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-handler-'));
    const file = path.join(dir, 'a.parquet');
    fs.writeFileSync(file, aws.store.objects.get(`${LAKE}/${lakeKeys.find((k) => k.includes('111122223333'))}`)!);
    expect((await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM '${file}'`)).getRowsJson()).toEqual([[3000]]);
    fs.rmSync(dir, { recursive: true });
  });

  test('account ids come from AWSLogs/<account>/ keys', () => {
    expect(accountFromLogKey('prefix/AWSLogs/123456789012/elasticloadbalancing/x.log.gz')).toBe('123456789012');
    expect(accountFromLogKey('logs/other.log')).toBeUndefined();
  });
});

describe('handler settings', () => {
  test('a missing or invalid setting is a clear error', () => {
    expect(() => readSettings({})).toThrow(/RAMPART_CUSTOM_SOURCE is not set/);
    expect(() => readSettings({ RAMPART_CUSTOM_SOURCE: JSON.stringify({ ...firewallSettings, routes: [{ ...firewallSettings.routes[0], location: 'bucket' }] }) })).toThrow(/routes\.0\.location/);
  });
});
