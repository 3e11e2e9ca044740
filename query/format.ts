import type { QueryResult, QueryValue } from './localLake';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result.rows, null, 2)}\n`;
    case 'csv':
      return [result.columns.map((c) => csvField(c.name)), ...result.rows.map((row) => result.columns.map((c) => csvField(text(row[c.name], ''))))]
        .map((fields) => `${fields.join(',')}\r\n`)
        .join('');
    case 'table':
      return table(result);
  }
}

/** Aligned columns, numbers right-aligned, NULL spelled out; the row count last. */
function table(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const cells = result.rows.map((row) => names.map((name) => text(row[name], 'NULL')));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((r) => r[i].length)));
  const numeric = names.map((name) => result.rows.length > 0 && result.rows.every((row) => row[name] === null || typeof row[name] === 'number'));
  const line = (fields: string[]) => fields.map((f, i) => (numeric[i] ? f.padStart(widths[i]) : f.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(`(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`);
  return `${out.join('\n')}\n`;
}

function text(value: QueryValue | undefined, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
