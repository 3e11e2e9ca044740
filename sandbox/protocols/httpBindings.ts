import { AwsError } from '../errors';
import { shapeOf, type OperationModel, type ServiceModel, type Shape, type ShapeRef } from '../models/serviceModel';
import type { WireRequest } from './types';
import { formatScalar, parseScalar } from './values';

interface CompiledRoute {
  operation: OperationModel;
  method: string;
  pattern: RegExp;
  labels: string[];
  /** Query keys the URI template requires, with the value when it names one (`?list-type=2`). */
  queryLiterals: [string, string | undefined][];
  /** More literal characters and query keys first. */
  specificity: number;
}

/** `x-id` only helps SDK logs tell operations apart; the AWS CLI does not send it. */
const IGNORED_QUERY_LITERALS = new Set(['x-id']);

function compileRoute(operation: OperationModel): CompiledRoute {
  const [pathTemplate, queryTemplate = ''] = operation.http.requestUri.split('?');
  const labels: string[] = [];
  let source = '';
  let literalChars = 0;
  for (const part of pathTemplate.split(/(\{[^}]+\})/)) {
    const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
    if (label) {
      labels.push(label[1]);
      source += label[2] ? '(.+)' : '([^/]+)';
    } else {
      literalChars += part.length;
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  source = source.replace(/\/$/, '');
  const queryLiterals: [string, string | undefined][] = queryTemplate
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [k, v] = pair.split('=');
      return [k, v] as [string, string | undefined];
    })
    .filter(([k]) => !IGNORED_QUERY_LITERALS.has(k));
  return {
    operation,
    method: operation.http.method,
    pattern: new RegExp(`^${source}/?$`),
    labels,
    queryLiterals,
    specificity: queryLiterals.length * 1000 + literalChars,
  };
}

const routeTables = new WeakMap<ServiceModel, CompiledRoute[]>();

function routes(model: ServiceModel): CompiledRoute[] {
  let table = routeTables.get(model);
  if (!table) {
    table = Object.values(model.operations).map(compileRoute).sort((a, b) => b.specificity - a.specificity);
    routeTables.set(model, table);
  }
  return table;
}

export interface RouteMatch {
  operation: OperationModel;
  labels: Record<string, string>;
}

/** The operation whose method, URI template and required query keys match the request. */
export function matchRoute(model: ServiceModel, method: string, path: string, query: Record<string, string | string[]>): RouteMatch | undefined {
  for (const route of routes(model)) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (!route.queryLiterals.every(([k, v]) => query[k] !== undefined && (v === undefined || query[k] === v))) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((name, i) => {
      labels[name] = decodeURIComponent(match[i + 1]);
    });
    return { operation: route.operation, labels };
  }
  return undefined;
}

function bindScalar(text: string, ref: ShapeRef, model: ServiceModel, where: string): unknown {
  const shape = shapeOf(model, ref.shape);
  if (ref.jsonvalue) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      throw new AwsError('SerializationException', `${where} is not base64-encoded JSON.`);
    }
  }
  const value = parseScalar(text, shape);
  if (value === undefined) throw new AwsError('SerializationException', `${where} is not a valid ${shape.type}.`);
  return value;
}

/** Input members bound to URI labels, query parameters and headers. */
export function readBoundMembers(request: WireRequest, labels: Record<string, string>, inputShape: Shape, model: ServiceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(inputShape.members ?? {})) {
    const location = ref.location;
    if (!location) continue;
    const wireName = ref.locationName ?? name;
    const shape = shapeOf(model, ref.shape);
    if (location === 'uri') {
      if (labels[wireName] !== undefined) out[name] = bindScalar(labels[wireName], ref, model, `The URI label ${wireName}`);
    } else if (location === 'querystring') {
      if (shape.type === 'map') {
        const map: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(request.query)) map[k] = v;
        out[name] = map;
        continue;
      }
      const raw = request.query[wireName];
      if (raw === undefined) continue;
      if (shape.type === 'list') {
        const member = shape.member as ShapeRef;
        out[name] = (Array.isArray(raw) ? raw : [raw]).map((v) => bindScalar(v, member, model, `The query parameter ${wireName}`));
      } else {
        out[name] = bindScalar(Array.isArray(raw) ? raw[0] : raw, ref, model, `The query parameter ${wireName}`);
      }
    } else if (location === 'header') {
      const raw = request.headers[wireName.toLowerCase()];
      if (raw === undefined) continue;
      if (shape.type === 'list') {
        const member = shape.member as ShapeRef;
        out[name] = raw.split(',').map((v) => bindScalar(v.trim(), member, model, `The header ${wireName}`));
      } else {
        out[name] = bindScalar(raw, ref, model, `The header ${wireName}`);
      }
    } else if (location === 'headers') {
      const prefix = wireName.toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) if (k.startsWith(prefix)) map[k.slice(prefix.length)] = v;
      if (Object.keys(map).length) out[name] = map;
    }
  }
  return out;
}

/** Output members bound to the status code and headers. */
export function writeBoundMembers(output: Record<string, unknown>, outputShape: Shape, model: ServiceModel): { status?: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  for (const [name, ref] of Object.entries(outputShape.members ?? {})) {
    const value = output[name];
    if (value === undefined || value === null || !ref.location) continue;
    const shape = shapeOf(model, ref.shape);
    if (ref.location === 'statusCode') {
      status = Number(value);
    } else if (ref.location === 'header') {
      const header = (ref.locationName ?? name).toLowerCase();
      if (ref.jsonvalue) headers[header] = Buffer.from(JSON.stringify(value)).toString('base64');
      else if (shape.type === 'list') headers[header] = (value as unknown[]).map(String).join(', ');
      else headers[header] = formatScalar(value, shape, ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822');
    } else if (ref.location === 'headers') {
      const prefix = (ref.locationName ?? name).toLowerCase();
      for (const [k, v] of Object.entries(value as Record<string, string>)) headers[`${prefix}${k.toLowerCase()}`] = v;
    }
  }
  return { status, headers };
}
