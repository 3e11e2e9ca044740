import type { ResultIndex } from './resultIndex';

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * check-results.jsonl content for several frameworks that judge mostly the same results: each
 * result is serialized once, straight into shared buffers, and each framework's file is a list
 * of slices of them (no copies).
 */
export class ResultLines {
  private readonly chunks: Buffer[] = [];
  private readonly chunkOf: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;

  constructor(index: ResultIndex, positionLists: Iterable<Int32Array>) {
    this.chunkOf = new Int32Array(index.size).fill(-1);
    this.start = new Int32Array(index.size);
    this.end = new Int32Array(index.size);
    const wanted = new Uint8Array(index.size);
    for (const list of positionLists) for (const p of list) wanted[p] = 1;

    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let offset = 0;
    for (let p = 0; p < index.size; p++) {
      if (!wanted[p]) continue;
      const line = `${resultLine(index, p)}\n`;
      const bytes = Buffer.byteLength(line);
      if (offset + bytes > chunk.length) {
        this.chunks.push(chunk.subarray(0, offset));
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
        offset = 0;
      }
      chunk.write(line, offset);
      this.chunkOf[p] = this.chunks.length;
      this.start[p] = offset;
      this.end[p] = offset + bytes;
      offset += bytes;
    }
    if (offset > 0) this.chunks.push(chunk.subarray(0, offset));
  }

  /** The lines of the given results, in order, as slices of the shared buffers. */
  linesFor(positions: Int32Array): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < positions.length) {
      // Results that sit next to each other in one buffer make one slice.
      const first = positions[i];
      const chunk = this.chunkOf[first];
      let last = first;
      while (i + 1 < positions.length && this.chunkOf[positions[i + 1]] === chunk && this.start[positions[i + 1]] === this.end[last]) last = positions[++i];
      i++;
      out.push(this.chunks[chunk].subarray(this.start[first], this.end[last]));
    }
    return out;
  }
}

/** One result as a JSON line, keys in a fixed order (the raw evidence is kept as the check produced it). */
function resultLine(index: ResultIndex, p: number): string {
  const { checkId, item, status, scope, observedAt, detail, evidence } = index.results[p];
  return JSON.stringify({
    resultId: index.resultId(p), ref: index.refs[p], checkId, item, status,
    scope: { accountId: scope.accountId, accountName: scope.accountName, ou: scope.ou, region: scope.region },
    observedAt, detail, evidence,
  });
}
