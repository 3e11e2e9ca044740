/**
 * Splits log objects (S3 objects, local files) into records: gzip or plain, one record per line, or the
 * elements of a top-level JSON array. Lines are decoded as UTF-8; a line that is not valid UTF-8 is kept
 * as its raw bytes so the dead-letter place can hold it exactly.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface RawRecord {
  /** The record's text, when its bytes are valid UTF-8. */
  text?: string;
  /** The raw bytes of a record that is not valid UTF-8. */
  bytes?: Buffer;
  /** 1-based line (or array element) number within the object. */
  line: number;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

async function* decompressed(body: Buffer | Readable): AsyncGenerator<Buffer> {
  const stream = Buffer.isBuffer(body) ? Readable.from([body]) : body;
  const source = stream[Symbol.asyncIterator]();
  const head = await source.next();
  if (head.done) return;
  const headChunk = Buffer.from(head.value as Uint8Array);
  if (isGzip(headChunk)) {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    const input = Readable.from((async function* () {
      yield headChunk;
      for (let next = await source.next(); !next.done; next = await source.next()) yield Buffer.from(next.value as Uint8Array);
    })());
    for await (const chunk of input.pipe(gunzip)) yield chunk as Buffer;
    return;
  }
  yield headChunk;
  for (let next = await source.next(); !next.done; next = await source.next()) yield Buffer.from(next.value as Uint8Array);
}

/** One line as a record (without a trailing CR); undefined when it is blank. */
function lineRecord(bytes: Buffer, line: number): RawRecord | undefined {
  if (!isUtf8(bytes)) return { bytes: Buffer.from(bytes), line };
  const text = bytes.toString('utf8');
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  return trimmed.trim() === '' ? undefined : { text: trimmed, line };
}

/** Whole lines of a log object (without the newline ending the last), or a whole JSON array document. */
export interface LineChunk {
  kind: 'lines' | 'array';
  data: Buffer;
}

/** A piece of a chunk; `chunkEnd` marks the last piece of its chunk. */
export interface LinePiece extends LineChunk {
  chunkEnd: boolean;
}

/** Where chunks end: after this many lines, or at the first line end reaching this many bytes. */
export interface ChunkLimits {
  lines: number;
  bytes: number;
}

/** Bytes of whole lines per piece, at most about: a piece is decoded and parsed while it is in the CPU cache. */
export const PIECE_BYTES = 256 * 1024;

/**
 * Reads a log object as pieces of whole lines, as they are decompressed, grouped into chunks that can be read
 * on their own (on another thread) and still be numbered as in the whole object. With `limits`, where chunks
 * end depends on the content only, not on how the object arrived, so a retried object splits the same way.
 * Without, every piece is a chunk.
 */
export async function* linePieces(body: Buffer | Readable, limits?: ChunkLimits): AsyncGenerator<LinePiece> {
  let remainder: Buffer = Buffer.alloc(0);
  let arrayDocument: Buffer[] | undefined;
  let sawContent = false;
  let chunkLines = 0;
  let chunkBytes = 0;
  // One piece is held back, so the object's last piece can be marked as the end of its chunk.
  let held: LinePiece | undefined;
  const hold = (piece: LinePiece): LinePiece | undefined => {
    const previous = held;
    held = piece;
    return previous;
  };
  for await (const chunk of decompressed(body)) {
    if (arrayDocument) {
      arrayDocument.push(chunk);
      continue;
    }
    const data = remainder.length ? Buffer.concat([remainder, chunk]) : chunk;
    if (!sawContent) {
      const firstNonSpace = data.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      if (firstNonSpace === -1) {
        // Keep it: its lines count, and whether the object is a JSON array is not known yet.
        remainder = data;
        continue;
      }
      sawContent = true;
      if (data[firstNonSpace] === 0x5b /* [ */) {
        arrayDocument = [data];
        continue;
      }
    }
    const lastNewline = data.lastIndexOf(0x0a);
    if (lastNewline === -1) {
      remainder = data;
      continue;
    }
    remainder = data.subarray(lastNewline + 1);
    // Line ends up to the next piece's or chunk's end; the rest of the decompressed piece is one more piece.
    let from = 0;
    if (limits) {
      for (let at = data.indexOf(0x0a); at !== -1 && at < lastNewline; at = data.indexOf(0x0a, at + 1)) {
        const bytes = chunkBytes + at + 1 - from;
        const chunkEnd = ++chunkLines >= limits.lines || bytes >= limits.bytes;
        if (!chunkEnd && at + 1 - from < PIECE_BYTES) continue;
        const previous = hold({ kind: 'lines', data: data.subarray(from, at), chunkEnd });
        if (previous) yield previous;
        chunkLines = chunkEnd ? 0 : chunkLines;
        chunkBytes = chunkEnd ? 0 : bytes;
        from = at + 1;
      }
      const chunkEnd = ++chunkLines >= limits.lines || chunkBytes + lastNewline + 1 - from >= limits.bytes;
      chunkLines = chunkEnd ? 0 : chunkLines;
      chunkBytes = chunkEnd ? 0 : chunkBytes + lastNewline + 1 - from;
      const previous = hold({ kind: 'lines', data: data.subarray(from, lastNewline), chunkEnd });
      if (previous) yield previous;
    } else {
      const previous = hold({ kind: 'lines', data: data.subarray(0, lastNewline), chunkEnd: true });
      if (previous) yield previous;
    }
  }
  if (arrayDocument) {
    yield { kind: 'array', data: Buffer.concat(arrayDocument), chunkEnd: true };
    return;
  }
  if (remainder.length) {
    const previous = hold({ kind: 'lines', data: remainder, chunkEnd: true });
    if (previous) yield previous;
  }
  if (held) yield { ...held, chunkEnd: true };
}

/**
 * The records of a chunk or piece, numbered from `lineBefore` + 1, and how many lines it holds. Blank lines
 * are counted but are not records; a line that is not valid UTF-8 is kept as its raw bytes.
 */
export function splitLines(chunk: LineChunk, lineBefore: number): { records: RawRecord[]; lines: number } {
  if (chunk.kind === 'array') return { records: arrayRecords(chunk.data), lines: 0 };
  const data = chunk.data;
  const out: RawRecord[] = [];
  let line = lineBefore;
  if (isUtf8(data)) {
    for (const text of data.toString('utf8').split('\n')) {
      line++;
      const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (trimmed.trim() !== '') out.push({ text: trimmed, line });
    }
  } else {
    // Line by line, with the same rules as above, so records do not depend on where the object was cut.
    let start = 0;
    while (start <= data.length) {
      const end = data.indexOf(0x0a, start);
      line++;
      const record = lineRecord(data.subarray(start, end === -1 ? data.length : end), line);
      if (record) out.push(record);
      if (end === -1) break;
      start = end + 1;
    }
  }
  return { records: out, lines: line - lineBefore };
}

/** Yields records in batches (one per decompressed piece) to keep per-record overhead low. */
export async function* readRecords(body: Buffer | Readable): AsyncGenerator<RawRecord[]> {
  let line = 0;
  for await (const piece of linePieces(body)) {
    const { records, lines } = splitLines(piece, line);
    line += lines;
    if (records.length) yield records;
  }
}

/** A JSON array document: each element is a record; a document that does not parse is one bad record. */
function arrayRecords(document: Buffer): RawRecord[] {
  if (!isUtf8(document)) return [{ bytes: document, line: 1 }];
  const text = document.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [{ text, line: 1 }];
  }
  return (parsed as unknown[]).map((element, index) => ({ text: JSON.stringify(element), line: index + 1 }));
}
