/**
 * Mapping on worker threads gives what mapping in one thread gives: the same rows in the same objects, the
 * same dead letters with the same line numbers, the same counts.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import { customSource } from '../../ocsf/customSource';
import { CustomSourcePipeline, type DeliveryCounts } from '../../ocsf/customSourcePipeline';
import { DeadLetterWriter } from '../../ocsf/deadLetters';
import { DirectorySink } from '../../ocsf/directorySink';
import { LakeWriter } from '../../ocsf/lakeWriter';
import { loadMappingFile } from '../../ocsf/loadMapping';
import { MappingWorkers } from '../../ocsf/mappingWorkers';

const source = customSource('aws-network-firewall', loadMappingFile('builtin:aws-network-firewall').compiled!, [{ sourceName: 'nfw', classUid: 4001 }]);

let tmp: string;
let connection: DuckDBConnection;
let workers: MappingWorkers;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  workers = await MappingWorkers.start(2, source);
});
afterAll(async () => {
  connection.closeSync();
  await workers.close();
});
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-workers-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A log object with bad records spread through it: truncated JSON, a wrong type, binary garbage, blank and CRLF lines. */
function mixedObject(): Buffer {
  const lines: Buffer[] = networkFirewallLines(6000, 17).map((l) => Buffer.from(l));
  for (let i = 250; i < lines.length; i += 997) {
    lines[i] = Buffer.from(lines[i].toString().slice(0, 40));
    lines[i + 1] = Buffer.from(lines[i + 1].toString().replace(/"dest_port":\d+/, '"dest_port":"https"'));
    lines[i + 2] = Buffer.from([0xff, 0xfe, 0x41]);
    lines[i + 3] = Buffer.from('   ');
    lines[i + 4] = Buffer.from(`${lines[i + 4].toString()}\r`);
  }
  return gzipSync(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
}

async function deliver(out: string, object: Buffer, options: { workers?: MappingWorkers; chunkBytes?: number }, maxBytes?: number): Promise<DeliveryCounts> {
  const sink = new DirectorySink(out);
  const writer = await LakeWriter.create({ sink, region: 'us-east-1', batchId: 'same-batch', maxBytes });
  try {
    const pipeline = new CustomSourcePipeline(source, writer, new DeadLetterWriter(sink, 'same-batch', '20240501'), options);
    await pipeline.processObject(object, 's3://logs/AWSLogs/111122223333/flow.log.gz', '111122223333');
    await pipeline.processObject(gzipSync(networkFirewallLines(500, 18).join('\n')), 's3://logs/second.log.gz', '222233334444');
    return await pipeline.finish();
  } finally {
    writer.close();
  }
}

async function rows(files: string[]): Promise<string[]> {
  const result = await connection.runAndReadAll(`SELECT * FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}], hive_partitioning = false) ORDER BY time, connection_info.uid`);
  return result.getRowObjectsJson().map((r) => JSON.stringify(r));
}

describe('mapping workers', () => {
  test('deliver the same rows, dead letters and counts as mapping in one thread', async () => {
    const object = mixedObject();
    const one = await deliver(path.join(tmp, 'one'), object, {});
    const many = await deliver(path.join(tmp, 'many'), object, { workers, chunkBytes: 64 * 1024 });
    expect(many.in).toBe(6500 - 6); // blank lines are not records
    expect(many).toMatchObject({ in: one.in, written: one.written, rejected: one.rejected, rejectedByCode: one.rejectedByCode });
    expect(many.in).toBe(many.written + many.rejected);
    expect(many.objects.map((o) => [o.key, o.rows])).toEqual(one.objects.map((o) => [o.key, o.rows]));
    expect(many.objects.map((o) => o.accountId).sort()).toEqual(['111122223333', '222233334444']);
    expect(await rows(many.objects.map((o) => path.join(tmp, 'many', o.key)))).toEqual(await rows(one.objects.map((o) => path.join(tmp, 'one', o.key))));
    const letters = (counts: DeliveryCounts, dir: string) => gunzipSync(fs.readFileSync(path.join(tmp, dir, counts.deadLetterObjects[0]))).toString('utf8');
    expect(letters(many, 'many')).toEqual(letters(one, 'one'));
    expect(letters(many, 'many')).toContain('flow.log.gz#5236');
  });

  test('split the same input into the same objects, however it arrives', async () => {
    const object = mixedObject();
    const first = await deliver(path.join(tmp, 'a'), object, { workers, chunkBytes: 64 * 1024 }, 512 * 1024);
    const again = await deliver(path.join(tmp, 'b'), object, { workers, chunkBytes: 64 * 1024 }, 512 * 1024);
    expect(first.objects.length).toBeGreaterThan(2);
    expect(again.objects.map((o) => [o.key, o.rows, o.bytes])).toEqual(first.objects.map((o) => [o.key, o.rows, o.bytes]));
  });
});
