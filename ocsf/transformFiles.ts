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
import { eventDay } from './lakeLayout';
import { LakeWriter } from './lakeWriter';

export interface TransformOptions {
  source: CustomSource;
  inputs: string[];
  outDir: string;
  region: string;
  /** Account for records that name none and come from a file outside an AWSLogs/<account>/ path. */
  account?: string;
  now?: () => number;
}

/** The batch identity of a set of files: their names, sizes and modification times. */
function filesBatchId(inputs: string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const stat = fs.statSync(input);
    hash.update(`${path.resolve(input)}\n${stat.size}\n${stat.mtimeMs}\n`);
  }
  return `files|${hash.digest('hex')}`;
}

export async function transformFiles(options: TransformOptions): Promise<DeliveryCounts> {
  const now = options.now ?? Date.now;
  const sink = new DirectorySink(options.outDir);
  const batchId = filesBatchId(options.inputs);
  const writer = await LakeWriter.create({ sink, region: options.region, batchId, now });
  try {
    const pipeline = new CustomSourcePipeline(options.source, writer, new DeadLetterWriter(sink, batchId, eventDay(now())));
    for (const input of options.inputs) {
      const account = /(?:^|\/)AWSLogs\/(\d{12})\//.exec(input.replace(/\\/g, '/'))?.[1] ?? options.account;
      await pipeline.processObject(fs.createReadStream(input), `file:${input}`, account);
    }
    return await pipeline.finish();
  } finally {
    writer.close();
  }
}
