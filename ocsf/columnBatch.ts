/**
 * Rows waiting to be written as Parquet, held in JavaScript memory as columns: typed arrays for numbers and
 * booleans with a validity bit per value, strings as UTF-8 bytes, and `unmapped` as each row's key/value
 * pairs. The compiled mapping writes an event's values straight into a batch (no OCSF object in between),
 * and DuckDB reads a batch back as one DataChunk when the partition is written.
 *
 * Strings are kept as JavaScript strings while the batch fills and encoded together when it is full: one join
 * and one UTF-8 encoding per column per batch costs less than encoding each value.
 */

/** Rows per batch: DuckDB's vector size, so one batch fills one DataChunk. */
export const BATCH_ROWS = 2048;

/** How a column is staged; MAP is MAP(VARCHAR, VARCHAR), `unmapped`. */
export type StagingType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'MAP';

/** A string column of a full batch: row r's bytes are heap[offsets[r], offsets[r] + lengths[r]). */
export interface EncodedStrings {
  heap: Uint8Array;
  offsets: Uint32Array;
  lengths: Uint32Array;
  /** Bytes of every value, repeats included: what a Parquet page holds. */
  valueBytes: number;
}

/**
 * The MAP column of a full batch: entries in row order, mapCounts[r] of them for row r; entry i is key
 * keys[i] (an index into the layout's keys) with value bytes values.heap[values.offsets[i], + values.lengths[i]).
 */
export interface EncodedMap {
  keys: Uint16Array;
  values: EncodedStrings;
}

/**
 * BATCH_ROWS rows of one partition. Column c's values are in doubles[c], ints[c], bools[c] (valid[c] has bit
 * `row` set when the value is not NULL) or, for strings, texts[c] (undefined is NULL) until seal() encodes
 * them into strings[c]. The MAP column's entries are appended to mapKeys and mapValues, with each row's
 * number of entries in mapCounts (none is NULL), until seal() encodes them into `map`.
 */
export class ColumnBatch {
  rows = 0;
  readonly doubles: (Float64Array | undefined)[] = [];
  readonly ints: (Int32Array | undefined)[] = [];
  readonly bools: (Uint8Array | undefined)[] = [];
  readonly texts: ((string | undefined)[] | undefined)[] = [];
  readonly strings: (EncodedStrings | undefined)[] = [];
  readonly valid: Uint8Array[] = [];
  readonly mapCounts: Uint16Array;
  mapKeys: number[] = [];
  mapValues: string[] = [];
  map: EncodedMap | undefined;
  /** Every fixed-size array of the batch, in one allocation. */
  private readonly buffer: ArrayBuffer;

  /** An empty batch, or (with `sealed`) a sealed one received from another thread. */
  constructor(readonly types: readonly StagingType[], sealed?: SealedBatch) {
    let bytes = BATCH_ROWS * 2;
    for (const t of types) bytes += fixedBytes(t) + BATCH_ROWS / 8;
    const buffer = sealed?.buffer ?? new ArrayBuffer(bytes);
    if (buffer.byteLength !== bytes) throw new Error(`a batch of these columns has ${bytes} bytes of fixed-size arrays, not ${buffer.byteLength}`);
    this.buffer = buffer;
    this.mapCounts = new Uint16Array(buffer, 0, BATCH_ROWS);
    let at = BATCH_ROWS * 2;
    types.forEach((t, c) => {
      this.doubles.push(t === 'DOUBLE' ? new Float64Array(buffer, at, BATCH_ROWS) : undefined);
      this.ints.push(t === 'INTEGER' ? new Int32Array(buffer, at, BATCH_ROWS) : undefined);
      this.bools.push(t === 'BOOLEAN' ? new Uint8Array(buffer, at, BATCH_ROWS) : undefined);
      this.texts.push(t === 'VARCHAR' && !sealed ? new Array<string | undefined>(BATCH_ROWS) : undefined);
      this.strings.push(sealed?.strings[c]);
      at += fixedBytes(t);
    });
    for (let c = 0; c < types.length; c++) {
      this.valid.push(new Uint8Array(buffer, at, BATCH_ROWS / 8));
      at += BATCH_ROWS / 8;
    }
    if (sealed) {
      this.rows = sealed.rows;
      this.map = sealed.map;
    }
  }

  /** Encodes the string and map columns (the batch takes no more rows). */
  seal(): void {
    for (let c = 0; c < this.types.length; c++) {
      const texts = this.texts[c];
      if (texts) {
        this.strings[c] = encodeColumn(texts, this.rows, this.valid[c]);
        this.texts[c] = undefined;
      } else if (this.types[c] === 'MAP') {
        for (let r = 0; r < this.rows; r++) if (this.mapCounts[r] > 0) this.valid[c][r >> 3] |= 1 << (r & 7);
        this.map = { keys: new Uint16Array(this.mapKeys), values: encodeColumn(this.mapValues, this.mapValues.length) };
        this.mapKeys = [];
        this.mapValues = [];
      }
    }
  }

  /**
   * The sealed batch's memory, to move to another thread without copying it (postMessage with the transfer
   * list); the batch is unusable afterwards. A heap sharing Buffer's pool is copied out first.
   */
  transfer(): { sealed: SealedBatch; transferList: ArrayBuffer[] } {
    const own = (s: EncodedStrings): EncodedStrings => (s.heap.byteOffset === 0 && s.heap.byteLength === s.heap.buffer.byteLength ? s : { ...s, heap: s.heap.slice() });
    const strings = this.strings.map((s) => s && own(s));
    const map = this.map && { keys: this.map.keys, values: own(this.map.values) };
    const transferList = [this.buffer];
    for (const s of [...strings, map?.values]) if (s) transferList.push(s.heap.buffer as ArrayBuffer, s.offsets.buffer as ArrayBuffer, s.lengths.buffer as ArrayBuffer);
    if (map) transferList.push(map.keys.buffer as ArrayBuffer);
    return { sealed: { rows: this.rows, buffer: this.buffer, strings, map }, transferList };
  }
}

/** A sealed batch as it crosses threads. */
export interface SealedBatch {
  rows: number;
  buffer: ArrayBuffer;
  strings: (EncodedStrings | undefined)[];
  map: EncodedMap | undefined;
}

function fixedBytes(type: StagingType): number {
  return type === 'DOUBLE' ? 8 * BATCH_ROWS : type === 'INTEGER' ? 4 * BATCH_ROWS : type === 'BOOLEAN' ? BATCH_ROWS : 0;
}

/**
 * UTF-8 encodes `count` values, setting their validity bits when `valid` is given; a value equal to the
 * previous one shares its bytes (constants, repeats).
 */
function encodeColumn(texts: readonly (string | undefined)[], count: number, valid?: Uint8Array): EncodedStrings {
  const parts: string[] = [];
  const offsets = new Uint32Array(count);
  const lengths = new Uint32Array(count);
  // Offsets in characters: the same as in bytes when the text is ASCII, as it mostly is.
  let chars = 0, start = 0, length = 0, valueBytes = 0;
  let previous: string | undefined;
  for (let r = 0; r < count; r++) {
    const v = texts[r];
    if (v === undefined) continue;
    if (valid) valid[r >> 3] |= 1 << (r & 7);
    if (v !== previous) {
      parts.push(v);
      start = chars;
      length = v.length;
      chars += length;
      previous = v;
    }
    offsets[r] = start;
    lengths[r] = length;
    valueBytes += length;
  }
  const heap = Buffer.from(parts.join(''), 'utf8');
  return heap.length === chars ? { heap, offsets, lengths, valueBytes } : encodeUnicode(texts, count, heap, offsets, lengths);
}

/** Byte offsets for text that is not all ASCII. */
function encodeUnicode(texts: readonly (string | undefined)[], count: number, heap: Buffer, offsets: Uint32Array, lengths: Uint32Array): EncodedStrings {
  let at = 0, start = 0, length = 0, valueBytes = 0;
  let previous: string | undefined;
  for (let r = 0; r < count; r++) {
    const v = texts[r];
    if (v === undefined) continue;
    if (v !== previous) {
      start = at;
      length = Buffer.byteLength(v, 'utf8');
      at += length;
      previous = v;
    }
    offsets[r] = start;
    lengths[r] = length;
    valueBytes += length;
  }
  // Joined, a lone surrogate at the end of one value and one at the start of the next encode as a pair:
  // then encode the values one by one.
  if (at !== heap.length) return encodeColumn(texts.map((v) => (v === undefined ? v : Buffer.from(v, 'utf8').toString('utf8'))), count);
  return { heap, offsets, lengths, valueBytes };
}
