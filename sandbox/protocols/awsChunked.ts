import { AwsError } from '../errors';

/** True when the body uses the aws-chunked content encoding (streamed uploads with trailing checksums). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  return (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked')
    || (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/**
 * Decodes an aws-chunked body: `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n` then
 * trailing headers (e.g. `x-amz-checksum-crc32:…`) and a blank line. Returns the payload and the
 * trailers, which count as request headers.
 */
export function decodeAwsChunked(body: Buffer): { payload: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  const readLine = (): string => {
    const end = body.indexOf('\r\n', at);
    if (end < 0) throw new AwsError('IncompleteBody', 'The aws-chunked request body ended early.');
    const line = body.subarray(at, end).toString('latin1');
    at = end + 2;
    return line;
  };
  for (;;) {
    const header = readLine();
    const size = parseInt(header.split(';')[0], 16);
    if (!Number.isInteger(size) || size < 0) throw new AwsError('InvalidChunkSizeError', `Invalid aws-chunked chunk size "${header}".`);
    if (size === 0) break;
    if (at + size > body.length) throw new AwsError('IncompleteBody', 'The aws-chunked request body ended early.');
    chunks.push(body.subarray(at, at + size));
    at += size;
    readLine();
  }
  while (at < body.length) {
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(chunks), trailers };
}
