/**
 * Fills a DuckDBDataChunk from JavaScript column arrays with one native call per column, not per value.
 *
 * Numbers and booleans are packed into typed arrays and copied into the vector with their validity mask.
 * Strings are UTF-8 encoded into one buffer per column, handed to DuckDB as a single string (so DuckDB owns
 * the bytes, in the vector's string heap), and every row's string_t then points into that copy: the C API's
 * documented duckdb_string_t layout (4-byte length, then 12 inline bytes, or a 4-byte prefix and a pointer).
 * Assigning strings one at a time costs about a microsecond each through N-API.
 */
import { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { StagingType } from './columnLayout';

export const CHUNK_ROWS = 2048;
const INLINE_MAX = 12;

export class StagingChunkFiller {
  private textBuffer = Buffer.allocUnsafe(1 << 20);
  private readonly offsets = new Uint32Array(CHUNK_ROWS + 1);
  private readonly stringRecords = new Uint8Array(CHUNK_ROWS * 16);
  private readonly stringView = new DataView(this.stringRecords.buffer);
  private readonly int32 = new Int32Array(CHUNK_ROWS);
  private readonly float64 = new Float64Array(CHUNK_ROWS);
  private readonly bytes = new Uint8Array(CHUNK_ROWS);
  private readonly validity = new BigUint64Array(CHUNK_ROWS / 64);
  private readonly validityBytes = new Uint8Array(this.validity.buffer);

  /** Bytes of string data per row of the last chunk filled (written as the chunk's last column). */
  private readonly rowWidths = new Float64Array(CHUNK_ROWS);

  /**
   * Writes `rows` rows of `columns` (JS values or undefined for NULL) into the chunk; `columnBytes[c]` receives
   * the bytes staged for column c. The chunk has one more DOUBLE column than `types`: each row's string bytes.
   */
  fill(chunk: DuckDBDataChunk, types: readonly StagingType[], columns: readonly unknown[][], rows: number, columnBytes: Float64Array): void {
    chunk.rowCount = rows;
    this.rowWidths.fill(0, 0, rows);
    for (let c = 0; c < types.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const values = columns[c];
      const allValid = this.buildValidity(values, rows);
      switch (types[c]) {
        case 'VARCHAR':
          columnBytes[c] = this.fillStrings(vector, values as (string | undefined)[], rows) + rows * 4;
          break;
        case 'INTEGER':
          for (let r = 0; r < rows; r++) this.int32[r] = (values[r] as number | undefined) ?? 0;
          duckdb.copy_data_to_vector(vector, 0, this.int32.buffer, 0, rows * 4);
          break;
        case 'DOUBLE':
          for (let r = 0; r < rows; r++) this.float64[r] = (values[r] as number | undefined) ?? 0;
          duckdb.copy_data_to_vector(vector, 0, this.float64.buffer, 0, rows * 8);
          break;
        case 'BOOLEAN':
          for (let r = 0; r < rows; r++) this.bytes[r] = values[r] === true ? 1 : 0;
          duckdb.copy_data_to_vector(vector, 0, this.bytes.buffer, 0, rows);
          break;
      }
      if (!allValid) {
        duckdb.vector_ensure_validity_writable(vector);
        duckdb.copy_data_to_vector_validity(vector, 0, this.validity.buffer, 0, Math.ceil(rows / 64) * 8);
      }
      if (types[c] !== 'VARCHAR') columnBytes[c] = rows * 8;
    }
    duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, types.length), 0, this.rowWidths.buffer, 0, rows * 8);
  }

  private buildValidity(values: readonly unknown[], rows: number): boolean {
    let allValid = true;
    this.validityBytes.fill(0);
    for (let r = 0; r < rows; r++) {
      if (values[r] !== undefined && values[r] !== null) this.validityBytes[r >> 3] |= 1 << (r & 7);
      else allValid = false;
    }
    return allValid;
  }

  /** Returns the string bytes handed to DuckDB. */
  private fillStrings(vector: duckdb.Vector, values: readonly (string | undefined)[], rows: number): number {
    // Encode every value once; a value equal to the previous row's reuses its bytes (constants, repeats).
    const parts: string[] = [];
    let charLength = 0;
    let previous: string | undefined;
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      if (v !== undefined && v !== null && v !== previous) {
        parts.push(v);
        charLength += v.length;
        previous = v;
      }
    }
    const joined = parts.join('');
    const byteLength = Buffer.byteLength(joined, 'utf8');
    if (byteLength + 1 > this.textBuffer.length) this.textBuffer = Buffer.allocUnsafe(Math.max(byteLength + 1, this.textBuffer.length * 2));
    const buf = this.textBuffer;
    buf.write(joined, 0, 'utf8');
    const ascii = byteLength === charLength;
    const offsets = this.offsets;
    let pos = 0;
    previous = undefined;
    let previousStart = 0, previousEnd = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      if (v === undefined || v === null) {
        offsets[r] = previousEnd;
        continue;
      }
      if (v === previous) {
        offsets[r] = previousStart;
        continue;
      }
      previousStart = pos;
      pos += ascii ? v.length : Buffer.byteLength(v, 'utf8');
      previousEnd = pos;
      previous = v;
      offsets[r] = previousStart;
    }
    // Hand the bytes to DuckDB (at least one byte, so the copy lives in the heap, not inline).
    if (pos <= INLINE_MAX) buf.fill(0x20, pos, INLINE_MAX + 1);
    duckdb.vector_assign_string_element_len(vector, 0, buf.subarray(0, Math.max(pos, INLINE_MAX + 1)));
    const base = duckdb.vector_get_data(vector, 16);
    const baseView = new DataView(base.buffer, base.byteOffset, 16);
    const lo = baseView.getUint32(8, true), hi = baseView.getUint32(12, true);
    const out = this.stringRecords, view = this.stringView;
    previous = undefined;
    let length = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      const at = r * 16;
      if (v === undefined || v === null) {
        for (let b = 0; b < 16; b++) out[at + b] = 0;
        continue;
      }
      if (v !== previous) {
        length = ascii ? v.length : Buffer.byteLength(v, 'utf8');
        previous = v;
      }
      const o = offsets[r];
      this.rowWidths[r] += length;
      view.setUint32(at, length, true);
      if (length <= INLINE_MAX) {
        // Byte loops: a native copy per short string costs more than the copy.
        for (let b = 0; b < length; b++) out[at + 4 + b] = buf[o + b];
        for (let b = length; b < INLINE_MAX; b++) out[at + 4 + b] = 0;
      } else {
        out[at + 4] = buf[o]; out[at + 5] = buf[o + 1]; out[at + 6] = buf[o + 2]; out[at + 7] = buf[o + 3];
        const p = lo + o;
        view.setUint32(at + 8, p >>> 0, true);
        view.setUint32(at + 12, hi + (p > 0xffffffff ? 1 : 0), true);
      }
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, rows * 16);
    return pos;
  }
}
