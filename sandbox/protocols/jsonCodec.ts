import { AwsError } from '../errors';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from '../models/serviceModel';
import { parseTimestamp } from './values';

function serializationError(path: string, expected: string): AwsError {
  return new AwsError('SerializationException', `Cannot deserialize ${path}: expected ${expected}.`);
}

/**
 * Reads a JSON request body member into the value a handler sees: timestamps as Date, blobs as
 * Buffer, everything checked against its shape's type (AWS answers SerializationException).
 */
export function jsonToValue(value: unknown, shapeName: string, model: ServiceModel, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(path, 'an object');
      if (shape.document) return value;
      return jsonToStructure(value as Record<string, unknown>, shape, model, path);
    }
    case 'list': {
      if (!Array.isArray(value)) throw serializationError(path, 'a list');
      const member = shape.member as ShapeRef;
      return value.map((item, i) => jsonToValue(item, member.shape, model, `${path}[${i}]`));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(path, 'a map');
      const out: Record<string, unknown> = {};
      const valueRef = shape.value as ShapeRef;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = jsonToValue(v, valueRef.shape, model, `${path}.${k}`);
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw serializationError(path, 'a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw serializationError(path, 'a boolean');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(path, 'an integer');
      return value;
    case 'double':
    case 'float':
      if (typeof value !== 'number') throw serializationError(path, 'a number');
      return value;
    case 'timestamp': {
      const date = parseTimestamp(value);
      if (!date) throw serializationError(path, 'a timestamp');
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw serializationError(path, 'base64 text');
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}

/** Reads the members of a structure that travel in the JSON body (members bound elsewhere are skipped). */
export function jsonToStructure(value: Record<string, unknown>, shape: Shape, model: ServiceModel, path: string, skipBound = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (skipBound && ref.location) continue;
    const raw = value[ref.locationName ?? name];
    if (raw === undefined || raw === null) continue;
    out[name] = jsonToValue(raw, ref.shape, model, path ? `${path}.${name}` : name);
  }
  return out;
}

/** Turns a handler's output value into JSON-ready data for its shape. */
export function valueToJson(value: unknown, ref: ShapeRef | { shape: string }, model: ServiceModel): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      if (shape.document) return value;
      return structureToJson(value as Record<string, unknown>, shape, model);
    case 'list':
      return (value as unknown[]).map((item) => valueToJson(item, shape.member as ShapeRef, model));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = valueToJson(v, shape.value as ShapeRef, model);
      return out;
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as string);
      const format = ('timestampFormat' in ref ? ref.timestampFormat : undefined) ?? shape.timestampFormat;
      return format === 'iso8601' ? date.toISOString() : date.getTime() / 1000;
    }
    case 'blob':
      return Buffer.from(value as Uint8Array | string).toString('base64');
    default:
      return value;
  }
}

/** The members of a structure that travel in the JSON body. */
export function structureToJson(value: Record<string, unknown>, shape: Shape, model: ServiceModel, skipBound = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (skipBound && ref.location) continue;
    const v = valueToJson(value[name], ref, model);
    if (v !== undefined) out[ref.locationName ?? name] = v;
  }
  return out;
}

/** The JSON body of an error: its message and the error shape's other members. */
export function errorBody(code: string, message: string, fields: Record<string, unknown>, shape: Shape | undefined, model: ServiceModel): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: code };
  const members = shape?.members ?? {};
  const messageKey = 'Message' in members ? 'Message' : 'message';
  body[messageKey] = message;
  for (const [name, value] of Object.entries(fields)) {
    const ref = members[name];
    body[ref?.locationName ?? name] = ref ? valueToJson(value, ref, model) : value;
  }
  return body;
}
