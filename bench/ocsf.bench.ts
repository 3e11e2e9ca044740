import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { customSource } from '../ocsf/customSource';
import { CustomSourcePipeline } from '../ocsf/customSourcePipeline';
import { DeadLetterWriter } from '../ocsf/deadLetters';
import { LakeWriter, type ObjectSink } from '../ocsf/lakeWriter';
import { loadMappingText } from '../ocsf/loadMapping';
import { defaultWorkerCount, MappingWorkers } from '../ocsf/mappingWorkers';
import { readRecords } from '../ocsf/recordReader';
import { report, round, type Benchmark } from './harness';
import { naiveMapper } from './naiveMapper';
import { networkFirewallLines } from './networkFirewallEvents';

const EVENTS = 1_000_000;
const FILES = 10;
const ROUNDS = 3;

/** Counts what would be uploaded, so the figure is Parquet production, not the disk. */
class CountingSink implements ObjectSink {
  objects = 0;
  bytes = 0;
  async put(_key: string, body: Uint8Array): Promise<void> {
    this.objects++;
    this.bytes += body.length;
  }
}

interface Run {
  rate: number;
  cpuRate: number;
  peakRss: number;
}

/** Events per second (wall clock and per CPU-second of the whole process, all threads) and peak RSS of one run. */
async function measure(run: () => Promise<number>): Promise<Run> {
  const sampler = peakRssSampler();
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const events = await run();
  const rate = events / seconds(start);
  const cpuRate = events / cpuSeconds(cpu);
  return { rate, cpuRate, peakRss: sampler.stop() };
}

/** The main-thread-only figure beside the floor, wall clock and per CPU-second. */
function mainThreadOnly(run: Run, floor: Run) {
  return { value: Math.round(run.rate), ratio: round(run.rate / floor.rate, 2), perCpuSecond: Math.round(run.cpuRate) };
}

/** The run with the median rate. */
function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)];
}

function peakRssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** CPU seconds used by the whole process (all threads, DuckDB's included) since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * 1,000,000 Network Firewall events in 10 gzipped log objects (generated deterministically):
 * the mapping stage against a naive per-event path-walking mapper, and the whole path
 * (decompress + parse + map + Parquet) against decompress + JSON.parse alone: with mapping workers on the
 * further cores, as the S3 function runs, and (reported beside it) on the main thread alone.
 */
export const ocsfBenchmark: Benchmark = {
  name: 'ocsf.network-firewall',
  async run() {
    const mappingText = fs.readFileSync(path.join(__dirname, 'fixtures', 'bench-nfw-typed.json'), 'utf8');
    const compiled = loadMappingText(mappingText, 'bench-nfw-typed.json').compiled!;
    const naive = naiveMapper(JSON.parse(mappingText));
    const perFile = EVENTS / FILES;
    const objects: Buffer[] = [];
    for (let f = 0; f < FILES; f++) objects.push(gzipSync(networkFirewallLines(perFile, 1000 + f, Date.UTC(2024, 4, 1, 12) + f * perFile * 7).join('\n')));
    const gzBytes = objects.reduce((n, o) => n + o.length, 0);

    // Mapping stage: same parsed events through both mappers, alternating which goes first.
    let compiledSeconds = 0, naiveSeconds = 0, mapped = 0;
    for (let f = 0; f < FILES; f++) {
      const parsed: unknown[] = [];
      for await (const batch of readRecords(objects[f])) for (const r of batch) parsed.push(JSON.parse(r.text!));
      const runCompiled = () => {
        const start = process.hrtime.bigint();
        for (const event of parsed) compiled.map(event);
        compiledSeconds += seconds(start);
      };
      const runNaive = () => {
        const start = process.hrtime.bigint();
        for (const event of parsed) naive(event);
        naiveSeconds += seconds(start);
      };
      if (f % 2 === 0) { runCompiled(); runNaive(); } else { runNaive(); runCompiled(); }
      mapped += parsed.length;
    }
    const mappingRate = mapped / compiledSeconds;
    const naiveRate = mapped / naiveSeconds;

    // The floor of the work (gunzip + split + JSON.parse of every event) and the whole path, in alternating
    // rounds: the machine is shared, so each figure is the median run.
    const source = customSource('network-firewall', compiled, [{ sourceName: 'network-firewall', classUid: 4001 }]);
    // Started once, as a warm function keeps them: the start is reported, not counted in each run.
    const workersStart = process.hrtime.bigint();
    const workerCount = defaultWorkerCount();
    const workers = workerCount > 0 ? await MappingWorkers.start(workerCount, source) : undefined;
    const workersStartMs = Math.round(seconds(workersStart) * 1000);
    const loadBefore = os.loadavg()[0];
    const floorRuns: Run[] = [];
    const endToEndRuns: Run[] = [];
    const mainThreadRuns: Run[] = [];
    let sink = new CountingSink();
    let chunksMapped = { here: 0, onWorkers: 0 };
    // Through the same pipeline the handlers and `rampart transform` use.
    const endToEnd = (pool: MappingWorkers | undefined) => measure(async () => {
      sink = new CountingSink();
      const writer = await LakeWriter.create({ sink, region: 'us-east-1', batchId: 'bench' });
      try {
        const pipeline = new CustomSourcePipeline(source, writer, new DeadLetterWriter(sink, 'bench', '20240501'), { workers: pool });
        for (let f = 0; f < FILES; f++) await pipeline.processObject(objects[f], `bench:${f}`, '111122223333');
        const counts = await pipeline.finish();
        if (counts.written !== EVENTS || counts.in !== counts.written + counts.rejected) throw new Error(`expected ${EVENTS} written, got ${JSON.stringify(counts)}`);
        if (pool) chunksMapped = counts.chunksMapped;
        return counts.in;
      } finally {
        writer.close();
      }
    });
    for (let round = 0; round < ROUNDS; round++) {
      floorRuns.push(await measure(async () => {
        let parsed = 0;
        for (const object of objects) for await (const batch of readRecords(object)) for (const r of batch) if (JSON.parse(r.text!)) parsed++;
        return parsed;
      }));
      endToEndRuns.push(await endToEnd(workers));
      // The same on the main thread alone, as a function with one vCPU runs it.
      if (workers) mainThreadRuns.push(await endToEnd(undefined));
    }
    await workers?.close();
    const loadAfter = os.loadavg()[0];
    const floor = median(floorRuns);
    const run = median(endToEndRuns);
    const mappingRatio = round(mappingRate / naiveRate, 2);
    const e2eRatio = round(run.rate / floor.rate, 2);
    return [
      report({
        name: 'ocsf.map.network-firewall-1m', value: Math.round(mappingRate), unit: 'events/s', events: mapped,
        baseline: { name: 'naive per-event path-walk mapper', value: Math.round(naiveRate) }, ratio: mappingRatio,
        goal: '>= 4x the naive mapper', goalMet: mappingRatio >= 4,
      }),
      report({
        name: 'ocsf.end-to-end.network-firewall-1m', value: Math.round(run.rate), unit: 'events/s', events: EVENTS,
        baseline: { name: 'gunzip + split + JSON.parse only', value: Math.round(floor.rate) }, ratio: e2eRatio,
        goal: '>= 0.6 of decompress + parse; peak RSS < 1 GiB', goalMet: e2eRatio >= 0.6 && Math.max(...endToEndRuns.map((r) => r.peakRss)) < 1024 ** 3,
        rounds: ROUNDS, roundRatios: endToEndRuns.map((r, i) => round(r.rate / floorRuns[i].rate, 2)),
        peakRssMiB: Math.round(Math.max(...endToEndRuns.map((r) => r.peakRss)) / 1024 ** 2), gzippedInputMiB: round(gzBytes / 1024 ** 2, 1),
        mappingWorkers: workerCount, workersStartMs, chunksMapped,
        ...(mainThreadRuns.length ? { mainThreadOnly: mainThreadOnly(median(mainThreadRuns), floor) } : {}),
        parquetObjects: sink.objects, parquetMiB: round(sink.bytes / 1024 ** 2, 1),
        // Events per CPU-second (all threads, DuckDB's included): the work itself, less sensitive to a busy machine than wall time.
        perCpuSecond: { endToEnd: Math.round(run.cpuRate), decompressParse: Math.round(floor.cpuRate), ratio: round(run.cpuRate / floor.cpuRate, 2) },
        loadAverage: { before: round(loadBefore, 1), after: round(loadAfter, 1) },
      }),
    ];
  },
};
