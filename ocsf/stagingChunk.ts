/**
 * Fills a DuckDBDataChunk from a staged ColumnBatch with a few native calls per column, not per value.
 *
 * Numbers and booleans are copied from their typed arrays with their validity bits. A string column's UTF-8
 * bytes are handed to DuckDB as a single string (so DuckDB owns a copy, in the vector's string heap), and every
 * row's string_t then points into that copy: the C API's documented duckdb_string_t layout (4-byte length, then
 * 12 inline bytes, or a 4-byte prefix and a pointer). Assigning strings one at a time costs about a microsecond
 * each through N-API. The MAP column (`unmapped`) is a LIST of STRUCT(key, value): list entries (offset,
 * length) per row, and the keys and values as string vectors filled the same way.
 */
import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { BATCH_ROWS, type ColumnBatch, type EncodedStrings } from './columnBatch';
import type { StagedColumn } from './columnLayout';

const INLINE_MAX = 12;
const VALIDITY_BYTES = BATCH_ROWS / 8;
/** Assigned instead of a heap of 12 bytes or less (its rows are then all inline). */
const PADDING = new Uint8Array(INLINE_MAX + 1);

/** What a scan needs besides the batches: the MAP keys, and whether to add each row's string bytes. */
export interface FillOptions {
  /** The layout's `unmapped` keys, UTF-8 encoded. */
  mapKeys: readonly Uint8Array[];
  /** With a value, the chunk has one more DOUBLE column: each row's string bytes (these constant bytes included). */
  constantBytesPerRow?: number;
}

export class StagingChunkFiller {
  private records = new Uint8Array(BATCH_ROWS * 16);
  private view = new DataView(this.records.buffer);
  private readonly listEntries = new Uint32Array(BATCH_ROWS * 4);
  private readonly rowWidths = new Float64Array(BATCH_ROWS);

  fill(chunk: DuckDBDataChunk, columns: readonly StagedColumn[], batch: ColumnBatch, options: FillOptions): void {
    const rows = batch.rows;
    chunk.rowCount = rows;
    const widths = options.constantBytesPerRow === undefined ? undefined : this.rowWidths.fill(options.constantBytesPerRow, 0, rows);
    for (let c = 0; c < columns.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const valid = batch.valid[c];
      let source: ArrayBufferView | undefined;
      switch (columns[c].staging) {
        case 'VARCHAR': this.fillStrings(vector, batch.strings[c]!, rows, valid, widths); break;
        case 'MAP': this.fillMap(vector, batch, rows, options.mapKeys, widths); break;
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

  private reserveRecords(count: number): void {
    if (count * 16 <= this.records.length) return;
    this.records = new Uint8Array(count * 16);
    this.view = new DataView(this.records.buffer);
  }

  /** Hands `heap` to DuckDB as the vector's element 0 and returns where DuckDB keeps the copy (lo, hi words). */
  private assignHeap(vector: duckdb.Vector, heap: Uint8Array): [number, number] {
    // More than 12 bytes, so the copy lives in the vector's string heap, not inline.
    duckdb.vector_assign_string_element_len(vector, 0, heap.length > INLINE_MAX ? heap : PADDING);
    const base = duckdb.vector_get_data(vector, 16);
    const view = new DataView(base.buffer, base.byteOffset, 16);
    return [view.getUint32(8, true), view.getUint32(12, true)];
  }

  /**
   * Writes string_t `i` for bytes heap[offset, offset + length), the heap being at (lo, hi) in DuckDB's memory.
   * The record must be zeroed: an inline string's unused bytes are compared too.
   */
  private record(i: number, heap: Uint8Array, offset: number, length: number, lo: number, hi: number): void {
    const out = this.records, at = i * 16;
    this.view.setUint32(at, length, true);
    if (length <= INLINE_MAX) {
      // A byte loop: a native copy per short string costs more than the copy.
      for (let b = 0; b < length; b++) out[at + 4 + b] = heap[offset + b];
    } else {
      out[at + 4] = heap[offset]; out[at + 5] = heap[offset + 1]; out[at + 6] = heap[offset + 2]; out[at + 7] = heap[offset + 3];
      const p = lo + offset;
      this.view.setUint32(at + 8, p >>> 0, true);
      this.view.setUint32(at + 12, hi + (p > 0xffffffff ? 1 : 0), true);
    }
  }

  private fillStrings(vector: duckdb.Vector, column: EncodedStrings, rows: number, valid: Uint8Array, widths: Float64Array | undefined): void {
    const { heap, offsets, lengths } = column;
    const [lo, hi] = this.assignHeap(vector, heap);
    this.records.fill(0, 0, rows * 16);
    for (let r = 0; r < rows; r++) {
      if ((valid[r >> 3] & (1 << (r & 7))) === 0) continue;
      const length = lengths[r];
      if (widths) widths[r] += length;
      this.record(r, heap, offsets[r], length, lo, hi);
    }
    duckdb.copy_data_to_vector(vector, 0, this.records.buffer, 0, rows * 16);
  }

  private fillMap(vector: duckdb.Vector, batch: ColumnBatch, rows: number, keys: readonly Uint8Array[], widths: Float64Array | undefined): void {
    const map = batch.map!;
    const counts = batch.mapCounts;
    const entries = this.listEntries;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      // duckdb_list_entry: uint64 offset, uint64 length.
      entries[r * 4] = total;
      entries[r * 4 + 1] = 0;
      entries[r * 4 + 2] = counts[r];
      entries[r * 4 + 3] = 0;
      total += counts[r];
    }
    duckdb.copy_data_to_vector(vector, 0, entries.buffer, 0, rows * 16);
    duckdb.list_vector_reserve(vector, Math.max(total, 1));
    duckdb.list_vector_set_size(vector, total);
    if (total === 0) return;
    const struct = duckdb.list_vector_get_child(vector);
    const keyVector = duckdb.struct_vector_get_child(struct, 0);
    const valueVector = duckdb.struct_vector_get_child(struct, 1);
    this.reserveRecords(Math.max(total, keys.length));

    // Each key's string_t once, then copied to its entries as four words.
    const keyHeap = Buffer.concat(keys);
    const [klo, khi] = this.assignHeap(keyVector, keyHeap);
    this.records.fill(0, 0, keys.length * 16);
    for (let k = 0, at = 0; k < keys.length; at += keys[k].length, k++) this.record(k, keyHeap, at, keys[k].length, klo, khi);
    const templates = new Uint32Array(this.records.buffer.slice(0, keys.length * 16));
    this.reserveRecords(total);
    const words = new Uint32Array(this.records.buffer, 0, total * 4);
    for (let i = 0; i < total; i++) {
      const k = map.keys[i] * 4, at = i * 4;
      words[at] = templates[k]; words[at + 1] = templates[k + 1]; words[at + 2] = templates[k + 2]; words[at + 3] = templates[k + 3];
    }
    duckdb.copy_data_to_vector(keyVector, 0, this.records.buffer, 0, total * 16);

    const { heap, offsets, lengths } = map.values;
    const [vlo, vhi] = this.assignHeap(valueVector, heap);
    this.records.fill(0, 0, total * 16);
    for (let i = 0; i < total; i++) this.record(i, heap, offsets[i], lengths[i], vlo, vhi);
    duckdb.copy_data_to_vector(valueVector, 0, this.records.buffer, 0, total * 16);

    if (widths) {
      for (let r = 0, i = 0; r < rows; r++) {
        for (const end = i + counts[r]; i < end; i++) widths[r] += keys[map.keys[i]].length + lengths[i];
      }
    }
  }
}

function allValid(valid: Uint8Array, rows: number): boolean {
  const full = rows >> 3;
  for (let i = 0; i < full; i++) if (valid[i] !== 0xff) return false;
  const rest = rows & 7;
  return rest === 0 || (valid[full] & ((1 << rest) - 1)) === ((1 << rest) - 1);
}
