import type { TimeParser } from './timeFormat';

/** Longest string Rampart keeps in one field; longer values are rejected rather than truncated. */
export const MAX_FIELD_CHARS = 65_536;

/** Why one event could not be mapped; the field names the OCSF attribute (or the matched field). */
export class EventRejection extends Error {
  constructor(
    readonly code: 'not-json' | 'not-an-object' | 'unknown-match' | 'missing-required' | 'wrong-type' | 'not-in-enum' | 'field-too-large' | 'event-too-large' | 'unparseable',
    readonly field: string,
    detail: string,
  ) {
    super(detail);
  }
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) ?? String(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function wrongType(field: string, expected: string, value: unknown, source: string): never {
  throw new EventRejection('wrong-type', field, `${field}: expected ${expected}, got ${shown(value)} from ${source}`);
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function toStr(value: unknown, field: string, source: string): string {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'number' || typeof value === 'boolean') s = String(value);
  else wrongType(field, 'a string', value, source);
  if (s.length > MAX_FIELD_CHARS) throw new EventRejection('field-too-large', field, `${field}: ${s.length} characters from ${source} (limit ${MAX_FIELD_CHARS})`);
  return s;
}

export function toInt(value: unknown, field: string, source: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) wrongType(field, 'a 32-bit integer', value, source);
  return n;
}

export function toLong(value: unknown, field: string, source: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) wrongType(field, 'an integer', value, source);
  return n;
}

/** Integers written in hexadecimal, as Suricata writes TCP flags ("1b"). */
export function toHexInt(value: unknown, field: string, source: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^(0x)?[0-9a-fA-F]{1,8}$/.test(value) ? parseInt(value, 16) : NaN;
  if (!Number.isInteger(n)) wrongType(field, 'a hexadecimal integer', value, source);
  return n;
}

export function toFloat(value: unknown, field: string, source: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) wrongType(field, 'a number', value, source);
  return n;
}

export function toBool(value: unknown, field: string, source: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 'False' || value === 0 || value === '0') return false;
  return wrongType(field, 'a boolean', value, source);
}

export function toTimestamp(value: unknown, field: string, source: string, parse: TimeParser): number {
  const t = parse(value);
  if (t === undefined) wrongType(field, 'a timestamp', value, source);
  return t;
}

/** A value kept under `unmapped`: strings as they are, anything else as JSON. */
export function toUnmapped(value: unknown, field: string, source: string): string {
  // Numbers and booleans from JSON.parse print the same with String() as with JSON.stringify, for less.
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (s.length > MAX_FIELD_CHARS) throw new EventRejection('field-too-large', field, `${field}: ${s.length} characters from ${source} (limit ${MAX_FIELD_CHARS})`);
  return s;
}

export function checkEnum(value: number, allowed: ReadonlySet<number>, field: string, source: string): number {
  if (!allowed.has(value)) throw new EventRejection('not-in-enum', field, `${field}: ${value} from ${source} is not one of ${[...allowed].join(', ')}`);
  return value;
}

export function missingRequired(field: string, source: string): never {
  throw new EventRejection('missing-required', field, `${field} is required and ${source} is missing or empty`);
}
