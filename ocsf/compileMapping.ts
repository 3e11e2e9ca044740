/**
 * Turns a checked mapping plan into JavaScript functions (generated source, compiled once with `new Function`),
 * so an event is mapped by straight-line property reads — no path parsing, no tree walking per event. A field
 * that cannot be converted to its OCSF type rejects the event with the reason; nothing is stringified or
 * dropped silently.
 *
 * Each entry compiles to two functions that share the same generated code for reading, converting and
 * checking every value, and differ only in where the values go:
 * - `map` builds the OCSF event as an object (validation, tests, the mapping check);
 * - a row writer (`compileRowWriter`) writes the values straight into the staged Parquet columns of the
 *   entry's class (delivery), with no object in between.
 */
import type { ColumnBatch } from './columnBatch';
import type { ColumnLayout } from './columnLayout';
import { constantOf } from './columnLayout';
import * as coerce from './coerce';
import { EventRejection, MAX_FIELD_CHARS } from './coerce';
import type { EntryPlan, LeafPlan, MappingPlan, ObjectPlan, PathSegment, ValueSource } from './mappingPlan';
import type { OcsfClass } from './schema';
import { timeParser, type TimeParser } from './timeFormat';

/** An OCSF event as Rampart produces it: typed values, nested objects, `unmapped` as a string map. */
export type OcsfEvent = Record<string, unknown> & { class_uid: number; time: number; type_uid: number; unmapped?: Record<string, string> };

export interface CompiledEntry {
  key: string;
  /** Position in plan.entries. */
  index: number;
  cls: OcsfClass;
  map: (record: unknown) => OcsfEvent;
}

export interface CompiledMapping {
  plan: MappingPlan;
  entries: Map<string, CompiledEntry>;
  /** The entry a parsed record belongs to (by the matched field); throws EventRejection with the reason. */
  select(record: unknown): CompiledEntry;
  /** Maps one parsed record; throws EventRejection with the reason. */
  map(record: unknown): OcsfEvent;
  /** The mapping file it was compiled from (a mapping worker compiles the same text). */
  origin?: { text: string; file: string };
}

/** Where a row writer puts a row: the batch of the partition (account × day) the event belongs to. */
export interface RowTarget {
  /** The batch for the event's own account (cloud.account.uid, when mapped) and time; the row is `batch.rows`. */
  open(account: unknown, time: number): ColumnBatch;
  /** The row is complete. */
  commit(batch: ColumnBatch): void;
}

/** Maps one parsed record of the entry into `target`; throws EventRejection (before writing anything). */
export type RowWriter = (record: unknown, target: RowTarget) => void;

function accessor(path: PathSegment[], root = 'e'): string {
  return root + path.map((s) => `?.[${JSON.stringify(s)}]`).join('');
}

/** Collects the values the generated code refers to (constants, enum tables, parsers) by index. */
class Constants {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `K[${this.values.length - 1}]`;
  }
}

function sourceText(source: ValueSource): string {
  return source.kind === 'path' || source.kind === 'enum' ? source.text : source.kind === 'const' ? 'a constant' : 'class_uid and activity_id';
}

function describeSource(plan: LeafPlan | ObjectPlan): string {
  if (plan.kind === 'object') return `every field mapped to ${plan.field}`;
  return sourceText(plan.source);
}

/** A child of an object (or of the event) and the variable holding its value (leaf) or presence (object). */
interface Computed {
  plan: LeafPlan | ObjectPlan;
  variable: string;
  children?: Computed[];
}

class EntryCompiler {
  private readonly lines: string[] = [];
  private next = 0;
  private activityVar: string | undefined;
  private readonly k = new Constants();
  /** The event's attributes, in plan order, after compute(). */
  private fields: Computed[] = [];
  /** Each `unmapped` item's value (a string, or undefined when absent), in plan order. */
  private unmapped: { key: string; variable: string }[] = [];

  constructor(private readonly entry: EntryPlan) {
    this.compute();
  }

  private variable(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  /** Objects of the record read so far, by path: `e.event` is read once, not once per field under it. */
  private readonly objectsRead = new Map<string, string>();

  /** An expression reading `path` from the record (undefined where the path does not exist). */
  private read(path: PathSegment[]): string {
    let holder = 'e';
    for (let depth = 1; depth < path.length; depth++) {
      const key = JSON.stringify(path.slice(0, depth));
      let variable = this.objectsRead.get(key);
      if (!variable) {
        variable = this.variable('x');
        this.lines.push(`const ${variable} = ${holder}?.[${JSON.stringify(path[depth - 1])}];`);
        this.objectsRead.set(key, variable);
      }
      holder = variable;
    }
    return path.length ? `${holder}?.[${JSON.stringify(path[path.length - 1])}]` : 'e';
  }

  /**
   * The expression converting `raw` (not null) to the leaf's type. The common case (a value that already
   * has the type) is tested inline; anything else goes to the coerce function, which converts or rejects.
   */
  private coercion(leaf: LeafPlan, scalar: string, raw: string): string {
    const field = JSON.stringify(leaf.field);
    const src = JSON.stringify(sourceText(leaf.source));
    switch (scalar) {
      case 'string': return `(typeof ${raw} === 'string' && ${raw}.length <= ${MAX_FIELD_CHARS} ? ${raw} : C.toStr(${raw}, ${field}, ${src}))`;
      case 'int': return leaf.format === 'hex' ? `C.toHexInt(${raw}, ${field}, ${src})` : `(typeof ${raw} === 'number' && (${raw} | 0) === ${raw} ? ${raw} : C.toInt(${raw}, ${field}, ${src}))`;
      case 'long': return leaf.format === 'hex' ? `C.toHexInt(${raw}, ${field}, ${src})` : `(typeof ${raw} === 'number' && Number.isSafeInteger(${raw}) ? ${raw} : C.toLong(${raw}, ${field}, ${src}))`;
      case 'float': return `(typeof ${raw} === 'number' && Number.isFinite(${raw}) ? ${raw} : C.toFloat(${raw}, ${field}, ${src}))`;
      case 'bool': return `C.toBool(${raw}, ${field}, ${src})`;
      case 'timestamp': {
        const parser = timeParser(leaf.format);
        if ('error' in parser) throw new Error(parser.error);
        const parse = this.k.add(parser.parse as TimeParser);
        // The parser once; a time it cannot read is rejected by toTimestamp (which parses it again).
        return `(${parse}(${raw}) ?? C.toTimestamp(${raw}, ${field}, ${src}, ${parse}))`;
      }
      default: return raw;
    }
  }

  private leaf(leaf: LeafPlan): string {
    const v = this.variable('v');
    const s = leaf.source;
    if (s.kind === 'const') {
      this.lines.push(`const ${v} = ${this.k.add(s.value)};`);
    } else if (s.kind === 'typeUid') {
      this.lines.push(`const ${v} = ${this.activityVar ?? 'undefined'} === undefined ? undefined : ${this.entry.cls.uid * 100} + ${this.activityVar};`);
    } else {
      const raw = this.variable('r');
      this.lines.push(`let ${raw} = ${this.read(s.path)};`);
      this.lines.push(`if (${raw} === '') ${raw} = undefined;`);
      if (s.kind === 'enum') {
        const table = this.k.add(s.values);
        const other = s.other === undefined ? 'undefined' : this.k.add(s.other);
        this.lines.push(`let ${v} = ${raw} == null ? undefined : ${table}.get(typeof ${raw} === 'string' ? ${raw} : String(${raw}));`);
        this.lines.push(`if (${v} === undefined) ${v} = ${other};`);
      } else {
        const type = leaf.type;
        let expr: string;
        if (type.kind === 'list' && type.element.kind === 'scalar') {
          const item = this.coercion(leaf, type.element.scalar, 'x');
          expr = `(Array.isArray(${raw}) ? ${raw}.filter((x) => x != null).map((x) => ${item}) : [${this.coercion(leaf, type.element.scalar, raw)}])`;
        } else if (type.kind === 'scalar') {
          expr = this.coercion(leaf, type.scalar, raw);
        } else {
          throw new Error(`${leaf.field}: cannot compile a ${type.kind}`);
        }
        this.lines.push(`let ${v} = ${raw} == null ? undefined : ${expr};`);
        if (leaf.allowed) {
          this.lines.push(`if (${v} !== undefined) C.checkEnum(${v}, ${this.k.add(new Set(leaf.allowed))}, ${JSON.stringify(leaf.field)}, ${JSON.stringify(s.text)});`);
        }
      }
    }
    if (leaf.name === 'activity_id' && !leaf.field.includes('.')) this.activityVar = v;
    return v;
  }

  /** Emits code for the children (activity_id first: type_uid is computed from it) and returns them in plan order. */
  private children(children: (LeafPlan | ObjectPlan)[]): Computed[] {
    const ordered = [...children].sort((a, b) => Number(b.name === 'activity_id') - Number(a.name === 'activity_id'));
    const out = ordered.map((plan): Computed => (plan.kind === 'leaf' ? { plan, variable: this.leaf(plan) } : this.object(plan)));
    return children.map((c) => out.find((o) => o.plan === c)!);
  }

  /** An object is present when any of its values is; then its required values must be. */
  private object(plan: ObjectPlan): Computed {
    const kids = this.children(plan.children);
    const present = this.variable('p');
    this.lines.push(`const ${present} = ${kids.map((k) => (k.plan.kind === 'leaf' ? `${k.variable} !== undefined` : k.variable)).join(' || ')};`);
    const required = kids.filter((k) => k.plan.required);
    if (required.length) {
      this.lines.push(`if (${present}) {`);
      for (const k of required) this.lines.push(`  if (${this.absent(k)}) C.missingRequired(${JSON.stringify(k.plan.field)}, ${JSON.stringify(describeSource(k.plan))});`);
      this.lines.push('}');
    }
    return { plan, variable: present, children: kids };
  }

  private absent(k: Computed): string {
    return k.plan.kind === 'leaf' ? `${k.variable} === undefined` : `!${k.variable}`;
  }

  /** Reads, converts and checks every value of the entry: the part both functions share. */
  private compute(): void {
    this.fields = this.children(this.entry.fields);
    for (const k of this.fields) {
      if (k.plan.required) this.lines.push(`if (${this.absent(k)}) C.missingRequired(${JSON.stringify(k.plan.field)}, ${JSON.stringify(describeSource(k.plan))});`);
    }
    for (const item of this.entry.unmapped) {
      const m = this.variable('m');
      const s = item.source;
      if (s.kind === 'const') {
        this.lines.push(`const ${m} = ${JSON.stringify(typeof s.value === 'string' ? s.value : JSON.stringify(s.value))};`);
      } else if (s.kind === 'path' || s.kind === 'enum') {
        const raw = this.variable('r');
        this.lines.push(`let ${raw} = ${this.read(s.path)};`);
        if (s.kind === 'enum') {
          this.lines.push(`${raw} = ${raw} == null ? undefined : (${this.k.add(s.values)}.get(String(${raw})) ?? ${s.other === undefined ? 'undefined' : this.k.add(s.other)});`);
        }
        const value = `typeof ${raw} === 'string' && ${raw}.length <= ${MAX_FIELD_CHARS} ? ${raw} : C.toUnmapped(${raw}, ${JSON.stringify(`unmapped.${item.key}`)}, ${JSON.stringify(s.text)})`;
        this.lines.push(`const ${m} = ${raw} != null && ${raw} !== '' ? ${value} : undefined;`);
      } else {
        continue;
      }
      this.unmapped.push({ key: item.key, variable: m });
    }
  }

  /** Compiles the shared lines plus `tail` as `function name(...params)`. */
  private build<T>(name: string, params: string[], tail: string[]): T {
    const body = `"use strict";\n${[...this.lines, ...tail].join('\n')}`;
    const factory = new Function('C', 'K', `return function ${name}(${params.join(', ')}) {\n${body}\n};`);
    // A plain object: module namespaces read through getters, which costs in the hot path.
    return factory({ ...coerce }, this.k.values) as T;
  }

  /** The object tail: nested objects where present, `unmapped` when it has a value. */
  objectMapper(): (record: unknown) => OcsfEvent {
    const tail: string[] = [];
    const value = (k: Computed): string => {
      if (k.plan.kind === 'leaf') return k.variable;
      const o = this.variable('o');
      const literal = `{ ${k.children!.map((c) => `${JSON.stringify(c.plan.name)}: ${value(c)}`).join(', ')} }`;
      tail.push(`const ${o} = ${k.variable} ? ${literal} : undefined;`);
      return o;
    };
    const fields = this.fields.map((k) => `${JSON.stringify(k.plan.name)}: ${value(k)}`);
    let unmapped = 'undefined';
    if (this.unmapped.length) {
      unmapped = 'u';
      tail.push('let u;');
      for (const m of this.unmapped) tail.push(`if (${m.variable} !== undefined) (u ??= {})[${JSON.stringify(m.key)}] = ${m.variable};`);
    }
    fields.push(`"unmapped": ${unmapped}`);
    tail.push(`return { ${fields.join(', ')} };`);
    return this.build('map', ['e'], tail);
  }

  /** The column tail: each value into its staged column of the class layout (constants shared by the class are the layout's). */
  rowWriter(layout: ColumnLayout): RowWriter {
    const time = this.fields.find((k) => k.plan.kind === 'leaf' && k.plan.name === 'time');
    if (!time) throw new Error(`${this.entry.key}: an entry without time cannot be delivered`);
    const cloud = this.fields.find((k) => k.plan.name === 'cloud');
    const account = cloud?.children?.find((k) => k.plan.name === 'account')?.children?.find((k) => k.plan.name === 'uid' && k.plan.kind === 'leaf');
    const tail = [
      `const b = T.open(${account?.variable ?? 'undefined'}, ${time.variable});`,
      'const row = b.rows, byte = row >> 3, bit = 1 << (row & 7);',
      'const D = b.doubles, I = b.ints, L = b.bools, S = b.texts, V = b.valid;',
    ];
    const write = (k: Computed): void => {
      if (k.children) {
        for (const c of k.children) write(c);
        return;
      }
      const leaf = k.plan as LeafPlan;
      const c = layout.columnOf(leaf);
      if (c === undefined) return;
      const column = layout.columns[c];
      const constant = constantOf(leaf, this.entry);
      let v = k.variable;
      if (column.staging === 'VARCHAR') {
        if (constant) v = this.k.add(column.json || typeof constant.value !== 'string' ? JSON.stringify(constant.value) : constant.value);
        else if (column.json || (leaf.type.kind === 'scalar' && leaf.type.scalar === 'json')) v = `(typeof ${v} === 'string' ? ${v} : JSON.stringify(${v}))`;
        tail.push(`if (${k.variable} !== undefined) S[${c}][row] = ${v};`);
      } else if (column.staging === 'BOOLEAN') {
        tail.push(`if (${v} !== undefined) { L[${c}][row] = ${v} ? 1 : 0; V[${c}][byte] |= bit; }`);
      } else {
        tail.push(`if (${v} !== undefined) { ${column.staging === 'DOUBLE' ? 'D' : 'I'}[${c}][row] = ${v}; V[${c}][byte] |= bit; }`);
      }
    };
    for (const k of this.fields) write(k);
    if (this.unmapped.length) {
      // `unmapped`: the row's key/value pairs in plan order (as the object has them); none is NULL.
      tail.push('const MK = b.mapKeys, MV = b.mapValues;', 'let n = 0;');
      for (const m of this.unmapped) tail.push(`if (${m.variable} !== undefined) { MK.push(${layout.unmappedKeys.indexOf(m.key)}); MV.push(${m.variable}); n++; }`);
      tail.push('b.mapCounts[row] = n;');
    }
    tail.push('T.commit(b);');
    return this.build('writeRow', ['e', 'T'], tail);
  }
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Compiles every entry of a plan that has no errors. */
export function compileMapping(plan: MappingPlan): CompiledMapping {
  const errors = plan.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`the mapping has ${errors.length} error(s): ${errors.map((e) => `${e.where}: ${e.message}`).join('; ')}`);
  const entries = new Map<string, CompiledEntry>();
  plan.entries.forEach((entry, index) => entries.set(entry.key, { key: entry.key, index, cls: entry.cls, map: new EntryCompiler(entry).objectMapper() }));
  const matched = new Function(`return function matched(e) { return ${accessor(plan.matchedField.path)}; };`)() as (record: unknown) => unknown;
  const field = plan.matchedField.text;
  const known = [...entries.keys()].join(', ');
  const select = (record: unknown): CompiledEntry => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new EventRejection('not-an-object', '$', `the record is ${Array.isArray(record) ? 'an array' : record === null ? 'null' : typeof record}, not a JSON object`);
    }
    const value = matched(record);
    const entry = value === undefined || value === null ? undefined : entries.get(typeof value === 'string' ? value : String(value));
    if (!entry) {
      throw new EventRejection('unknown-match', field, value === undefined || value === null ? `${field} is missing; it selects the mapping (${known})` : `no mapping for ${field} = ${shown(value)} (mapped values: ${known})`);
    }
    return entry;
  };
  return { plan, entries, select, map: (record) => select(record).map(record) };
}

/** The row writer of one entry, for the column layout of its class. */
export function compileRowWriter(entry: EntryPlan, layout: ColumnLayout): RowWriter {
  if (!layout.entries.includes(entry)) throw new Error(`${entry.key}: not an entry of the layout of class ${layout.classUid}`);
  return new EntryCompiler(entry).rowWriter(layout);
}
