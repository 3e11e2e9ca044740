/**
 * Reads the data page headers of a Parquet file (Thrift compact protocol, PageHeader fields 1-3) to
 * check page sizes, which DuckDB's parquet_metadata does not report.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import * as fs from 'node:fs';

export interface PageInfo { column: string; type: number; uncompressed: number; compressed: number }

function readVarint(buf: Buffer, pos: { at: number }): number {
  let result = 0, shift = 0, byte: number;
  do {
    byte = buf[pos.at++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
}

const zigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** PageHeader { 1: type i32, 2: uncompressed_page_size i32, 3: compressed_page_size i32, ... } */
function readPageHeader(buf: Buffer, offset: number): { type: number; uncompressed: number; compressed: number; headerLength: number } {
  const pos = { at: offset };
  const values: number[] = [];
  let field = 0;
  while (values.length < 3) {
    const header = buf[pos.at++];
    field += header >> 4;
    if ((header & 0x0f) !== 5) throw new Error(`unexpected Thrift type ${header & 0x0f} at ${pos.at - 1}`);
    values[field - 1] = zigzag(readVarint(buf, pos));
  }
  // Skip the rest of the header: walk it as a generic Thrift struct.
  skipStruct(buf, pos, field);
  return { type: values[0], uncompressed: values[1], compressed: values[2], headerLength: pos.at - offset };
}

function skipValue(buf: Buffer, pos: { at: number }, type: number): void {
  switch (type) {
    case 1: case 2: return;
    case 3: pos.at++; return;
    case 4: case 5: case 6: readVarint(buf, pos); return;
    case 7: pos.at += 8; return;
    case 8: pos.at += readVarint(buf, pos); return;
    case 9: case 10: {
      const head = buf[pos.at++];
      let size = head >> 4;
      if (size === 15) size = readVarint(buf, pos);
      for (let i = 0; i < size; i++) skipValue(buf, pos, head & 0x0f);
      return;
    }
    case 12: skipStruct(buf, pos, 0); return;
    default: throw new Error(`Thrift type ${type}`);
  }
}

function skipStruct(buf: Buffer, pos: { at: number }, startField: number): void {
  let field = startField;
  for (;;) {
    const header = buf[pos.at++];
    if (header === 0) return;
    const delta = header >> 4;
    field = delta ? field + delta : zigzag(readVarint(buf, pos));
    skipValue(buf, pos, header & 0x0f);
  }
}

export async function parquetPages(connection: DuckDBConnection, file: string): Promise<PageInfo[]> {
  const buf = fs.readFileSync(file);
  const chunks = (await connection.runAndReadAll(
    `SELECT path_in_schema, coalesce(dictionary_page_offset, data_page_offset) AS start, total_compressed_size FROM parquet_metadata('${file}')`,
  )).getRowObjectsJson() as { path_in_schema: string; start: string; total_compressed_size: string }[];
  const pages: PageInfo[] = [];
  for (const chunk of chunks) {
    let at = Number(chunk.start);
    const end = at + Number(chunk.total_compressed_size);
    while (at < end) {
      const h = readPageHeader(buf, at);
      pages.push({ column: chunk.path_in_schema, type: h.type, uncompressed: h.uncompressed, compressed: h.compressed });
      at += h.headerLength + h.compressed;
    }
  }
  return pages;
}
