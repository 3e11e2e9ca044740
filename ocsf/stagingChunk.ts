/**
 * Fills a DuckDBDataChunk from a staged ColumnBatch with a few native calls per column, not per value.
 *
 * Numbers and booleans are copied from their typed arrays with their validity bits. A string column's UTF-8
 * bytes are handed to DuckDB as a single string (so DuckDB owns a copy, in the vector's string heap), and every
 * row's string_t then points into that copy: the C API's documented duckdb_string_t layout (4-byte length, then
 * 12 inline bytes, or a 4-byte prefix and a pointer). Assigning strings one at a time costs about a microsecond
 * each through N-API.
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { BATCH_ROWS, type ColumnBatch, type EncodedStrings } from './columnBatch';
import type { StagedColumn } from './columnLayout';

const INLINE_MAX = 12;
const VALIDITY_BYTES = BATCH_ROWS / 8;
/** Assigned instead of a heap of 12 bytes or less (its rows are then all inline). */
const PADDING = new Uint8Array(INLINE_MAX + 1);

export class StagingChunkFiller {
  private readonly stringRecords = new Uint8Array(BATCH_ROWS * 16);
  private readonly stringView = new DataView(this.stringRecords.buffer);
  private readonly rowWidths = new Float64Array(BATCH_ROWS);

  /**
   * Writes the batch's rows into the chunk. With `constantBytesPerRow` given, the chunk has one more DOUBLE
   * column: each row's string bytes (constants included), which splits objects of very wide rows.
   */
  fill(chunk: DuckDBDataChunk, columns: readonly StagedColumn[], batch: ColumnBatch, constantBytesPerRow?: number): void {
    const rows = batch.rows;
    chunk.rowCount = rows;
    const widths = constantBytesPerRow === undefined ? undefined : this.rowWidths.fill(constantBytesPerRow, 0, rows);
    for (let c = 0; c < columns.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const valid = batch.valid[c];
      let source: ArrayBufferView | undefined;
      switch (columns[c].staging) {
        case 'VARCHAR': this.fillStrings(vector, batch.strings[c]!, valid, rows, widths); break;
        case 'INTEGER': source = batch.ints[c]; break;
        case 'DOUBLE': source = batch.doubles[c]; break;
        case 'BOOLEAN': source = batch.bools[c]; break;
      }
      if (source) duckdb.copy_data_to_vector(vector, 0, source.buffer as ArrayBuffer, source.byteOffset, (source.byteLength / BATCH_ROWS) * rows);
      if (!allValid(valid, rows)) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, valid.buffer as ArrayBuffer, valid.byteOffset, VALIDITY_BYTES);
      }
    }
    if (widths) duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, columns.length), 0, widths.buffer, 0, rows * 8);
  }

  private fillStrings(vector: duckdb.Vector, column: EncodedStrings, valid: Uint8Array, rows: number, widths: Float64Array | undefined): void {
    const heap = column.heap;
    const used = heap.length;
    // Hand the bytes to DuckDB (more than 12, so the copy lives in the vector's heap, not inline).
    duckdb.vector_assign_string_element_len(vector, 0, used > INLINE_MAX ? heap : PADDING);
    const base = duckdb.vector_get_data(vector, 16);
    const baseView = new DataView(base.buffer, base.byteOffset, 16);
    const lo = baseView.getUint32(8, true), hi = baseView.getUint32(12, true);
    const out = this.stringRecords, view = this.stringView;
    const offsets = column.offsets, lengths = column.lengths;
    for (let r = 0; r < rows; r++) {
      const at = r * 16;
      if ((valid[r >> 3] & (1 << (r & 7))) === 0) {
        for (let b = 0; b < 16; b++) out[at + b] = 0;
        continue;
      }
      const length = lengths[r], o = offsets[r];
      if (widths) widths[r] += length;
      view.setUint32(at, length, true);
      if (length <= INLINE_MAX) {
        // Byte loops: a native copy per short string costs more than the copy.
        for (let b = 0; b < length; b++) out[at + 4 + b] = heap[o + b];
        for (let b = length; b < INLINE_MAX; b++) out[at + 4 + b] = 0;
      } else {
        out[at + 4] = heap[o]; out[at + 5] = heap[o + 1]; out[at + 6] = heap[o + 2]; out[at + 7] = heap[o + 3];
        const p = lo + o;
        view.setUint32(at + 8, p >>> 0, true);
        view.setUint32(at + 12, hi + (p > 0xffffffff ? 1 : 0), true);
      }
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, rows * 16);
  }
}

function allValid(valid: Uint8Array, rows: number): boolean {
  const full = rows >> 3;
  for (let i = 0; i < full; i++) if (valid[i] !== 0xff) return false;
  const rest = rows & 7;
  return rest === 0 || (valid[full] & ((1 << rest) - 1)) === ((1 << rest) - 1);
}
