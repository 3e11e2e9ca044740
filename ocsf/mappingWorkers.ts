/**
 * Maps log objects on several cores: the main thread decompresses and cuts each object into line-aligned
 * chunks, mapping workers (worker_threads, mappingWorker.ts) parse and map the chunks into sealed column
 * batches, and the main thread takes the results back in chunk order — so rows, line numbers, flushes and
 * object names are exactly those of mapping the object in one thread. Batches move between threads without
 * being copied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SealedBatch } from './columnBatch';
import type { CustomSource, Rejection } from './customSource';
import type { LineChunk } from './recordReader';

export interface MappingWorkerData {
  mappingText: string;
  mappingFile: string;
  sourceName: string;
  classUids: number[];
}

export interface ChunkRequest {
  id: number;
  kind: LineChunk['kind'];
  data: Uint8Array;
  fallbackAccount: string;
}

/** A partition's rows from one chunk: its OCSF class, account and day, and the times of its first and last row. */
export interface StagedBatch {
  classUid: number;
  accountId: string;
  day: string;
  first: number;
  last: number;
  sorted: boolean;
}

export interface WorkerRejection extends Rejection {
  /** Line within the chunk (1-based); element number for a JSON array document. */
  line: number;
  raw: string;
  rawEncoding: 'utf8' | 'base64';
}

export interface ChunkResult {
  id: number;
  /** Lines the chunk holds, so the next chunk's lines are numbered on. */
  lines: number;
  records: number;
  rejections: WorkerRejection[];
  batches: (StagedBatch & { sealed: SealedBatch })[];
}

interface Pending {
  resolve: (result: ChunkResult) => void;
  reject: (error: Error) => void;
}

/** The worker script: compiled JavaScript next to this file when bundled, else the TypeScript source through tsx. */
function startWorker(workerData: MappingWorkerData): Worker {
  const compiled = path.join(__dirname, 'mappingWorker.js');
  if (fs.existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = path.join(__dirname, 'mappingWorker.ts');
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});`, { eval: true, workerData });
}

export class MappingWorkers {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private next = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) {
      worker.on('message', (message: ChunkResult | { id: number; error: string }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if ('error' in message) waiting?.reject(new Error(`mapping worker: ${message.error}`));
        else waiting?.resolve(message);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => !this.closing && this.fail(new Error(`mapping worker exited with code ${code}`)));
    }
  }

  /** Starts `count` workers, each compiling the source's mapping file as the main thread did. */
  static async start(count: number, source: CustomSource): Promise<MappingWorkers> {
    const origin = source.mapping.origin;
    if (!origin) throw new Error(`custom source ${source.name}: mapping workers need the mapping loaded from its file (loadMappingFile or loadMappingText)`);
    const data: MappingWorkerData = { mappingText: origin.text, mappingFile: origin.file, sourceName: source.name, classUids: [...source.byClass.keys()] };
    const workers = Array.from({ length: count }, () => startWorker(data));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('online', () => resolve());
      w.once('error', reject);
    })));
    return new MappingWorkers(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  /** Maps a chunk on the next worker; its memory moves to the worker. */
  map(chunk: LineChunk, fallbackAccount: string): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[this.next++ % this.workers.length];
    // A chunk that owns its memory moves; one that shares it (Buffer's pool, the rest of an object) is copied.
    const data = chunk.owned ? chunk.data : new Uint8Array(chunk.data);
    const request: ChunkRequest = { id, kind: chunk.kind, data, fallbackAccount };
    return new Promise<ChunkResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(request, [data.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
