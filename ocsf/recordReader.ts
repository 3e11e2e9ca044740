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

/** Yields records in batches (one per decompressed chunk) to keep per-record overhead low. */
export async function* readRecords(body: Buffer | Readable): AsyncGenerator<RawRecord[]> {
  let remainder: Buffer = Buffer.alloc(0);
  let line = 0;
  let arrayDocument: Buffer[] | undefined;
  let sawContent = false;
  for await (const chunk of decompressed(body)) {
    if (arrayDocument) {
      arrayDocument.push(chunk);
      continue;
    }
    let data = remainder.length ? Buffer.concat([remainder, chunk]) : chunk;
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
    data = data.subarray(0, lastNewline);
    const out: RawRecord[] = [];
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
    if (out.length) yield out;
  }
  if (arrayDocument) {
    yield arrayRecords(Buffer.concat(arrayDocument));
    return;
  }
  const last = remainder.length ? lineRecord(remainder, line + 1) : undefined;
  if (last) yield [last];
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
