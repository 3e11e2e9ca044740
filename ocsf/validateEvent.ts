/**
 * Checks a finished OCSF event against the 1.1.0 class metadata — independently of how it was produced:
 * required attributes (class and objects), attribute names, value types, enum values and type_uid.
 */
import { classAttributes, enumValues, objectAttributes, objectRequired, ocsfClassByUid, type AttributeType, type OcsfClass } from './schema';

export interface EventProblem {
  field: string;
  problem: string;
}

function typeProblem(value: unknown, type: AttributeType): string | undefined {
  if (type.kind === 'list') {
    if (!Array.isArray(value)) return 'expected a list';
    for (const item of value) {
      const p = typeProblem(item, type.element);
      if (p) return `list item: ${p}`;
    }
    return undefined;
  }
  if (type.kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : `expected a ${type.object} object`;
  switch (type.scalar) {
    case 'string': return typeof value === 'string' ? undefined : `expected a string, got ${typeof value}`;
    case 'int': return Number.isInteger(value) && Math.abs(value as number) <= 2147483648 ? undefined : `expected an integer, got ${JSON.stringify(value)}`;
    case 'long':
    case 'timestamp': return Number.isSafeInteger(value) ? undefined : `expected an integer, got ${JSON.stringify(value)}`;
    case 'float': return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a number, got ${JSON.stringify(value)}`;
    case 'bool': return typeof value === 'boolean' ? undefined : `expected a boolean, got ${JSON.stringify(value)}`;
    case 'json': return undefined;
  }
}

function checkObject(value: Record<string, unknown>, attrs: Map<string, AttributeType>, required: string[], owner: string | undefined, prefix: string, cls: OcsfClass, out: EventProblem[]): void {
  for (const name of required) {
    if (value[name] === undefined || value[name] === null) out.push({ field: `${prefix}${name}`, problem: 'required and missing' });
  }
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const field = `${prefix}${name}`;
    const type = attrs.get(name);
    if (!type) {
      out.push({ field, problem: `not an attribute of ${owner ?? cls.name} in OCSF 1.1.0` });
      continue;
    }
    if (!owner && name === 'unmapped') {
      if (typeof v !== 'object' || Object.values(v as object).some((x) => typeof x !== 'string')) out.push({ field, problem: 'expected a map of strings' });
      continue;
    }
    const problem = typeProblem(v, type);
    if (problem) {
      out.push({ field, problem });
      continue;
    }
    const allowed = type.kind === 'scalar' && type.scalar === 'int' ? enumValues(owner, name, cls) : undefined;
    if (allowed && !allowed.includes(v as number)) out.push({ field, problem: `${String(v)} is not one of ${allowed.join(', ')}` });
    if (type.kind === 'object') {
      const childAttrs = objectAttributes(type.object);
      if (childAttrs) checkObject(v as Record<string, unknown>, childAttrs, objectRequired(type.object), type.object, `${field}.`, cls, out);
    }
  }
}

export function validateOcsfEvent(event: Record<string, unknown>): EventProblem[] {
  const cls = ocsfClassByUid(event.class_uid as number);
  if (!cls) return [{ field: 'class_uid', problem: `no OCSF 1.1.0 class ${String(event.class_uid)}` }];
  const out: EventProblem[] = [];
  checkObject(event, classAttributes(cls), cls.requiredAttributes, undefined, '', cls, out);
  if (event.category_uid !== cls.categoryUid) out.push({ field: 'category_uid', problem: `expected ${cls.categoryUid}` });
  if (event.type_uid !== cls.uid * 100 + (event.activity_id as number)) out.push({ field: 'type_uid', problem: 'expected class_uid × 100 + activity_id' });
  return out;
}
