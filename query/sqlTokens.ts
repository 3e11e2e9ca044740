/**
 * A small SQL lexer: just enough to rewrite the query files safely — never inside a string
 * literal, a quoted identifier or a comment.
 */
export type SqlTokenKind =
  | 'string' // '...'
  | 'quoted' // "..."
  | 'comment' // -- ... or /* ... */
  | 'space'
  | 'word' // identifiers, keywords, numbers
  | 'template' // ${name}: a deployment-time substitution (database, table, look-back window)
  | 'parameter' // :name — a value bound when the query runs
  | 'symbol';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  /** For `template` and `parameter`, the name without its sigil. */
  name?: string;
  /** Offset in the source text, for error messages. */
  at: number;
}

export class SqlSyntaxError extends Error {}

export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number, name?: string) => {
    tokens.push({ kind, text: sql.slice(i, end), at: i, ...(name === undefined ? {} : { name }) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError(`unterminated ${c === "'" ? 'string literal' : 'quoted identifier'} at ${where(sql, i)}`);
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2; // doubled quote escapes itself
          else break;
        } else j++;
      }
      push(c === "'" ? 'string' : 'quoted', j + 1);
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      push('comment', end === -1 ? sql.length : end);
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SqlSyntaxError(`unterminated comment at ${where(sql, i)}`);
      push('comment', end + 2);
    } else if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      push('space', j);
    } else if (c === '$' && next === '{') {
      const end = sql.indexOf('}', i);
      const name = end === -1 ? '' : sql.slice(i + 2, end);
      if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new SqlSyntaxError(`malformed template \${...} at ${where(sql, i)}: expected \${lower_snake_name}`);
      push('template', end + 1, name);
    } else if (c === ':' && next !== undefined && /[a-z]/.test(next) && sql[i - 1] !== ':') {
      let j = i + 1;
      while (j < sql.length && /[a-z0-9_]/.test(sql[j])) j++;
      push('parameter', j, sql.slice(i + 1, j));
    } else if (/[A-Za-z0-9_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_.]/.test(sql[j]) && !(sql[j] === '.' && !/[0-9]/.test(c))) j++;
      push('word', j);
    } else {
      push('symbol', i + 1);
    }
  }
  return tokens;
}

export function untokenize(tokens: readonly SqlToken[]): string {
  return tokens.map((t) => t.text).join('');
}

/** "line L, column C" of an offset, for messages about a query file. */
export function where(sql: string, offset: number): string {
  const before = sql.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
