/**
 * The Parquet layout of one OCSF class as a mapping fills it: the union of its entries' attributes as
 * typed columns (nested objects as STRUCTs, lists as LISTs, `unmapped` as MAP(VARCHAR, VARCHAR)).
 *
 * Rows are staged as flat, primitive columns (one per leaf, see columnBatch.ts) and the final SELECT rebuilds
 * the STRUCTs. A leaf that every entry of the class sets to the same constant is not staged at all: the
 * SELECT writes it as a literal.
 */
import type { StagingType } from './columnBatch';
import type { EntryPlan, LeafPlan, ObjectPlan } from './mappingPlan';
import type { AttributeType, ScalarType } from './schema';

/** Staging column holding each row's string bytes, used to size Parquet pages. */
export const ROW_WIDTH_COLUMN = 'row_width';

export interface StagedColumn {
  name: string;
  /** Attribute path in the event, e.g. ['dst_endpoint', 'port']. */
  path: string[];
  staging: StagingType;
  /** Lists and maps are staged as JSON text. */
  json: boolean;
}

interface TreeLeaf { kind: 'leaf'; type: AttributeType; plans: { entry: EntryPlan; leaf: LeafPlan }[] }
interface TreeObject { kind: 'object'; children: Map<string, TreeLeaf | TreeObject> }

export interface ColumnLayout {
  classUid: number;
  entries: EntryPlan[];
  /** The staged columns, in staging order (each row carries these), and their types. */
  columns: StagedColumn[];
  types: StagingType[];
  /** The staged column a leaf of one of the entries writes; undefined when the SELECT writes it as a constant. */
  columnOf(leaf: LeafPlan): number | undefined;
  /** The staged column of `unmapped` (a MAP), when an entry keeps fields there, and the keys its entries use. */
  unmappedColumn: number | undefined;
  unmappedKeys: string[];
  /** UTF-8 bytes of each of unmappedKeys. */
  unmappedKeyBytes: number[];
  /** SELECT list producing the final columns from the staged columns. */
  selectSql: string;
  /** SQL for the event time (a staged column, or a constant), to sort by. */
  timeSql: string;
  /** The final schema, e.g. `dst_endpoint STRUCT(ip VARCHAR, port INTEGER)`, for tests and docs. */
  finalColumns: { name: string; type: string }[];
  /** String bytes the constants add to every row, and the largest of them (page sizing). */
  constantBytesPerRow: number;
  widestConstantBytes: number;
}

const SCALAR_TYPES: Record<ScalarType, { staging: StagingType; final: string }> = {
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

/** The value a leaf always has in its entry, if it is a constant (type_uid is one when activity_id is). */
export function constantOf(leaf: LeafPlan, entry: EntryPlan): { value: unknown } | undefined {
  if (leaf.source.kind === 'const') return { value: leaf.source.value };
  if (leaf.source.kind === 'typeUid') {
    const activity = entry.fields.find((f): f is LeafPlan => f.kind === 'leaf' && f.name === 'activity_id');
    if (activity?.source.kind === 'const') return { value: entry.cls.uid * 100 + (activity.source.value as number) };
  }
  return undefined;
}

function scalarLiteral(value: unknown, scalar: ScalarType): string | undefined {
  switch (scalar) {
    case 'string':
    case 'json':
      // Control characters are staged rather than spelled in SQL.
      return typeof value === 'string' && ![...value].some((ch) => ch < ' ') ? `'${value.replace(/'/g, "''")}'` : undefined;
    case 'int':
    case 'long':
    case 'timestamp':
      return Number.isSafeInteger(value) ? String(value) : undefined;
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? `'${String(value)}'` : undefined;
    case 'bool':
      return typeof value === 'boolean' ? String(value) : undefined;
  }
}

/** A constant as typed SQL, or undefined when it is better staged. */
function sqlLiteral(value: unknown, type: AttributeType): { sql: string; bytes: number } | undefined {
  if (type.kind === 'scalar') {
    const literal = scalarLiteral(value, type.scalar);
    if (literal === undefined) return undefined;
    const final = SCALAR_TYPES[type.scalar].final;
    return { sql: `CAST(${literal} AS ${final})`, bytes: typeof value === 'string' ? Buffer.byteLength(value) : 8 };
  }
  if (type.kind === 'list' && type.element.kind === 'scalar' && Array.isArray(value)) {
    const scalar = type.element.scalar;
    const items = value.map((v) => scalarLiteral(v, scalar));
    if (items.some((i) => i === undefined)) return undefined;
    return { sql: `CAST([${items.join(', ')}] AS ${SCALAR_TYPES[scalar].final}[])`, bytes: value.reduce((n: number, v) => n + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0) };
  }
  return undefined;
}

function merge(tree: TreeObject, entry: EntryPlan, nodes: (LeafPlan | ObjectPlan)[]): void {
  for (const node of nodes) {
    const existing = tree.children.get(node.name);
    if (node.kind === 'leaf') {
      if (existing?.kind === 'leaf') existing.plans.push({ entry, leaf: node });
      else if (!existing) tree.children.set(node.name, { kind: 'leaf', type: node.type, plans: [{ entry, leaf: node }] });
    } else {
      let child = existing;
      if (!child || child.kind !== 'object') {
        child = { kind: 'object', children: new Map() };
        tree.children.set(node.name, child);
      }
      merge(child, entry, node.children);
    }
  }
}

export function buildColumnLayout(entries: EntryPlan[]): ColumnLayout {
  const classUid = entries[0].cls.uid;
  if (entries.some((e) => e.cls.uid !== classUid)) throw new Error('one column layout per OCSF class');
  const root: TreeObject = { kind: 'object', children: new Map() };
  for (const entry of entries) merge(root, entry, entry.fields);

  const columns: StagedColumn[] = [];
  const columnByLeaf = new Map<LeafPlan, number>();
  let constantBytesPerRow = 0;
  let widestConstantBytes = 0;

  /** The leaf's SQL: a literal when every entry gives it the same constant, otherwise a staged column. */
  const leafSql = (node: TreeLeaf, path: string[]): { expr: string; type: string } => {
    const type = node.type;
    let final: string;
    if (type.kind === 'scalar') final = SCALAR_TYPES[type.scalar].final;
    else if (type.kind === 'list' && type.element.kind === 'scalar') final = `${SCALAR_TYPES[type.element.scalar].final}[]`;
    else throw new Error(`${path.join('.')}: no column type for ${type.kind}`);

    const constants = node.plans.map((p) => constantOf(p.leaf, p.entry));
    const first = constants[0];
    const shared = node.plans.length === entries.length && first !== undefined && constants.every((c) => c !== undefined && JSON.stringify(c.value) === JSON.stringify(first.value));
    const literal = shared ? sqlLiteral(first.value, type) : undefined;
    if (literal) {
      constantBytesPerRow += literal.bytes;
      widestConstantBytes = Math.max(widestConstantBytes, literal.bytes);
      return { expr: literal.sql, type: final };
    }
    const name = `c${columns.length}`;
    const json = type.kind === 'list';
    const staging = type.kind === 'scalar' ? SCALAR_TYPES[type.scalar].staging : 'VARCHAR';
    for (const p of node.plans) columnByLeaf.set(p.leaf, columns.length);
    columns.push({ name, path, staging, json });
    if (json) return { expr: `from_json(${name}, '${JSON.stringify([final.slice(0, -2)])}')`, type: final };
    return { expr: staging === 'DOUBLE' && final === 'BIGINT' ? `CAST(${name} AS BIGINT)` : name, type: final };
  };

  // The SQL expression and type of a node; `parts` are its leaves' expressions, all NULL when the node is absent.
  const build = (node: TreeLeaf | TreeObject, path: string[]): { expr: string; type: string; parts: string[] } => {
    if (node.kind === 'leaf') {
      const sql = leafSql(node, path);
      return { ...sql, parts: [sql.expr] };
    }
    const parts = [...node.children].map(([name, child]) => ({ name, ...build(child, [...path, name]) }));
    const packed = `struct_pack(${parts.map((p) => `${quote(p.name)} := ${p.expr}`).join(', ')})`;
    const leaves = parts.flatMap((p) => p.parts);
    const absent = leaves.map((l) => `${l} IS NULL`).join(' AND ');
    return { expr: `CASE WHEN ${absent} THEN NULL ELSE ${packed} END`, type: `STRUCT(${parts.map((p) => `${quote(p.name)} ${p.type}`).join(', ')})`, parts: leaves };
  };

  const select: string[] = [];
  const finalColumns: { name: string; type: string }[] = [];
  let timeSql = '';
  for (const [name, child] of root.children) {
    const built = build(child, [name]);
    select.push(`${built.expr} AS ${quote(name)}`);
    finalColumns.push({ name, type: built.type });
    if (name === 'time') timeSql = built.expr;
  }
  let unmappedColumn: number | undefined;
  const unmappedKeys = [...new Set(entries.flatMap((e) => e.unmapped.map((u) => u.key)))];
  if (unmappedKeys.length) {
    unmappedColumn = columns.length;
    const name = `c${columns.length}`;
    columns.push({ name, path: ['unmapped'], staging: 'MAP', json: false });
    select.push(`${name} AS "unmapped"`);
    finalColumns.push({ name: 'unmapped', type: 'MAP(VARCHAR, VARCHAR)' });
  }

  return {
    classUid,
    entries,
    columns,
    types: columns.map((c) => c.staging),
    columnOf: (leaf) => columnByLeaf.get(leaf),
    unmappedColumn,
    unmappedKeys,
    unmappedKeyBytes: unmappedKeys.map((k) => Buffer.byteLength(k, 'utf8')),
    selectSql: select.join(',\n  '),
    timeSql,
    finalColumns,
    constantBytesPerRow,
    widestConstantBytes,
  };
}
