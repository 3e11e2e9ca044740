/**
 * A mapping worker (worker_threads; see mappingWorkers.ts): compiles the custom source's mapping, then maps each
 * line chunk it receives with the main thread's code and sends the sealed batches back, moving their memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mapChunk } from './chunkMapping';
import { customSource } from './customSource';
import { loadMappingText } from './loadMapping';
import type { ChunkReply, ChunkRequest, MappingWorkerData } from './mappingWorkers';

const data = workerData as MappingWorkerData;
const loaded = loadMappingText(data.mappingText, data.mappingFile);
if (!loaded.compiled) throw new Error(`mapping ${data.mappingFile} cannot be compiled in a mapping worker`);
// Layouts are all a worker needs of the Security Lake sources; the main thread knows where they go.
const source = customSource(data.sourceName, loaded.compiled, data.classUids.map((classUid) => ({ sourceName: String(classUid), classUid })));

function reply(request: ChunkRequest): { message: ChunkReply; transferList: ArrayBuffer[] } {
  const chunk = { kind: request.kind, data: Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength) };
  const mapped = mapChunk(source, chunk, request.fallbackAccount);
  const transferList: ArrayBuffer[] = [];
  const batches = mapped.batches.map(({ batch, ...place }) => {
    const moved = batch.transfer();
    transferList.push(...moved.transferList);
    return { ...place, batch: moved.sealed };
  });
  return { message: { ...mapped, id: request.id, batches }, transferList };
}

parentPort!.on('message', (request: ChunkRequest) => {
  try {
    const { message, transferList } = reply(request);
    parentPort!.postMessage(message, transferList);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) } satisfies ChunkReply);
  }
});
parentPort!.postMessage('ready');
