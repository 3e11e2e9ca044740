/**
 * Turns a checked mapping plan into one JavaScript function per entry (generated source, compiled once
 * with `new Function`), so an event is mapped by straight-line property reads — no path parsing, no
 * tree walking per event. A field that cannot be converted to its OCSF type rejects the event with the
 * reason; nothing is stringified or dropped silently.
 */
import * as coerce from './coerce';
import { EventRejection } from './coerce';
import type { EntryPlan, LeafPlan, MappingPlan, ObjectPlan, PathSegment, ValueSource } from './mappingPlan';
import type { OcsfClass } from './schema';
import { timeParser, type TimeParser } from './timeFormat';

/** An OCSF event as Rampart produces it: typed values, nested objects, `unmapped` as a string map. */
export type OcsfEvent = Record<string, unknown> & { class_uid: number; time: number; type_uid: number; unmapped?: Record<string, string> };

export interface CompiledEntry {
  key: string;
  cls: OcsfClass;
  map: (record: unknown) => OcsfEvent;
}

export interface CompiledMapping {
  plan: MappingPlan;
  entries: Map<string, CompiledEntry>;
  /** Maps one parsed record; throws EventRejection with the reason. */
  map(record: unknown): OcsfEvent;
}

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

class EntryCompiler {
  private lines: string[] = [];
  private next = 0;
  private activityVar: string | undefined;
  readonly k = new Constants();

  constructor(private readonly entry: EntryPlan) {}

  private variable(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  private coercion(leaf: LeafPlan, scalar: string, raw: string): string {
    const field = JSON.stringify(leaf.field);
    const src = JSON.stringify(sourceText(leaf.source));
    switch (scalar) {
      case 'string': return `C.toStr(${raw}, ${field}, ${src})`;
      case 'int': return leaf.format === 'hex' ? `C.toHexInt(${raw}, ${field}, ${src})` : `C.toInt(${raw}, ${field}, ${src})`;
      case 'long': return leaf.format === 'hex' ? `C.toHexInt(${raw}, ${field}, ${src})` : `C.toLong(${raw}, ${field}, ${src})`;
      case 'float': return `C.toFloat(${raw}, ${field}, ${src})`;
      case 'bool': return `C.toBool(${raw}, ${field}, ${src})`;
      case 'timestamp': {
        const parser = timeParser(leaf.format);
        if ('error' in parser) throw new Error(parser.error);
        return `C.toTimestamp(${raw}, ${field}, ${src}, ${this.k.add(parser.parse as TimeParser)})`;
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
      this.lines.push(`let ${raw} = ${accessor(s.path)};`);
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

  /** Emits code for the children and returns the variable holding each child's value, in order. */
  private children(children: (LeafPlan | ObjectPlan)[]): { name: string; variable: string; plan: LeafPlan | ObjectPlan }[] {
    // activity_id first: type_uid is computed from it.
    const ordered = [...children].sort((a, b) => Number(b.name === 'activity_id') - Number(a.name === 'activity_id'));
    const out = ordered.map((plan) => ({ name: plan.name, plan, variable: plan.kind === 'leaf' ? this.leaf(plan) : this.object(plan) }));
    return children.map((c) => out.find((o) => o.plan === c)!);
  }

  private object(plan: ObjectPlan): string {
    const kids = this.children(plan.children);
    const o = this.variable('o');
    const present = kids.map((k) => `${k.variable} !== undefined`).join(' || ');
    const literal = `{ ${kids.map((k) => `${JSON.stringify(k.name)}: ${k.variable}`).join(', ')} }`;
    this.lines.push(`const ${o} = (${present}) ? ${literal} : undefined;`);
    const required = kids.filter((k) => k.plan.required);
    if (required.length) {
      this.lines.push(`if (${o} !== undefined) {`);
      for (const k of required) this.lines.push(`  if (${k.variable} === undefined) C.missingRequired(${JSON.stringify(k.plan.field)}, ${JSON.stringify(describeSource(k.plan))});`);
      this.lines.push('}');
    }
    return o;
  }

  compile(): (record: unknown) => OcsfEvent {
    const kids = this.children(this.entry.fields);
    for (const k of kids) {
      if (k.plan.required) this.lines.push(`if (${k.variable} === undefined) C.missingRequired(${JSON.stringify(k.plan.field)}, ${JSON.stringify(describeSource(k.plan))});`);
    }
    let unmapped = 'undefined';
    if (this.entry.unmapped.length) {
      unmapped = 'u';
      this.lines.push('let u;');
      for (const item of this.entry.unmapped) {
        const key = JSON.stringify(item.key);
        const s = item.source;
        if (s.kind === 'const') {
          this.lines.push(`(u ??= {})[${key}] = ${JSON.stringify(typeof s.value === 'string' ? s.value : JSON.stringify(s.value))};`);
        } else if (s.kind === 'path' || s.kind === 'enum') {
          const raw = this.variable('r');
          this.lines.push(`let ${raw} = ${accessor(s.path)};`);
          if (s.kind === 'enum') {
            this.lines.push(`${raw} = ${raw} == null ? undefined : (${this.k.add(s.values)}.get(String(${raw})) ?? ${s.other === undefined ? 'undefined' : this.k.add(s.other)});`);
          }
          this.lines.push(`if (${raw} != null && ${raw} !== '') (u ??= {})[${key}] = C.toUnmapped(${raw}, ${JSON.stringify(`unmapped.${item.key}`)}, ${JSON.stringify(s.text)});`);
        }
      }
    }
    const fields = kids.map((k) => `${JSON.stringify(k.name)}: ${k.variable}`);
    fields.push(`"unmapped": ${unmapped}`);
    this.lines.push(`return { ${fields.join(', ')} };`);
    const body = `"use strict";\n${this.lines.join('\n')}`;
    const factory = new Function('C', 'K', `return function map(e) {\n${body}\n};`) as (c: typeof coerce, k: unknown[]) => (record: unknown) => OcsfEvent;
    // A plain object: module namespaces read through getters, which costs in the hot path.
    return factory({ ...coerce }, this.k.values);
  }
}

function describeSource(plan: LeafPlan | ObjectPlan): string {
  if (plan.kind === 'object') return `every field mapped to ${plan.field}`;
  return sourceText(plan.source);
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
  for (const entry of plan.entries) entries.set(entry.key, { key: entry.key, cls: entry.cls, map: new EntryCompiler(entry).compile() });
  const matched = new Function(`return function matched(e) { return ${accessor(plan.matchedField.path)}; };`)() as (record: unknown) => unknown;
  const field = plan.matchedField.text;
  const known = [...entries.keys()].join(', ');
  return {
    plan,
    entries,
    map(record) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new EventRejection('not-an-object', '$', `the record is ${Array.isArray(record) ? 'an array' : record === null ? 'null' : typeof record}, not a JSON object`);
      }
      const value = matched(record);
      const entry = value === undefined || value === null ? undefined : entries.get(String(value));
      if (!entry) {
        throw new EventRejection('unknown-match', field, value === undefined || value === null ? `${field} is missing; it selects the mapping (${known})` : `no mapping for ${field} = ${shown(value)} (mapped values: ${known})`);
      }
      return entry.map(record);
    },
  };
}
