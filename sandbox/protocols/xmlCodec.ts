import { AwsError } from '../errors';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from '../models/serviceModel';
import { formatScalar, parseScalar } from './values';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => ESCAPES[c]);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<"\r\n]/g, (c) => ESCAPES[c]);
}

function isFlattened(ref: ShapeRef, shape: Shape): boolean {
  return ref.flattened === true || shape.flattened === true;
}

/** Appends `value` as the XML element `name`, shaped by `ref`. */
export function writeXmlValue(parts: string[], value: unknown, ref: ShapeRef, name: string, model: ServiceModel, namespace?: string): void {
  if (value === undefined || value === null) return;
  const shape = shapeOf(model, ref.shape);
  const xmlns = namespace ? ` xmlns="${escapeAttribute(namespace)}"` : '';
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      let attributes = xmlns;
      for (const [memberName, member] of Object.entries(shape.members ?? {})) {
        if (member.xmlAttribute && record[memberName] !== undefined) {
          attributes += ` ${member.locationName ?? memberName}="${escapeAttribute(String(record[memberName]))}"`;
        }
      }
      parts.push(`<${name}${attributes}>`);
      writeXmlMembers(parts, record, shape, model);
      parts.push(`</${name}>`);
      return;
    }
    case 'list': {
      const member = shape.member as ShapeRef;
      const items = value as unknown[];
      if (isFlattened(ref, shape)) {
        for (const item of items) writeXmlValue(parts, item, member, name, model);
        return;
      }
      parts.push(`<${name}${xmlns}>`);
      for (const item of items) writeXmlValue(parts, item, member, member.locationName ?? 'member', model);
      parts.push(`</${name}>`);
      return;
    }
    case 'map': {
      const keyRef = shape.key as ShapeRef;
      const valueRef = shape.value as ShapeRef;
      const flattened = isFlattened(ref, shape);
      if (!flattened) parts.push(`<${name}${xmlns}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        parts.push(flattened ? `<${name}>` : '<entry>');
        writeXmlValue(parts, k, keyRef, keyRef.locationName ?? 'key', model);
        writeXmlValue(parts, v, valueRef, valueRef.locationName ?? 'value', model);
        parts.push(flattened ? `</${name}>` : '</entry>');
      }
      if (!flattened) parts.push(`</${name}>`);
      return;
    }
    default: {
      const text = formatScalar(value, shape, ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601');
      parts.push(`<${name}${xmlns}>${escapeXml(text)}</${name}>`);
    }
  }
}

/** Appends the members of a structure that travel in the body (not headers, labels or status). */
export function writeXmlMembers(parts: string[], record: Record<string, unknown>, shape: Shape, model: ServiceModel): void {
  for (const [memberName, member] of Object.entries(shape.members ?? {})) {
    if (member.location || member.xmlAttribute) continue;
    writeXmlValue(parts, record[memberName], member, member.locationName ?? memberName, model);
  }
}

/** A node from @aws-sdk/xml-builder's parseXML: text, an element object, or a list of repeated elements. */
type XmlNode = string | { [key: string]: XmlNode } | XmlNode[];

function malformed(detail: string): AwsError {
  return new AwsError('MalformedXML', `The XML you provided was not well-formed or did not validate against our published schema: ${detail}.`);
}

function asList(node: XmlNode | undefined): XmlNode[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  if (!Array.isArray(node) && typeof node['#text'] === 'string') return node['#text'];
  if (!Array.isArray(node) && Object.keys(node).every((k) => k.startsWith('xmlns'))) return '';
  throw malformed('expected text, found an element');
}

/** Reads a parsed XML element into the value a handler sees, guided by its shape. */
export function xmlToValue(node: XmlNode, ref: ShapeRef, model: ServiceModel, path: string): unknown {
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'structure': {
      if (Array.isArray(node)) throw malformed(`${path} appears more than once`);
      return xmlToStructure(typeof node === 'string' ? {} : node, shape, model, path);
    }
    case 'list': {
      const member = shape.member as ShapeRef;
      const items = isFlattened(ref, shape)
        ? asList(node)
        : typeof node === 'string' ? [] : asList((node as Record<string, XmlNode>)[member.locationName ?? 'member']);
      return items.map((item, i) => xmlToValue(item, member, model, `${path}[${i}]`));
    }
    case 'map': {
      const keyRef = shape.key as ShapeRef;
      const valueRef = shape.value as ShapeRef;
      const entries = isFlattened(ref, shape) ? asList(node) : typeof node === 'string' ? [] : asList((node as Record<string, XmlNode>).entry);
      const out: Record<string, unknown> = {};
      for (const entry of entries) {
        if (typeof entry !== 'object' || Array.isArray(entry)) throw malformed(`${path} has a malformed entry`);
        const key = entry[keyRef.locationName ?? 'key'];
        const value = entry[valueRef.locationName ?? 'value'];
        if (key === undefined) throw malformed(`${path} has an entry without a key`);
        out[textOf(key)] = value === undefined ? undefined : xmlToValue(value, valueRef, model, `${path}.${textOf(key)}`);
      }
      return out;
    }
    default: {
      if (Array.isArray(node)) throw malformed(`${path} appears more than once`);
      const text = textOf(node);
      const value = parseScalar(text, shape);
      if (value === undefined) throw malformed(`${path} is not a valid ${shape.type}`);
      return value;
    }
  }
}

export function xmlToStructure(node: { [key: string]: XmlNode }, shape: Shape, model: ServiceModel, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [memberName, member] of Object.entries(shape.members ?? {})) {
    if (member.location) continue;
    const child = node[member.locationName ?? memberName];
    if (child === undefined) continue;
    out[memberName] = xmlToValue(child, member, model, path ? `${path}.${memberName}` : memberName);
  }
  return out;
}
