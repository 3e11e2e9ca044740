/**
 * Timestamp parsing into epoch milliseconds (OCSF timestamp_t).
 *
 * Formats: `epoch` (seconds, may be fractional), `epoch_ms`, `iso8601`, or a strftime pattern as used by
 * the transformation library (`%Y-%m-%dT%H:%M:%S.%fZ`). Without a format, numbers are seconds below 1e11
 * and milliseconds above, and strings are ISO 8601. A time without a zone is UTC.
 */
export type TimeParser = (value: unknown) => number | undefined;

const SECONDS_CUTOFF = 1e11;

function fromNumber(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return n < SECONDS_CUTOFF ? Math.round(n * 1000) : Math.round(n);
}

function digits(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** ISO 8601 date-time: `YYYY-MM-DD[T ]HH:MM[:SS[.fff...]][Z|±HH[:]MM]`. */
export function parseIso8601(s: string): number | undefined {
  if (s.length < 16) return undefined;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2), hour = digits(s, 11, 2), minute = digits(s, 14, 2);
  if (s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':') return undefined;
  let i = 16, second = 0, ms = 0;
  if (s[i] === ':') {
    second = digits(s, i + 1, 2);
    i += 3;
    if (s[i] === '.' || s[i] === ',') {
      i++;
      let scale = 100, fraction = 0;
      while (i < s.length) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        fraction += c * scale;
        scale /= 10;
        i++;
      }
      ms = Math.floor(fraction);
    }
  }
  let offsetMinutes = 0;
  if (i < s.length) {
    const sign = s[i];
    if (sign === 'Z' || sign === 'z') i++;
    else if (sign === '+' || sign === '-') {
      const hh = digits(s, i + 1, 2);
      const mm = s[i + 3] === ':' ? digits(s, i + 4, 2) : digits(s, i + 3, 2);
      i += s[i + 3] === ':' ? 6 : 5;
      offsetMinutes = (sign === '-' ? -1 : 1) * (hh * 60 + mm);
    } else return undefined;
    if (i !== s.length) return undefined;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return Number.isFinite(t) ? t : undefined;
}

function parseAuto(value: unknown): number | undefined {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return fromNumber(Number(value));
  return parseIso8601(value);
}

const STRFTIME_FIELDS: Record<string, { pattern: string; group?: string }> = {
  Y: { pattern: '(\\d{4})', group: 'year' },
  m: { pattern: '(\\d{1,2})', group: 'month' },
  d: { pattern: '(\\d{1,2})', group: 'day' },
  H: { pattern: '(\\d{1,2})', group: 'hour' },
  M: { pattern: '(\\d{1,2})', group: 'minute' },
  S: { pattern: '(\\d{1,2})', group: 'second' },
  f: { pattern: '(\\d{1,9})', group: 'fraction' },
  z: { pattern: '(Z|[+-]\\d{2}:?\\d{2})', group: 'zone' },
  b: { pattern: '([A-Za-z]{3})', group: 'monthName' },
  '%': { pattern: '%' },
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A strftime pattern compiled to a regular expression; undefined with a reason when it uses an unsupported directive. */
export function compileStrftime(format: string): { parse: TimeParser } | { error: string } {
  let source = '^';
  const groups: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%') {
      source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const directive = format[++i];
    const field = STRFTIME_FIELDS[directive];
    if (!field) return { error: `unsupported directive %${directive ?? ''} (supported: ${Object.keys(STRFTIME_FIELDS).map((d) => `%${d}`).join(' ')})` };
    source += field.pattern;
    if (field.group) groups.push(field.group);
  }
  const regex = new RegExp(`${source}$`);
  const parse: TimeParser = (value) => {
    if (typeof value !== 'string') return undefined;
    const match = regex.exec(value);
    if (!match) return undefined;
    const parts: Record<string, string> = {};
    groups.forEach((g, index) => (parts[g] = match[index + 1]));
    const month = parts.monthName ? MONTHS.indexOf(parts.monthName.toLowerCase()) + 1 : Number(parts.month ?? 1);
    const ms = parts.fraction ? Math.floor(Number(`0.${parts.fraction}`) * 1000) : 0;
    let offset = 0;
    if (parts.zone && parts.zone !== 'Z') {
      const z = parts.zone.replace(':', '');
      offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
    const t = Date.UTC(Number(parts.year ?? 1970), month - 1, Number(parts.day ?? 1), Number(parts.hour ?? 0), Number(parts.minute ?? 0), Number(parts.second ?? 0), ms);
    return Number.isFinite(t) && month >= 1 ? t - offset * 60_000 : undefined;
  };
  return { parse };
}

/** The parser for a format as written in a mapping file; an error names what is wrong with the format. */
export function timeParser(format: string | undefined): { parse: TimeParser } | { error: string } {
  if (format === undefined || format === 'auto') {
    let last: string | undefined, lastTime: number | undefined;
    return { parse: (v) => {
      if (typeof v !== 'string') return parseAuto(v);
      if (v !== last) {
        last = v;
        lastTime = parseAuto(v);
      }
      return lastTime;
    } };
  }
  if (format === 'epoch') return { parse: (v) => (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) ? fromSeconds(Number(v)) : undefined) };
  if (format === 'epoch_ms') return { parse: (v) => (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? fromMillis(Number(v)) : undefined) };
  if (format === 'iso8601') {
    // Flow logs repeat the same time in several fields (timestamp, end): remember the last one.
    let last: string | undefined, lastTime: number | undefined;
    return { parse: (v) => {
      if (typeof v !== 'string') return undefined;
      if (v !== last) {
        last = v;
        lastTime = parseIso8601(v);
      }
      return lastTime;
    } };
  }
  if (format.includes('%')) return compileStrftime(format);
  return { error: `unknown time format "${format}" (use epoch, epoch_ms, iso8601 or a strftime pattern such as %Y-%m-%dT%H:%M:%S.%fZ)` };
}

function fromSeconds(n: number): number | undefined {
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : undefined;
}

function fromMillis(n: number): number | undefined {
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
}
