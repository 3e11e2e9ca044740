/**
 * Delivery writes events straight into Parquet columns (compiled row writers); `mapping.map` builds the same
 * events as objects. Both are generated from the same plan: these tests hold them to the same rows, read
 * back through DuckDB — the objects loaded by DuckDB's own JSON reader with the layout's final types.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import { parseAlbLogLine } from '../../ocsf/albLogRecord';
import { customSource, type CustomSource } from '../../ocsf/customSource';
import { loadMappingFile } from '../../ocsf/loadMapping';
import { transformFiles } from '../../ocsf/transformFiles';
import { ROOT, SAMPLES, type SampleSource } from './sampleEvents';

const ROUTES: Record<SampleSource, { sourceName: string; classUid: number }[]> = {
  'aws-network-firewall': [{ sourceName: 'nfw', classUid: 4001 }],
  'aws-alb': [{ sourceName: 'alb', classUid: 4002 }],
  'windows-sysmon': [
    { sourceName: 'sysmon-proc', classUid: 1007 }, { sourceName: 'sysmon-file', classUid: 1001 },
    { sourceName: 'sysmon-net', classUid: 4001 }, { sourceName: 'sysmon-dns', classUid: 4003 },
  ],
};

let tmp: string;
let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => connection.closeSync());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-rows-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function rows(sql: string): Promise<string[]> {
  const result = (await connection.runAndReadAll(sql)).getRowObjectsJson();
  return result.map((r) => JSON.stringify(r)).sort();
}

/** Writes `lines` through the delivery path and checks every class's Parquet against the object path. */
async function expectSameRows(source: CustomSource, lines: string[], parse: (line: string) => unknown): Promise<number> {
  const input = path.join(tmp, 'input.log');
  fs.writeFileSync(input, `${lines.join('\n')}\n`);
  const out = path.join(tmp, 'out');
  const counts = await transformFiles({ source, inputs: [input], outDir: out, region: 'us-east-1', account: '111122223333' });
  expect(counts).toMatchObject({ in: lines.length, written: lines.length, rejected: 0 });

  const events = lines.map((line) => JSON.parse(JSON.stringify(source.mapping.map(parse(line)))) as Record<string, unknown>);
  let compared = 0;
  for (const lake of source.byClass.values()) {
    const objects = counts.objects.filter((o) => o.source === lake.sourceName).map((o) => `'${path.join(out, o.key)}'`);
    const mine = events.filter((e) => e.class_uid === lake.classUid);
    expect(objects.length > 0).toBe(mine.length > 0);
    if (!mine.length) continue;
    const jsonFile = path.join(tmp, `${lake.sourceName}.jsonl`);
    fs.writeFileSync(jsonFile, mine.map((e) => JSON.stringify(e)).join('\n'));
    const columns = `{${lake.layout.finalColumns.map((c) => `${JSON.stringify(c.name).replace(/^"|"$/g, "'")}: '${c.type.replace(/'/g, "''")}'`).join(', ')}}`;
    const fromObjects = `SELECT * FROM read_json('${jsonFile}', format = 'newline_delimited', columns = ${columns})`;
    const fromParquet = `SELECT * FROM read_parquet([${objects.join(', ')}], hive_partitioning = false)`;
    const types = async (sql: string) => (await connection.runAndReadAll(`DESCRIBE ${sql}`)).getRowsJson().map((r) => [r[0], r[1]]);
    expect(await types(fromParquet)).toEqual(await types(fromObjects));
    const parquetRows = await rows(fromParquet);
    expect(parquetRows).toHaveLength(mine.length);
    expect(parquetRows).toEqual(await rows(fromObjects));
    compared += mine.length;
  }
  return compared;
}

function sampleLines(source: SampleSource): string[] {
  return fs.readFileSync(path.join(ROOT, SAMPLES[source]), 'utf8').split('\n').filter((l) => l.trim());
}

function shipped(name: SampleSource): CustomSource {
  return customSource(name, loadMappingFile(`builtin:${name}`).compiled!, ROUTES[name]);
}

describe('row writers and the object path write the same rows', () => {
  test.each(Object.keys(SAMPLES) as SampleSource[])('shipped sample: %s', async (name) => {
    const lines = sampleLines(name);
    const compared = await expectSameRows(shipped(name), lines, name === 'aws-alb' ? (l) => parseAlbLogLine(l) : JSON.parse);
    expect(compared).toBe(lines.length);
  });

  test('generated Network Firewall flows and alerts, with the benchmark mapping too', async () => {
    const lines = networkFirewallLines(3000, 99);
    expect(await expectSameRows(shipped('aws-network-firewall'), lines, JSON.parse)).toBe(3000);
    const bench = loadMappingFile(path.join(ROOT, 'bench', 'fixtures', 'bench-nfw-typed.json')).compiled!;
    expect(await expectSameRows(customSource('bench', bench, ROUTES['aws-network-firewall']), lines, JSON.parse)).toBe(3000);
  });

  test('absent optional fields, repeated values, escapes and non-ASCII text', async () => {
    const base = JSON.parse(sampleLines('aws-network-firewall')[2]) as { event: Record<string, unknown> & { alert: Record<string, unknown>; tls?: unknown } };
    const variants = [
      (e: typeof base) => void (e.event.alert.signature = 'quote " backslash \\ tab \t newline \n'),
      (e: typeof base) => void (e.event.alert.signature = 'Größe 🔥 東京'),
      (e: typeof base) => void delete e.event.tls,
      (e: typeof base) => void (e.event.alert.action = 'dropped'),
      (e: typeof base) => void (e.event.src_ip = ''),
      (e: typeof base) => void (e.event.alert.signature_id = { nested: [1, 'two'] }),
    ];
    const lines = [JSON.stringify(base), JSON.stringify(base)];
    for (const vary of variants) {
      const e = JSON.parse(JSON.stringify(base)) as typeof base;
      vary(e);
      lines.push(JSON.stringify(e));
    }
    expect(await expectSameRows(shipped('aws-network-firewall'), lines, JSON.parse)).toBe(lines.length);
  });
});
