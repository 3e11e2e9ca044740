import attributesData from './ocsf-1.1.0-attributes.json';
import classesData from './ocsf-1.1.0-classes.json';

/** OCSF schema version Rampart's events follow; written to metadata.version. */
export const OCSF_VERSION = '1.1.0';

export type ScalarType = 'string' | 'int' | 'long' | 'float' | 'bool' | 'timestamp' | 'json';
export const SCALAR_TYPES: readonly ScalarType[] = ['string', 'int', 'long', 'float', 'bool', 'timestamp', 'json'];

/** An attribute's type: a scalar, an object by name, or a list of either. */
export type AttributeType =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'object'; object: string }
  | { kind: 'list'; element: AttributeType };

export interface OcsfClass {
  uid: number;
  key: string;
  name: string;
  categoryUid: number;
  categoryName: string;
  activities: Map<number, string>;
  requiredAttributes: string[];
  deprecated: boolean;
}

interface ObjectSpec {
  attributes: Record<string, string>;
  required?: string[];
}

const categoryNames = new Map(classesData.categories.map((c) => [c.category_uid, c.name]));

const classes: OcsfClass[] = classesData.classes.map((c) => ({
  uid: c.class_uid,
  key: c.class_key,
  name: c.name,
  categoryUid: c.category_uid,
  categoryName: categoryNames.get(c.category_uid) ?? '',
  activities: new Map(Object.entries(c.activity_id).map(([id, caption]) => [Number(id), caption])),
  requiredAttributes: c.required_attributes,
  deprecated: (c as { deprecated?: boolean }).deprecated === true,
}));
const classByUid = new Map(classes.map((c) => [c.uid, c]));
const classByKey = new Map(classes.map((c) => [c.key, c]));

const objects = attributesData.objects as Record<string, ObjectSpec>;
const enums = attributesData.enums as Record<string, number[]>;
const captions = attributesData.enumCaptions as Record<string, Record<string, string>>;

export function ocsfClassByUid(uid: number): OcsfClass | undefined {
  return classByUid.get(uid);
}

export function ocsfClassByKey(key: string): OcsfClass | undefined {
  return classByKey.get(key);
}

/** True when Rampart knows the attributes of this class (it can check and type a mapping to it). */
export function classAttributesKnown(cls: OcsfClass): boolean {
  return cls.key in attributesData.classes;
}

export function parseAttributeType(spec: string): AttributeType {
  if (spec.endsWith('[]')) return { kind: 'list', element: parseAttributeType(spec.slice(0, -2)) };
  if ((SCALAR_TYPES as readonly string[]).includes(spec)) return { kind: 'scalar', scalar: spec as ScalarType };
  return { kind: 'object', object: spec };
}

/** Top-level attributes of an event of this class: base event, category, class, and the cloud and host profiles. */
export function classAttributes(cls: OcsfClass): Map<string, AttributeType> {
  const out = new Map<string, AttributeType>();
  const add = (record: Record<string, string> | undefined) => {
    for (const [name, spec] of Object.entries(record ?? {})) out.set(name, parseAttributeType(spec));
  };
  add(attributesData.baseEvent);
  for (const profile of Object.values(attributesData.profiles)) add(profile);
  add((attributesData.categories as Record<string, Record<string, string>>)[String(cls.categoryUid)]);
  add((attributesData.classes as Record<string, Record<string, string>>)[cls.key]);
  return out;
}

export function objectAttributes(objectName: string): Map<string, AttributeType> | undefined {
  const spec = objects[objectName];
  return spec ? new Map(Object.entries(spec.attributes).map(([name, t]) => [name, parseAttributeType(t)])) : undefined;
}

export function objectRequired(objectName: string): string[] {
  return objects[objectName]?.required ?? [];
}

/**
 * Allowed values of an enum attribute, keyed `<object>.<attribute>` for object attributes and by the
 * bare name for event attributes; activity_id comes from the class.
 */
export function enumValues(owner: string | undefined, attribute: string, cls: OcsfClass): number[] | undefined {
  if (!owner && attribute === 'activity_id') return [...cls.activities.keys()];
  return enums[owner ? `${owner}.${attribute}` : attribute];
}

export function enumCaption(owner: string | undefined, attribute: string, value: number): string | undefined {
  return captions[owner ? `${owner}.${attribute}` : attribute]?.[String(value)];
}

export function describeType(type: AttributeType): string {
  if (type.kind === 'scalar') return type.scalar;
  if (type.kind === 'object') return `${type.object} object`;
  return `list of ${describeType(type.element)}`;
}
