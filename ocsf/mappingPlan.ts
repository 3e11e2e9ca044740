/**
 * Load-time checking of a custom-source mapping file (transformation-library format plus typed leaves)
 * against the OCSF 1.1.0 class metadata. The result is a plan the compiler turns into code: every
 * attribute resolved to its OCSF type, known mistakes corrected with a warning, unplaceable fields moved
 * under `unmapped` with a warning, and anything that cannot work reported as an error.
 */
import {
  classAttributes, classAttributesKnown, describeType, enumCaption, enumValues, objectAttributes, objectRequired, OCSF_VERSION,
  ocsfClassByKey, ocsfClassByUid, type AttributeType, type OcsfClass, type ScalarType,
} from './schema';
import { timeParser } from './timeFormat';

export interface MappingIssue {
  severity: 'error' | 'warning';
  /** Where in the file, e.g. `ocsf_mapping.netflow.schema_mapping.metadata.version`. */
  where: string;
  message: string;
  fix: string;
}

export type PathSegment = string | number;

export type ValueSource =
  | { kind: 'const'; value: unknown }
  | { kind: 'path'; path: PathSegment[]; text: string }
  | { kind: 'enum'; path: PathSegment[]; text: string; values: Map<string, unknown>; other: unknown }
  /** type_uid: class_uid × 100 + activity_id. */
  | { kind: 'typeUid' };

export interface LeafPlan {
  kind: 'leaf';
  name: string;
  /** Dotted OCSF attribute path, e.g. `dst_endpoint.port`. */
  field: string;
  /** A scalar, or a list of scalars. */
  type: AttributeType;
  source: ValueSource;
  /** Time format for timestamps, `hex` for integers written in hexadecimal. */
  format?: string;
  allowed?: number[];
  required: boolean;
}

export interface ObjectPlan {
  kind: 'object';
  name: string;
  field: string;
  objectName: string;
  children: (LeafPlan | ObjectPlan)[];
  required: boolean;
}

export interface UnmappedPlan {
  key: string;
  source: ValueSource;
}

export interface EntryPlan {
  /** The matched value this entry handles (its key under ocsf_mapping). */
  key: string;
  cls: OcsfClass;
  fields: (LeafPlan | ObjectPlan)[];
  unmapped: UnmappedPlan[];
}

export type RecordFormat = 'json' | 'aws-alb-log';
export const RECORD_FORMATS: readonly RecordFormat[] = ['json', 'aws-alb-log'];

export interface MappingPlan {
  sourceName: string;
  matchedField: { path: PathSegment[]; text: string };
  recordFormat: RecordFormat;
  entries: EntryPlan[];
  issues: MappingIssue[];
}

const TYPED_LEAF_TYPES: Record<string, ScalarType> = { int: 'int', long: 'long', float: 'float', bool: 'bool', string: 'string', timestamp: 'timestamp' };

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']; undefined when it is not a path. */
export function parsePath(text: string): PathSegment[] | undefined {
  if (text === '$') return [];
  if (!text.startsWith('$.') && !text.startsWith('$[')) return undefined;
  const segments: PathSegment[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const start = re.lastIndex;
    const m = re.exec(text);
    if (!m || re.lastIndex === start) return undefined;
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4])));
  }
  return segments;
}

type ParsedValue =
  | { kind: 'source'; source: ValueSource; typed?: { type?: ScalarType; format?: string } }
  | { kind: 'nested'; value: Record<string, unknown> }
  | { kind: 'skip' }
  | { kind: 'error'; message: string; fix: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseValue(raw: unknown, objectExpected = false): ParsedValue {
  if (raw === null || raw === undefined) return { kind: 'skip' };
  if (typeof raw === 'string') {
    const path = parsePath(raw);
    if (path) return { kind: 'source', source: { kind: 'path', path, text: raw } };
    if (raw.startsWith('$')) return { kind: 'error', message: `"${raw}" is not a valid path`, fix: 'write paths as $.field.subfield or $.list[0]' };
    return { kind: 'source', source: { kind: 'const', value: raw } };
  }
  if (typeof raw === 'number' || typeof raw === 'boolean' || Array.isArray(raw)) return { kind: 'source', source: { kind: 'const', value: raw } };
  if (!isPlainObject(raw)) return { kind: 'error', message: `unsupported value ${String(raw)}`, fix: 'use a constant, a $.path, an enum or an object' };
  if ('enum' in raw) {
    const e = raw.enum;
    if (!isPlainObject(e) || typeof e.evaluate !== 'string' || !isPlainObject(e.values)) {
      return { kind: 'error', message: 'an enum needs "evaluate" (a $.path) and "values" (an object)', fix: 'write {"enum": {"evaluate": "$.field", "values": {"a": 1}, "other": 99}}' };
    }
    const path = parsePath(e.evaluate);
    if (!path) return { kind: 'error', message: `enum evaluate "${e.evaluate}" is not a path`, fix: 'write evaluate as $.field' };
    return { kind: 'source', source: { kind: 'enum', path, text: e.evaluate, values: new Map(Object.entries(e.values)), other: e.other } };
  }
  // A typed leaf has only path, type and format. Where an OCSF object is expected, an object is that
  // object's attributes, some of which may be called path or type (file.path, file.type, url.path).
  const typedLeaf = !objectExpected && typeof raw.path === 'string' && Object.keys(raw).every((k) => ['path', 'type', 'format'].includes(k));
  if (typedLeaf) {
    const path = parsePath(raw.path as string);
    if (!path) return { kind: 'error', message: `"${String(raw.path)}" is not a valid path`, fix: 'write paths as $.field.subfield' };
    if (raw.type !== undefined && !(typeof raw.type === 'string' && raw.type in TYPED_LEAF_TYPES)) {
      return { kind: 'error', message: `typed leaf type ${JSON.stringify(raw.type)}`, fix: `use one of ${Object.keys(TYPED_LEAF_TYPES).join(', ')}` };
    }
    if (raw.format !== undefined && typeof raw.format !== 'string') return { kind: 'error', message: 'typed leaf format must be a string', fix: 'e.g. "epoch", "iso8601", "%Y-%m-%d %H:%M:%S" or "hex"' };
    return {
      kind: 'source',
      source: { kind: 'path', path, text: raw.path as string },
      typed: { type: raw.type === undefined ? undefined : TYPED_LEAF_TYPES[raw.type as string], format: raw.format as string | undefined },
    };
  }
  return { kind: 'nested', value: raw };
}

/** Converts a constant to an attribute's scalar type; `note` says a conversion happened (a string-typed number). */
function coerceConst(value: unknown, scalar: ScalarType): { value: unknown; note?: string } | { error: string } {
  switch (scalar) {
    case 'string':
      if (typeof value === 'string') return { value };
      if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value), note: `${JSON.stringify(value)} is not a string` };
      return { error: `${JSON.stringify(value)} is not a string` };
    case 'int':
    case 'long':
    case 'timestamp':
      if (typeof value === 'number' && Number.isInteger(value)) return { value };
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return { value: Number(value), note: `"${value}" is a string-typed number` };
      return { error: `${JSON.stringify(value)} is not an integer` };
    case 'float':
      if (typeof value === 'number') return { value };
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { value: Number(value), note: `"${value}" is a string-typed number` };
      return { error: `${JSON.stringify(value)} is not a number` };
    case 'bool':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true', note: `"${value}" is a string-typed boolean` };
      return { error: `${JSON.stringify(value)} is not a boolean` };
    case 'json':
      return { value };
  }
}

function coerceConstToType(value: unknown, type: AttributeType): { value: unknown; note?: string } | { error: string } {
  if (type.kind === 'scalar') return coerceConst(value, type.scalar);
  if (type.kind === 'list' && type.element.kind === 'scalar') {
    const element = type.element.scalar;
    if (!Array.isArray(value)) {
      if (typeof value === 'string' && value.includes(',')) {
        return { value: value.split(',').map((s) => s.trim()).filter(Boolean), note: `"${value}" is a comma-separated string, not a list` };
      }
      const single = coerceConst(value, element);
      return 'error' in single ? single : { value: [single.value], note: `${JSON.stringify(value)} is a single value, not a list` };
    }
    const out: unknown[] = [];
    let note: string | undefined;
    for (const item of value) {
      const c = coerceConst(item, element);
      if ('error' in c) return c;
      out.push(c.value);
      note ??= c.note;
    }
    return { value: out, note };
  }
  return { error: `a constant cannot fill a ${describeType(type)}` };
}

class EntryChecker {
  readonly unmapped: UnmappedPlan[] = [];
  private readonly base: string;

  constructor(
    key: string,
    private readonly cls: OcsfClass,
    private readonly issues: MappingIssue[],
    private readonly timestamp: { source: ValueSource; format?: string } | undefined,
  ) {
    this.base = `ocsf_mapping.${key}.schema_mapping`;
  }

  private warn(field: string, message: string, fix: string): void {
    this.issues.push({ severity: 'warning', where: `${this.base}.${field}`, message, fix });
  }

  private error(field: string, message: string, fix: string): void {
    this.issues.push({ severity: 'error', where: `${this.base}.${field}`, message, fix });
  }

  /** Keeps a value under unmapped, flattening nested objects into dotted keys. */
  private keepUnmapped(key: string, raw: unknown): void {
    const parsed = parseValue(raw);
    if (parsed.kind === 'nested') {
      for (const [k, v] of Object.entries(parsed.value)) this.keepUnmapped(`${key}.${k}`, v);
    } else if (parsed.kind === 'source') {
      const earlier = this.unmapped.find((u) => u.key === key);
      if (earlier) {
        // One value per key: `unmapped` is a map.
        this.warn(`unmapped.${key}`, `unmapped key "${key}" is given twice`, `remove or rename one of them (Rampart keeps the later one)`);
        earlier.source = parsed.source;
      } else {
        this.unmapped.push({ key, source: parsed.source });
      }
    } else if (parsed.kind === 'error') {
      this.error(`unmapped.${key}`, parsed.message, parsed.fix);
    }
  }

  check(mapping: Record<string, unknown>): (LeafPlan | ObjectPlan)[] {
    const fields = this.walk(mapping, classAttributes(this.cls), undefined, '', true);
    this.completeRoot(fields);
    return fields;
  }

  private walk(node: Record<string, unknown>, attrs: Map<string, AttributeType>, owner: string | undefined, prefix: string, root: boolean): (LeafPlan | ObjectPlan)[] {
    const out: (LeafPlan | ObjectPlan)[] = [];
    for (const [rawKey, raw] of Object.entries(node)) {
      let key = rawKey;
      const field = `${prefix}${key}`;
      if (root && key === 'unmapped') {
        if (isPlainObject(raw)) for (const [k, v] of Object.entries(raw)) this.keepUnmapped(k, v);
        else this.error(field, 'unmapped must be an object of name → value', 'write "unmapped": {"name": "$.field"}');
        continue;
      }
      if (owner === 'file' && key === 'type_uid') {
        this.warn(field, 'file has no type_uid attribute in OCSF 1.1.0; the value is the file type', `rename it to ${prefix}type_id (Rampart reads it as type_id)`);
        key = 'type_id';
      }
      const type = attrs.get(key);
      if (!type) {
        const where = owner ? `the ${owner} object` : `${this.cls.name} (${this.cls.uid})`;
        this.warn(field, `${key} is not an attribute of ${where} in OCSF 1.1.0`, `kept under unmapped as "${field}"; map it to an OCSF attribute or move it under unmapped`);
        this.keepUnmapped(field, raw);
        continue;
      }
      const plan = this.attribute(key, `${prefix}${key}`, type, raw, owner);
      if (plan) out.push(plan);
    }
    return out;
  }

  private attribute(name: string, field: string, type: AttributeType, raw: unknown, owner: string | undefined): LeafPlan | ObjectPlan | undefined {
    const parsed = parseValue(raw, type.kind === 'object');
    if (parsed.kind === 'skip') return undefined;
    if (parsed.kind === 'error') {
      this.error(field, parsed.message, parsed.fix);
      return undefined;
    }
    if (type.kind === 'object') {
      const attrs = objectAttributes(type.object);
      if (!attrs) {
        this.warn(field, `Rampart does not know the attributes of the ${type.object} object`, `kept under unmapped as "${field}"`);
        this.keepUnmapped(field, raw);
        return undefined;
      }
      if (parsed.kind === 'nested') {
        const children = this.walk(parsed.value, attrs, type.object, `${field}.`, false);
        return this.completeObject({ kind: 'object', name, field, objectName: type.object, children, required: false });
      }
      if (attrs.get('name')?.kind === 'scalar' && parsed.source.kind !== 'const') {
        this.warn(field, `${field} is a ${type.object} object; the mapping gives it a single value`, `map it to ${field}.name (Rampart reads it as the ${type.object}'s name)`);
        const leaf = this.leaf('name', `${field}.name`, { kind: 'scalar', scalar: 'string' }, parsed, type.object);
        return leaf && this.completeObject({ kind: 'object', name, field, objectName: type.object, children: [leaf], required: false });
      }
      this.warn(field, `${field} is a ${type.object} object; the mapping gives it a single value`, `kept under unmapped as "${field}"; map its attributes instead`);
      this.keepUnmapped(field, raw);
      return undefined;
    }
    if (type.kind === 'list' && type.element.kind !== 'scalar') {
      this.warn(field, `${field} is a ${describeType(type)}, which Rampart mappings do not fill yet`, `kept under unmapped as "${field}"`);
      this.keepUnmapped(field, raw);
      return undefined;
    }
    if (parsed.kind === 'nested') {
      this.warn(field, `${field} is a ${describeType(type)}; the mapping gives it an object`, `kept under unmapped as "${field}"; give it one value`);
      this.keepUnmapped(field, raw);
      return undefined;
    }
    return this.leaf(name, field, type, parsed, owner);
  }

  private leaf(name: string, field: string, type: AttributeType, parsed: Extract<ParsedValue, { kind: 'source' }>, owner: string | undefined): LeafPlan | undefined {
    let source = parsed.source;
    const scalar = type.kind === 'scalar' ? type.scalar : type.kind === 'list' && type.element.kind === 'scalar' ? type.element.scalar : undefined;
    if (parsed.typed?.type && parsed.typed.type !== scalar && !(parsed.typed.type === 'long' && scalar === 'timestamp')) {
      this.error(field, `typed leaf says ${parsed.typed.type}, but ${field} is ${describeType(type)} in OCSF 1.1.0`, `set "type": "${scalar}" or drop the type`);
      return undefined;
    }
    let format = parsed.typed?.format;
    if (format !== undefined) {
      if (scalar === 'timestamp') {
        const parser = timeParser(format);
        if ('error' in parser) {
          this.error(field, parser.error, 'fix the format');
          return undefined;
        }
      } else if (!(format === 'hex' && (scalar === 'int' || scalar === 'long'))) {
        this.error(field, `format "${format}" does not apply to ${describeType(type)}`, 'formats are time formats for timestamps and "hex" for integers');
        return undefined;
      }
    }
    if (scalar === 'timestamp' && format === undefined && this.timestamp && source.kind === 'path' && this.timestamp.source.kind === 'path' && source.text === this.timestamp.source.text) {
      format = this.timestamp.format;
    }
    if (field === 'connection_info.tcp_flags' && source.kind === 'path' && format !== 'hex') {
      this.warn(field, 'Suricata-based logs (AWS Network Firewall) write tcp_flags in hexadecimal, e.g. "1b"; read as decimal, such events are rejected as a wrong type', `write {"path": "${source.text}", "type": "int", "format": "hex"} if this source writes hexadecimal flags`);
    }
    const allowed = scalar === 'int' ? enumValues(owner, name, this.cls) : undefined;
    if (source.kind === 'const') {
      const c = coerceConstToType(source.value, type);
      if ('error' in c) {
        this.error(field, `${c.error}; ${field} is ${describeType(type)}`, `give ${field} a ${describeType(type)}`);
        return undefined;
      }
      if (c.note) this.warn(field, c.note, `write ${JSON.stringify(c.value)} (Rampart converts it)`);
      if (allowed && !allowed.includes(c.value as number)) {
        this.error(field, `${JSON.stringify(c.value)} is not a value of ${field} in OCSF 1.1.0`, `use one of ${allowed.join(', ')}`);
        return undefined;
      }
      source = { kind: 'const', value: c.value };
    } else if (source.kind === 'enum') {
      const values = new Map<string, unknown>();
      for (const [k, v] of [...source.values, ...(source.other === undefined ? [] : [['(other)', source.other] as [string, unknown]])]) {
        const c = coerceConstToType(v, type);
        if ('error' in c) {
          this.error(`${field}.enum.values.${k}`, `${c.error}; ${field} is ${describeType(type)}`, `give a ${describeType(type)}`);
          return undefined;
        }
        if (c.note) this.warn(`${field}.enum.values.${k}`, c.note, `write ${JSON.stringify(c.value)} (Rampart converts it)`);
        if (allowed && !allowed.includes(c.value as number)) {
          this.error(`${field}.enum.values.${k}`, `${JSON.stringify(c.value)} is not a value of ${field} in OCSF 1.1.0`, `use one of ${allowed.join(', ')}`);
          return undefined;
        }
        values.set(k, c.value);
      }
      const other = values.get('(other)');
      values.delete('(other)');
      source = { ...source, values, other };
    }
    return { kind: 'leaf', name, field, type, source, format, allowed, required: false };
  }

  /** Object-level requirements: enum ids default to Unknown (0) with a warning; anything else missing is an error. */
  private completeObject(plan: ObjectPlan): ObjectPlan | undefined {
    const attrs = objectAttributes(plan.objectName)!;
    for (const required of objectRequired(plan.objectName)) {
      const child = plan.children.find((c) => c.name === required);
      if (child) {
        child.required = true;
        continue;
      }
      if (plan.objectName === 'metadata' && required === 'version') {
        plan.children.push({ kind: 'leaf', name: 'version', field: `${plan.field}.version`, type: { kind: 'scalar', scalar: 'string' }, source: { kind: 'const', value: OCSF_VERSION }, required: true });
        continue;
      }
      const allowed = enumValues(plan.objectName, required, this.cls);
      if (allowed?.includes(0)) {
        this.warn(`${plan.field}.${required}`, `${plan.field}.${required} is required by the ${plan.objectName} object and missing`, `add it; Rampart writes 0 (Unknown) until then`);
        plan.children.push({ kind: 'leaf', name: required, field: `${plan.field}.${required}`, type: attrs.get(required)!, source: { kind: 'const', value: 0 }, allowed, required: true });
        continue;
      }
      this.error(`${plan.field}.${required}`, `${plan.field}.${required} is required by the ${plan.objectName} object in OCSF 1.1.0 and the mapping does not give it`, `map ${plan.field}.${required}`);
    }
    if (plan.objectName === 'metadata') this.checkMetadata(plan);
    return plan.children.length ? plan : undefined;
  }

  private checkMetadata(plan: ObjectPlan): void {
    const version = plan.children.find((c): c is LeafPlan => c.kind === 'leaf' && c.name === 'version');
    if (version && !(version.source.kind === 'const' && version.source.value === OCSF_VERSION)) {
      const given = version.source.kind === 'const' ? JSON.stringify(version.source.value) : version.source.kind;
      this.warn(version.field, `metadata.version is the OCSF version the event follows; ${given} is not ${OCSF_VERSION}`, `write "${OCSF_VERSION}" (Rampart writes ${OCSF_VERSION}: its events are checked against OCSF ${OCSF_VERSION})`);
      version.source = { kind: 'const', value: OCSF_VERSION };
    }
  }

  private completeRoot(fields: (LeafPlan | ObjectPlan)[]): void {
    const cls = this.cls;
    const find = (name: string) => fields.find((f) => f.name === name);
    const setConst = (name: string, value: unknown, type: ScalarType, onMismatch: 'error' | 'warning') => {
      const existing = find(name);
      if (existing?.kind === 'leaf' && existing.source.kind === 'const' && existing.source.value !== value) {
        const message = `${name} ${JSON.stringify(existing.source.value)} does not match ${cls.name} (${name} is ${JSON.stringify(value)})`;
        if (onMismatch === 'error') this.error(name, message, `set ${name} to ${JSON.stringify(value)} or correct "schema"`);
        else this.warn(name, message, `write ${JSON.stringify(value)} (Rampart writes it)`);
      } else if (existing && existing.kind !== 'leaf') {
        this.error(name, `${name} must be a constant`, `set ${name} to ${JSON.stringify(value)}`);
      } else if (existing?.kind === 'leaf' && existing.source.kind !== 'const') {
        this.warn(name, `${name} is fixed by the class; the mapping computes it`, `write ${JSON.stringify(value)} (Rampart writes it)`);
      }
      const leaf: LeafPlan = { kind: 'leaf', name, field: name, type: { kind: 'scalar', scalar: type }, source: { kind: 'const', value }, required: true };
      if (existing) fields.splice(fields.indexOf(existing), 1, leaf);
      else fields.push(leaf);
    };
    setConst('class_uid', cls.uid, 'int', 'error');
    setConst('category_uid', cls.categoryUid, 'int', 'error');
    setConst('class_name', cls.name, 'string', 'warning');
    setConst('category_name', cls.categoryName, 'string', 'warning');

    const activity = find('activity_id');
    if (activity?.kind !== 'leaf') {
      this.error('activity_id', `activity_id is required by ${cls.name}`, `map activity_id to one of ${[...cls.activities].map(([id, c]) => `${id} (${c})`).join(', ')}`);
    } else {
      this.checkTypeUid(fields, activity);
      if (activity.source.kind === 'const' && !find('activity_name')) {
        fields.push({ kind: 'leaf', name: 'activity_name', field: 'activity_name', type: { kind: 'scalar', scalar: 'string' }, source: { kind: 'const', value: cls.activities.get(activity.source.value as number) }, required: false });
      }
    }

    const severityId = find('severity_id');
    const severity = find('severity');
    if (severityId?.kind === 'leaf' && severityId.source.kind === 'const') {
      const caption = enumCaption(undefined, 'severity_id', severityId.source.value as number);
      if (severity?.kind === 'leaf' && severity.source.kind === 'const' && caption && severity.source.value !== caption) {
        this.warn('severity', `severity "${String(severity.source.value)}" does not match severity_id ${String(severityId.source.value)} (${caption})`, `write "${caption}" or correct severity_id (Rampart writes "${caption}", the caption of severity_id)`);
        severity.source = { kind: 'const', value: caption };
      } else if (!severity && caption) {
        fields.push({ kind: 'leaf', name: 'severity', field: 'severity', type: { kind: 'scalar', scalar: 'string' }, source: { kind: 'const', value: caption }, required: false });
      }
    }

    const time = find('time');
    if (!time && this.timestamp) {
      fields.push({ kind: 'leaf', name: 'time', field: 'time', type: { kind: 'scalar', scalar: 'timestamp' }, source: this.timestamp.source, format: this.timestamp.format, required: true });
    }

    for (const required of cls.requiredAttributes) {
      const plan = find(required);
      if (plan) {
        plan.required = true;
        continue;
      }
      if (required === 'type_uid') continue;
      this.error(required, `${required} is required by ${cls.name} (${cls.uid}) in OCSF 1.1.0 and the mapping does not give it`, `map ${required}`);
    }
  }

  /** type_uid is always class_uid × 100 + activity_id; a mapping that spells it out differently is told so. */
  private checkTypeUid(fields: (LeafPlan | ObjectPlan)[], activity: LeafPlan): void {
    const given = fields.find((f) => f.name === 'type_uid');
    const expected = (a: unknown) => this.cls.uid * 100 + (a as number);
    if (given?.kind === 'leaf') {
      const s = given.source;
      const a = activity.source;
      let agrees = false;
      if (s.kind === 'const' && a.kind === 'const') agrees = s.value === expected(a.value);
      if (s.kind === 'enum' && a.kind === 'enum' && s.text === a.text) {
        agrees = [...a.values].every(([k, v]) => s.values.get(k) === expected(v)) && (a.other === undefined || s.other === expected(a.other));
      }
      if (!agrees) {
        const shown = s.kind === 'const' ? JSON.stringify(s.value) : `a ${s.kind}`;
        this.warn('type_uid', `type_uid ${shown} does not follow class_uid × 100 + activity_id`, 'remove type_uid (Rampart computes it from class_uid and activity_id)');
      }
    } else if (given) {
      this.warn('type_uid', 'type_uid is a number', 'remove type_uid (Rampart computes it)');
    }
    const leaf: LeafPlan = { kind: 'leaf', name: 'type_uid', field: 'type_uid', type: { kind: 'scalar', scalar: 'long' }, source: { kind: 'typeUid' }, required: true };
    if (given) fields.splice(fields.indexOf(given), 1, leaf);
    else fields.push(leaf);
  }
}

/** Checks a parsed mapping document and plans its compilation. Errors in `issues` mean it must not be used. */
export function planMapping(doc: unknown): MappingPlan {
  const issues: MappingIssue[] = [];
  const fail = (where: string, message: string, fix: string): MappingPlan => {
    issues.push({ severity: 'error', where, message, fix });
    return { sourceName: '', matchedField: { path: [], text: '' }, recordFormat: 'json', entries: [], issues };
  };
  const events = isPlainObject(doc) ? doc.custom_source_events : undefined;
  if (!isPlainObject(events)) return fail('custom_source_events', 'the file has no custom_source_events object', 'start from one of the files in ocsf/mappings');
  const known = ['source_name', 'matched_field', 'timestamp', 'ocsf_mapping', 'record_format'];
  for (const key of Object.keys(events)) {
    if (!known.includes(key)) issues.push({ severity: 'warning', where: `custom_source_events.${key}`, message: `unknown key ${key}, ignored`, fix: `remove it (known keys: ${known.join(', ')})` });
  }
  const sourceName = typeof events.source_name === 'string' ? events.source_name : '';
  if (!sourceName) issues.push({ severity: 'warning', where: 'custom_source_events.source_name', message: 'no source_name', fix: 'name the source; the configuration names custom sources in any case' });

  const matchedPath = typeof events.matched_field === 'string' ? parsePath(events.matched_field) : undefined;
  if (!matchedPath) return fail('custom_source_events.matched_field', `matched_field ${JSON.stringify(events.matched_field)} is not a $.path`, 'write "matched_field": "$.field" naming the field whose value selects the mapping');

  let timestamp: { source: ValueSource; format?: string } | undefined;
  if (events.timestamp !== undefined) {
    const ts = events.timestamp;
    const path = isPlainObject(ts) && typeof ts.field === 'string' ? parsePath(ts.field) : undefined;
    const format = isPlainObject(ts) && typeof ts.format === 'string' ? ts.format : undefined;
    const parser = timeParser(format);
    if (!path) issues.push({ severity: 'error', where: 'custom_source_events.timestamp.field', message: 'timestamp.field is not a $.path', fix: 'write "timestamp": {"field": "$.time", "format": "epoch"}' });
    else if ('error' in parser) issues.push({ severity: 'error', where: 'custom_source_events.timestamp.format', message: parser.error, fix: 'fix the format' });
    else timestamp = { source: { kind: 'path', path, text: (ts as { field: string }).field }, format };
  }

  const recordFormat = (events.record_format ?? 'json') as RecordFormat;
  if (!RECORD_FORMATS.includes(recordFormat)) {
    issues.push({ severity: 'error', where: 'custom_source_events.record_format', message: `record_format ${JSON.stringify(events.record_format)}`, fix: `use one of ${RECORD_FORMATS.join(', ')}` });
  }

  if (!isPlainObject(events.ocsf_mapping) || Object.keys(events.ocsf_mapping).length === 0) {
    return fail('custom_source_events.ocsf_mapping', 'ocsf_mapping is missing or empty', 'add one entry per matched value: {"<value>": {"schema": "network_activity", "schema_mapping": {...}}}');
  }
  const entries: EntryPlan[] = [];
  for (const [key, entry] of Object.entries(events.ocsf_mapping)) {
    const where = `ocsf_mapping.${key}`;
    if (!isPlainObject(entry) || !isPlainObject(entry.schema_mapping)) {
      issues.push({ severity: 'error', where, message: 'an entry needs "schema" and a "schema_mapping" object', fix: 'write {"schema": "network_activity", "schema_mapping": {...}}' });
      continue;
    }
    const cls = resolveClass(entry, where, issues);
    if (!cls) continue;
    if (!classAttributesKnown(cls)) {
      issues.push({
        severity: 'error', where: `${where}.schema`, message: `Rampart cannot yet check or type mappings to ${cls.name} (${cls.uid})`,
        fix: 'map these events to File System Activity (1001), Process Activity (1007), Network Activity (4001), HTTP Activity (4002) or DNS Activity (4003)',
      });
      continue;
    }
    const checker = new EntryChecker(key, cls, issues, timestamp);
    const fields = checker.check(entry.schema_mapping);
    entries.push({ key, cls, fields, unmapped: checker.unmapped });
  }
  return { sourceName, matchedField: { path: matchedPath, text: events.matched_field as string }, recordFormat, entries, issues };
}

function resolveClass(entry: Record<string, unknown>, where: string, issues: MappingIssue[]): OcsfClass | undefined {
  const bySchema = typeof entry.schema === 'string' ? ocsfClassByKey(entry.schema) : undefined;
  const rawUid = (entry.schema_mapping as Record<string, unknown>).class_uid;
  const uid = typeof rawUid === 'number' ? rawUid : typeof rawUid === 'string' && /^\d+$/.test(rawUid) ? Number(rawUid) : undefined;
  const byUid = uid === undefined ? undefined : ocsfClassByUid(uid);
  if (bySchema && byUid && bySchema !== byUid) {
    issues.push({ severity: 'error', where: `${where}.schema`, message: `schema "${String(entry.schema)}" is class ${bySchema.uid} but class_uid is ${uid}`, fix: 'make schema and class_uid name the same class' });
    return undefined;
  }
  const cls = bySchema ?? byUid;
  if (!cls) {
    issues.push({ severity: 'error', where: `${where}.schema`, message: `no OCSF 1.1.0 class "${String(entry.schema)}"${uid !== undefined ? ` or class_uid ${uid}` : ''}`, fix: 'use an OCSF class name such as network_activity, http_activity, dns_activity, process_activity or file_activity' });
    return undefined;
  }
  if (!bySchema) issues.push({ severity: 'warning', where: `${where}.schema`, message: `schema ${JSON.stringify(entry.schema)} is not an OCSF class name; class_uid ${cls.uid} is ${cls.key}`, fix: `write "schema": "${cls.key}"` });
  if (cls.deprecated) issues.push({ severity: 'warning', where: `${where}.schema`, message: `${cls.name} is deprecated in OCSF 1.1.0`, fix: 'map to its replacement class' });
  return cls;
}

