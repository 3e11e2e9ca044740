import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import { ChunkMapper, type MappedChunk } from '../../ocsf/chunkMapping';
import { customSource, type CustomSource } from '../../ocsf/customSource';
import type { DeadLetter } from '../../ocsf/deadLetters';
import { EXTERNAL_ACCOUNT } from '../../ocsf/lakeLayout';
import { LakeWriter } from '../../ocsf/lakeWriter';
import { loadMappingFile } from '../../ocsf/loadMapping';
import { transformFiles } from '../../ocsf/transformFiles';
import { parquetPages } from './parquetPages';
import { ROOT, SAMPLES } from './sampleEvents';

const SYSMON_ROUTES = [
  { sourceName: 'windows-sysmon-proc', classUid: 1007 }, { sourceName: 'windows-sysmon-file', classUid: 1001 },
  { sourceName: 'windows-sysmon-net', classUid: 4001 }, { sourceName: 'windows-sysmon-dns', classUid: 4003 },
];

function source(name: string, routes = [{ sourceName: name, classUid: name === 'aws-alb' ? 4002 : 4001 }]): CustomSource {
  return customSource(name, loadMappingFile(`builtin:${name}`).compiled!, routes);
}

let tmp: string;
let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => connection.closeSync());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-delivery-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/')).sort();
}

async function rows(file: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}', hive_partitioning = false)`)).getRowObjectsJson() as Record<string, unknown>[];
}

describe('Parquet delivery', () => {
  test('each Sysmon class goes to its own source, partitioned region/accountId/eventDay, typed STRUCT columns', async () => {
    const counts = await transformFiles({ source: source('windows-sysmon', SYSMON_ROUTES), inputs: [path.join(ROOT, SAMPLES['windows-sysmon'])], outDir: tmp, region: 'ca-central-1' });
    expect(counts).toMatchObject({ in: 6, written: 6, rejected: 0 });
    const written = files(tmp);
    expect(written).toHaveLength(4);
    for (const [name, count] of [['proc', 2], ['file', 2], ['net', 1], ['dns', 1]] as const) {
      const key = written.find((f) => f.startsWith(`ext/windows-sysmon-${name}/`))!;
      expect(key).toMatch(new RegExp(`^ext/windows-sysmon-${name}/region=ca-central-1/accountId=444455556666/eventDay=20240501/[0-9a-f]{32}\\.parquet$`));
      expect(await rows(path.join(tmp, key))).toHaveLength(count);
    }
    const proc = path.join(tmp, written.find((f) => f.includes('-proc/'))!);
    const types = Object.fromEntries((await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${proc}', hive_partitioning = false)`)).getRowsJson().map((r) => [r[0], r[1]]));
    expect(types.time).toBe('BIGINT');
    expect(types.class_uid).toBe('INTEGER');
    expect(types.type_uid).toBe('BIGINT');
    expect(types.process).toMatch(/^STRUCT\(.*"?pid"? INTEGER.*"?user"? STRUCT\("?name"? VARCHAR\).*\)$/);
    expect(types.metadata).toMatch(/"?profiles"? VARCHAR\[\]/);
    expect(types.unmapped).toBe('MAP(VARCHAR, VARCHAR)');
    const [first] = (await connection.runAndReadAll(`SELECT process.pid AS pid, actor.process.name AS parent, metadata.version AS version, unmapped['LogonId'] AS logon FROM read_parquet('${proc}') ORDER BY time LIMIT 1`)).getRowObjectsJson();
    expect(first).toEqual({ pid: 4242, parent: 'C:\\Windows\\explorer.exe', version: '1.1.0', logon: '0x3e7' });
  });

  test('rows are sorted by time, compressed with ZSTD, and retries overwrite the same object names', async () => {
    const input = path.join(tmp, 'in', 'AWSLogs', '111122223333', 'network-firewall', 'flow.log.gz');
    fs.mkdirSync(path.dirname(input), { recursive: true });
    const lines = networkFirewallLines(5000, 7);
    fs.writeFileSync(input, gzipSync([...lines].reverse().join('\n')));
    const out = path.join(tmp, 'out');
    const first = await transformFiles({ source: source('aws-network-firewall'), inputs: [input], outDir: out, region: 'us-east-1' });
    const again = await transformFiles({ source: source('aws-network-firewall'), inputs: [input], outDir: out, region: 'us-east-1' });
    expect(first).toMatchObject({ in: 5000, written: 5000, rejected: 0 });
    expect(again.objects.map((o) => o.key)).toEqual(first.objects.map((o) => o.key));
    expect(files(out)).toHaveLength(1);
    const file = path.join(out, files(out)[0]);
    expect(files(out)[0]).toMatch(/^ext\/aws-network-firewall\/region=us-east-1\/accountId=111122223333\/eventDay=20240501\//);
    const times = (await rows(file)).map((r) => Number(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const codecs = (await connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).getRowsJson().flat();
    expect(codecs).toEqual(['ZSTD']);
  });

  test('data pages stay within 1 MB, also for wide rows', async () => {
    const input = path.join(tmp, 'wide.log');
    const wide = networkFirewallLines(300, 3).map((line, i) => {
      const record = JSON.parse(line);
      record.event.app_proto = `${i}-${'w'.repeat(60_000)}`;
      return JSON.stringify(record);
    });
    fs.writeFileSync(input, [...networkFirewallLines(20_000, 5), ...wide].join('\n'));
    const counts = await transformFiles({ source: source('aws-network-firewall'), inputs: [input], outDir: tmp, region: 'us-east-1', account: '111122223333' });
    expect(counts).toMatchObject({ in: 20_300, written: 20_300, rejected: 0 });
    expect(counts.objects.length).toBeGreaterThan(1);
    for (const object of counts.objects) {
      const pages = await parquetPages(connection, path.join(tmp, object.key));
      expect(Math.max(...pages.map((p) => p.uncompressed))).toBeLessThanOrEqual(1024 * 1024);
    }
  }, 120_000);
});

describe('partition buffers', () => {
  const nfw = source('aws-network-firewall');
  const records = networkFirewallLines(6000, 21).map((text, i) => ({ text, line: i + 1 }));

  /** Stages records into a writer the way the pipeline does with records given one by one. */
  function stager(writer: LakeWriter) {
    const mapper = new ChunkMapper(nfw, EXTERNAL_ACCOUNT);
    const add = (batches: MappedChunk['batches']) => {
      for (const { batch, ...place } of batches) writer.append(nfw.byClass.get(place.classUid)!, place.accountId, place.day, batch, place);
    };
    return {
      stage(from: number, to: number, account = '111122223333') {
        mapper.fallbackAccount = account;
        mapper.addRecords(records.slice(from, to), (_, rejection) => {
          throw new Error(rejection.reason);
        });
        add(mapper.takeFull());
      },
      end: () => add(mapper.finish().batches),
    };
  }

  test('flush by size: a partition over the limit is written while staging goes on, split the same way however it is fed', async () => {
    const run = async (step: number) => {
      const puts: string[] = [];
      const writer = await LakeWriter.create({ sink: { put: async (key) => void puts.push(key) }, region: 'us-east-1', batchId: 'b1', maxBytes: 256 * 1024 });
      const written = [];
      const staged = stager(writer);
      for (let i = 0; i < records.length; i += step) {
        staged.stage(i, i + step);
        written.push(...(await writer.flushDue()));
      }
      const beforeTheEnd = written.length;
      staged.end();
      written.push(...(await writer.flushAll()));
      writer.close();
      expect(new Set(puts).size).toBe(puts.length);
      return { beforeTheEnd, objects: written.map((o) => [o.key, o.rows]) };
    };
    const byThousands = await run(1000);
    // A partition closes after the batch of rows (2,048) at which it reaches the limit.
    expect(byThousands.objects.map(([, rows]) => rows)).toEqual([2048, 2048, 1904]);
    expect(byThousands.beforeTheEnd).toBeGreaterThan(0);
    expect((await run(777)).objects).toEqual(byThousands.objects);
  });

  test('at the end of a batch a large partition is written as two objects at once: every row once, each object sorted, the same objects every run', async () => {
    const many = networkFirewallLines(140_000, 31);
    const input = path.join(tmp, 'many.log');
    // Out of time order at the start, so each half has to be sorted on its own.
    fs.writeFileSync(input, [...many.slice(0, 3000).reverse(), ...many.slice(3000)].join('\n'));
    const run = async (out: string) => transformFiles({ source: nfw, inputs: [input], outDir: out, region: 'us-east-1', account: '111122223333' });
    const first = await run(path.join(tmp, 'a'));
    const again = await run(path.join(tmp, 'b'));
    expect(first).toMatchObject({ in: 140_000, written: 140_000, rejected: 0 });
    // Split by batches: the first object holds the first half of them.
    const [head, tail] = first.objects.map((o) => o.rows);
    expect(head + tail).toBe(140_000);
    expect(Math.abs(head - tail)).toBeLessThanOrEqual(2 * 2048);
    expect(again.objects.map((o) => [o.key, o.rows])).toEqual(first.objects.map((o) => [o.key, o.rows]));
    const uids = new Set<string>();
    for (const object of first.objects) {
      const file = path.join(tmp, 'a', object.key);
      const read = (await connection.runAndReadAll(`SELECT time, connection_info.uid AS uid FROM read_parquet('${file}')`)).getRowObjectsJson();
      const times = read.map((r) => Number(r.time));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const r of read) uids.add(String(r.uid));
    }
    expect(uids.size).toBe(140_000);
  }, 120_000);

  test('flush by age, per partition (account × day)', async () => {
    let now = 0;
    const writer = await LakeWriter.create({ sink: { put: async () => undefined }, region: 'us-east-1', batchId: 'b2', maxAgeMs: 300_000, now: () => now });
    const first100 = stager(writer);
    first100.stage(0, 100);
    first100.end();
    now = 200_000;
    const next100 = stager(writer);
    next100.stage(100, 200, '222233334444');
    next100.end();
    expect(await writer.flushDue()).toEqual([]);
    now = 300_000;
    const first = await writer.flushDue();
    const second = await writer.flushAll();
    writer.close();
    expect([...first, ...second].map((o) => [o.accountId, o.rows])).toEqual([['111122223333', 100], ['222233334444', 100]]);
  });
});

describe('malformed input goes to the dead-letter place with its reason', () => {
  test('truncated JSON, wrong types, unknown matched value, missing time, huge fields, binary garbage', async () => {
    const good = networkFirewallLines(3, 11);
    const event = (patch: (r: { event: Record<string, unknown> }) => void) => {
      const r = JSON.parse(good[0]);
      patch(r);
      return JSON.stringify(r);
    };
    const bad = [
      good[1].slice(0, 60),
      event((r) => (r.event.dest_port = 'https')),
      event((r) => (r.event.event_type = 'tls')),
      event((r) => delete r.event.timestamp),
      event((r) => (r.event.src_ip = 'x'.repeat(100_000))),
    ];
    const input = path.join(tmp, 'mixed.log');
    fs.writeFileSync(input, Buffer.concat([Buffer.from([good[0], ...bad, good[2]].join('\n') + '\n'), Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x0a]), Buffer.from(`${'{"a":'.repeat(10)}\n`)]));
    const counts = await transformFiles({ source: source('aws-network-firewall'), inputs: [input], outDir: tmp, region: 'us-east-1', account: '111122223333' });
    expect(counts.in).toBe(9);
    expect(counts.written).toBe(2);
    expect(counts.rejected).toBe(7);
    expect(counts.in).toBe(counts.written + counts.rejected);
    expect(counts.rejectedByCode).toEqual({ 'not-json': 3, 'wrong-type': 1, 'unknown-match': 1, 'missing-required': 1, 'field-too-large': 1 });
    expect(counts.deadLetterObjects).toHaveLength(1);
    expect(counts.deadLetterObjects[0]).toMatch(/^dead-letter\/aws-network-firewall\/eventDay=\d{8}\/[0-9a-f]{32}\.jsonl\.gz$/);
    const letters = gunzipSync(fs.readFileSync(path.join(tmp, counts.deadLetterObjects[0]))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as DeadLetter);
    expect(letters).toHaveLength(7);
    expect(letters[0]).toMatchObject({ code: 'not-json', raw: bad[0], rawEncoding: 'utf8', origin: `file:${input}#2`, reason: expect.stringContaining('not JSON') });
    expect(letters[1]).toMatchObject({ code: 'wrong-type', field: 'dst_endpoint.port', raw: bad[1], reason: expect.stringContaining('"https"') });
    expect(letters[2]).toMatchObject({ code: 'unknown-match', reason: expect.stringContaining('"tls"') });
    expect(letters[3]).toMatchObject({ code: 'missing-required', field: 'time' });
    expect(letters[4]).toMatchObject({ code: 'field-too-large', field: 'src_endpoint.ip', raw: bad[4] });
    expect(letters[5]).toMatchObject({ code: 'not-json', rawEncoding: 'base64', reason: expect.stringContaining('not valid UTF-8') });
    expect(Buffer.from(letters[5].raw, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x9c]));
  });

  test('a record over 1 MiB is rejected whole', async () => {
    const input = path.join(tmp, 'huge.log');
    fs.writeFileSync(input, `{"event":{"event_type":"netflow","x":"${'y'.repeat(1_100_000)}"}}\n`);
    const counts = await transformFiles({ source: source('aws-network-firewall'), inputs: [input], outDir: tmp, region: 'us-east-1' });
    expect(counts).toMatchObject({ in: 1, written: 0, rejected: 1, rejectedByCode: { 'event-too-large': 1 } });
  });

  test('ALB lines that are not access log entries are rejected as unparseable', async () => {
    const input = path.join(tmp, 'alb.log');
    fs.writeFileSync(input, `${fs.readFileSync(path.join(ROOT, SAMPLES['aws-alb']), 'utf8')}not an alb line\n`);
    const counts = await transformFiles({ source: source('aws-alb'), inputs: [input], outDir: tmp, region: 'us-east-1', account: '111122223333' });
    expect(counts).toMatchObject({ in: 3, written: 2, rejected: 1, rejectedByCode: { unparseable: 1 } });
  });
});
