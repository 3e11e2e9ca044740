import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { networkFirewallLines } from '../../bench/networkFirewallEvents';
import { ensureMappingWorkers, type CustomSourceRuntime } from '../../handlers/customSourceSetup';
import { customSource, type CustomSource } from '../../ocsf/customSource';
import { CustomSourcePipeline, type DeliveryCounts } from '../../ocsf/customSourcePipeline';
import { DeadLetterWriter } from '../../ocsf/deadLetters';
import { LakeWriter } from '../../ocsf/lakeWriter';
import { loadMappingFile } from '../../ocsf/loadMapping';
import { MappingWorkers } from '../../ocsf/mappingWorkers';
import { transformFiles } from '../../ocsf/transformFiles';

let tmp: string;
let nfw: CustomSource;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-workers-'));
  nfw = customSource('network-firewall', loadMappingFile('builtin:aws-network-firewall').compiled!, [{ sourceName: 'aws-network-firewall', classUid: 4001 }]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir` with the SHA-256 of its bytes (dead letters by their content: they are gzipped). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = fs.readFileSync(file);
    out[path.relative(dir, file)] = createHash('sha256').update(file.endsWith('.gz') ? gunzipSync(bytes) : bytes).digest('hex');
  }
  return out;
}

describe('mapping workers', () => {
  test('what is written does not depend on the threads: the same objects, bytes, dead letters and line numbers', async () => {
    // Two accounts and two days, times out of order, malformed lines between good ones, blank lines, a gzipped and a plain file.
    const day = Date.UTC(2024, 4, 1, 23, 59);
    const lines = networkFirewallLines(12_000, 7, day).map((line, i) => (i % 997 === 0 ? '{"truncated": ' : i % 1499 === 0 ? '' : line));
    const swapped = [...lines.slice(0, 500).reverse(), ...lines.slice(500)];
    const gz = path.join(tmp, 'AWSLogs', '111122223333', 'a.log.gz');
    const plain = path.join(tmp, 'AWSLogs', '222233334444', 'b.log');
    fs.mkdirSync(path.dirname(gz), { recursive: true });
    fs.mkdirSync(path.dirname(plain), { recursive: true });
    fs.writeFileSync(gz, gzipSync(swapped.slice(0, 7000).join('\n') + '\n'));
    fs.writeFileSync(plain, swapped.slice(7000).join('\n'));
    // A JSON array document is one chunk.
    const array = path.join(tmp, 'AWSLogs', '222233334444', 'c.json');
    fs.writeFileSync(array, `[${networkFirewallLines(300, 9, day).join(',\n')}, "not an event"]`);
    const run = async (workers: number, out: string): Promise<DeliveryCounts> =>
      transformFiles({ source: nfw, inputs: [gz, plain, array], outDir: out, region: 'us-east-1', now: () => day, workers, chunkLimits: { lines: 700, bytes: 64 * 1024 } });

    const alone = await run(0, path.join(tmp, 'alone'));
    const withWorkers = await run(2, path.join(tmp, 'with-workers'));
    expect(alone.in).toBe(12_000 - 8 + 301);
    expect(alone.rejected).toBe(13 + 1);
    expect(alone.objects.map((o) => [o.accountId, o.eventDay])).toEqual([['111122223333', '20240501'], ['222233334444', '20240501'], ['222233334444', '20240502']]);
    expect(alone.chunksMapped.onWorkers).toBe(0);
    expect(withWorkers.chunksMapped.onWorkers).toBeGreaterThan(0);
    expect({ ...withWorkers, chunksMapped: undefined }).toEqual({ ...alone, chunksMapped: undefined });
    expect(tree(path.join(tmp, 'with-workers'))).toEqual(tree(path.join(tmp, 'alone')));
    const deadLetters = fs.readFileSync(path.join(tmp, 'alone', alone.deadLetterObjects[0]));
    const origins = gunzipSync(deadLetters).toString().trim().split('\n').map((l) => JSON.parse(l).origin as string);
    expect(origins).toContain(`file:${plain}#${997 * 8 - 7000 + 1}`);
  }, 120_000);

  test('a pool whose worker died takes no more chunks, and the pipeline maps on the main thread instead', async () => {
    const workers = await MappingWorkers.start(1, nfw);
    try {
      expect(workers.healthy).toBe(true);
      await (workers as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
      expect(workers.healthy).toBe(false);
      expect(workers.failedWith).toMatch(/mapping worker exited with code 1/);
      await expect(workers.map([{ kind: 'lines', data: Buffer.from('{}'), chunkEnd: true }], 'external')).rejects.toThrow(/mapping worker exited/);

      const sink = { put: async () => undefined };
      const writer = await LakeWriter.create({ sink, region: 'us-east-1', batchId: 'b' });
      const pipeline = new CustomSourcePipeline(nfw, writer, new DeadLetterWriter(sink, 'b', '20240501'), { workers });
      await pipeline.processObject(Buffer.from(networkFirewallLines(3000, 3, Date.UTC(2024, 4, 1)).join('\n')), 'o', '111122223333');
      expect(await pipeline.finish()).toMatchObject({ in: 3000, written: 3000, rejected: 0 });
      writer.close();
    } finally {
      await workers.close();
    }
  });

  test('the S3 function replaces a failed pool on its next invocation and says why', async () => {
    const runtime = { source: nfw } as CustomSourceRuntime;
    await ensureMappingWorkers(runtime, { RAMPART_MAPPING_WORKERS: '1' });
    const first = runtime.workers!;
    await (first as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await ensureMappingWorkers(runtime, { RAMPART_MAPPING_WORKERS: '1' });
      expect(log.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([{ level: 'WARN', message: expect.stringMatching(/^mapping workers failed \(mapping worker exited with code 1\); starting new ones$/) }]);
      expect(runtime.workers).not.toBe(first);
      expect(runtime.workers!.healthy).toBe(true);
    } finally {
      log.mockRestore();
      await runtime.workers?.close();
    }
    await expect(ensureMappingWorkers({ source: nfw } as CustomSourceRuntime, { RAMPART_MAPPING_WORKERS: 'two' })).rejects.toThrow('RAMPART_MAPPING_WORKERS must be a whole number (0 for none), not "two"');
  });

  test('a chunk a worker could not map is mapped on the main thread, in its place', async () => {
    const dying = { healthy: true, canTake: true, map: () => Promise.reject(new Error('mapping worker exited with code 1')) } as unknown as MappingWorkers;
    const sink = { put: async () => undefined };
    const writer = await LakeWriter.create({ sink, region: 'us-east-1', batchId: 'b' });
    const pipeline = new CustomSourcePipeline(nfw, writer, new DeadLetterWriter(sink, 'b', '20240501'), { workers: dying, chunkLimits: { lines: 1000, bytes: 1 << 20 } });
    await pipeline.processObject(Buffer.from(networkFirewallLines(3500, 3, Date.UTC(2024, 4, 1)).join('\n')), 'o', '111122223333');
    expect(await pipeline.finish()).toMatchObject({ in: 3500, written: 3500, rejected: 0, chunksMapped: { here: 4, onWorkers: 0 } });
    writer.close();
  });

  test('a mapping compiled without its file cannot be given to workers, and says so', async () => {
    const { origin: _, ...withoutFile } = nfw.mapping;
    await expect(MappingWorkers.start(1, { ...nfw, mapping: withoutFile })).rejects.toThrow(/mapping workers need the mapping loaded from its file/);
  });
});
