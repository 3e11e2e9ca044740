import type { Shape } from '../models/serviceModel';

/** A timestamp from epoch seconds (number or numeric text), ISO 8601 or an HTTP date. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const date = /^-?\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A scalar from text (query strings, headers, URI labels, XML). Returns undefined when the text
 * is not a value of the shape's type, so the caller can answer with its protocol's error.
 */
export function parseScalar(text: string, shape: Shape): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text.trim())) return undefined;
      return Number(text);
    }
    case 'double':
    case 'float': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? undefined : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'timestamp':
      return parseTimestamp(text);
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

/** Text for a scalar in a header, query string or XML element. */
export function formatScalar(value: unknown, shape: Shape, timestampFormat: 'iso8601' | 'rfc822' | 'unixTimestamp'): string {
  if (shape.type === 'timestamp') {
    const date = value instanceof Date ? value : new Date(value as string);
    if (timestampFormat === 'rfc822') return date.toUTCString();
    if (timestampFormat === 'unixTimestamp') return String(date.getTime() / 1000);
    return date.toISOString();
  }
  if (shape.type === 'blob') return Buffer.from(value as Uint8Array | string).toString('base64');
  return String(value);
}
