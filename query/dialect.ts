import { SqlSyntaxError, SqlToken, tokenize, where } from './sqlTokens';

/**
 * The one place where Athena (Trino) SQL and DuckDB SQL differ. Query files are written in
 * Athena's dialect; this layer turns them into what DuckDB runs, so each query exists once.
 *
 * | Athena (as written)                  | DuckDB                                        |
 * |--------------------------------------|-----------------------------------------------|
 * | `element_at(map, 'key')`             | `(map)['key']` — NULL when the key is missing |
 * | `element_at(array, n)` (1-based, <0 from the end) | `(array)[n]` — NULL when out of range |
 * | `date_add('day', n, ts)`             | `((ts) + (n) * INTERVAL 1 DAY)`               |
 * | `current_timestamp`                  | the run's `now` as a literal, when given      |
 * | `:name` parameter                    | `$name` (Athena: `?`, bound in order)         |
 *
 * Trino's `array[n]` and `map[key]` subscripts fail on a missing element, so query files must
 * use `element_at`; `assertPortable` rejects subscripts.
 */

const DATE_ADD_UNITS: Readonly<Record<string, string>> = {
  second: 'SECOND',
  minute: 'MINUTE',
  hour: 'HOUR',
  day: 'DAY',
  week: 'WEEK',
  month: 'MONTH',
  year: 'YEAR',
};

export class DialectError extends Error {}

/** Rejects what would not behave the same in Athena and DuckDB. */
export function assertPortable(sql: string, source: string): void {
  for (const token of tokenize(sql)) {
    if (token.kind === 'symbol' && token.text === '[') {
      throw new DialectError(
        `${source} (${where(sql, token.at)}): "[" subscript — Athena fails on a missing map key or array element; use element_at(value, key) instead`,
      );
    }
  }
}

export interface DuckDbRewriteOptions {
  /** Evaluate `current_timestamp` as this instant (replays, tests); omit for the wall clock. */
  now?: Date;
}

export function toDuckDb(sql: string, options: DuckDbRewriteOptions = {}): string {
  const tokens = tokenize(sql);
  return rewriteRange(tokens, 0, tokens.length, sql, options);
}

export interface AthenaSql {
  sql: string;
  /** Parameter names in the order of the `?` placeholders (a name repeats if used twice). */
  parameterOrder: string[];
}

/** Athena form: `:name` becomes `?`; run it with the values in `parameterOrder`. */
export function toAthena(sql: string): AthenaSql {
  const parameterOrder: string[] = [];
  const text = tokenize(sql)
    .map((token) => {
      assertRendered(token, sql);
      if (token.kind !== 'parameter') return token.text;
      parameterOrder.push(token.name as string);
      return '?';
    })
    .join('');
  return { sql: text, parameterOrder };
}

/** Athena form with each `:name` replaced by a SQL literal of its value, ready to paste. */
export function toAthenaWithValues(sql: string, values: Readonly<Record<string, string | number>>): string {
  return tokenize(sql)
    .map((token) => {
      assertRendered(token, sql);
      if (token.kind !== 'parameter') return token.text;
      const value = values[token.name as string];
      if (value === undefined) throw new DialectError(`no value for :${token.name} (${where(sql, token.at)})`);
      return sqlLiteral(value);
    })
    .join('');
}

export function sqlLiteral(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DialectError(`not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

function rewriteRange(tokens: readonly SqlToken[], start: number, end: number, sql: string, options: DuckDbRewriteOptions): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    assertRendered(token, sql);
    if (token.kind === 'parameter') {
      out += `$${token.name}`;
      continue;
    }
    if (token.kind !== 'word') {
      out += token.text;
      continue;
    }
    const word = token.text.toLowerCase();
    if (word === 'current_timestamp' && options.now) {
      out += `TIMESTAMPTZ '${options.now.toISOString()}'`;
      continue;
    }
    if (word === 'element_at' || word === 'date_add') {
      const call = readCall(tokens, i + 1, end, sql);
      if (call) {
        const args = call.args.map(([from, to]) => rewriteRange(tokens, from, to, sql, options).trim());
        out += word === 'element_at' ? elementAt(args, token, sql) : dateAdd(args, token, sql);
        i = call.close;
        continue;
      }
    }
    out += token.text;
  }
  return out;
}

function elementAt(args: string[], token: SqlToken, sql: string): string {
  if (args.length !== 2) throw new DialectError(`element_at takes 2 arguments, found ${args.length} (${where(sql, token.at)})`);
  return `((${args[0]})[${args[1]}])`;
}

function dateAdd(args: string[], token: SqlToken, sql: string): string {
  if (args.length !== 3) throw new DialectError(`date_add takes 3 arguments, found ${args.length} (${where(sql, token.at)})`);
  const unit = /^'([a-z]+)'$/i.exec(args[0])?.[1].toLowerCase();
  const interval = unit === undefined ? undefined : DATE_ADD_UNITS[unit];
  if (!interval) {
    throw new DialectError(`date_add unit ${args[0]} (${where(sql, token.at)}): expected one of ${Object.keys(DATE_ADD_UNITS).map((u) => `'${u}'`).join(', ')}`);
  }
  return `((${args[2]}) + (${args[1]}) * INTERVAL 1 ${interval})`;
}

/** The argument token ranges of a call whose `(` follows `from` (after spaces), or undefined. */
function readCall(tokens: readonly SqlToken[], from: number, end: number, sql: string): { args: [number, number][]; close: number } | undefined {
  let open = from;
  while (open < end && tokens[open].kind === 'space') open++;
  if (open >= end || tokens[open].text !== '(') return undefined;
  const args: [number, number][] = [];
  let depth = 0;
  let argStart = open + 1;
  for (let i = open; i < end; i++) {
    const text = tokens[i].kind === 'symbol' ? tokens[i].text : '';
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      depth--;
      if (depth === 0) {
        args.push([argStart, i]);
        return { args, close: i };
      }
    } else if (text === ',' && depth === 1) {
      args.push([argStart, i]);
      argStart = i + 1;
    }
  }
  throw new SqlSyntaxError(`unclosed "(" at ${where(sql, tokens[open].at)}`);
}

function assertRendered(token: SqlToken, sql: string): void {
  if (token.kind === 'template') {
    throw new DialectError(`\${${token.name}} at ${where(sql, token.at)} was not filled in; render the template first`);
  }
}
