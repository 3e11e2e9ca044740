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

/** Two decimal digits at `at`, or NaN. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48, b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

const DASH = 45, COLON = 58, T = 84, SPACE = 32, DOT = 46, COMMA = 44, Z = 90, LOWER_Z = 122, PLUS = 43;

/** ISO 8601 date-time: `YYYY-MM-DD[T ]HH:MM[:SS[.fff...]][Z|±HH[:]MM]`. */
export function parseIso8601(s: string): number | undefined {
  if (s.length < 16) return undefined;
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || (sep !== T && sep !== SPACE) || s.charCodeAt(13) !== COLON) return undefined;
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2), month = twoDigits(s, 5), day = twoDigits(s, 8), hour = twoDigits(s, 11), minute = twoDigits(s, 14);
  let i = 16, second = 0, ms = 0;
  if (s.charCodeAt(i) === COLON) {
    second = twoDigits(s, i + 1);
    i += 3;
    const mark = s.charCodeAt(i);
    if (mark === DOT || mark === COMMA) {
      i++;
      // Milliseconds: the first three digits; finer digits are truncated.
      for (let scale = 100; i < s.length; i++, scale /= 10) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (scale >= 1) ms += c * scale;
      }
    }
  }
  let offsetMinutes = 0;
  if (i < s.length) {
    const sign = s.charCodeAt(i);
    if (sign === Z || sign === LOWER_Z) i++;
    else if (sign === PLUS || sign === DASH) {
      const hh = twoDigits(s, i + 1);
      const colon = s.charCodeAt(i + 3) === COLON;
      const mm = twoDigits(s, colon ? i + 4 : i + 3);
      i += colon ? 6 : 5;
      offsetMinutes = (sign === DASH ? -1 : 1) * (hh * 60 + mm);
    } else return undefined;
    if (i !== s.length) return undefined;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)) return undefined;
  // Date.UTC reads years 0-99 as 1900-1999; keep its meaning there.
  const days = year >= 100 ? daysFromCivil(year, month, day) : Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  const t = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms - offsetMinutes * 60_000;
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), as Date.UTC counts them,
 * days past the month's end included; integer arithmetic costs a fraction of a Date.UTC call.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

function parseAuto(value: unknown): number | undefined {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value !== 'string') return undefined;
  // YYYY-… is a date, never a number: skip the number test for the common case.
  if (value.charCodeAt(4) !== 45 && /^\d+(\.\d+)?$/.test(value)) return fromNumber(Number(value));
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
