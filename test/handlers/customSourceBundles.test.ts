import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import type { KinesisStreamEvent } from '../../handlers/customSourceKinesis';
import type { CustomSourceSettings } from '../../handlers/customSourceSetup';
import { FakeAws, type FakeAwsServer } from '../../sandbox';
import { customSourceCode, duckDbLayerDir } from '../../stacks/securityLake/customSourceCode';

// The custom-source Lambda as deployed: the staged code directory (bundle + mapping) and the DuckDB
// layer, loaded in a separate Node process the way Lambda's runtime loads them, against FakeAws.
const LAKE_ACCOUNT = '222222222222';
const LAKE_BUCKET = 'aws-security-data-lake-us-east-1-abc123';
const DEAD_LETTERS = 'rampart-dead-letters-test';
const SOURCES = [['proc', 1007], ['net', 4001], ['file', 1001], ['dns', 4003]] as const;

let fake: FakeAws;
let server: FakeAwsServer;
let workdir: string;
let sdkOnly: string;

beforeAll(async () => {
  fake = FakeAws.create();
  server = await fake.listen();
  const as = { account: LAKE_ACCOUNT };
  for (const bucket of [LAKE_BUCKET, DEAD_LETTERS]) await fake.invoke('s3', 'CreateBucket', { Bucket: bucket }, as);
  for (const [code] of SOURCES) {
    await fake.invoke('iam', 'CreateRole', {
      RoleName: `AmazonSecurityLake-Provider-windows-sysmon-${code}-us-east-1`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LAKE_ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': `rampart-windows-sysmon-${code}-${LAKE_ACCOUNT}` } } }],
      }),
    }, as);
  }
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bundle-run-'));
  // Lambda's runtime provides only the AWS SDK: make it the one thing besides the layer the function can resolve.
  sdkOnly = path.join(workdir, 'runtime', 'node_modules');
  fs.mkdirSync(sdkOnly, { recursive: true });
  fs.symlinkSync(path.resolve('node_modules/@aws-sdk'), path.join(sdkOnly, '@aws-sdk'));
}, 60_000);

afterAll(async () => {
  await server.close();
  fs.rmSync(workdir, { recursive: true, force: true });
});

function runBundledHandler(codeDir: string, settings: CustomSourceSettings, event: unknown, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  const script = "require('./index.js').handler(JSON.parse(process.env.EVENT), { awsRequestId: 'bundle-test' }).then((r) => process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'), (e) => { console.error(e); process.exit(1); })";
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], {
      cwd: codeDir,
      env: {
        PATH: process.env.PATH ?? '', TMPDIR: workdir,
        ...server.env({ account: LAKE_ACCOUNT, region: 'us-east-1' }),
        NODE_PATH: [path.join(duckDbLayerDir(), 'nodejs', 'node_modules'), sdkOnly].join(path.delimiter),
        RAMPART_CUSTOM_SOURCE: JSON.stringify(settings),
        EVENT: JSON.stringify(event),
        ...env,
      },
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? 1 : 0 }));
  });
}

async function keys(bucket: string): Promise<string[]> {
  const listed = await fake.invoke<{ Contents?: { Key: string }[] }>('s3', 'ListObjectsV2', { Bucket: bucket }, { account: LAKE_ACCOUNT });
  return (listed.Contents ?? []).map((o) => o.Key).sort();
}

describe('the deployed custom-source function', () => {
  it('loads DuckDB from the layer alone and its mapping from the code directory', () => {
    const code = customSourceCode('customSourceKinesis', 'builtin:windows-sysmon', path.resolve('ocsf/mappings/windows-sysmon.json'));
    expect(fs.existsSync(path.join(code.dir, 'mappings', 'windows-sysmon.json'))).toBe(true);
    expect(fs.readFileSync(path.join(code.dir, 'index.js'), 'utf8')).toMatch(/require\("@duckdb\/node-api"\)/);
    const layer = path.join(duckDbLayerDir(), 'nodejs', 'node_modules');
    expect(fs.readdirSync(path.join(layer, '@duckdb')).sort()).toEqual(['node-api', 'node-bindings', 'node-bindings-linux-x64']);
    expect(fs.existsSync(path.join(layer, '@duckdb', 'node-bindings-linux-x64', 'duckdb.node'))).toBe(true);
  });

  it('copies a mapping from the configuration directory into the code and names it by its place there', () => {
    const own = path.join(workdir, 'my-firewall.json');
    fs.copyFileSync('ocsf/mappings/aws-network-firewall.json', own);
    const code = customSourceCode('customSourceS3', 'mappings/my-firewall.json', own);
    expect(code.mappingSetting).toBe('source-mapping/my-firewall.json');
    expect(fs.readFileSync(path.join(code.dir, code.mappingSetting), 'utf8')).toBe(fs.readFileSync(own, 'utf8'));
  });

  it('maps a Kinesis batch to Parquet in each source\'s lake location as its provider role, and dead-letters what it cannot map', async () => {
    const code = customSourceCode('customSourceKinesis', 'builtin:windows-sysmon', path.resolve('ocsf/mappings/windows-sysmon.json'));
    const settings: CustomSourceSettings = {
      name: 'windows-sysmon', mapping: code.mappingSetting, region: 'us-east-1', deadLetterBucket: DEAD_LETTERS,
      routes: SOURCES.map(([source, classUid]) => ({
        sourceName: `windows-sysmon-${source}`, classUid, location: `s3://${LAKE_BUCKET}/ext/windows-sysmon-${source}/1.0/`,
        roleArn: `arn:aws:iam::${LAKE_ACCOUNT}:role/AmazonSecurityLake-Provider-windows-sysmon-${source}-us-east-1`, externalId: `rampart-windows-sysmon-${source}-${LAKE_ACCOUNT}`,
      })),
    };
    const lines = fs.readFileSync('ocsf/samples/windows-sysmon/events.jsonl', 'utf8').trim().split('\n');
    const event: KinesisStreamEvent = {
      Records: [...lines, '{"truncated": '].map((line, i) => ({
        eventID: `shardId-000000000000:4959${i}`, eventSourceARN: `arn:aws:kinesis:us-east-1:${LAKE_ACCOUNT}:stream/rampart-windows-sysmon`,
        kinesis: { data: Buffer.from(line).toString('base64'), sequenceNumber: `4959${i}`, partitionKey: 'host' },
      })),
    };
    const run = await runBundledHandler(code.dir, settings, event);
    expect([run.code, run.stderr.match(/Error[^\n]*|Cannot find module[^\n]*/)]).toEqual([0, null]);
    expect(run.stdout).toContain('RESULT {"batchItemFailures":[]}');

    const lake = await keys(LAKE_BUCKET);
    expect(lake.length).toBeGreaterThan(0);
    for (const key of lake) expect(key).toMatch(/^ext\/windows-sysmon-(proc|net|file|dns)\/1\.0\/region=us-east-1\/accountId=\d{12}\/eventDay=\d{8}\/[\w.-]+\.parquet$/);
    // Every lake object was written by a provider-role session (FakeAws checked the trust policy and external id), dead letters by the function.
    const puts = fake.calls.filter({ service: 's3', operation: 'PutObject' }).filter((c) => c.outcome === 'ok');
    expect(puts.filter((c) => !/assumed-role\/AmazonSecurityLake-Provider-windows-sysmon-/.test(c.principal))).toHaveLength(1);
    const first = await fake.invoke<{ Body: Uint8Array }>('s3', 'GetObject', { Bucket: LAKE_BUCKET, Key: lake[0] }, { account: LAKE_ACCOUNT });
    expect(Buffer.from(first.Body as Uint8Array).subarray(0, 4).toString()).toBe('PAR1');

    const dead = await keys(DEAD_LETTERS);
    expect(dead).toEqual([expect.stringMatching(/^dead-letter\/windows-sysmon\/eventDay=\d{8}\/[0-9a-f]+\.jsonl\.gz$/)]);
    const letter = await fake.invoke<{ Body: Uint8Array }>('s3', 'GetObject', { Bucket: DEAD_LETTERS, Key: dead[0] }, { account: LAKE_ACCOUNT });
    const rejected = gunzipSync(Buffer.from(letter.Body as Uint8Array)).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ source: 'windows-sysmon', origin: expect.stringContaining(`kinesis:shardId-000000000000:4959${lines.length}`) });
  }, 120_000);

  it('maps an S3 log object on a mapping worker beside the main thread, from the bundled worker script', async () => {
    const as = { account: LAKE_ACCOUNT };
    await fake.invoke('iam', 'CreateRole', {
      RoleName: 'AmazonSecurityLake-Provider-aws-network-firewall-us-east-1',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LAKE_ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': `rampart-nfw-${LAKE_ACCOUNT}` } } }],
      }),
    }, as);
    const raw = 'rampart-raw-network-firewall';
    const key = `AWSLogs/${LAKE_ACCOUNT}/network-firewall/flow/us-east-1/2024/05/01/12/fw.log.gz`;
    await fake.invoke('s3', 'CreateBucket', { Bucket: raw }, as);
    await fake.invoke('s3', 'PutObject', { Bucket: raw, Key: key, Body: gzipSync(networkFirewallLines(20_000, 11).join('\n')) }, as);

    const code = customSourceCode('customSourceS3', 'builtin:aws-network-firewall', path.resolve('ocsf/mappings/aws-network-firewall.json'));
    expect(fs.existsSync(path.join(code.dir, 'mappingWorker.js'))).toBe(true);
    expect(fs.readFileSync(path.join(code.dir, 'mappingWorker.js'), 'utf8')).not.toMatch(/@duckdb/);
    const settings: CustomSourceSettings = {
      name: 'aws-network-firewall', mapping: code.mappingSetting, region: 'us-east-1', deadLetterBucket: DEAD_LETTERS,
      routes: [{
        sourceName: 'aws-network-firewall', classUid: 4001, location: `s3://${LAKE_BUCKET}/ext/aws-network-firewall/1.0/`,
        roleArn: `arn:aws:iam::${LAKE_ACCOUNT}:role/AmazonSecurityLake-Provider-aws-network-firewall-us-east-1`, externalId: `rampart-nfw-${LAKE_ACCOUNT}`,
      }],
    };
    const notification = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: raw }, object: { key, eTag: 'e1' } } }] };
    const run = await runBundledHandler(code.dir, settings, { Records: [{ messageId: 'm1', body: JSON.stringify(notification) }] }, { RAMPART_MAPPING_WORKERS: '1' });
    expect([run.code, run.stderr.match(/Error[^\n]*|Cannot find module[^\n]*/)]).toEqual([0, null]);
    expect(run.stdout).toContain('RESULT {"batchItemFailures":[]}');
    const metrics = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.CustomSource === 'aws-network-firewall');
    expect(metrics).toMatchObject({ EventsIn: 20_000, EventsWritten: 20_000, EventsRejected: 0 });
    expect(metrics.chunksMapped.onWorkers).toBeGreaterThan(0);
    expect((await keys(LAKE_BUCKET)).filter((k) => k.startsWith('ext/aws-network-firewall/'))).toHaveLength(1);
  }, 120_000);
});
