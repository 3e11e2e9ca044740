/**
 * A mapping worker (worker_threads): reads line chunks of log objects into column batches with the same
 * compiled mapping as the main thread, and sends the sealed batches back (their memory moves, it is not
 * copied), with the records it rejected. See mappingWorkers.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BATCH_ROWS, ColumnBatch, type SealedBatch, type StagingType } from './columnBatch';
import type { RowTarget } from './compileMapping';
import { customSource, mapRecords } from './customSource';
import { PartitionRouting } from './lakeLayout';
import { loadMappingText } from './loadMapping';
import type { ChunkRequest, ChunkResult, MappingWorkerData, StagedBatch, WorkerRejection } from './mappingWorkers';
import { splitLines } from './recordReader';

/** Collects a chunk's rows per partition (account × day) in batches, keeping their order. */
class ChunkTarget implements RowTarget {
  readonly routing = new PartitionRouting();
  private readonly byKey = new Map<string, StagedBatch & { batch: ColumnBatch }>();
  private current: (StagedBatch & { batch: ColumnBatch }) | undefined;
  readonly done: (StagedBatch & { batch: ColumnBatch })[] = [];

  constructor(private readonly classUid: number, private readonly types: readonly StagingType[]) {}

  open(account: unknown, time: number): ColumnBatch {
    let staged = this.current;
    if (this.routing.changed(account, time) || staged === undefined) {
      const key = `${this.routing.accountId}|${this.routing.day}`;
      staged = this.byKey.get(key);
      if (!staged) {
        staged = { classUid: this.classUid, accountId: this.routing.accountId, day: this.routing.day, first: time, last: time, sorted: true, batch: new ColumnBatch(this.types) };
        this.byKey.set(key, staged);
      }
      this.current = staged;
    }
    if (staged.batch.rows === 0) staged.first = time;
    else if (time < staged.last) staged.sorted = false;
    staged.last = time;
    return staged.batch;
  }

  commit(batch: ColumnBatch): void {
    if (++batch.rows < BATCH_ROWS) return;
    const staged = this.current!;
    batch.seal();
    this.done.push({ ...staged });
    staged.batch = new ColumnBatch(this.types);
    staged.sorted = true;
  }

  /** Seals the partly filled batches; `done` then holds every row of the chunk. */
  finish(): void {
    for (const staged of this.byKey.values()) {
      if (staged.batch.rows === 0) continue;
      staged.batch.seal();
      this.done.push(staged);
    }
  }
}

const data = workerData as MappingWorkerData;
const loaded = loadMappingText(data.mappingText, data.mappingFile);
if (!loaded.compiled) throw new Error(`mapping ${data.mappingFile} cannot be used in a mapping worker`);
const source = customSource(data.sourceName, loaded.compiled, data.classUids.map((classUid) => ({ sourceName: String(classUid), classUid })));

function mapChunk(request: ChunkRequest): { result: ChunkResult; transferList: ArrayBuffer[] } {
  const { records, lines } = splitLines({ kind: request.kind, data: Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength) }, 0);
  const byClass = new Map<number, ChunkTarget>();
  const targets = source.rowWriters.map(({ source: lake }) => {
    let target = byClass.get(lake.classUid);
    if (!target) {
      target = new ChunkTarget(lake.classUid, lake.layout.types);
      target.routing.fallbackAccount = request.fallbackAccount;
      byClass.set(lake.classUid, target);
    }
    return target;
  });
  const rejections: WorkerRejection[] = [];
  mapRecords(source, records, targets, (record, rejection) => {
    const raw = record.text !== undefined ? { raw: record.text, rawEncoding: 'utf8' as const } : { raw: record.bytes!.toString('base64'), rawEncoding: 'base64' as const };
    rejections.push({ ...rejection, line: record.line, ...raw });
  });
  const batches: (Omit<StagedBatch, 'batch'> & { sealed: SealedBatch })[] = [];
  const transferList: ArrayBuffer[] = [];
  for (const target of byClass.values()) {
    target.finish();
    for (const { batch, ...staged } of target.done) {
      const moved = batch.transfer();
      batches.push({ ...staged, sealed: moved.sealed });
      transferList.push(...moved.transferList);
    }
  }
  return { result: { id: request.id, lines, records: records.length, rejections, batches }, transferList };
}

parentPort!.on('message', (request: ChunkRequest) => {
  try {
    const { result, transferList } = mapChunk(request);
    parentPort!.postMessage(result, transferList);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) });
  }
});
