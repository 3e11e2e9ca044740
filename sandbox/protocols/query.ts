import { AwsError } from '../errors';
import { shapeOf, type ServiceModel, type ShapeRef } from '../models/serviceModel';
import { resolveError } from './errorShape';
import type { Protocol, WireRequest } from './types';
import { parseScalar } from './values';
import { escapeXml, writeXmlMembers, writeXmlValue } from './xmlCodec';

const parsedForms = new WeakMap<WireRequest, Map<string, string>>();

/** Form parameters of a query-protocol request: the URL query string, then the form body. */
function formParameters(request: WireRequest): Map<string, string> {
  const cached = parsedForms.get(request);
  if (cached) return cached;
  const params = new Map<string, string>();
  parsedForms.set(request, params);
  for (const [k, v] of Object.entries(request.query)) params.set(k, Array.isArray(v) ? v[0] : v);
  if (request.body.length > 0) {
    for (const [k, v] of new URLSearchParams(request.body.toString('utf8'))) params.set(k, v);
  }
  return params;
}

/** Every dotted prefix of every parameter name, to tell whether a structure or list is present. */
function prefixes(params: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const key of params.keys()) {
    let at = key.indexOf('.');
    while (at > 0) {
      out.add(key.slice(0, at));
      at = key.indexOf('.', at + 1);
    }
  }
  return out;
}

function invalidParameter(name: string, type: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must be a valid ${type}`);
}

class QueryReader {
  private readonly present: Set<string>;

  constructor(private readonly params: Map<string, string>, private readonly model: ServiceModel) {
    this.present = prefixes(params);
  }

  has(key: string): boolean {
    return this.params.has(key) || this.present.has(key);
  }

  read(key: string, ref: ShapeRef): unknown {
    const shape = shapeOf(this.model, ref.shape);
    switch (shape.type) {
      case 'structure': {
        if (!this.present.has(key)) return undefined;
        return this.readMembers(key, ref.shape);
      }
      case 'list': {
        if (this.params.get(key) === '') return [];
        const member = shape.member as ShapeRef;
        const base = ref.flattened || shape.flattened ? key : `${key}.${member.locationName ?? 'member'}`;
        if (!this.present.has(base) && !this.present.has(key)) return undefined;
        const out: unknown[] = [];
        for (let i = 1; this.has(`${base}.${i}`); i++) out.push(this.read(`${base}.${i}`, member));
        return out;
      }
      case 'map': {
        const base = ref.flattened || shape.flattened ? key : `${key}.entry`;
        if (!this.present.has(base)) return undefined;
        const keyRef = shape.key as ShapeRef;
        const valueRef = shape.value as ShapeRef;
        const out: Record<string, unknown> = {};
        for (let i = 1; this.has(`${base}.${i}`); i++) {
          const k = this.params.get(`${base}.${i}.${keyRef.locationName ?? 'key'}`);
          if (k === undefined) continue;
          out[k] = this.read(`${base}.${i}.${valueRef.locationName ?? 'value'}`, valueRef);
        }
        return out;
      }
      default: {
        const text = this.params.get(key);
        if (text === undefined) return undefined;
        const value = parseScalar(text, shape);
        if (value === undefined) throw invalidParameter(key, shape.type);
        return value;
      }
    }
  }

  readMembers(prefix: string, shapeName: string): Record<string, unknown> {
    const shape = shapeOf(this.model, shapeName);
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const key = prefix ? `${prefix}.${member.locationName ?? name}` : member.locationName ?? name;
      const value = this.read(key, member);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}

/**
 * The AWS query protocol (IAM, STS, SNS): `Action=...&Version=...` form parameters in, XML out,
 * `<ErrorResponse>` for errors with the error shape's code.
 */
export const queryProtocol: Protocol = {
  route(request, model) {
    const params = formParameters(request);
    const action = params.get('Action');
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action.');
    const operation = model.operations[action];
    if (!operation) {
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? model.metadata.apiVersion}`);
    }
    return operation;
  },

  parseInput(request, model, operation) {
    if (!operation.input) return {};
    return new QueryReader(formParameters(request), model).readMembers('', operation.input);
  },

  serializeOutput(output, model, operation, requestId) {
    const namespace = model.metadata.xmlNamespace ?? '';
    const parts: string[] = [`<${operation.name}Response xmlns="${namespace}">`];
    if (operation.output) {
      const wrapper = operation.resultWrapper ?? `${operation.name}Result`;
      parts.push(`<${wrapper}>`);
      writeXmlMembers(parts, output, shapeOf(model, operation.output), model);
      parts.push(`</${wrapper}>`);
    }
    parts.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation.name}Response>`);
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: Buffer.from(parts.join(''), 'utf8'),
    };
  },

  serializeError(error, model, _request, requestId) {
    const resolved = resolveError(error, model, true);
    const parts: string[] = [`<ErrorResponse xmlns="${model.metadata.xmlNamespace ?? ''}"><Error>`];
    parts.push(`<Type>${resolved.sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(resolved.code)}</Code><Message>${escapeXml(resolved.message)}</Message>`);
    for (const [name, value] of Object.entries(error.fields)) {
      const ref = resolved.shape?.members?.[name];
      if (ref) writeXmlValue(parts, value, ref, ref.locationName ?? name, model);
      else parts.push(`<${name}>${escapeXml(String(value))}</${name}>`);
    }
    parts.push(`</Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
    return {
      status: resolved.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...error.headers },
      body: Buffer.from(parts.join(''), 'utf8'),
    };
  },
};
