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

/**
 * A piece of a log object: whole lines (`lines`, without the newline ending the last), the object's last line
 * when it has no newline (`last`), or a whole JSON array document (`array`).
 */
export interface LineChunk {
  kind: 'lines' | 'last' | 'array';
  data: Buffer;
  /** True when no other Buffer shares data's memory (it can move to another thread). */
  owned?: boolean;
}

/**
 * Splits a log object into line-aligned chunks, so records can be read from each chunk on its own (in another
 * thread) and still be numbered as in the whole object. With `minBytes`, each chunk (but the last) ends at the
 * first line end at or after `minBytes` bytes: where chunks end depends on the content only, not on how the
 * object arrived, so a retried object splits the same way. Such chunks own their memory (they can move to
 * another thread). Without, a chunk is what each decompressed piece completes.
 */
export async function* lineChunks(body: Buffer | Readable, minBytes = 0): AsyncGenerator<LineChunk> {
  let remainder: Buffer = Buffer.alloc(0);
  /** Complete lines not yet in a chunk (each piece ends with a newline). */
  let ready: Buffer[] = [];
  let readyBytes = 0;
  let arrayDocument: Buffer[] | undefined;
  let sawContent = false;
  /** The first `bytes` of ready (ending with a newline) as a chunk, without that newline. */
  const take = (bytes: number): LineChunk => {
    let data: Buffer;
    if (minBytes > 0) {
      data = Buffer.allocUnsafeSlow(bytes);
      let at = 0;
      while (at < bytes) {
        const piece = ready[0];
        const n = Math.min(piece.length, bytes - at);
        piece.copy(data, at, 0, n);
        at += n;
        if (n === piece.length) ready.shift();
        else ready[0] = piece.subarray(n);
      }
    } else {
      data = ready.length === 1 ? ready[0] : Buffer.concat(ready, bytes);
      ready = [];
    }
    readyBytes -= bytes;
    return { kind: 'lines', data: data.subarray(0, bytes - 1), owned: minBytes > 0 };
  };
  /** Where the chunk of ready that reaches minBytes ends (just after a newline), or -1. */
  const chunkEnd = (): number => {
    if (readyBytes < minBytes) return -1;
    let before = 0;
    for (const piece of ready) {
      if (before + piece.length >= minBytes) {
        const at = piece.indexOf(0x0a, Math.max(0, minBytes - 1 - before));
        if (at !== -1) return before + at + 1;
      }
      before += piece.length;
    }
    return -1;
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
        remainder = Buffer.alloc(0);
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
    ready.push(data.subarray(0, lastNewline + 1));
    readyBytes += lastNewline + 1;
    if (minBytes === 0) yield take(readyBytes);
    else for (let end = chunkEnd(); end !== -1; end = chunkEnd()) yield take(end);
  }
  if (arrayDocument) {
    yield { kind: 'array', data: Buffer.concat(arrayDocument) };
    return;
  }
  if (readyBytes) yield take(readyBytes);
  if (remainder.length) yield { kind: 'last', data: remainder };
}

/**
 * The records of a chunk, numbered from `lineBefore` + 1, and how many lines the chunk holds. Blank lines are
 * counted but are not records; a line that is not valid UTF-8 is kept as its raw bytes.
 */
export function splitLines(chunk: LineChunk, lineBefore: number): { records: RawRecord[]; lines: number } {
  if (chunk.kind === 'array') return { records: arrayRecords(chunk.data), lines: 0 };
  if (chunk.kind === 'last') {
    const record = lineRecord(chunk.data, lineBefore + 1);
    return { records: record ? [record] : [], lines: 1 };
  }
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

/** Yields records in batches (one per decompressed chunk) to keep per-record overhead low. */
export async function* readRecords(body: Buffer | Readable): AsyncGenerator<RawRecord[]> {
  let line = 0;
  for await (const chunk of lineChunks(body)) {
    const { records, lines } = splitLines(chunk, line);
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
