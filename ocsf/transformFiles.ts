/**
 * The local path of a custom source: map log files and write the same Security Lake layout a deployed
 * source writes to S3, under a directory (`rampart transform`, the demo, the tests).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CustomSource } from './customSource';
import { CustomSourcePipeline, type DeliveryCounts } from './customSourcePipeline';
import { DeadLetterWriter } from './deadLetters';
import { DirectorySink } from './directorySink';
import { accountFromLogKey, eventDay } from './lakeLayout';
import { LakeWriter } from './lakeWriter';
import { defaultWorkerCount, MappingWorkers } from './mappingWorkers';
import type { ChunkLimits } from './recordReader';

/** Below this much input, starting mapping workers costs more than they save. */
const WORKERS_MIN_INPUT_BYTES = 16 * 1024 * 1024;

export interface TransformOptions {
  source: CustomSource;
  inputs: string[];
  outDir: string;
  region: string;
  /** Account for records that name none and come from a file outside an AWSLogs/<account>/ path. */
  account?: string;
  now?: () => number;
  /** Mapping workers beside the main thread (default: one per further core, at most 3, for 16 MiB of input or more). */
  workers?: number;
  /** Where chunks end (default the pipeline's). */
  chunkLimits?: ChunkLimits;
}

/** The batch identity of a set of files: their names, sizes and modification times. */
function filesBatchId(inputs: string[], stats: fs.Stats[]): string {
  const hash = createHash('sha256');
  inputs.forEach((input, i) => hash.update(`${path.resolve(input)}\n${stats[i].size}\n${stats[i].mtimeMs}\n`));
  return `files|${hash.digest('hex')}`;
}

export async function transformFiles(options: TransformOptions): Promise<DeliveryCounts> {
  const now = options.now ?? Date.now;
  const sink = new DirectorySink(options.outDir);
  const stats = options.inputs.map((input) => fs.statSync(input));
  const batchId = filesBatchId(options.inputs, stats);
  const inputBytes = stats.reduce((n, stat) => n + stat.size, 0);
  const workerCount = options.workers ?? (inputBytes >= WORKERS_MIN_INPUT_BYTES ? defaultWorkerCount() : 0);
  const workers = workerCount > 0 ? await MappingWorkers.start(workerCount, options.source) : undefined;
  let writer: LakeWriter | undefined;
  try {
    writer = await LakeWriter.create({ sink, region: options.region, batchId, now });
    const deadLetters = new DeadLetterWriter(sink, batchId, eventDay(now()));
    const pipeline = new CustomSourcePipeline(options.source, writer, deadLetters, { workers, chunkLimits: options.chunkLimits });
    for (const input of options.inputs) {
      const account = accountFromLogKey(input.replace(/\\/g, '/')) ?? options.account;
      await pipeline.processObject(fs.createReadStream(input), `file:${input}`, account);
    }
    return await pipeline.finish();
  } finally {
    writer?.close();
    await workers?.close();
  }
}
