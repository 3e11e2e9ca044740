/**
 * The Parquet layout of one OCSF class as a mapping fills it: the union of its entries' attributes as
 * typed columns (nested objects as STRUCTs, lists as LISTs, `unmapped` as MAP(VARCHAR, VARCHAR)).
 *
 * Events reach DuckDB as flat, primitive staging columns (one per leaf) and the final SELECT rebuilds the
 * STRUCTs, so no nested value crosses from JavaScript to DuckDB one by one.
 */
import type { OcsfEvent } from './compileMapping';
import type { EntryPlan, LeafPlan, ObjectPlan } from './mappingPlan';
import type { AttributeType, ScalarType } from './schema';

export type StagingType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN';

/** Staging column holding each row's string bytes, used to size Parquet pages. */
export const ROW_WIDTH_COLUMN = 'row_width';

export interface StagingColumn {
  name: string;
  /** Attribute path in the event, e.g. ['dst_endpoint', 'port']. */
  path: string[];
  staging: StagingType;
  /** DuckDB expression turning the staging column into the final type. */
  finalExpr: string;
  finalType: string;
  /** Lists and maps are staged as JSON text. */
  json: boolean;
}

interface TreeLeaf { kind: 'leaf'; type: AttributeType }
interface TreeObject { kind: 'object'; children: Map<string, TreeLeaf | TreeObject> }

export interface ColumnLayout {
  classUid: number;
  columns: StagingColumn[];
  /** CREATE TABLE column list for the staging table (the leaves, then each row's string bytes). */
  stagingDdl: string;
  /** SELECT list producing the final columns from the staging table. */
  selectSql: string;
  /** The final schema, e.g. `dst_endpoint STRUCT(ip VARCHAR, port INTEGER)`, for tests and docs. */
  finalColumns: { name: string; type: string }[];
  /** Copies one event's leaves into the column arrays at row `row`. */
  extract: (event: OcsfEvent, columns: unknown[][], row: number) => void;
}

const SCALAR_STAGING: Record<ScalarType, { staging: StagingType; final: string }> = {
  string: { staging: 'VARCHAR', final: 'VARCHAR' },
  int: { staging: 'INTEGER', final: 'INTEGER' },
  long: { staging: 'DOUBLE', final: 'BIGINT' },
  timestamp: { staging: 'DOUBLE', final: 'BIGINT' },
  float: { staging: 'DOUBLE', final: 'DOUBLE' },
  bool: { staging: 'BOOLEAN', final: 'BOOLEAN' },
  json: { staging: 'VARCHAR', final: 'VARCHAR' },
};

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function merge(tree: TreeObject, nodes: (LeafPlan | ObjectPlan)[]): void {
  for (const node of nodes) {
    const existing = tree.children.get(node.name);
    if (node.kind === 'leaf') {
      if (!existing) tree.children.set(node.name, { kind: 'leaf', type: node.type });
    } else {
      let child = existing;
      if (!child || child.kind !== 'object') {
        child = { kind: 'object', children: new Map() };
        tree.children.set(node.name, child);
      }
      merge(child, node.children);
    }
  }
}

export function buildColumnLayout(entries: EntryPlan[]): ColumnLayout {
  const classUid = entries[0].cls.uid;
  if (entries.some((e) => e.cls.uid !== classUid)) throw new Error('one column layout per OCSF class');
  const root: TreeObject = { kind: 'object', children: new Map() };
  for (const entry of entries) merge(root, entry.fields);
  const hasUnmapped = entries.some((e) => e.unmapped.length > 0);

  const columns: StagingColumn[] = [];
  const leafColumn = (path: string[], type: AttributeType): StagingColumn => {
    const name = `c${columns.length}`;
    let column: StagingColumn;
    if (type.kind === 'scalar') {
      const s = SCALAR_STAGING[type.scalar];
      column = { name, path, staging: s.staging, finalType: s.final, finalExpr: s.staging === 'DOUBLE' && s.final === 'BIGINT' ? `CAST(${name} AS BIGINT)` : name, json: false };
    } else if (type.kind === 'list' && type.element.kind === 'scalar') {
      const element = SCALAR_STAGING[type.element.scalar].final;
      column = { name, path, staging: 'VARCHAR', finalType: `${element}[]`, finalExpr: `from_json(${name}, '["${element}"]')`, json: true };
    } else {
      throw new Error(`${path.join('.')}: no column type for ${type.kind}`);
    }
    columns.push(column);
    return column;
  };

  // Returns the SQL expression, its type, and the staging columns under it (for the NULL-object test).
  const build = (node: TreeLeaf | TreeObject, path: string[]): { expr: string; type: string; leaves: StagingColumn[] } => {
    if (node.kind === 'leaf') {
      const c = leafColumn(path, node.type);
      return { expr: c.finalExpr, type: c.finalType, leaves: [c] };
    }
    const parts = [...node.children].map(([name, child]) => ({ name, ...build(child, [...path, name]) }));
    const leaves = parts.flatMap((p) => p.leaves);
    const packed = `struct_pack(${parts.map((p) => `${quote(p.name)} := ${p.expr}`).join(', ')})`;
    const absent = leaves.map((l) => `${l.name} IS NULL`).join(' AND ');
    return { expr: `CASE WHEN ${absent} THEN NULL ELSE ${packed} END`, type: `STRUCT(${parts.map((p) => `${quote(p.name)} ${p.type}`).join(', ')})`, leaves };
  };

  const select: string[] = [];
  const finalColumns: { name: string; type: string }[] = [];
  for (const [name, child] of root.children) {
    const built = build(child, [name]);
    select.push(`${built.expr} AS ${quote(name)}`);
    finalColumns.push({ name, type: built.type });
  }
  if (hasUnmapped) {
    const name = `c${columns.length}`;
    columns.push({ name, path: ['unmapped'], staging: 'VARCHAR', finalType: 'MAP(VARCHAR, VARCHAR)', finalExpr: `json_transform(${name}, '"MAP(VARCHAR, VARCHAR)"')`, json: true });
    select.push(`json_transform(${name}, '"MAP(VARCHAR, VARCHAR)"') AS "unmapped"`);
    finalColumns.push({ name: 'unmapped', type: 'MAP(VARCHAR, VARCHAR)' });
  }

  const body = columns
    .map((c, i) => {
      const access = `e${c.path.map((p) => `?.[${JSON.stringify(p)}]`).join('')}`;
      // Lists are often one shared constant (metadata.profiles): remember the last one's JSON.
      return c.json
        ? `{ const v = ${access}; if (v === undefined) cols[${i}][row] = undefined; else if (v === last[${i}]) cols[${i}][row] = lastJson[${i}]; else { last[${i}] = v; cols[${i}][row] = lastJson[${i}] = JSON.stringify(v); } }`
        : `cols[${i}][row] = ${access};`;
    })
    .join('\n');
  const extract = new Function('last', 'lastJson', `"use strict";\nreturn function extract(e, cols, row) {\n${body}\n};`)([], []) as ColumnLayout['extract'];
  return {
    classUid,
    columns,
    stagingDdl: [...columns.map((c) => `${c.name} ${c.staging}`), `${ROW_WIDTH_COLUMN} DOUBLE`].join(', '),
    selectSql: select.join(',\n  '),
    finalColumns,
    extract,
  };
}
