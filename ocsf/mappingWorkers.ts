/**
 * Mapping workers (worker_threads): each compiles the custom source's mapping file as the main thread did and
 * maps line chunks into sealed column batches (mappingWorker.ts), which move back without being copied. The
 * pipeline maps chunks on the main thread whenever the workers are busy, and takes every chunk's result back
 * in chunk order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchPlace, ChunkRejection, MappedChunk } from './chunkMapping';
import { ColumnBatch, type SealedBatch } from './columnBatch';
import type { CustomSource } from './customSource';
import type { LineChunk, LinePiece } from './recordReader';

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

export type ChunkReply =
  | { id: number; lines: number; records: number; rejections: ChunkRejection[]; batches: (BatchPlace & { batch: SealedBatch })[] }
  | { id: number; error: string };

/** Chunks given to a worker at once: one being mapped, one waiting, so it never idles between them. */
const CHUNKS_PER_WORKER = 2;

/**
 * Workers for this machine: one per core beyond the main thread's, at most three (the main thread also reads
 * the objects and feeds DuckDB, which bounds what more workers can add).
 */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(3, os.availableParallelism() - 1));
}

/** The worker script: compiled JavaScript next to this file when bundled, else the TypeScript source through tsx. */
function startWorker(workerData: MappingWorkerData): Worker {
  const compiled = path.join(__dirname, 'mappingWorker.js');
  if (fs.existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = path.join(__dirname, 'mappingWorker.ts');
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});`, { eval: true, workerData });
}

interface Pending {
  resolve: (result: MappedChunk) => void;
  reject: (error: Error) => void;
}

export class MappingWorkers {
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight: number[];
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly workers: Worker[], private readonly source: CustomSource) {
    this.inFlight = workers.map(() => 0);
    workers.forEach((worker, w) => {
      worker.unref();
      worker.on('message', (reply: ChunkReply) => {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        // An idle worker does not keep the process alive; one with work does.
        if (--this.inFlight[w] === 0) worker.unref();
        if ('error' in reply) waiting?.reject(new Error(`mapping worker: ${reply.error}`));
        else waiting?.resolve(this.received(reply));
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => !this.closing && this.fail(new Error(`mapping worker exited with code ${code}`)));
    });
  }

  /** Starts `count` workers for the source; resolves once each has compiled the mapping. */
  static async start(count: number, source: CustomSource): Promise<MappingWorkers> {
    const origin = source.mapping.origin;
    if (!origin) throw new Error(`custom source ${source.name}: mapping workers need the mapping loaded from its file (loadMappingFile or loadMappingText)`);
    const data: MappingWorkerData = { mappingText: origin.text, mappingFile: origin.file, sourceName: source.name, classUids: [...source.byClass.keys()] };
    const workers = Array.from({ length: count }, () => startWorker(data));
    // Each says it is ready once the mapping compiled; a mapping that does not compile there fails the start.
    const ready = await Promise.allSettled(workers.map((w) => new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        w.off('message', onReady).off('error', settle).off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const onReady = (): void => settle();
      const onExit = (code: number): void => settle(new Error(`mapping worker exited with code ${code} while starting`));
      w.on('message', onReady).on('error', settle).on('exit', onExit);
    })));
    const failed = ready.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw (failed as PromiseRejectedResult).reason;
    }
    return new MappingWorkers(workers, source);
  }

  /** False once a worker failed: the pool takes no more chunks (start a new one). */
  get healthy(): boolean {
    return this.failure === undefined && !this.closing;
  }

  /** Why the pool stopped taking chunks, once a worker failed. */
  get failedWith(): string | undefined {
    return this.closing ? undefined : this.failure?.message;
  }

  /** True when a worker can take a chunk now without waiting behind more than one other. */
  get canTake(): boolean {
    return this.healthy && this.inFlight.some((n) => n < CHUNKS_PER_WORKER);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private received(reply: Extract<ChunkReply, { batches: unknown }>): MappedChunk {
    return {
      ...reply,
      batches: reply.batches.map(({ batch, ...place }) => ({ ...place, batch: new ColumnBatch(this.source.byClass.get(place.classUid)!.layout.types, batch) })),
    };
  }

  /** Maps a chunk, given as its pieces, on the least busy worker. */
  map(pieces: readonly LinePiece[], fallbackAccount: string): Promise<MappedChunk> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const w = this.inFlight.indexOf(Math.min(...this.inFlight));
    // One copy of the pieces, joined by the newlines between them, which moves to the worker.
    const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.data.length + 1, -1));
    let at = 0;
    for (const piece of pieces) {
      if (at > 0) bytes[at++] = 0x0a;
      bytes.set(piece.data, at);
      at += piece.data.length;
    }
    const request: ChunkRequest = { id, kind: pieces[0].kind, data: bytes, fallbackAccount };
    return new Promise<MappedChunk>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.inFlight[w]++ === 0) this.workers[w].ref();
      this.workers[w].postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('mapping workers closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
